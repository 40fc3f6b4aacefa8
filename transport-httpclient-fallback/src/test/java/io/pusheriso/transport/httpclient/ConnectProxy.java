package io.pusheriso.transport.httpclient;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** A real HTTP CONNECT proxy on loopback (Jetty's {@link ConnectHandler}) recording its tunnels. */
final class ConnectProxy implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final List<String> tunnels = new CopyOnWriteArrayList<>();

  ConnectProxy() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("test-connect-proxy");
    threads.setDaemon(true);
    server = new Server(threads);
    connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new ConnectHandler() {
          @Override
          protected boolean handleAuthentication(
              Request request, Response response, String address) {
            tunnels.add(address);
            return true;
          }
        });
    server.start();
  }

  int port() {
    return connector.getLocalPort();
  }

  /** The {@code host:port} of every CONNECT request, in order. */
  List<String> tunnels() {
    return List.copyOf(tunnels);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot stop the test proxy", e);
    }
  }
}
