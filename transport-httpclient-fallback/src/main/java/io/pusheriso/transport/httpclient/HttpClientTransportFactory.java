package io.pusheriso.transport.httpclient;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.transport.httpclient.internal.PemTrust;
import io.pusheriso.transport.httpclient.internal.XhrEngine;
import io.pusheriso.transport.httpclient.internal.XhrSettings;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
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
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;

/**
 * Opens Pusher's HTTP fallback connections, {@code xhr_streaming} and {@code xhr_polling}, with
 * Apache HttpClient 5's async client over HTTP/1.1, for networks where WebSockets are blocked.
 *
 * <p>The wire behaviour is pusher-js's: a session {@code <httpPath>/app/KEY/<0-999>/<8 base-32
 * chars>/}, one long {@code POST .../xhr_streaming} response read line by line as it arrives (or
 * one {@code POST .../xhr} poll after another), messages posted in order to {@code .../xhr_send} as
 * JSON arrays with never two sends in flight, and cache-busting {@code t} and {@code n} parameters
 * on every request.
 *
 * <p>One deliberate difference from pusher-js: a streaming response that the server ends with 200
 * between frames, after carrying some, is reopened in the same session, as SockJS clients do
 * (sockjs-node ends every streaming response after 128 KiB), where pusher-js closes with 1006.
 *
 * <p>The public no-argument constructor (used by {@link java.util.ServiceLoader}) gives the
 * defaults: the factory creates its own HttpClient on the first {@link #open}, with one daemon I/O
 * thread and a daemon timer thread named {@code pusher-httpclient-*}, trusts the JVM's default
 * certificate authorities with host name verification on, and closes them in {@link #close()}.
 * {@link #builder()} configures the rest:
 *
 * <pre>{@code
 * HttpClientTransportFactory http = HttpClientTransportFactory.builder()
 *     .trustedCertificates(Path.of("ca.pem"))
 *     .httpProxy("proxy.example.com", 3128, "user", "password")
 *     .header("User-Agent", "my-app/1.0")
 *     .build();
 * }</pre>
 *
 * <p>A caller's {@link CloseableHttpAsyncClient} ({@link Builder#httpClient}) is used as it is
 * configured (started on the first {@code open} if it is not yet) and never closed by this factory;
 * TLS and proxy settings then belong on that client, and {@link Builder#build()} refuses them here.
 * Each open transport holds up to two connections at once (its receiving request and one send), so
 * its connection pool must allow that many per route.
 *
 * <p>Instances are immutable in their settings and thread-safe.
 *
 * @since 0.1.0
 */
public final class HttpClientTransportFactory implements TransportFactory {

  /** The {@link #name()} of this factory. */
  public static final String NAME = "httpclient";

  /**
   * pusher-js's limit: a streaming response that has carried this many bytes is reopened in the
   * same session at the next line boundary.
   */
  public static final int DEFAULT_STREAMING_LIMIT_BYTES = 256 * 1024;

  private static final Set<TransportKind> KINDS =
      Collections.unmodifiableSet(EnumSet.of(TransportKind.XHR_STREAMING, TransportKind.XHR_POLLING));

  private final Builder settingsSource;
  private final XhrEngine engine;

  /**
   * A factory with the default settings, for {@link java.util.ServiceLoader}; starts nothing yet.
   */
  public HttpClientTransportFactory() {
    this(new Builder());
  }

  private HttpClientTransportFactory(Builder builder) {
    this.settingsSource = new Builder(builder);
    this.engine = new XhrEngine(builder.toSettings());
  }

  /** A builder with the default settings. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this factory's settings, for a variant of it. The new factory shares a
   * caller's client, if one was given, but never this factory's own client.
   */
  public Builder toBuilder() {
    return new Builder(settingsSource);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** {@link TransportKind#XHR_STREAMING} and {@link TransportKind#XHR_POLLING}. */
  @Override
  public Set<TransportKind> kinds() {
    return KINDS;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The first call of a factory starts its client and timer thread (a few milliseconds).
   * {@code maxFrameBytes} bounds each message (after unescaping), so a server may still batch many
   * messages on one line; a message over it closes the transport with 1009 and a reason naming the
   * limit.
   *
   * @throws IllegalArgumentException if the kind is not XHR_STREAMING or XHR_POLLING, or the URI
   *     scheme is not {@code http} or {@code https}
   * @throws IllegalStateException if this factory is closed
   */
  @Override
  public Transport open(TransportRequest request, TransportListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    if (!KINDS.contains(request.kind())) {
      throw new IllegalArgumentException(
          "The httpclient transport opens only XHR_STREAMING and XHR_POLLING connections, not "
              + request.kind()
              + "; add transport-netty or transport-jetty for WebSockets");
    }
    String scheme = request.uri().getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || request.uri().getHost() == null) {
      throw new IllegalArgumentException(
          "An xhr URI must be http://host... or https://host..., was " + request.uri());
    }
    return engine.open(request, listener);
  }

  /**
   * Closes the connections this factory opened (code 1001) and the HttpClient and timer thread it
   * created, waiting up to a few seconds for their threads unless called on one of them. A caller's
   * client keeps running. Idempotent.
   */
  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "HttpClientTransportFactory{" + engine.describe() + "}";
  }

  /**
   * Settings for an {@link HttpClientTransportFactory}.
   *
   * <p>Not thread-safe: confine a builder to one thread. {@link #build()} copies everything, so a
   * builder may be reused.
   */
  public static final class Builder {
    private static final Set<String> RESERVED_HEADERS =
        Set.of(
            "host",
            "connection",
            "content-length",
            "content-type",
            "transfer-encoding",
            "expect",
            "te",
            "upgrade",
            "proxy-authorization",
            "proxy-connection");

    private CloseableHttpAsyncClient httpClient;
    private Path trustedCertificates;
    private KeyStore trustStore;
    private SSLContext sslContext;
    private boolean hostnameVerification = true;
    private XhrSettings.Proxy proxy;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration connectTimeout;
    private int streamingLimitBytes = DEFAULT_STREAMING_LIMIT_BYTES;

    private Builder() {}

    private Builder(Builder other) {
      this.httpClient = other.httpClient;
      this.trustedCertificates = other.trustedCertificates;
      this.trustStore = other.trustStore;
      this.sslContext = other.sslContext;
      this.hostnameVerification = other.hostnameVerification;
      this.proxy = other.proxy;
      this.headers.putAll(other.headers);
      this.connectTimeout = other.connectTimeout;
      this.streamingLimitBytes = other.streamingLimitBytes;
    }

    /**
     * Sends every request with the caller's client (its TLS, proxy, pool and thread settings
     * apply). The factory never closes it; if it is not started, the first {@code open} starts it
     * and the caller still owns closing it. Its pool must allow two connections per open transport
     * and route.
     */
    public Builder httpClient(CloseableHttpAsyncClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
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

    /** Uses this initialized {@link SSLContext} (its trust and key managers) for {@code https}. */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * Whether the server certificate must match the host name of the URI. On by default; turn it
     * off only for test servers.
     */
    public Builder hostnameVerification(boolean enabled) {
      this.hostnameVerification = enabled;
      return this;
    }

    /**
     * Sends every request through this HTTP proxy, with HttpClient's route planner: plain {@code
     * http} requests are forwarded by the proxy, {@code https} ones go through a {@code CONNECT}
     * tunnel.
     */
    public Builder httpProxy(String host, int port) {
      this.proxy = new XhrSettings.Proxy(host, port, null, null);
      return this;
    }

    /**
     * Like {@link #httpProxy(String, int)}, answering the proxy's {@code 407} challenge with these
     * credentials (HTTP Basic or whatever scheme the proxy asks for and HttpClient supports). The
     * password never appears in {@code toString()} or logs.
     */
    public Builder httpProxy(String host, int port, String username, String password) {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      this.proxy = new XhrSettings.Proxy(host, port, username, password);
      return this;
    }

    /**
     * Adds a header to every request, replacing an earlier value of the same name (names are
     * case-insensitive).
     *
     * @throws IllegalArgumentException for a header the HTTP exchange itself controls (Host,
     *     Content-Length, Content-Type, Connection...), or a name or value that is not valid in HTTP
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty() || !name.chars().allMatch(Builder::isTokenChar)) {
        throw new IllegalArgumentException("'" + name + "' is not a valid HTTP header name");
      }
      if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "The xhr transport sets the '" + name + "' header itself; it cannot be overridden");
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
     * How long opening (TCP, proxy, TLS and the session's open frame) may take; by default each
     * request's own {@link TransportRequest#connectTimeout()}.
     */
    public Builder connectTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive, was " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * After how many bytes an {@code xhr_streaming} response is reopened in the same session, at the
     * next line boundary (default {@link HttpClientTransportFactory#DEFAULT_STREAMING_LIMIT_BYTES},
     * as pusher-js). This bounds nothing in memory (lines are parsed as they arrive); it keeps
     * proxies that buffer whole responses working.
     */
    public Builder streamingLimitBytes(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("streamingLimitBytes must be positive, was " + bytes);
      }
      this.streamingLimitBytes = bytes;
      return this;
    }

    /**
     * Checks the settings and builds the factory. It starts nothing: the client and timer are
     * created by the first {@link HttpClientTransportFactory#open}.
     *
     * @throws IllegalStateException when settings contradict each other (the message says which)
     * @throws IllegalArgumentException when the PEM file cannot be read or holds no certificate
     */
    public HttpClientTransportFactory build() {
      int trustSources =
          (trustedCertificates != null ? 1 : 0)
              + (trustStore != null ? 1 : 0)
              + (sslContext != null ? 1 : 0);
      if (trustSources > 1) {
        throw new IllegalStateException(
            "Give only one of trustedCertificates(...), trustStore(...) and sslContext(...)");
      }
      if (httpClient != null && (trustSources > 0 || !hostnameVerification || proxy != null)) {
        throw new IllegalStateException(
            "TLS and proxy settings apply only to the client this factory creates: configure them"
                + " on the CloseableHttpAsyncClient you pass (its connection manager's TlsStrategy,"
                + " its route planner) instead");
      }
      return new HttpClientTransportFactory(this);
    }

    XhrSettings toSettings() {
      SSLContext context = sslContext;
      KeyStore trust = trustStore;
      if (trustedCertificates != null) {
        trust = PemTrust.load(trustedCertificates);
      }
      if (trust != null) {
        context = contextTrusting(trust);
      }
      return new XhrSettings(
          httpClient,
          context,
          hostnameVerification,
          proxy,
          headers,
          connectTimeout,
          streamingLimitBytes);
    }

    private static SSLContext contextTrusting(KeyStore trust) {
      try {
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("Cannot use the given trusted certificates: " + e, e);
      }
    }

    private static boolean isTokenChar(int c) {
      return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
  }
}
