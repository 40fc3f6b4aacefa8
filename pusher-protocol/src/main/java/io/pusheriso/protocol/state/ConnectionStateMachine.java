package io.pusheriso.protocol.state;

import io.pusheriso.protocol.ConnectionEstablished;
import io.pusheriso.protocol.FrameCodec;
import io.pusheriso.protocol.ProtocolException;
import io.pusheriso.protocol.PusherError;
import io.pusheriso.protocol.PusherEvents;
import io.pusheriso.protocol.PusherFrame;
import java.util.Objects;

/**
 * The life cycle of one Pusher connection, with the behaviour of pusher-js 8.6 (its
 * {@code ConnectionManager}, {@code Connection}, {@code Handshake} and {@code Protocol}) as a pure
 * function of inputs and time.
 *
 * <p>The owner reports inputs with the current time, in milliseconds of a monotonic clock; the
 * machine answers synchronously through {@link ConnectionEffects}. It never reads a clock, starts
 * a thread or sleeps: a timer is a {@link ConnectionEffects#schedule} request that comes back as
 * {@link #timerFired}.
 *
 * <p>In outline:
 *
 * <ul>
 *   <li>{@link #connect} (from {@code initialized}, {@code disconnected} or {@code failed}) moves to
 *       {@code connecting}, opens a transport and arms {@link ConnectionTimer#UNAVAILABLE}; when
 *       that fires first, the state becomes {@code unavailable} and attempts go on.
 *   <li>The first frame on an open transport must be {@code pusher:connection_established}: the
 *       state becomes {@code connected}. A {@code pusher:error} instead is handled by its code as a
 *       close code; anything else is reported and retried after one second.
 *   <li>Close codes follow {@link #closeAction(int)}: 4000 switches to TLS and retries at once,
 *       4001-4099 and 4300+ refuse (state {@code disconnected}), 4100-4199 and 1002-1004 retry after
 *       one second, 4200-4299 retry at once, and other codes retry after one second.
 *   <li>A retry with a delay reports {@link ConnectionEffects#connectingIn} and arms
 *       {@link ConnectionTimer#RETRY}; the state becomes {@code connecting} when it fires, not
 *       before, as in pusher-js (a connection lost while {@code connected} stays {@code connected}
 *       for that second; {@link #socketId()} is null meanwhile).
 *   <li>Once connected, the machine pings the server after {@link #activityTimeoutMillis()} of
 *       silence and reconnects when nothing arrives within the pong timeout. Receiving a frame only
 *       records the time: nothing is scheduled per message.
 *   <li>{@link #transportFailed} (the owner's whole strategy failed before a transport opened)
 *       starts the strategy again at once, as pusher-js does: the strategy paces itself.
 * </ul>
 *
 * <p>Calls that make no sense in the current state (a frame while disconnected, a timer that is no
 * longer armed, {@link #connect} while connecting) are ignored; none throws.
 *
 * <p>Deliberate differences from pusher-js, where pusher-js stalls or repeats itself:
 *
 * <ul>
 *   <li>An invalid handshake (a first frame that is not {@code pusher:connection_established}, or
 *       one without a socket id or activity timeout) is reported and retried after one second;
 *       pusher-js reports it and then waits forever.
 *   <li>A {@code pusher:error} during the handshake whose code carries no action (or that has no
 *       code) is retried after one second, like a close during the handshake; pusher-js fails on it.
 *   <li>An error from a close code is reported once; pusher-js emits it twice (as a
 *       {@code PusherError}, then wrapped in a {@code WebSocketError}), and a retry at once after
 *       a close also emits a spurious {@code connecting_in} of one second there.
 *   <li>A close with a code that carries an action (4000+, 1002-1004) before the transport opened is
 *       handled as during the handshake; other closes before the transport opened count as a
 *       failed attempt ({@link #transportFailed}).
 * </ul>
 *
 * <p>Not modelled: the browser's online/offline events and {@code switchCluster}. The state
 * {@link ConnectionState#FAILED} (pusher-js: no transport is supported) is never entered by the
 * machine: the owner finds out that no transport exists before it calls {@link #connect}.
 *
 * <p>Not thread-safe: the owner calls every method from one serial lane, and must not call it
 * from inside a {@link ConnectionEffects} method.
 */
public final class ConnectionStateMachine {

    /** pusher-js's delay before a "backoff" retry and after a lost connection. */
    static final long BACKOFF_DELAY_MILLIS = 1000;
    /** The code for every close the client decides on itself. */
    static final int CLIENT_CLOSE_CODE = 1000;
    static final String REASON_DISCONNECT = "client disconnect";
    static final String REASON_PONG_TIMEOUT = "pong timeout";
    static final String REASON_HANDSHAKE_ERROR = "pusher:error during handshake";
    static final String REASON_INVALID_HANDSHAKE = "invalid handshake";
    static final String REASON_RETRY = "retry";
    static final int NO_CODE = -1;

    private static final String PUSHER_PREFIX = "pusher:";
    private static final ConnectionTimer[] TIMERS = ConnectionTimer.values();

    /** Where the current transport is in its life: none, opening, waiting for the handshake, open. */
    private enum Phase {
        IDLE,
        OPENING,
        HANDSHAKING,
        OPEN
    }

    private final ConnectionSettings settings;
    private final ConnectionEffects effects;
    private final boolean[] armed = new boolean[TIMERS.length];
    private final long[] dueMillis = new long[TIMERS.length];

    private ConnectionState state = ConnectionState.INITIALIZED;
    private Phase phase = Phase.IDLE;
    private boolean tls;
    private String socketId;
    private long activityTimeoutMillis;
    private long lastActivityMillis;
    private boolean awaitingPong;

    /**
     * Creates a machine in state {@link ConnectionState#INITIALIZED}.
     *
     * @param settings the settings
     * @param effects where the machine sends its requests
     * @throws NullPointerException if an argument is null
     */
    public ConnectionStateMachine(ConnectionSettings settings, ConnectionEffects effects) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.effects = Objects.requireNonNull(effects, "effects");
        this.tls = settings.tls();
        this.activityTimeoutMillis = settings.activityTimeoutMillis();
    }

    // ---------------------------------------------------------------- inputs

    /**
     * Starts connecting, from {@code initialized}, {@code disconnected} or {@code failed}; does
     * nothing in any other state (an attempt or a retry is already under way, or connected).
     *
     * @param nowMillis the current time
     */
    public void connect(long nowMillis) {
        if (state == ConnectionState.INITIALIZED
                || state == ConnectionState.DISCONNECTED
                || state == ConnectionState.FAILED) {
            startConnecting(nowMillis);
        }
    }

    /**
     * Closes the transport or abandons the attempt, cancels every timer, and moves to
     * {@code disconnected}. Later events of the old transport are ignored.
     *
     * @param nowMillis the current time
     */
    public void disconnect(long nowMillis) {
        if (state == ConnectionState.DISCONNECTED) {
            return;
        }
        teardown(REASON_DISCONNECT);
        setState(ConnectionState.DISCONNECTED);
    }

    /**
     * The transport of the current attempt is open; the machine now waits for
     * {@code pusher:connection_established}.
     *
     * @param nowMillis the current time
     */
    public void transportOpened(long nowMillis) {
        if (phase == Phase.OPENING) {
            phase = Phase.HANDSHAKING;
        }
    }

    /**
     * A frame arrived on the current transport. Once connected, this is the per-message path: it
     * records the time, answers {@code pusher:ping}, reports {@code pusher:error}, and passes every
     * other non-connection-level frame to {@link ConnectionEffects#message}; it schedules and
     * allocates nothing of its own.
     *
     * <p>Text that does not decode into a frame never reaches the machine: the owner reports it
     * itself and, since it is still a sign of life, calls {@link #activity}.
     *
     * @param frame the decoded frame
     * @param nowMillis the current time
     * @throws NullPointerException if {@code frame} is null
     */
    public void frameReceived(PusherFrame frame, long nowMillis) {
        Objects.requireNonNull(frame, "frame");
        if (phase == Phase.OPEN) {
            lastActivityMillis = nowMillis;
            awaitingPong = false;
            String event = frame.event();
            if (event.startsWith(PUSHER_PREFIX)) {
                if (event.equals(PusherEvents.PING)) {
                    effects.send(FrameCodec.pong());
                    return;
                }
                if (event.equals(PusherEvents.PONG) || event.equals(PusherEvents.CONNECTION_ESTABLISHED)) {
                    // Liveness only; a second connection_established on an open connection carries
                    // nothing to act on.
                    return;
                }
                if (event.equals(PusherEvents.ERROR)) {
                    reportPusherError(frame);
                    return;
                }
            }
            effects.message(frame);
        } else if (phase != Phase.IDLE) {
            // A frame is as good a proof of an open transport as transportOpened, which the owner
            // may have skipped; the handshake does not depend on it.
            phase = Phase.HANDSHAKING;
            handshake(frame, nowMillis);
        }
    }

    /**
     * Transport-level proof that the connection is alive (an HTTP heartbeat line, a WebSocket pong
     * frame). Only records the time; schedules nothing.
     *
     * @param nowMillis the current time
     */
    public void activity(long nowMillis) {
        if (phase == Phase.OPEN) {
            lastActivityMillis = nowMillis;
            awaitingPong = false;
        }
    }

    /**
     * The current transport closed with a close code. During the handshake, the code's
     * {@link CloseAction} applies (none: retry after one second); once connected, the same, and a
     * code without action is retried after one second. An error is reported for every code but
     * 1000 and 1001.
     *
     * @param code the close code
     * @param reason the close reason, or null
     * @param nowMillis the current time
     */
    public void transportClosed(int code, String reason, long nowMillis) {
        switch (phase) {
            case IDLE:
                return;
            case OPENING:
                if (closeAction(code) == CloseAction.NONE) {
                    restartAttempt();
                    return;
                }
                closedWithCode(code, reason, nowMillis);
                return;
            case HANDSHAKING:
                closedWithCode(code, reason, nowMillis);
                return;
            case OPEN:
                connectionLost();
                closedWithCode(code, reason, nowMillis);
                return;
            default:
                throw new AssertionError(phase);
        }
    }

    /**
     * The current attempt failed without a close code. Before a transport opened, this means the
     * owner's whole strategy failed: it starts again at once, without an error, as pusher-js does
     * (the strategy paces its own attempts). After the transport opened, the error is reported and
     * the connection is retried after one second.
     *
     * @param reason why, for the error report
     * @param nowMillis the current time
     */
    public void transportFailed(String reason, long nowMillis) {
        switch (phase) {
            case IDLE:
                return;
            case OPENING:
                restartAttempt();
                return;
            case HANDSHAKING:
                phase = Phase.IDLE;
                effects.error(NO_CODE, textOf(reason));
                retryIn(BACKOFF_DELAY_MILLIS, nowMillis);
                return;
            case OPEN:
                connectionLost();
                effects.error(NO_CODE, textOf(reason));
                retryIn(BACKOFF_DELAY_MILLIS, nowMillis);
                return;
            default:
                throw new AssertionError(phase);
        }
    }

    /**
     * A timer armed by {@link ConnectionEffects#schedule} fired. A timer that is not armed (it was
     * cancelled or already fired) is ignored; one that fires before its deadline is re-armed for
     * the remainder.
     *
     * @param timer the timer
     * @param nowMillis the current time
     * @throws NullPointerException if {@code timer} is null
     */
    public void timerFired(ConnectionTimer timer, long nowMillis) {
        Objects.requireNonNull(timer, "timer");
        if (!consumeFiring(timer, nowMillis)) {
            return;
        }
        switch (timer) {
            case UNAVAILABLE:
                if (state == ConnectionState.CONNECTING) {
                    setState(ConnectionState.UNAVAILABLE);
                }
                return;
            case RETRY:
                retryNow(nowMillis);
                return;
            case ACTIVITY:
                if (phase == Phase.OPEN) {
                    checkActivity(nowMillis);
                }
                return;
            case PONG:
                if (phase != Phase.OPEN) {
                    return;
                }
                if (awaitingPong) {
                    pongTimedOut(nowMillis);
                } else {
                    checkActivity(nowMillis);
                }
                return;
            default:
                throw new AssertionError(timer);
        }
    }

    // ---------------------------------------------------------------- queries

    /** @return the current state */
    public ConnectionState state() {
        return state;
    }

    /** @return the socket id of the open connection; null unless connected with a live transport */
    public String socketId() {
        return state == ConnectionState.CONNECTED ? socketId : null;
    }

    /** @return whether attempts use TLS; turns true after close code 4000 */
    public boolean usingTls() {
        return tls;
    }

    /**
     * @return the activity timeout in force: the setting, lowered to the server's
     *     {@code activity_timeout} once connected
     */
    public long activityTimeoutMillis() {
        return activityTimeoutMillis;
    }

    /**
     * The action a close code asks for, as pusher-js's {@code Protocol.getCloseAction}: 4000
     * {@link CloseAction#TLS_ONLY}; 4001-4099 {@link CloseAction#REFUSED}; 4100-4199
     * {@link CloseAction#BACKOFF}; 4200-4299 {@link CloseAction#RETRY}; 4300 and above
     * {@link CloseAction#REFUSED}; 1002-1004 {@link CloseAction#BACKOFF}; any other code below 4000
     * {@link CloseAction#NONE}.
     *
     * @param code a WebSocket or Pusher close code
     * @return the action
     */
    public static CloseAction closeAction(int code) {
        if (code < 4000) {
            return code >= 1002 && code <= 1004 ? CloseAction.BACKOFF : CloseAction.NONE;
        }
        if (code == 4000) {
            return CloseAction.TLS_ONLY;
        }
        if (code < 4100) {
            return CloseAction.REFUSED;
        }
        if (code < 4200) {
            return CloseAction.BACKOFF;
        }
        if (code < 4300) {
            return CloseAction.RETRY;
        }
        return CloseAction.REFUSED;
    }

    /** As pusher-js's {@code Protocol.getCloseError}: a normal close or going away is no error. */
    private static boolean isCloseError(int code) {
        return code != 1000 && code != 1001;
    }

    // ---------------------------------------------------------------- transitions

    private void startConnecting(long nowMillis) {
        setState(ConnectionState.CONNECTING);
        openAttempt();
        arm(ConnectionTimer.UNAVAILABLE, settings.unavailableTimeoutMillis(), nowMillis);
    }

    private void openAttempt() {
        phase = Phase.OPENING;
        activityTimeoutMillis = settings.activityTimeoutMillis();
        effects.openTransport(tls);
    }

    private void restartAttempt() {
        openAttempt();
    }

    private void handshake(PusherFrame frame, long nowMillis) {
        String event = frame.event();
        if (event.equals(PusherEvents.CONNECTION_ESTABLISHED)) {
            ConnectionEstablished established;
            try {
                established = ConnectionEstablished.from(frame);
            } catch (ProtocolException e) {
                invalidHandshake(e.getMessage(), nowMillis);
                return;
            }
            if (established.socketId() == null || established.socketId().isEmpty()) {
                invalidHandshake("pusher:connection_established without a socket_id", nowMillis);
            } else if (established.activityTimeoutSeconds() <= 0) {
                invalidHandshake("pusher:connection_established without an activity_timeout", nowMillis);
            } else {
                established(established, nowMillis);
            }
        } else if (event.equals(PusherEvents.ERROR)) {
            PusherError error;
            try {
                error = PusherError.from(frame);
            } catch (ProtocolException e) {
                invalidHandshake(e.getMessage(), nowMillis);
                return;
            }
            closeCurrent(REASON_HANDSHAKE_ERROR);
            Integer code = error.code();
            if (code == null) {
                effects.error(NO_CODE, error.message());
                retryIn(BACKOFF_DELAY_MILLIS, nowMillis);
            } else {
                if (isCloseError(code)) {
                    effects.error(code, error.message());
                }
                apply(closeAction(code), nowMillis);
            }
        } else {
            invalidHandshake("expected " + PusherEvents.CONNECTION_ESTABLISHED + ", got " + event, nowMillis);
        }
    }

    private void invalidHandshake(String why, long nowMillis) {
        closeCurrent(REASON_INVALID_HANDSHAKE);
        effects.error(NO_CODE, "Invalid handshake: " + textOf(why));
        retryIn(BACKOFF_DELAY_MILLIS, nowMillis);
    }

    private void established(ConnectionEstablished established, long nowMillis) {
        phase = Phase.OPEN;
        socketId = established.socketId();
        activityTimeoutMillis =
                Math.min(settings.activityTimeoutMillis(), established.activityTimeoutSeconds() * 1000L);
        lastActivityMillis = nowMillis;
        awaitingPong = false;
        cancel(ConnectionTimer.UNAVAILABLE);
        cancel(ConnectionTimer.RETRY);
        arm(ConnectionTimer.ACTIVITY, activityTimeoutMillis, nowMillis);
        setState(ConnectionState.CONNECTED);
        effects.connected(socketId);
    }

    /** The transport closed (phase already left OPEN if it was open): report and act on the code. */
    private void closedWithCode(int code, String reason, long nowMillis) {
        phase = Phase.IDLE;
        if (isCloseError(code)) {
            effects.error(code, textOf(reason));
        }
        apply(closeAction(code), nowMillis);
    }

    /** The open connection is gone (closed or failed by the other side): drop what belongs to it. */
    private void connectionLost() {
        phase = Phase.IDLE;
        socketId = null;
        awaitingPong = false;
        cancel(ConnectionTimer.ACTIVITY);
        cancel(ConnectionTimer.PONG);
    }

    private void apply(CloseAction action, long nowMillis) {
        switch (action) {
            case TLS_ONLY:
                tls = true;
                retryIn(0, nowMillis);
                return;
            case REFUSED:
                teardown(REASON_DISCONNECT);
                setState(ConnectionState.DISCONNECTED);
                return;
            case RETRY:
                retryIn(0, nowMillis);
                return;
            case BACKOFF:
            case NONE:
                // NONE: pusher-js's "closed" handler retries a lost connection after one second, and
                // its handshake treats a close without action as backoff.
                retryIn(BACKOFF_DELAY_MILLIS, nowMillis);
                return;
            default:
                throw new AssertionError(action);
        }
    }

    /**
     * Schedules a retry. Even a retry "at once" goes through the RETRY timer: the new attempt then
     * starts on a fresh turn of the owner's lane, not inside the callback of the transport that just
     * closed, and the state changes when the retry starts, as in pusher-js.
     */
    private void retryIn(long delayMillis, long nowMillis) {
        if (delayMillis > 0) {
            effects.connectingIn(delayMillis);
        }
        arm(ConnectionTimer.RETRY, delayMillis, nowMillis);
    }

    private void retryNow(long nowMillis) {
        // As pusher-js's retry: drop whatever is left of the previous attempt, then connect again,
        // which restarts the unavailable timer.
        if (phase != Phase.IDLE) {
            closeCurrent(REASON_RETRY);
        }
        socketId = null;
        awaitingPong = false;
        cancel(ConnectionTimer.ACTIVITY);
        cancel(ConnectionTimer.PONG);
        startConnecting(nowMillis);
    }

    private void checkActivity(long nowMillis) {
        long quiet = Math.max(0, nowMillis - lastActivityMillis);
        if (quiet < activityTimeoutMillis) {
            // Frames only record their time; the timer catches up here, once per timeout at most.
            arm(ConnectionTimer.ACTIVITY, activityTimeoutMillis - quiet, nowMillis);
        } else {
            effects.send(FrameCodec.ping());
            awaitingPong = true;
            arm(ConnectionTimer.PONG, settings.pongTimeoutMillis(), nowMillis);
        }
    }

    private void pongTimedOut(long nowMillis) {
        // pusher-js reports no error here, only a timeline entry; it reconnects at once.
        closeCurrent(REASON_PONG_TIMEOUT);
        socketId = null;
        awaitingPong = false;
        cancel(ConnectionTimer.ACTIVITY);
        retryIn(0, nowMillis);
    }

    /** Closes the transport of the current attempt, whatever its phase, and forgets it. */
    private void closeCurrent(String reason) {
        phase = Phase.IDLE;
        effects.closeTransport(CLIENT_CLOSE_CODE, reason);
    }

    /** Drops the current attempt (if any) and every timer. */
    private void teardown(String reason) {
        if (phase != Phase.IDLE) {
            closeCurrent(reason);
        }
        socketId = null;
        awaitingPong = false;
        for (ConnectionTimer timer : TIMERS) {
            cancel(timer);
        }
    }

    private void setState(ConnectionState next) {
        ConnectionState previous = state;
        if (previous != next) {
            state = next;
            effects.stateChanged(previous, next);
        }
    }

    // ---------------------------------------------------------------- timers

    private void arm(ConnectionTimer timer, long delayMillis, long nowMillis) {
        armed[timer.ordinal()] = true;
        dueMillis[timer.ordinal()] = nowMillis + delayMillis;
        effects.schedule(timer, delayMillis);
    }

    private void cancel(ConnectionTimer timer) {
        if (armed[timer.ordinal()]) {
            armed[timer.ordinal()] = false;
            effects.cancel(timer);
        }
    }

    /**
     * Whether this firing is the one the machine waits for. An early firing (a stale one the owner
     * could not stop in time, or a scheduler a millisecond ahead) re-arms the timer for the rest.
     */
    private boolean consumeFiring(ConnectionTimer timer, long nowMillis) {
        int i = timer.ordinal();
        if (!armed[i]) {
            return false;
        }
        long remaining = dueMillis[i] - nowMillis;
        if (remaining > 0) {
            effects.schedule(timer, remaining);
            return false;
        }
        armed[i] = false;
        return true;
    }

    private static String textOf(String s) {
        return s == null ? "" : s;
    }

    private void reportPusherError(PusherFrame frame) {
        PusherError error;
        try {
            error = PusherError.from(frame);
        } catch (ProtocolException e) {
            effects.error(NO_CODE, "pusher:error with unreadable data: " + e.getMessage());
            return;
        }
        effects.error(error.code() == null ? NO_CODE : error.code(), error.message());
    }
}
