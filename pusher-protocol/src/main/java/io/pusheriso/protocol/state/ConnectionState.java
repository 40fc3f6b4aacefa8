package io.pusheriso.protocol.state;

import java.util.Locale;

/**
 * The states of a Pusher connection, as pusher-js names them.
 *
 * <ul>
 *   <li>{@link #INITIALIZED}: created, {@code connect} not called yet.
 *   <li>{@link #CONNECTING}: an attempt (or a retry) is under way.
 *   <li>{@link #CONNECTED}: the server sent {@code pusher:connection_established}.
 *   <li>{@link #UNAVAILABLE}: the attempt has not succeeded within the unavailable timeout;
 *       attempts go on.
 *   <li>{@link #FAILED}: the connection cannot be made at all in this environment.
 *   <li>{@link #DISCONNECTED}: the user disconnected, or the server refused the connection.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public enum ConnectionState {
    INITIALIZED,
    CONNECTING,
    CONNECTED,
    UNAVAILABLE,
    FAILED,
    DISCONNECTED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /**
     * The name pusher-js uses for this state in its {@code state_change} events.
     *
     * @return the lower-case name, for example {@code "connecting"}
     */
    public String wireName() {
        return wireName;
    }
}
