package io.pusheriso.transport.httpclient;

import io.pusheriso.spi.TransportKind;

/** xhr_polling over HttpClient passes the shared transport compatibility kit. */
class HttpClientPollingTckTest extends HttpClientTck {

  @Override
  protected TransportKind kind() {
    return TransportKind.XHR_POLLING;
  }
}
