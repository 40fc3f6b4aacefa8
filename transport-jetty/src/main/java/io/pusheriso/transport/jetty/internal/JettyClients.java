package io.pusheriso.transport.jetty.internal;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Authentication;
import org.eclipse.jetty.client.AuthenticationStore;
import org.eclipse.jetty.client.BasicAuthentication;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.ProxyConfiguration;
import org.eclipse.jetty.client.Socks5;
import org.eclipse.jetty.client.Socks5Proxy;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not for public use, may change at any time. The Jetty clients of one {@code
 * JettyTransportFactory}: the caller's, or its own, created and started on the first open and
 * stopped on close; and the transports opened with them.
 *
 * <p>Thread-safe.
 */
public final class JettyClients {
  private static final Logger LOG = LoggerFactory.getLogger(JettyClients.class);
  // Enough for a handful of connections' callbacks plus the selector; threads above the minimum
  // die after a minute of idleness.
  private static final int MAX_THREADS = 16;
  private static final int MIN_THREADS = 2;
  private static final int THREAD_IDLE_MILLIS = 60_000;

  private final JettySettings settings;
  private final Set<JettyTransport> live = ConcurrentHashMap.newKeySet();

  // Guarded by this.
  private WebSocketClient client;
  private boolean ownsWebSocketClient;
  private boolean closed;

  /** Clients for these settings; nothing is created until the first {@link #open}. */
  public JettyClients(JettySettings settings) {
    this.settings = settings;
  }

  /** Opens a connection; see {@code TransportFactory.open}. */
  public Transport open(TransportRequest request, TransportListener listener) {
    WebSocketClient started = client();
    JettyTransport transport =
        new JettyTransport(
            request,
            listener,
            settings.idleTimeout(),
            settings.closeTimeout(),
            started.getExecutor(),
            live::remove);
    live.add(transport);
    ClientUpgradeRequest upgrade = new ClientUpgradeRequest(request.uri());
    upgrade.setTimeout(request.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    for (Map.Entry<String, String> header : settings.headers().entrySet()) {
      upgrade.setHeader(header.getKey(), header.getValue());
    }
    CompletableFuture<Session> future;
    try {
      future = started.connect(transport, upgrade);
    } catch (Exception e) {
      // An I/O error or a client stopped by its owner: both are failures of this connection.
      transport.failedBeforeOpen(e);
      return transport;
    }
    transport.connecting(future, started.getHttpClient().getScheduler());
    return transport;
  }

  private synchronized WebSocketClient client() {
    if (closed) {
      throw new IllegalStateException("This JettyTransportFactory is closed");
    }
    try {
      if (client == null) {
        if (settings.webSocketClient() != null) {
          client = settings.webSocketClient();
          ownsWebSocketClient = false;
        } else {
          HttpClient callerHttp = settings.httpClient();
          if (callerHttp != null && !callerHttp.isStarted()) {
            // Started before our WebSocketClient sees it, so that it neither reconfigures it nor
            // takes over its lifecycle: the caller still owns stopping it.
            callerHttp.start();
          }
          client = newClient();
          ownsWebSocketClient = true;
        }
      }
      if (!client.isStarted()) {
        client.start();
      }
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start the Jetty WebSocket client: " + e, e);
    }
    return client;
  }

  private WebSocketClient newClient() {
    if (settings.httpClient() != null) {
      WebSocketClient created = new WebSocketClient(settings.httpClient());
      created.setStopAtShutdown(false);
      return created;
    }
    HttpClient http = new HttpClient();
    http.setName("pusher-jetty");
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, THREAD_IDLE_MILLIS);
    threads.setName("pusher-jetty");
    threads.setDaemon(true);
    http.setExecutor(threads);
    http.setScheduler(new ScheduledExecutorScheduler("pusher-jetty-scheduler", true));
    http.setSslContextFactory(sslContextFactory());
    if (settings.proxy() != null) {
      configureProxy(http, settings.proxy());
    }
    WebSocketClient created = new WebSocketClient(http);
    created.setStopAtShutdown(false);
    return created;
  }

  private SslContextFactory.Client sslContextFactory() {
    SslContextFactory.Client tls = new SslContextFactory.Client();
    tls.setEndpointIdentificationAlgorithm(settings.hostnameVerification() ? "HTTPS" : null);
    if (settings.sslContext() != null) {
      tls.setSslContext(settings.sslContext());
    } else if (settings.trustStore() != null) {
      tls.setTrustStore(settings.trustStore());
    }
    return tls;
  }

  private static void configureProxy(HttpClient http, JettySettings.Proxy proxy) {
    ProxyConfiguration.Proxy jettyProxy;
    if (proxy.type() == JettySettings.Proxy.Type.HTTP) {
      jettyProxy = new TunnelingHttpProxy(new Origin.Address(proxy.host(), proxy.port()));
      if (proxy.username() != null) {
        URI proxyUri = jettyProxy.getURI();
        AuthenticationStore store = http.getAuthenticationStore();
        // Sent with the first CONNECT, so that a proxy which drops unauthenticated tunnels works...
        store.addAuthenticationResult(
            new BasicAuthentication.BasicResult(
                proxyUri, HttpHeader.PROXY_AUTHORIZATION, proxy.username(), proxy.password()));
        // ...and offered again when a proxy answers 407 with a Basic challenge of any realm.
        store.addAuthentication(
            new BasicAuthentication(
                proxyUri, Authentication.ANY_REALM, proxy.username(), proxy.password()));
      }
    } else {
      Socks5Proxy socks = new Socks5Proxy(new Origin.Address(proxy.host(), proxy.port()), false);
      if (proxy.username() != null) {
        socks.putAuthenticationFactory(
            new Socks5.UsernamePasswordAuthenticationFactory(proxy.username(), proxy.password()));
      }
      jettyProxy = socks;
    }
    http.getProxyConfiguration().addProxy(jettyProxy);
  }

  /** Closes open transports and stops what this factory created. Idempotent. */
  public void close() {
    WebSocketClient toStop;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toStop = ownsWebSocketClient ? client : null;
    }
    List<JettyTransport> open = new ArrayList<>(live);
    for (JettyTransport transport : open) {
      transport.shutdown();
    }
    if (toStop != null) {
      try {
        toStop.stop();
        if (settings.httpClient() == null) {
          // Our own HttpClient: WebSocketClient stops it as a managed bean, but make sure.
          toStop.getHttpClient().stop();
        }
      } catch (Exception e) {
        LOG.warn("Stopping the Jetty WebSocket client failed", e);
      }
    }
    for (JettyTransport transport : open) {
      transport.abandon();
    }
  }

  /** For {@code toString()}. */
  public String describe() {
    boolean isClosed;
    synchronized (this) {
      isClosed = closed;
    }
    return settings.describe() + ", open=" + live.size() + (isClosed ? ", closed" : "");
  }

  /**
   * An HTTP proxy reached with a CONNECT tunnel for every origin: Jetty would otherwise send a
   * plain {@code ws://} upgrade to the proxy as a forwarded request, which most proxies refuse.
   */
  private static final class TunnelingHttpProxy extends HttpProxy {
    TunnelingHttpProxy(Origin.Address address) {
      super(address, false);
    }

    @Override
    public boolean requiresTunnel(Origin serverOrigin) {
      return true;
    }
  }
}
