package io.pusheriso.transport.netty;

import io.pusheriso.spi.TransportFactory;

/** {@link HostileServerContract} over the Netty transport. */
class PusherOverNettyHostileServerTest extends HostileServerContract {

  @Override
  TransportFactory newFactory() {
    return new NettyTransportFactory();
  }
}
