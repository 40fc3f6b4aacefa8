/**
 * The Netty 4.2 WebSocket transport of pusher-iso: {@link
 * io.pusheriso.transport.netty.NettyTransportFactory} opens {@code ws} and {@code wss} connections
 * for the core, on a small event loop group of its own or on one the application already runs.
 *
 * <p>Adding the {@code transport-netty} artifact is enough for the core to find it through {@link
 * java.util.ServiceLoader}; build one with {@code NettyTransportFactory.builder()} to trust a
 * private CA, go through an HTTP or SOCKS5 proxy, add handshake headers or share an {@code
 * EventLoopGroup}.
 */
package io.pusheriso.transport.netty;
