/**
 * ws and wss for pusher-core over the Jetty 12 WebSocket client.
 *
 * <p>Add this module and {@link java.util.ServiceLoader} finds its transport; build a {@link
 * io.pusheriso.transport.jetty.JettyTransportFactory} yourself to share a Jetty {@code HttpClient}
 * or {@code WebSocketClient}, configure TLS, a proxy or extra handshake headers.
 */
module io.pusheriso.transport.jetty {
  requires transitive io.pusheriso.core;
  requires transitive org.eclipse.jetty.websocket.client;
  requires org.eclipse.jetty.client;
  requires org.eclipse.jetty.util;
  requires org.slf4j;

  exports io.pusheriso.transport.jetty;

  provides io.pusheriso.spi.TransportFactory with
      io.pusheriso.transport.jetty.JettyTransportFactory;
}
