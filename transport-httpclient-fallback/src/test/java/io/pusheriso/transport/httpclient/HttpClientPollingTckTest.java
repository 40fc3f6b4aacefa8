package io.pusheriso.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.tck.TckContext;
import io.pusheriso.tck.TransportTck;
import org.junit.jupiter.api.Test;

/** xhr_polling over HttpClient passes the shared transport compatibility kit. */
class HttpClientPollingTckTest extends TransportTck {

  @Override
  protected TransportFactory newFactory(TckContext ctx) {
    HttpClientTransportFactory.Builder builder = HttpClientTransportFactory.builder();
    if (ctx.trustServerCertificate()) {
      builder.trustedCertificates(ctx.caCertificateFile());
    }
    return builder.build();
  }

  @Override
  protected TransportKind kind() {
    return TransportKind.XHR_POLLING;
  }

  @Test
  void usesTheXhrTransport() {
    assertThat(factory()).isInstanceOf(HttpClientTransportFactory.class);
    Connected c = connect();
    assertThat(c.transport().getClass().getName())
        .isEqualTo("io.pusheriso.transport.httpclient.internal.XhrTransport");
    assertThat(c.transport().kind()).isEqualTo(TransportKind.XHR_POLLING);
  }
}
