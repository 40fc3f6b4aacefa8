package io.pusheriso.transport.jetty;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.transport.jetty.internal.JettyClients;
import io.pusheriso.transport.jetty.internal.JettySettings;
import io.pusheriso.transport.jetty.internal.PemTrust;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Opens {@code ws} and {@code wss} connections with the Jetty 12 WebSocket client.
 *
 * <p>The public no-argument constructor (used by {@link java.util.ServiceLoader}) gives the
 * defaults: the factory creates its own Jetty {@link HttpClient} and {@link WebSocketClient} on the
 * first {@link #open}, with small daemon thread pools named {@code pusher-jetty-*}, trusts the
 * JVM's default certificate authorities with host name verification on, and stops its clients in
 * {@link #close()}. {@link #builder()} configures the rest:
 *
 * <pre>{@code
 * JettyTransportFactory jetty = JettyTransportFactory.builder()
 *     .trustedCertificates(Path.of("ca.pem"))
 *     .httpProxy("proxy.example.com", 3128, "user", "password")
 *     .header("User-Agent", "my-app/1.0")
 *     .build();
 * }</pre>
 *
 * <p>A caller's {@link HttpClient} or {@link WebSocketClient} ({@link Builder#httpClient}, {@link
 * Builder#webSocketClient}) is used as it is configured and never stopped by this factory; TLS and
 * proxy settings then belong on that client, and {@link Builder#build()} refuses them here.
 *
 * <p>Through an HTTP proxy every connection, {@code ws} included, is opened with an HTTP {@code
 * CONNECT} tunnel, as browsers do, because proxies rarely forward an {@code Upgrade} request.
 *
 * <p>Instances are immutable in their settings and thread-safe.
 *
 * @since 0.1.0
 */
public final class JettyTransportFactory implements TransportFactory {

  /** The {@link #name()} of this factory. */
  public static final String NAME = "jetty";

  /**
   * By default a quiet connection is never timed out by Jetty: the Pusher client's own ping and
   * pong (activity timeout 120 s) decide when a connection is dead.
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ZERO;

  /**
   * How long {@link Transport#close} waits for the server's close frame before dropping the
   * connection.
   */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private static final Set<TransportKind> KINDS =
      Collections.unmodifiableSet(EnumSet.of(TransportKind.WEBSOCKET));

  private final Builder settingsSource;
  private final JettyClients clients;

  /**
   * A factory with the default settings, for {@link java.util.ServiceLoader}; starts nothing yet.
   */
  public JettyTransportFactory() {
    this(new Builder());
  }

  private JettyTransportFactory(Builder builder) {
    this.settingsSource = new Builder(builder);
    this.clients = new JettyClients(builder.toSettings());
  }

  /** A builder with the default settings. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this factory's settings, for a variant of it. The new factory shares a
   * caller's client, if one was given, but never this factory's own clients.
   */
  public Builder toBuilder() {
    return new Builder(settingsSource);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<TransportKind> kinds() {
    return KINDS;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The first call of a factory that owns its clients starts them (a few milliseconds).
   *
   * @throws IllegalArgumentException if the kind is not {@link TransportKind#WEBSOCKET} or the URI
   *     scheme is not {@code ws} or {@code wss}
   * @throws IllegalStateException if this factory is closed
   */
  @Override
  public Transport open(TransportRequest request, TransportListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    if (request.kind() != TransportKind.WEBSOCKET) {
      throw new IllegalArgumentException(
          "The jetty transport opens only WEBSOCKET (ws/wss) connections, not "
              + request.kind()
              + "; add transport-httpclient-fallback for the HTTP fallback");
    }
    String scheme = request.uri().getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))) {
      throw new IllegalArgumentException(
          "A WebSocket URI must start with ws:// or wss://, was " + request.uri());
    }
    return clients.open(request, listener);
  }

  /**
   * Closes the connections this factory opened (code 1001) and stops the Jetty clients it created.
   * A caller's {@link HttpClient} or {@link WebSocketClient} keeps running. Idempotent.
   */
  @Override
  public void close() {
    clients.close();
  }

  @Override
  public String toString() {
    return "JettyTransportFactory{" + clients.describe() + "}";
  }

  /**
   * Settings for a {@link JettyTransportFactory}.
   *
   * <p>Not thread-safe: confine a builder to one thread. {@link #build()} copies everything, so a
   * builder may be reused.
   */
  public static final class Builder {
    private static final Set<String> RESERVED_HEADERS =
        Set.of(
            "host",
            "connection",
            "upgrade",
            "content-length",
            "transfer-encoding",
            "sec-websocket-key",
            "sec-websocket-version",
            "sec-websocket-accept",
            "sec-websocket-extensions",
            "proxy-authorization");

    private HttpClient httpClient;
    private WebSocketClient webSocketClient;
    private Path trustedCertificates;
    private KeyStore trustStore;
    private SSLContext sslContext;
    private boolean hostnameVerification = true;
    private JettySettings.Proxy proxy;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

    private Builder() {}

    private Builder(Builder other) {
      this.httpClient = other.httpClient;
      this.webSocketClient = other.webSocketClient;
      this.trustedCertificates = other.trustedCertificates;
      this.trustStore = other.trustStore;
      this.sslContext = other.sslContext;
      this.hostnameVerification = other.hostnameVerification;
      this.proxy = other.proxy;
      this.headers.putAll(other.headers);
      this.idleTimeout = other.idleTimeout;
      this.closeTimeout = other.closeTimeout;
    }

    /**
     * Connects with the caller's Jetty {@link HttpClient} (its TLS, proxy and thread settings
     * apply). The factory wraps it in a {@link WebSocketClient} of its own, which it stops in
     * {@link JettyTransportFactory#close()}, but never stops the {@code HttpClient}; if it is not
     * started yet, the first {@code open} starts it and the caller still owns stopping it.
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Connects with the caller's Jetty {@link WebSocketClient}, which the factory never stops; if
     * it is not started yet, the first {@code open} starts it and the caller still owns stopping
     * it.
     */
    public Builder webSocketClient(WebSocketClient webSocketClient) {
      this.webSocketClient = Objects.requireNonNull(webSocketClient, "webSocketClient");
      return this;
    }

    /**
     * Trusts the certificate authorities in this PEM file (one or more {@code BEGIN CERTIFICATE}
     * blocks) instead of the JVM's defaults. The file is read in {@link #build()}.
     */
    public Builder trustedCertificates(Path pemFile) {
      this.trustedCertificates = Objects.requireNonNull(pemFile, "pemFile");
      return this;
    }

    /** Trusts the certificates of this key store instead of the JVM's defaults. */
    public Builder trustStore(KeyStore trustStore) {
      this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
      return this;
    }

    /** Uses this initialized {@link SSLContext} (its trust and key managers) for {@code wss}. */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * Whether the server certificate must match the host name of the URI (endpoint identification
     * algorithm {@code HTTPS}). On by default; turn it off only for test servers.
     */
    public Builder hostnameVerification(boolean enabled) {
      this.hostnameVerification = enabled;
      return this;
    }

    /** Connects through this HTTP proxy with a {@code CONNECT} tunnel. Replaces any other proxy. */
    public Builder httpProxy(String host, int port) {
      this.proxy = JettySettings.Proxy.http(host, port, null, null);
      return this;
    }

    /**
     * Connects through this HTTP proxy with a {@code CONNECT} tunnel, authenticating with HTTP
     * Basic credentials (sent at once, and again if the proxy answers 407). Replaces any other
     * proxy. The password never appears in {@code toString()} or logs.
     */
    public Builder httpProxy(String host, int port, String username, String password) {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      this.proxy = JettySettings.Proxy.http(host, port, username, password);
      return this;
    }

    /** Connects through this SOCKS5 proxy without authentication. Replaces any other proxy. */
    public Builder socks5Proxy(String host, int port) {
      this.proxy = JettySettings.Proxy.socks5(host, port, null, null);
      return this;
    }

    /**
     * Connects through this SOCKS5 proxy with username and password authentication (RFC 1929).
     * Replaces any other proxy.
     */
    public Builder socks5Proxy(String host, int port, String username, String password) {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      this.proxy = JettySettings.Proxy.socks5(host, port, username, password);
      return this;
    }

    /**
     * Adds a header to every WebSocket handshake request, replacing an earlier value of the same
     * name (names are case-insensitive).
     *
     * @throws IllegalArgumentException for a header the WebSocket handshake itself controls (Host,
     *     Connection, Upgrade, Sec-WebSocket-Key...), or a name or value that is not valid in HTTP
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty() || !name.chars().allMatch(Builder::isTokenChar)) {
        throw new IllegalArgumentException("'" + name + "' is not a valid HTTP header name");
      }
      if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "The WebSocket handshake sets the '"
                + name
                + "' header itself; it cannot be overridden");
      }
      if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
        throw new IllegalArgumentException(
            "The value of header '" + name + "' contains a control character");
      }
      headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
      headers.put(name, value);
      return this;
    }

    /**
     * How long a connection may stay silent before Jetty closes it; {@link Duration#ZERO} (the
     * default) for never, leaving liveness to the Pusher ping and pong.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      if (idleTimeout.isNegative()) {
        throw new IllegalArgumentException(
            "idleTimeout must be zero (none) or positive, was " + idleTimeout);
      }
      this.idleTimeout = idleTimeout;
      return this;
    }

    /**
     * How long {@link Transport#close} waits for the server to answer the close frame before the
     * connection is dropped (default {@link JettyTransportFactory#DEFAULT_CLOSE_TIMEOUT}).
     */
    public Builder closeTimeout(Duration closeTimeout) {
      Objects.requireNonNull(closeTimeout, "closeTimeout");
      if (closeTimeout.isNegative() || closeTimeout.isZero()) {
        throw new IllegalArgumentException("closeTimeout must be positive, was " + closeTimeout);
      }
      this.closeTimeout = closeTimeout;
      return this;
    }

    /**
     * Checks the settings and builds the factory. It starts nothing: the Jetty clients are created
     * and started by the first {@link JettyTransportFactory#open}.
     *
     * @throws IllegalStateException when settings contradict each other (the message says which)
     * @throws IllegalArgumentException when the PEM file cannot be read or holds no certificate
     */
    public JettyTransportFactory build() {
      if (httpClient != null && webSocketClient != null) {
        throw new IllegalStateException(
            "Give either httpClient(...) or webSocketClient(...), not both: a WebSocketClient"
                + " already has its HttpClient");
      }
      int trustSources =
          (trustedCertificates != null ? 1 : 0)
              + (trustStore != null ? 1 : 0)
              + (sslContext != null ? 1 : 0);
      if (trustSources > 1) {
        throw new IllegalStateException(
            "Give only one of trustedCertificates(...), trustStore(...) and sslContext(...)");
      }
      boolean callerClient = httpClient != null || webSocketClient != null;
      if (callerClient && (trustSources > 0 || !hostnameVerification || proxy != null)) {
        throw new IllegalStateException(
            "TLS and proxy settings apply only to the clients this factory creates: configure them"
                + " on the HttpClient you pass (SslContextFactory.Client, ProxyConfiguration)"
                + " instead");
      }
      return new JettyTransportFactory(this);
    }

    JettySettings toSettings() {
      KeyStore trust = trustStore;
      if (trustedCertificates != null) {
        trust = PemTrust.load(trustedCertificates);
      }
      return new JettySettings(
          httpClient,
          webSocketClient,
          trust,
          sslContext,
          hostnameVerification,
          proxy,
          headers,
          idleTimeout,
          closeTimeout);
    }

    private static boolean isTokenChar(int c) {
      return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
  }
}
