package io.pusheriso.protocol.state;

import io.pusheriso.protocol.PusherFrame;

/**
 * What a {@link ConnectionStateMachine} asks its owner to do. The machine calls these methods
 * synchronously, from inside its own methods, on the owner's lane.
 *
 * <p>Rules for implementations (the owner):
 *
 * <ul>
 *   <li><b>No reentrancy.</b> An effect must not call back into the machine. Outcomes (the
 *       transport opened, a timer fired) are reported later, as new calls on the owner's lane.
 *       The machine has already updated its own state when it calls an effect, but may call more
 *       effects after it.
 *   <li><b>One attempt at a time.</b> After {@link #closeTransport}, or after the owner reported
 *       {@code transportClosed} or {@code transportFailed}, the owner reports nothing more about
 *       that transport. Events are not tagged with an attempt, so a late event of an old transport
 *       reported after the next {@link #openTransport} would be taken for the new one; the machine
 *       ignores transport events whenever it has no attempt open.
 *   <li><b>Timers.</b> {@link #schedule} replaces any pending timer of the same kind and
 *       {@link #cancel} drops it; neither may fire afterwards. A firing the machine does not expect
 *       is ignored, and one that arrives before its deadline is re-armed for the remainder.
 * </ul>
 *
 * <p>Implementations are called from one thread at a time and need not be thread-safe.
 */
public interface ConnectionEffects {

    /**
     * Starts one connection attempt; the owner's strategy picks the transport (and falls back
     * between transports, pacing itself). Answer with {@code transportOpened}, then frames, and
     * finally {@code transportClosed} or {@code transportFailed}.
     *
     * @param tls whether to connect with TLS (wss / https)
     */
    void openTransport(boolean tls);

    /**
     * Closes the current transport, or abandons the current attempt. The owner reports nothing
     * more about it.
     *
     * @param code the WebSocket close code to send
     * @param reason why, for logs and the close frame
     */
    void closeTransport(int code, String reason);

    /**
     * Sends one encoded frame on the open transport.
     *
     * @param frame the compact JSON text of the frame
     */
    void send(String frame);

    /**
     * Arms {@code timer} to fire after {@code delayMillis}, replacing any pending timer of that
     * kind. When it fires, call {@link ConnectionStateMachine#timerFired}.
     *
     * @param timer the timer
     * @param delayMillis the delay, zero or more
     */
    void schedule(ConnectionTimer timer, long delayMillis);

    /**
     * Cancels the pending timer of that kind.
     *
     * @param timer the timer
     */
    void cancel(ConnectionTimer timer);

    /**
     * The state changed; called only when {@code previous != current}.
     *
     * @param previous the state before
     * @param current the state now
     */
    void stateChanged(ConnectionState previous, ConnectionState current);

    /**
     * A retry will start after {@code delayMillis} (pusher-js's {@code connecting_in} event, which
     * carries seconds); only for delays above zero.
     *
     * @param delayMillis the delay before the retry
     */
    void connectingIn(long delayMillis);

    /**
     * The handshake completed: the owner subscribes its channels again and signs in.
     *
     * @param socketId the socket id the server assigned
     */
    void connected(String socketId);

    /**
     * An error to report to the user: a {@code pusher:error} frame, a close code pusher-js reports,
     * a failed handshake or a lost transport.
     *
     * @param code the Pusher or WebSocket error code, or -1 when there is none
     * @param message the message; never null, may be empty
     */
    void error(int code, String message);

    /**
     * A frame for the application: every frame received after the handshake except the
     * connection-level ones ({@code pusher:ping}, {@code pusher:pong}, {@code pusher:error},
     * {@code pusher:connection_established}).
     *
     * @param frame the frame
     */
    void message(PusherFrame frame);
}
