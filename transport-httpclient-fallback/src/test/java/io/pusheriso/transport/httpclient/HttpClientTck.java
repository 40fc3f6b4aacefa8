package io.pusheriso.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.spi.TransportFactory;
import io.pusheriso.tck.TckContext;
import io.pusheriso.tck.TransportTck;
import org.junit.jupiter.api.Test;

/**
 * The shared transport compatibility kit over HttpClient, for one xhr kind named by the subclass;
 * abstract, so surefire runs only the subclasses.
 */
abstract class HttpClientTck extends TransportTck {

  @Override
  protected TransportFactory newFactory(TckContext ctx) {
    HttpClientTransportFactory.Builder builder = HttpClientTransportFactory.builder();
    if (ctx.trustServerCertificate()) {
      builder.trustedCertificates(ctx.caCertificateFile());
    }
    return builder.build();
  }

  @Test
  void usesTheXhrTransport() {
    assertThat(factory()).isInstanceOf(HttpClientTransportFactory.class);
    Connected c = connect();
    assertThat(c.transport().getClass().getName())
        .isEqualTo("io.pusheriso.transport.httpclient.internal.XhrTransport");
    assertThat(c.transport().kind()).isEqualTo(kind());
  }
}
