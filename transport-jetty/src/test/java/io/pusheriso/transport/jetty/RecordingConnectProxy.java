package io.pusheriso.transport.jetty;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real HTTP CONNECT proxy on loopback (Jetty's {@link ConnectHandler}) that records every tunnel
 * it was asked for and, optionally, demands Basic credentials.
 */
final class RecordingConnectProxy implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final List<String> connects = new CopyOnWriteArrayList<>();
  private final List<String> proxyAuthorizations = new CopyOnWriteArrayList<>();

  RecordingConnectProxy(String requiredUser, String requiredPassword) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("test-connect-proxy");
    threads.setDaemon(true);
    server = new Server(threads);
    connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    String expected =
        requiredUser == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (requiredUser + ":" + requiredPassword).getBytes(StandardCharsets.UTF_8));
    server.setHandler(
        new ConnectHandler() {
          @Override
          protected boolean handleAuthentication(
              Request request, Response response, String address) {
            connects.add(address);
            String given = request.getHeaders().get(HttpHeader.PROXY_AUTHORIZATION);
            if (given != null) {
              proxyAuthorizations.add(given);
            }
            if (expected != null && !expected.equals(given)) {
              response.getHeaders().put(HttpHeader.PROXY_AUTHENTICATE, "Basic realm=\"test\"");
              return false;
            }
            return true;
          }
        });
    server.start();
  }

  int port() {
    return connector.getLocalPort();
  }

  /** The {@code host:port} of every CONNECT request, in order. */
  List<String> connects() {
    return List.copyOf(connects);
  }

  /** Every Proxy-Authorization header received. */
  List<String> proxyAuthorizations() {
    return List.copyOf(proxyAuthorizations);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Stopping the test proxy failed", e);
    }
  }
}
