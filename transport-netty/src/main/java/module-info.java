/**
 * ws and wss for pusher-core over Netty 4.2: {@link
 * io.pusheriso.transport.netty.NettyTransportFactory}.
 *
 * <p>Found by {@link java.util.ServiceLoader} as a {@link io.pusheriso.spi.TransportFactory}, or
 * configured with {@code NettyTransportFactory.builder()} (TLS trust, proxy, handshake headers, a
 * caller's {@code EventLoopGroup}).
 */
module io.pusheriso.transport.netty {
  requires transitive io.pusheriso.core;
  // Public API types of these modules appear in the builder (EventLoopGroup, Channel, SslContext).
  requires transitive io.netty.transport;
  requires transitive io.netty.handler;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.handler.proxy;
  requires io.netty.resolver;
  requires io.netty.transport.classes.epoll;

  exports io.pusheriso.transport.netty;

  provides io.pusheriso.spi.TransportFactory with
      io.pusheriso.transport.netty.NettyTransportFactory;
}
