package io.pusheriso.protocol.state;

/**
 * What a close code (or the code of a {@code pusher:error}) asks the client to do, as pusher-js's
 * {@code Protocol.getCloseAction}. See {@link ConnectionStateMachine#closeAction(int)}.
 *
 * <p>Immutable and thread-safe.
 */
public enum CloseAction {
    /** 4000: the application accepts TLS connections only; reconnect with TLS at once. */
    TLS_ONLY,
    /** 4001-4099 and 4300 and above: do not reconnect. */
    REFUSED,
    /** 4100-4199, and the WebSocket codes 1002-1004: reconnect after one second. */
    BACKOFF,
    /** 4200-4299: reconnect at once. */
    RETRY,
    /** Any other code below 4000: no action of its own; a lost connection is retried after one second. */
    NONE
}
