/**
 * The Jetty 12 WebSocket transport for pusher-core: {@link
 * io.pusheriso.transport.jetty.JettyTransportFactory} and its builder.
 *
 * <p>Everything else in this module lives in {@code io.pusheriso.transport.jetty.internal}, which
 * is not exported and may change at any time.
 */
package io.pusheriso.transport.jetty;
