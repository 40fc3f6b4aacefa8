package io.pusheriso.transport.httpclient.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;

/**
 * Not for public use, may change at any time. The checked settings of a factory.
 *
 * <p>Immutable and thread-safe (the client and SSL context are shared, as given).
 *
 * @param callerClient a caller's client, used and never closed; null to create one
 * @param sslContext the TLS context for the created client; null for the JVM's default
 * @param hostnameVerification whether certificates must name the host
 * @param proxy the HTTP proxy of the created client, or null
 * @param headers added to every request
 * @param connectTimeout overrides each request's connect timeout when not null
 * @param streamingLimitBytes bytes after which a stream is reopened at the next line boundary
 */
public record XhrSettings(
    CloseableHttpAsyncClient callerClient,
    SSLContext sslContext,
    boolean hostnameVerification,
    Proxy proxy,
    Map<String, String> headers,
    Duration connectTimeout,
    int streamingLimitBytes) {

  /** Copies the headers. */
  public XhrSettings {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /**
   * An HTTP proxy; {@link #toString()} never shows the password.
   *
   * @param host the proxy host
   * @param port the proxy port
   * @param username null for none
   * @param password null for none
   */
  public record Proxy(String host, int port, String username, String password) {
    /** Checks the arguments. */
    public Proxy {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("The proxy host must not be blank");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("The proxy port must be 1-65535, was " + port);
      }
    }

    @Override
    public String toString() {
      return "http://"
          + (username == null ? "" : username + ":<redacted>@")
          + host
          + ":"
          + port;
    }
  }
}
