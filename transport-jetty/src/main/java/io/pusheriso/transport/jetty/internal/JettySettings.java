package io.pusheriso.transport.jetty.internal;

import java.net.URI;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Not for public use, may change at any time. The checked settings of a {@code
 * JettyTransportFactory}.
 *
 * <p>Instances are immutable (the caller's clients are shared, not copied) and thread-safe.
 *
 * @param httpClient the caller's HTTP client, or null
 * @param webSocketClient the caller's WebSocket client, or null
 * @param trustStore the trusted certificates, or null for the JVM defaults
 * @param sslContext the caller's SSL context, or null
 * @param hostnameVerification whether the certificate must match the host
 * @param proxy the proxy, or null
 * @param headers extra handshake headers
 * @param idleTimeout the session idle timeout, zero for none
 * @param closeTimeout how long a close waits for the server's close frame
 */
public record JettySettings(
    HttpClient httpClient,
    WebSocketClient webSocketClient,
    KeyStore trustStore,
    SSLContext sslContext,
    boolean hostnameVerification,
    Proxy proxy,
    Map<String, String> headers,
    Duration idleTimeout,
    Duration closeTimeout) {

  /** Copies the headers. */
  public JettySettings {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
  }

  /** A description for {@code toString()}: no password. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    if (webSocketClient != null) {
      text.append("webSocketClient=caller's");
    } else if (httpClient != null) {
      text.append("httpClient=caller's");
    } else {
      text.append("clients=own");
      text.append(", trust=")
          .append(sslContext != null ? "sslContext" : trustStore != null ? "trustStore" : "jvm");
      text.append(", hostnameVerification=").append(hostnameVerification);
    }
    if (proxy != null) {
      text.append(", proxy=").append(proxy);
    }
    if (!headers.isEmpty()) {
      text.append(", headers=").append(headers.keySet());
    }
    text.append(", idleTimeout=").append(idleTimeout);
    text.append(", closeTimeout=").append(closeTimeout);
    return text.toString();
  }

  /**
   * Not for public use, may change at any time. A proxy to connect through.
   *
   * <p>Instances are immutable and thread-safe; {@link #toString()} omits the password.
   *
   * @param type HTTP (CONNECT) or SOCKS5
   * @param host the proxy host
   * @param port the proxy port
   * @param username the user name, or null for none
   * @param password the password, or null for none
   */
  public record Proxy(Type type, String host, int port, String username, String password) {

    /** The proxy protocol. */
    public enum Type {
      /** An HTTP proxy, used with CONNECT tunnels. */
      HTTP,
      /** A SOCKS5 proxy. */
      SOCKS5
    }

    /** Checks the arguments. */
    public Proxy {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("The proxy host must not be blank");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("The proxy port must be 1-65535, was " + port);
      }
    }

    /** An HTTP proxy. */
    public static Proxy http(String host, int port, String username, String password) {
      return new Proxy(Type.HTTP, host, port, username, password);
    }

    /** A SOCKS5 proxy. */
    public static Proxy socks5(String host, int port, String username, String password) {
      return new Proxy(Type.SOCKS5, host, port, username, password);
    }

    /** The proxy's address as a URI, as Jetty's authentication store keys it. */
    public URI uri() {
      return URI.create(
          (type == Type.HTTP ? "http" : "socks5") + "://" + hostForUri() + ":" + port);
    }

    private String hostForUri() {
      return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
      return type.name().toLowerCase(java.util.Locale.ROOT)
          + "://"
          + (username != null ? username + ":***@" : "")
          + hostForUri()
          + ":"
          + port;
    }
  }
}
