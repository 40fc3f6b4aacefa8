package io.pusheriso;

import java.util.List;

/**
 * Receives watchlist changes of the signed-in user ({@code pusher_internal:watchlist_events}).
 * Both methods have no-op defaults.
 *
 * <p>Called on the client's event lane; must not block.
 */
public interface WatchlistListener {

  /** These watched users came online. */
  default void onOnline(List<String> userIds) {}

  /** These watched users went offline. */
  default void onOffline(List<String> userIds) {}
}
