/**
 * The Pusher Channels client: the public API ({@code io.pusheriso}) and the ports that transports,
 * authorizers and schedulers implement ({@code io.pusheriso.spi}). Transports are found with
 * {@link java.util.ServiceLoader} unless given in the options; Bouncy Castle is needed only for
 * {@code private-encrypted-} channels.
 */
module io.pusheriso.core {
  requires transitive io.pusheriso.protocol;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;
  // HttpChannelAuthorizer and HttpUserAuthenticator accept a java.net.http.HttpClient.
  requires transitive java.net.http;
  requires static org.bouncycastle.provider;

  exports io.pusheriso;
  exports io.pusheriso.spi;

  uses io.pusheriso.spi.TransportFactory;
}
