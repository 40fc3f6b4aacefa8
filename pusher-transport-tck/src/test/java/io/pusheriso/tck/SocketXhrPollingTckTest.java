package io.pusheriso.tck;

import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;

/**
 * The kit's XHR_POLLING kind, run with the socket-based reference transport of this module's tests:
 * proves that every HTTP test of the kit can pass against the embedded server.
 */
class SocketXhrPollingTckTest extends TransportTck {
  @Override
  protected TransportFactory newFactory(TckContext ctx) {
    return new SocketXhrTransportFactory(ctx.trustServerCertificate() ? ctx.sslContext() : null);
  }

  @Override
  protected TransportKind kind() {
    return TransportKind.XHR_POLLING;
  }
}
