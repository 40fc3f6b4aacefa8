package io.pusheriso.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.transport.netty.internal.ConnectionSettings;
import io.pusheriso.transport.netty.internal.EventLoops;
import io.pusheriso.transport.netty.internal.ProxySettings;
import io.pusheriso.transport.netty.internal.TlsContexts;
import io.pusheriso.transport.netty.internal.WebSocketConnection;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Opens Pusher WebSocket connections ({@code ws} and {@code wss}) over Netty 4.2.
 *
 * <p>The public no-argument constructor is what {@link java.util.ServiceLoader} uses: default
 * options, a one-thread event loop group of its own (created on the first {@link #open}, epoll when
 * available, else NIO; daemon threads named {@code pusher-netty-N}), the JVM's default trust for
 * {@code wss} with host name verification. Use {@link #builder()} for anything else:
 *
 * <pre>{@code
 * NettyTransportFactory netty = NettyTransportFactory.builder()
 *     .eventLoopGroup(myGroup, NioSocketChannel.class) // used, never shut down by this factory
 *     .trustedCertificates(Path.of("ca.pem"))
 *     .httpProxy(new InetSocketAddress("proxy.example", 3128), "user", "secret")
 *     .header("User-Agent", "my-app/1.0")
 *     .build();
 * }</pre>
 *
 * <p>Connections run on the group's event loops, which is also where their listener is called.
 * {@link Transport#send} writes from any thread without blocking; messages queue in Netty's
 * outbound buffer without a bound (the core sends little and watches the connection with
 * ping/pong). A message larger than the request's {@code maxFrameBytes} ends the connection with
 * {@code onClose(1009, "message larger than N bytes (maxFrameBytes)")}, decided from the frame
 * header before the payload is buffered; text that is not UTF-8 ends it with {@code onError} (and
 * close code 1007 to the server); binary frames count as activity only.
 *
 * <p>Instances are immutable apart from their lifecycle and thread-safe. {@link #close()} closes
 * the connections still open and shuts down the group only if the factory created it.
 */
public final class NettyTransportFactory implements TransportFactory {

  /** How long a close waits for the server's close frame by default: 3 seconds. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(3);

  /** Threads of the group the factory creates by default: 1. */
  public static final int DEFAULT_THREADS = 1;

  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "host",
          "upgrade",
          "connection",
          "sec-websocket-key",
          "sec-websocket-version",
          "sec-websocket-extensions",
          "sec-websocket-accept",
          "content-length",
          "transfer-encoding");

  private final Builder options;
  private final ConnectionSettings settings;
  private final Set<WebSocketConnection> live = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private EventLoops.Owned owned; // guarded by lock
  private boolean closed; // guarded by lock

  /** A factory with the default options, as {@code builder().build()}; for ServiceLoader. */
  public NettyTransportFactory() {
    this(new Builder());
  }

  private NettyTransportFactory(Builder b) {
    this.options = b.copy();
    SslContext explicit = b.resolveSslContext();
    Supplier<SslContext> ssl =
        explicit != null ? () -> explicit : new LazyDefaultTls(b.hostnameVerification);
    this.settings =
        new ConnectionSettings(b.headers, b.proxy, b.connectTimeout, b.closeTimeout, ssl);
  }

  /** A builder with the default options. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code netty}. */
  @Override
  public String name() {
    return "netty";
  }

  /** {@link TransportKind#WEBSOCKET} only. */
  @Override
  public Set<TransportKind> kinds() {
    return Set.of(TransportKind.WEBSOCKET);
  }

  /**
   * Starts opening a {@code ws} or {@code wss} connection; never blocks (the TLS context with the
   * JVM's default trust is created on the first {@code wss} request, once).
   *
   * @throws IllegalArgumentException if the kind is not WEBSOCKET or the URI not ws/wss
   * @throws IllegalStateException if the factory is closed
   */
  @Override
  public Transport open(TransportRequest request, TransportListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    if (request.kind() != TransportKind.WEBSOCKET) {
      throw new IllegalArgumentException(
          "the Netty transport opens WebSockets only, not "
              + request.kind().wireName()
              + ": add transport-httpclient-fallback for the HTTP fallback transports");
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("this NettyTransportFactory is closed");
      }
      EventLoopGroup group;
      Class<? extends Channel> channelType;
      if (options.group != null) {
        group = options.group;
        channelType = options.channelType;
      } else {
        if (owned == null) {
          owned = EventLoops.newOwned(options.threads, options.nativeTransport);
        }
        group = owned.group();
        channelType = owned.channelType();
      }
      // Under the lock so that close() cannot miss a connection; open(...) itself never blocks.
      return WebSocketConnection.open(request, listener, settings, group, channelType, live);
    }
  }

  /**
   * Closes the connections still open (close code 1001) and, if this factory created its event loop
   * group, shuts it down and waits up to the close timeout for its threads to end (not when called
   * from one of them). Never shuts down a group given to the builder. Idempotent.
   */
  @Override
  public void close() {
    EventLoops.Owned toShutDown;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      toShutDown = owned;
    }
    for (WebSocketConnection c : new ArrayList<>(live)) {
      c.closeForShutdown();
    }
    if (toShutDown != null) {
      EventLoopGroup group = toShutDown.group();
      // No quiet period: the close frames queued above run first, then the loop ends.
      Future<?> done =
          group.shutdownGracefully(0, options.closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!inside(group)) {
        done.awaitUninterruptibly(options.closeTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      }
    }
  }

  private static boolean inside(EventLoopGroup group) {
    for (EventExecutor e : group) {
      if (e.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "NettyTransportFactory[" + options.describe() + "]";
  }

  /** Creates the JVM-default TLS context on first use, once. */
  private static final class LazyDefaultTls implements Supplier<SslContext> {
    private final boolean hostnameVerification;
    private volatile SslContext context;

    LazyDefaultTls(boolean hostnameVerification) {
      this.hostnameVerification = hostnameVerification;
    }

    @Override
    public SslContext get() {
      SslContext c = context;
      if (c == null) {
        synchronized (this) {
          c = context;
          if (c == null) {
            c = TlsContexts.jvmDefault(hostnameVerification);
            context = c;
          }
        }
      }
      return c;
    }
  }

  /**
   * Options of a {@link NettyTransportFactory}. Every setter checks its argument; {@link #build()}
   * checks how they combine. Not thread-safe; the factory it builds is immutable.
   */
  public static final class Builder {
    private EventLoopGroup group;
    private Class<? extends Channel> channelType;
    private int threads = DEFAULT_THREADS;
    private boolean nativeTransport = true;
    private Path trustedCertificates;
    private KeyStore trustStore;
    private SslContext sslContext;
    private boolean hostnameVerification = true;
    private boolean hostnameVerificationSet;
    private ProxySettings proxy;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private Duration connectTimeout;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

    private Builder() {}

    /**
     * Runs connections on the application's {@code group}, with sockets of {@code channelType} (for
     * example {@code NioSocketChannel.class} for a NIO group, {@code EpollSocketChannel.class} for
     * an epoll one). The factory never shuts the group down.
     */
    public Builder eventLoopGroup(EventLoopGroup group, Class<? extends Channel> channelType) {
      this.group = Objects.requireNonNull(group, "group");
      this.channelType = Objects.requireNonNull(channelType, "channelType");
      return this;
    }

    /** Threads of the group the factory creates when none is given (default 1). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Whether the group the factory creates uses epoll when the native library loads (default
     * true); false forces NIO.
     */
    public Builder nativeTransport(boolean enabled) {
      this.nativeTransport = enabled;
      return this;
    }

    /** For wss: trust only the certificates (typically a CA) in this PEM file. */
    public Builder trustedCertificates(Path pemFile) {
      this.trustedCertificates = Objects.requireNonNull(pemFile, "pemFile");
      return this;
    }

    /** For wss: trust the certificates of this key store. */
    public Builder trustStore(KeyStore trustStore) {
      this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
      return this;
    }

    /**
     * For wss: use this client context as it is (its trust, its host name verification, its
     * protocols). Excludes the other TLS options.
     */
    public Builder sslContext(SslContext sslContext) {
      Objects.requireNonNull(sslContext, "sslContext");
      if (!sslContext.isClient()) {
        throw new IllegalArgumentException("sslContext must be a client context");
      }
      this.sslContext = sslContext;
      return this;
    }

    /**
     * Whether wss checks that the certificate names the host (default true). Turning it off lets
     * anyone with any certificate from a trusted CA impersonate the server: only for tests.
     */
    public Builder hostnameVerification(boolean enabled) {
      this.hostnameVerification = enabled;
      this.hostnameVerificationSet = true;
      return this;
    }

    /** Tunnels through an HTTP proxy with {@code CONNECT}; replaces any proxy set before. */
    public Builder httpProxy(InetSocketAddress address) {
      this.proxy = new ProxySettings(ProxySettings.Type.HTTP, checkProxy(address), null, null);
      return this;
    }

    /** Tunnels through an HTTP proxy with {@code CONNECT} and basic credentials. */
    public Builder httpProxy(InetSocketAddress address, String username, String password) {
      this.proxy =
          new ProxySettings(
              ProxySettings.Type.HTTP,
              checkProxy(address),
              Objects.requireNonNull(username, "username"),
              Objects.requireNonNull(password, "password"));
      return this;
    }

    /** Tunnels through a SOCKS5 proxy; replaces any proxy set before. */
    public Builder socks5Proxy(InetSocketAddress address) {
      this.proxy = new ProxySettings(ProxySettings.Type.SOCKS5, checkProxy(address), null, null);
      return this;
    }

    /** Tunnels through a SOCKS5 proxy with username/password authentication. */
    public Builder socks5Proxy(InetSocketAddress address, String username, String password) {
      this.proxy =
          new ProxySettings(
              ProxySettings.Type.SOCKS5,
              checkProxy(address),
              Objects.requireNonNull(username, "username"),
              Objects.requireNonNull(password, "password"));
      return this;
    }

    private static InetSocketAddress checkProxy(InetSocketAddress address) {
      Objects.requireNonNull(address, "address");
      if (address.isUnresolved()) {
        throw new IllegalArgumentException(
            "the proxy address must be resolved (new InetSocketAddress(host, port)), was "
                + address);
      }
      return address;
    }

    /**
     * Adds a header to every WebSocket handshake request (repeat the name for several values).
     *
     * @throws IllegalArgumentException for a header the handshake sets itself (Host, Upgrade,
     *     Connection, Sec-WebSocket-*) or a name or value that is not valid HTTP
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "header '" + name + "' is set by the WebSocket handshake itself and cannot be added");
      }
      if (name.isEmpty() || !name.chars().allMatch(Builder::isTokenChar)) {
        throw new IllegalArgumentException("'" + name + "' is not a valid HTTP header name");
      }
      if (value.chars().anyMatch(ch -> ch == '\r' || ch == '\n' || ch == 0)) {
        throw new IllegalArgumentException(
            "the value of header '" + name + "' must not contain CR, LF or NUL");
      }
      headers.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
      return this;
    }

    private static boolean isTokenChar(int c) {
      // RFC 9110 5.6.2 tchar
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /**
     * How long opening (TCP, proxy, TLS, WebSocket handshake) may take; by default each request's
     * own {@link TransportRequest#connectTimeout()}.
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long {@link Transport#close} waits for the server's close frame before closing the socket
     * anyway (default 3 s); also the bound on how long {@link NettyTransportFactory#close()} waits
     * for its own threads.
     */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = positive(timeout, "closeTimeout");
      return this;
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }

    /**
     * Checks the options and builds the factory; reads the PEM file now, so that a bad one fails
     * here.
     *
     * @throws IllegalStateException if more than one of trustedCertificates, trustStore and
     *     sslContext is set, or hostnameVerification is set together with sslContext
     * @throws IllegalArgumentException if the PEM file cannot be read or holds no certificate
     */
    public NettyTransportFactory build() {
      int tls =
          (trustedCertificates != null ? 1 : 0)
              + (trustStore != null ? 1 : 0)
              + (sslContext != null ? 1 : 0);
      if (tls > 1) {
        throw new IllegalStateException(
            "set only one of trustedCertificates(...), trustStore(...) and sslContext(...)");
      }
      if (sslContext != null && hostnameVerificationSet) {
        throw new IllegalStateException(
            "hostnameVerification(...) does not apply to a given sslContext(...): configure"
                + " endpoint identification on that context instead");
      }
      return new NettyTransportFactory(this);
    }

    private SslContext resolveSslContext() {
      if (sslContext != null) {
        return sslContext;
      }
      if (trustedCertificates != null) {
        return TlsContexts.trusting(trustedCertificates, hostnameVerification);
      }
      if (trustStore != null) {
        return TlsContexts.trusting(trustStore, hostnameVerification);
      }
      return null;
    }

    private Builder copy() {
      Builder b = new Builder();
      b.group = group;
      b.channelType = channelType;
      b.threads = threads;
      b.nativeTransport = nativeTransport;
      b.trustedCertificates = trustedCertificates;
      b.trustStore = trustStore;
      b.sslContext = sslContext;
      b.hostnameVerification = hostnameVerification;
      b.hostnameVerificationSet = hostnameVerificationSet;
      b.proxy = proxy;
      b.headers.addAll(headers);
      b.connectTimeout = connectTimeout;
      b.closeTimeout = closeTimeout;
      return b;
    }

    private String describe() {
      List<String> names = new ArrayList<>();
      for (Map.Entry<String, String> h : headers) {
        names.add(h.getKey());
      }
      return (group != null
              ? "eventLoopGroup="
                  + group.getClass().getSimpleName()
                  + "/"
                  + channelType.getSimpleName()
              : "threads=" + threads + (nativeTransport ? " (epoll if available)" : " (nio)"))
          + ", tls="
          + (sslContext != null
              ? "sslContext"
              : trustedCertificates != null
                  ? "pem " + trustedCertificates
                  : trustStore != null ? "trustStore" : "jvm default")
          + ", hostnameVerification="
          + hostnameVerification
          + ", proxy="
          + (proxy == null ? "none" : proxy)
          + ", headers="
          + names
          + ", connectTimeout="
          + (connectTimeout == null ? "per request" : connectTimeout)
          + ", closeTimeout="
          + closeTimeout;
    }
  }
}
