package io.pusheriso;

/**
 * Receives events bound with {@code bind} or {@code bindGlobal}.
 *
 * <p>Called on the client's event lane, one event at a time, in the order the server sent them; it
 * must not block. An exception thrown here is logged and the event still reaches the other
 * listeners.
 */
@FunctionalInterface
public interface PusherEventListener {

  /** Handles one event. */
  void onEvent(PusherEvent event);
}
