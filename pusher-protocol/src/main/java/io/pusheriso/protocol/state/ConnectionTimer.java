package io.pusheriso.protocol.state;

/**
 * The timers the {@link ConnectionStateMachine} asks its owner to run.
 *
 * <p>At most one timer of each kind is pending at a time: arming one replaces the pending one of
 * that kind.
 *
 * <p>Immutable and thread-safe.
 */
public enum ConnectionTimer {
    /** Connected and quiet: when it fires after a full activity timeout of silence, ping the server. */
    ACTIVITY,
    /** A ping was sent: when it fires with no sign of life since, the connection is dead. */
    PONG,
    /** Connecting for too long: when it fires, the state becomes {@link ConnectionState#UNAVAILABLE}. */
    UNAVAILABLE,
    /** A retry is due: when it fires, a new connection attempt starts. */
    RETRY
}
