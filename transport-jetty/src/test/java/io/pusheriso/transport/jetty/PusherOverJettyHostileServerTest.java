package io.pusheriso.transport.jetty;

import io.pusheriso.spi.TransportFactory;

/**
 * {@link HostileServerContract} over the Jetty transport (the same contract and hostile server as
 * transport-netty's, copied: test trees do not share code across modules).
 */
class PusherOverJettyHostileServerTest extends HostileServerContract {

  @Override
  TransportFactory newFactory() {
    return new JettyTransportFactory();
  }
}
