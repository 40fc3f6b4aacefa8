package io.pusheriso.testkit.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One Pusher connection of the server, whatever carries it: a WebSocket ({@link WsConn}) or an HTTP fallback session
 * ({@link XhrSession}). The {@link Hub} deals with this type only, so both kinds share every channel rule.
 *
 * <p>Threading: the output methods may be called from any thread and keep the order in which they were called (each
 * implementation hops onto one event loop of its own). The fields marked "hub" are guarded by the {@link Hub}'s lock.
 */
abstract class Conn {
    final String socketId;
    /** Every text message received, in order; guarded by itself. */
    final List<String> received = new ArrayList<>();

    /** hub: channels this socket is subscribed to, in subscription order. */
    final Set<String> channels = new LinkedHashSet<>();
    /** hub: presence channel to the user id this socket joined it as. */
    final Map<String, String> presenceUserIds = new HashMap<>();
    /** hub: the signed-in user id, or null. */
    String userId;
    /** hub: the user ids this socket watches (from its sign-in user data). */
    List<String> watchlist = List.of();

    Conn(String socketId) {
        this.socketId = socketId;
    }

    /** Sends one Pusher message, unless the link is frozen by the half-open fault (then it is lost). */
    abstract void send(String text);

    /** Ends the connection from the server's side with a Pusher close code. */
    abstract void close(int code, String reason);

    /** Ends the connection abruptly, as a broken link would: no close code reaches the client. */
    abstract void drop();

    /**
     * Brings this connection in line with the half-open fault, reading its current state when applied, and returns
     * once it holds.
     */
    abstract void syncFreeze(BooleanSupplier halfOpen);

    /** @return pusher-js's name of the transport: {@code ws}, {@code xhr_streaming} or {@code xhr_polling} */
    abstract String transport();

    /** Records a message received from the client. */
    final void record(String text) {
        synchronized (received) {
            received.add(text);
        }
    }
}
