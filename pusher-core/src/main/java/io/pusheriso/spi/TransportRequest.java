package io.pusheriso.spi;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What the core asks a {@link TransportFactory} to open.
 *
 * <p>For {@link TransportKind#WEBSOCKET} the URI is the complete WebSocket URL
 * ({@code ws[s]://host:port[/wsPath]/app/KEY?protocol=7&client=java&version=V&flash=false}). For
 * the HTTP kinds it is the base URL of the SockJS-style endpoints
 * ({@code http[s]://host:port[/httpPath]/app/KEY?protocol=7&client=java&version=V}); the transport
 * adds the session path and the cache-busting parameters itself.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param kind the kind of connection to open
 * @param uri where to connect, as above
 * @param connectTimeout how long opening (TCP, TLS and handshake) may take before the attempt fails
 * @param maxFrameBytes the largest message the transport must accept; larger ones fail the
 *     connection with an error that names this limit
 */
public record TransportRequest(TransportKind kind, URI uri, Duration connectTimeout, int maxFrameBytes) {

  /** Checks the arguments. */
  public TransportRequest {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
    }
    if (maxFrameBytes <= 0) {
      throw new IllegalArgumentException("maxFrameBytes must be positive, was " + maxFrameBytes);
    }
  }

  /** True when the URI asks for TLS ({@code wss} or {@code https}). */
  public boolean secure() {
    String scheme = uri.getScheme();
    return "wss".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
  }
}
