package io.pusheriso.transport.jetty;

import io.pusheriso.spi.TransportFactory;
import io.pusheriso.tck.TlsCertificateContract;
import java.security.KeyStore;

/** {@link TlsCertificateContract} over the Jetty transport. */
class JettyTlsCertificateTest extends TlsCertificateContract {

  @Override
  protected TransportFactory newFactory(KeyStore trust, Boolean hostnameVerification) {
    JettyTransportFactory.Builder b = JettyTransportFactory.builder().trustStore(trust);
    if (hostnameVerification != null) {
      b.hostnameVerification(hostnameVerification);
    }
    return b.build();
  }
}
