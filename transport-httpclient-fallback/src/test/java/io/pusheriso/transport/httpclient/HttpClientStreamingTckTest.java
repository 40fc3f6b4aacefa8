package io.pusheriso.transport.httpclient;

import io.pusheriso.spi.TransportKind;

/** xhr_streaming over HttpClient passes the shared transport compatibility kit. */
class HttpClientStreamingTckTest extends HttpClientTck {

  @Override
  protected TransportKind kind() {
    return TransportKind.XHR_STREAMING;
  }
}
