package io.pusheriso.transport.netty;

import io.pusheriso.spi.TransportFactory;
import io.pusheriso.tck.TlsCertificateContract;
import java.security.KeyStore;

/** {@link TlsCertificateContract} over the Netty transport. */
class NettyTlsCertificateTest extends TlsCertificateContract {

  @Override
  protected TransportFactory newFactory(KeyStore trust, Boolean hostnameVerification) {
    NettyTransportFactory.Builder b = NettyTransportFactory.builder().trustStore(trust);
    if (hostnameVerification != null) {
      b.hostnameVerification(hostnameVerification);
    }
    return b.build();
  }
}
