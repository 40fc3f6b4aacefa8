package io.pusheriso.transport.netty.internal;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Not for public use, may change at any time.
 *
 * <p>What every connection of one factory shares. Instances are immutable and thread-safe.
 *
 * @param headers extra handshake headers, in order
 * @param proxy the proxy to tunnel through, or null for a direct connection
 * @param connectTimeout overrides the request's connect timeout when not null
 * @param closeTimeout how long a close waits for the server's close frame before closing the socket
 * @param sslContext the TLS context for wss (called once per secure connection; may be lazy)
 */
public record ConnectionSettings(
    List<Map.Entry<String, String>> headers,
    ProxySettings proxy,
    Duration connectTimeout,
    Duration closeTimeout,
    Supplier<SslContext> sslContext) {

  /** Copies the headers and checks the rest. */
  public ConnectionSettings {
    headers = List.copyOf(headers);
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    Objects.requireNonNull(sslContext, "sslContext");
  }

  /** A fresh header object for one handshake, or null when there are no extra headers. */
  HttpHeaders newHandshakeHeaders() {
    if (headers.isEmpty()) {
      return null;
    }
    HttpHeaders h = new DefaultHttpHeaders();
    for (Map.Entry<String, String> e : headers) {
      h.add(e.getKey(), e.getValue());
    }
    return h;
  }
}
