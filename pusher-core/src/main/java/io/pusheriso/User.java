package io.pusheriso;

import java.util.Optional;

/**
 * The signed-in user of a client ({@link Pusher#signin()}): its id, the events the server sends to
 * it on {@code #server-to-user-<id>}, {@code pusher:signin_success}, {@code pusher:signin_error}
 * (data {@code {"type":"AuthError","error":..,"status":..}}) and watchlist changes.
 *
 * <p>Bindings survive reconnections (sign-in is repeated on every connection). Listeners run on the
 * event lane. Implementations are thread-safe.
 */
public interface User {

  /** The user id once {@code pusher:signin_success} arrived on the current connection. */
  Optional<String> id();

  /** Calls {@code listener} for every user event named {@code eventName}; returns it. */
  PusherEventListener bind(String eventName, PusherEventListener listener);

  /** Removes every listener of {@code eventName}. */
  void unbind(String eventName);

  /** Removes {@code listener} from {@code eventName}. */
  void unbind(String eventName, PusherEventListener listener);

  /** Calls {@code listener} for every user event; returns it. */
  PusherEventListener bindGlobal(PusherEventListener listener);

  /** Removes {@code listener} from the global bindings. */
  void unbindGlobal(PusherEventListener listener);

  /** Removes every binding. */
  void unbindAll();

  /** Adds a listener of watchlist changes; returns it. */
  WatchlistListener addWatchlistListener(WatchlistListener listener);

  /** Removes a watchlist listener. */
  void removeWatchlistListener(WatchlistListener listener);
}
