package io.pusheriso.transport.httpclient.internal;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultProxyRoutePlanner;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.IOReactorStatus;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not for public use, may change at any time. What a factory runs: the HttpClient (its own, or the
 * caller's), a timer thread for connect timeouts and the transports still alive. Nothing starts
 * before the first {@link #open}.
 *
 * <p>Thread-safe.
 */
public final class XhrEngine {
  private static final Logger LOG = LoggerFactory.getLogger(XhrEngine.class);
  static final String THREAD_PREFIX = "pusher-httpclient-";

  /** Each transport holds at most two connections (receive and send): never let a pool starve. */
  private static final int MAX_CONNECTIONS = 4096;

  private static final Duration DEFAULT_TCP_CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final TimeValue SHUTDOWN_WAIT = TimeValue.ofSeconds(5);

  private final XhrSettings settings;
  private final Set<XhrTransport> live = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  // Guarded by lock.
  private CloseableHttpAsyncClient client;
  // The pool of the client this engine created; null for a caller's client.
  private PoolingAsyncClientConnectionManager pool;
  private ScheduledThreadPoolExecutor timer;
  private boolean closed;

  /** An engine for these settings; starts nothing. */
  public XhrEngine(XhrSettings settings) {
    this.settings = settings;
  }

  /**
   * Opens a transport; the first call starts the client and the timer.
   *
   * @throws IllegalStateException when the engine is closed
   */
  public Transport open(TransportRequest request, TransportListener listener) {
    CloseableHttpAsyncClient c;
    ScheduledThreadPoolExecutor t;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("This HttpClientTransportFactory is closed");
      }
      if (timer == null) {
        startLocked();
      }
      c = client;
      t = timer;
    }
    XhrTransport transport = new XhrTransport(request, listener, settings, c, t, live::remove);
    live.add(transport);
    transport.start();
    return transport;
  }

  private void startLocked() {
    ScheduledThreadPoolExecutor newTimer =
        new ScheduledThreadPoolExecutor(1, threads(THREAD_PREFIX + "timer"));
    newTimer.setRemoveOnCancelPolicy(true);
    newTimer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    if (settings.callerClient() != null) {
      client = settings.callerClient();
      if (client.getStatus() == IOReactorStatus.INACTIVE) {
        client.start();
      }
    } else {
      pool = createPool();
      client = createClient(pool);
      client.start();
    }
    timer = newTimer;
  }

  private PoolingAsyncClientConnectionManager createPool() {
    SSLContext ssl =
        settings.sslContext() != null ? settings.sslContext() : SSLContexts.createSystemDefault();
    ClientTlsStrategyBuilder tls = ClientTlsStrategyBuilder.create().setSslContext(ssl);
    if (!settings.hostnameVerification()) {
      tls.setHostVerificationPolicy(HostnameVerificationPolicy.CLIENT)
          .setHostnameVerifier(NoopHostnameVerifier.INSTANCE);
    }
    Duration tcpTimeout =
        settings.connectTimeout() != null ? settings.connectTimeout() : DEFAULT_TCP_CONNECT_TIMEOUT;
    return PoolingAsyncClientConnectionManagerBuilder.create()
        .setTlsStrategy(tls.buildAsync())
        .setMaxConnTotal(MAX_CONNECTIONS)
        .setMaxConnPerRoute(MAX_CONNECTIONS)
        .setDefaultTlsConfig(
            TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
        .setDefaultConnectionConfig(
            ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofMilliseconds(tcpTimeout.toMillis()))
                .build())
        .build();
  }

  private CloseableHttpAsyncClient createClient(PoolingAsyncClientConnectionManager connections) {
    HttpAsyncClientBuilder builder =
        HttpAsyncClients.custom()
            .setConnectionManager(connections)
            .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
            .setThreadFactory(threads(THREAD_PREFIX + "io"))
            .setIoReactorExceptionCallback(this::ioReactorFailed)
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableRedirectHandling();
    XhrSettings.Proxy proxy = settings.proxy();
    if (proxy != null) {
      HttpHost proxyHost = new HttpHost(proxy.host(), proxy.port());
      builder.setRoutePlanner(new DefaultProxyRoutePlanner(proxyHost));
      if (proxy.username() != null) {
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        credentials.setCredentials(
            new AuthScope(proxyHost),
            new UsernamePasswordCredentials(proxy.username(), proxy.password().toCharArray()));
        builder.setDefaultCredentialsProvider(credentials);
      }
    }
    return builder.build();
  }

  private void ioReactorFailed(Exception e) {
    // Not hidden while closing either: close() lets the reactor end on its own thread, so a
    // closed selector or a concurrent modification here is a real fault, not shutdown noise.
    LOG.warn("HttpClient I/O reactor failed", e);
  }

  /**
   * Closes the live transports (1001), shuts down the timer and, if the engine created it, the
   * client, waiting for its threads unless called on one of them. Idempotent.
   */
  public void close() {
    CloseableHttpAsyncClient c;
    PoolingAsyncClientConnectionManager connections;
    ScheduledThreadPoolExecutor t;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      c = client;
      connections = pool;
      t = timer;
    }
    for (XhrTransport transport : new ArrayList<>(live)) {
      transport.shutdown();
    }
    boolean onOwnThread = Thread.currentThread().getName().startsWith(THREAD_PREFIX);
    if (c != null && settings.callerClient() == null) {
      if (onOwnThread) {
        // Closing waits for the I/O thread, which may be this one: only ask it to stop.
        connections.close(CloseMode.IMMEDIATE);
        c.initiateShutdown();
      } else {
        // The I/O thread must stop its reactor itself. close(IMMEDIATE) from here would close the
        // selector under the I/O thread while it still selects or walks its keys, which it
        // reports as ClosedSelectorException or ConcurrentModificationException (HttpClient's
        // default callback logs them at ERROR). So: close every connection at the socket (safe
        // from any thread; the requests were aborted above), then let the reactor, now without
        // a channel, end on its own thread, and only then release the rest.
        connections.close(CloseMode.IMMEDIATE);
        c.initiateShutdown();
        try {
          c.awaitShutdown(SHUTDOWN_WAIT);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        c.close(CloseMode.IMMEDIATE);
      }
    }
    if (t != null) {
      // Lets the queued terminal callbacks of the transports closed above run, then ends.
      t.shutdown();
      if (!onOwnThread) {
        try {
          if (!t.awaitTermination(SHUTDOWN_WAIT.toMilliseconds(), TimeUnit.MILLISECONDS)) {
            LOG.warn("The timer thread of an HttpClientTransportFactory did not end in time");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** For {@code toString()}: what runs, never secrets. */
  public String describe() {
    synchronized (lock) {
      return (settings.callerClient() != null ? "caller's client" : "own client")
          + (settings.proxy() != null ? ", proxy " + settings.proxy() : "")
          + ", "
          + live.size()
          + " open"
          + (closed ? ", closed" : "");
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
