package io.pusheriso;

/**
 * A {@code private-} channel: its subscription is authorized, and subscribers may send client
 * events to each other.
 *
 * <p>Implementations are thread-safe.
 */
public interface PrivateChannel extends Channel {

  /**
   * Sends a client event to the other subscribers (not echoed back).
   *
   * <p>The protocol's rules are checked here: the name starts with {@code client-}, the data is
   * one JSON value of at most 10 KB, the channel is private or presence.
   *
   * <p>The event is sent from the event lane, after what is already queued there. If the channel
   * is unsubscribed or the connection closes in between, it is dropped with a warning in the log,
   * never sent on another connection or after the unsubscription.
   *
   * @param eventName starting with {@code client-}
   * @param jsonData one JSON value, for example {@code {"text":"hi"}}
   * @throws io.pusheriso.protocol.InvalidClientEventException when a rule is broken
   * @throws IllegalArgumentException when {@code jsonData} is not one well-formed JSON value
   * @throws IllegalStateException when the subscription has not succeeded (or the connection is
   *     not connected)
   */
  void trigger(String eventName, String jsonData);
}
