package io.pusheriso;

import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;

/**
 * A channel the client subscribed to with {@link Pusher#subscribe(String)}.
 *
 * <p>Bindings take effect at once and survive reconnections: after a reconnect the client
 * subscribes again with a fresh authorization and the same listeners keep receiving events.
 * Listeners run on the client's event lane. Besides the application's own events, a channel emits
 * {@code pusher:subscription_succeeded}, {@code pusher:subscription_error} (data {@code
 * {"type":..,"error":..,"status":..}}), {@code pusher:subscription_count}, {@code
 * pusher:cache_miss}, and, on presence channels, {@code pusher:member_added} and {@code
 * pusher:member_removed}; encrypted channels emit {@code pusher:decryption_error} for an event
 * that cannot be decrypted even with a fresh key.
 *
 * <p>Implementations are thread-safe.
 */
public interface Channel {

  /** The channel name. */
  String name();

  /** Whether the server has confirmed the subscription on the current connection. */
  boolean isSubscribed();

  /**
   * The outcome of the current subscription attempt: completes with this channel on {@code
   * pusher_internal:subscription_succeeded}, or fails with a {@link PusherAuthorizationException}
   * (carrying the HTTP status where there is one) or another {@link PusherException}. A new
   * attempt (after a reconnect, or a subscribe after a failure) gets a new stage once the previous
   * one is complete. Dependent actions run on the event lane unless given an executor.
   */
  CompletionStage<Channel> subscription();

  /** The last {@code subscription_count} the server sent, if any. */
  OptionalInt subscriptionCount();

  /**
   * Calls {@code listener} for every event named {@code eventName} on this channel.
   *
   * @return {@code listener}, to unbind it later
   */
  PusherEventListener bind(String eventName, PusherEventListener listener);

  /** Removes every listener bound to {@code eventName}. */
  void unbind(String eventName);

  /** Removes {@code listener} from {@code eventName} (every time it was bound there). */
  void unbind(String eventName, PusherEventListener listener);

  /** Removes {@code listener} from every event name it was bound to (not from global bindings). */
  void unbind(PusherEventListener listener);

  /** Calls {@code listener} for every event on this channel; returns it. */
  PusherEventListener bindGlobal(PusherEventListener listener);

  /** Removes {@code listener} from the global bindings. */
  void unbindGlobal(PusherEventListener listener);

  /** Removes every global binding. */
  void unbindGlobal();

  /** Removes every binding, by name and global. */
  void unbindAll();
}
