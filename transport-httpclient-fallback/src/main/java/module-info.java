/**
 * Pusher's HTTP fallback transports, {@code xhr_streaming} and {@code xhr_polling}, for pusher-core
 * over Apache HttpClient 5's async client: {@link
 * io.pusheriso.transport.httpclient.HttpClientTransportFactory}.
 *
 * <p>Found by {@link java.util.ServiceLoader} as a {@link io.pusheriso.spi.TransportFactory}, or
 * configured with {@code HttpClientTransportFactory.builder()} (TLS trust, proxy, headers, a
 * caller's {@code CloseableHttpAsyncClient}).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.pusheriso.transport.httpclient {
  requires transitive io.pusheriso.core;
  // CloseableHttpAsyncClient (and its core5 supertypes) appear in the builder.
  requires transitive org.apache.httpcomponents.client5.httpclient5;
  requires transitive org.apache.httpcomponents.core5.httpcore5;
  requires org.apache.httpcomponents.core5.httpcore5.h2;
  requires org.slf4j;

  exports io.pusheriso.transport.httpclient;

  provides io.pusheriso.spi.TransportFactory with
      io.pusheriso.transport.httpclient.HttpClientTransportFactory;
}
