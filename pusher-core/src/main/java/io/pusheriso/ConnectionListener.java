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
   * Something went wrong: a {@code pusher:error} or a close code from the server ({@link
   * PusherConnectionException} with its code), or a frame that could not be decoded ({@link
   * PusherProtocolException}). Not terminal: the state changes tell whether the client reconnects.
   */
  default void onError(PusherException error) {}
}
