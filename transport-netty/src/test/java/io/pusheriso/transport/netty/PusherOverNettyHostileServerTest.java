package io.pusheriso.transport.netty;

import io.pusheriso.spi.TransportFactory;
import io.pusheriso.tck.HostileServerContract;

/** {@link HostileServerContract} over the Netty transport. */
class PusherOverNettyHostileServerTest extends HostileServerContract {

  @Override
  protected TransportFactory newFactory() {
    return new NettyTransportFactory();
  }
}
