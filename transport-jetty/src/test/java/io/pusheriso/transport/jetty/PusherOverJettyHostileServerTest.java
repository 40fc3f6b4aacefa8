package io.pusheriso.transport.jetty;

import io.pusheriso.spi.TransportFactory;
import io.pusheriso.tck.HostileServerContract;

/**
 * {@link HostileServerContract} over the Jetty transport (the same contract and hostile server as
 * transport-netty's, shared in pusher-transport-tck).
 */
class PusherOverJettyHostileServerTest extends HostileServerContract {

  @Override
  protected TransportFactory newFactory() {
    return new JettyTransportFactory();
  }
}
