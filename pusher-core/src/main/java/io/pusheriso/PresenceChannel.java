package io.pusheriso;

/**
 * A {@code presence-} channel: a private channel that knows who is subscribed. Emits {@code
 * pusher:member_added} and {@code pusher:member_removed} with data {@code
 * {"user_id":..,"user_info":..}}.
 *
 * <p>Implementations are thread-safe.
 */
public interface PresenceChannel extends PrivateChannel {

  /**
   * The members as of the last event processed; empty until the subscription succeeds and after
   * a disconnection (they are listed again on the next subscription).
   */
  Members members();
}
