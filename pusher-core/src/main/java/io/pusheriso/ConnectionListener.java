package io.pusheriso;

import java.time.Duration;

/**
 * Receives what happens to a client's connection. Every method has a no-op default; override what
 * you need.
 *
 * <p>Calls for one client run one at a time, in order, on the client's event lane (the {@linkplain
 * PusherOptions#callbackExecutor() callback executor}); they must not block. An exception thrown
 * here is logged and does not stop delivery to other listeners.
 */
public interface ConnectionListener {

  /** The state changed (pusher-js {@code state_change}). */
  default void onStateChange(ConnectionStateChange change) {}

  /** The client will try to connect again after {@code delay} (pusher-js {@code connecting_in}). */
  default void onConnectingIn(Duration delay) {}

  /**
   * Something went wrong. Not terminal: the state changes tell whether the client reconnects.
   *
   * <ul>
   *   <li>A {@code pusher:error} or a close code from the server: a {@link
   *       PusherConnectionException} with its code.
   *   <li>A connection attempt that failed (refused, TLS rejected, HTTP error on the upgrade, no
   *       handshake within the timeout, closed before opening): a {@link PusherConnectionException}
   *       whose message says what failed and, when known, how to fix it, with the transport's
   *       exception as its cause and code -1 (or the close code). pusher-js reports every transport
   *       error; this client reports each transport's cause once per outage, and again only when
   *       the cause changes or after the client has connected, or been asked to connect, since: an
   *       unreachable server is retried for as long as it is down, and the retries are logged at
   *       debug level.
   *   <li>Listeners that fell {@link PusherOptions#maxPendingEvents()} frames behind: a {@link
   *       PusherConnectionException} naming that option; the client dropped the connection and
   *       reconnects.
   *   <li>A frame that could not be decoded: a {@link PusherProtocolException} whose {@link
   *       PusherProtocolException#rawFrame()} holds the text (pusher-js's {@code
   *       MessageParseError}).
   * </ul>
   */
  default void onError(PusherException error) {}
}
