package io.pusheriso.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.tck.TckContext;
import io.pusheriso.tck.TransportTck;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Jetty transport passes the shared transport compatibility kit. */
class JettyTransportTckTest extends TransportTck {
  // Short, so that the half-open case (the server never answers the close frame) stays fast.
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  @Override
  protected TransportFactory newFactory(TckContext ctx) {
    JettyTransportFactory.Builder builder =
        JettyTransportFactory.builder().closeTimeout(CLOSE_TIMEOUT);
    if (ctx.trustServerCertificate()) {
      builder.trustedCertificates(ctx.caCertificateFile());
    }
    return builder.build();
  }

  @Override
  protected TransportKind kind() {
    return TransportKind.WEBSOCKET;
  }

  @Override
  protected Duration closeTimeout() {
    return CLOSE_TIMEOUT;
  }

  @Test
  void usesJettyTransport() {
    assertThat(factory()).isInstanceOf(JettyTransportFactory.class);
    assertThat(factory().name()).isEqualTo(JettyTransportFactory.NAME);
    Connected c = connect();
    assertThat(c.transport().getClass().getName())
        .isEqualTo("io.pusheriso.transport.jetty.internal.JettyTransport");
  }
}
