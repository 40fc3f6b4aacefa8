package io.pusheriso.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.tck.TckContext;
import io.pusheriso.tck.TransportTck;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Netty transport passes the transport compatibility kit. */
class NettyTransportTckTest extends TransportTck {

  @Override
  protected TransportFactory newFactory(TckContext ctx) {
    NettyTransportFactory.Builder b = NettyTransportFactory.builder();
    if (ctx.trustServerCertificate()) {
      b.trustedCertificates(ctx.caCertificateFile());
    }
    return b.build();
  }

  @Override
  protected TransportKind kind() {
    return TransportKind.WEBSOCKET;
  }

  @Override
  protected Duration closeTimeout() {
    return NettyTransportFactory.DEFAULT_CLOSE_TIMEOUT;
  }

  @Test
  void usesNettyTransport() {
    assertThat(factory()).isInstanceOf(NettyTransportFactory.class);
    assertThat(factory().name()).isEqualTo("netty");
  }
}
