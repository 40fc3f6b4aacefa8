/**
 * The transport compatibility kit: {@link io.pusheriso.tck.TransportTck}, one abstract JUnit 5
 * suite that every {@link io.pusheriso.spi.TransportFactory} in this repository passes against the
 * embedded server of {@code pusher-testkit}, and {@link
 * io.pusheriso.tck.RecordingTransportListener}, a listener that records callbacks and checks the
 * listener contract as they happen.
 *
 * <p>A transport module uses it in test scope:
 *
 * <pre>{@code
 * class NettyTransportTckTest extends TransportTck {
 *   protected TransportFactory newFactory(TckContext ctx) {
 *     NettyTransportFactory.Builder b = NettyTransportFactory.builder();
 *     if (ctx.trustServerCertificate()) b.trustedCertificates(ctx.caCertificateFile());
 *     return b.build();
 *   }
 *   protected TransportKind kind() { return TransportKind.WEBSOCKET; }
 * }
 * }</pre>
 *
 * <p>The suite serves every {@link io.pusheriso.spi.TransportKind}: a subclass whose {@code kind()}
 * is {@code XHR_STREAMING} or {@code XHR_POLLING} runs the same tests against the embedded server's
 * SockJS-style HTTP fallback endpoints, plus the {@code http_*} tests (skipped for WebSockets).
 *
 * <p>A transport that cannot support a case overrides that test method with a comment giving the
 * reason.
 *
 * <p>It also holds the rest of the transport modules' shared test support, so that each module's
 * tests only name their factory: {@link io.pusheriso.tck.HostileServerContract} (the whole client
 * against the misbehaving {@link io.pusheriso.tck.HostileWsServer}, with {@link
 * io.pusheriso.tck.IoThreadWatch} checking that nothing escapes to an I/O thread), {@link
 * io.pusheriso.tck.TlsCertificateContract} (wrong certificates from {@link
 * io.pusheriso.tck.TestCertificates}), and {@link io.pusheriso.tck.SoakRun} (a long stream of
 * numbered events through repeated drops). This module is not published.
 */
package io.pusheriso.tck;
