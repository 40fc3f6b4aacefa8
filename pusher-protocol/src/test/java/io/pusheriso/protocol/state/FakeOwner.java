package io.pusheriso.protocol.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.protocol.PusherFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The owner of a machine in tests: records every effect in order, keeps a fake clock, and runs the
 * timers the machine arms (firing them, in deadline order, when the clock is advanced). It also
 * checks the owner-side contract: one attempt at a time, no cancel of a timer that is not pending.
 */
final class FakeOwner implements ConnectionEffects {

    sealed interface Effect
            permits Open, Close, Send, Schedule, Cancel, StateChanged, ConnectingIn, Connected, Error, Message {}

    record Open(boolean tls) implements Effect {}

    record Close(int code, String reason) implements Effect {}

    record Send(String frame) implements Effect {}

    record Schedule(ConnectionTimer timer, long delayMillis) implements Effect {}

    record Cancel(ConnectionTimer timer) implements Effect {}

    record StateChanged(ConnectionState previous, ConnectionState current) implements Effect {}

    record ConnectingIn(long delayMillis) implements Effect {}

    record Connected(String socketId) implements Effect {}

    record Error(int code, String message) implements Effect {}

    record Message(PusherFrame frame) implements Effect {}

    private final Deque<Effect> log = new ArrayDeque<>();
    /** Deadline of each pending timer, in the order they were armed (for equal deadlines). */
    private final Map<ConnectionTimer, Long> pending = new EnumMap<>(ConnectionTimer.class);
    private final List<ConnectionTimer> armOrder = new ArrayList<>();
    private boolean attemptActive;
    private long now;
    ConnectionStateMachine machine;

    FakeOwner(long startMillis) {
        this.now = startMillis;
    }

    long now() {
        return now;
    }

    boolean isPending(ConnectionTimer timer) {
        return pending.containsKey(timer);
    }

    /** Moves the clock forward, firing every timer that falls due on the way, new ones included. */
    void advance(long millis) {
        run(millis, null);
    }

    /**
     * Moves the clock forward, firing only the timers pending now; timers these firings arm stay
     * pending even when already due (to look at the state between a firing and its follow-up).
     */
    void step(long millis) {
        run(millis, new ArrayList<>(armOrder));
    }

    private void run(long millis, List<ConnectionTimer> only) {
        long target = now + millis;
        while (true) {
            ConnectionTimer next = null;
            long nextDue = Long.MAX_VALUE;
            for (ConnectionTimer timer : armOrder) {
                if (only != null && !only.contains(timer)) {
                    continue;
                }
                long due = pending.get(timer);
                if (due <= target && due < nextDue) {
                    next = timer;
                    nextDue = due;
                }
            }
            if (next == null) {
                break;
            }
            now = nextDue;
            pending.remove(next);
            armOrder.remove(next);
            if (only != null) {
                only.remove(next);
            }
            machine.timerFired(next, now);
        }
        now = target;
    }

    // Owner -> machine, keeping the owner's view of the attempt in step.

    void opened() {
        assertThat(attemptActive).as("transport opened without an attempt").isTrue();
        machine.transportOpened(now);
    }

    void frame(PusherFrame frame) {
        machine.frameReceived(frame, now);
    }

    void closed(int code, String reason) {
        assertThat(attemptActive).as("transport closed without an attempt").isTrue();
        attemptActive = false;
        machine.transportClosed(code, reason, now);
    }

    void failed(String reason) {
        assertThat(attemptActive).as("transport failed without an attempt").isTrue();
        attemptActive = false;
        machine.transportFailed(reason, now);
    }

    // Assertions.

    Effect take() {
        assertThat(log).as("expected one more effect").isNotEmpty();
        return log.removeFirst();
    }

    void expect(Effect... effects) {
        for (Effect expected : effects) {
            assertThat(log).as("expected %s next, but no effect is left", expected).isNotEmpty();
            assertThat(log.removeFirst()).isEqualTo(expected);
        }
    }

    void assertExhausted() {
        assertThat(log).as("unexpected effects").isEmpty();
    }

    void assertNoTimersPending() {
        assertThat(pending).as("pending timers").isEmpty();
    }

    // ConnectionEffects.

    @Override
    public void openTransport(boolean tls) {
        assertThat(attemptActive).as("a second attempt opened while one is active").isFalse();
        attemptActive = true;
        log.add(new Open(tls));
    }

    @Override
    public void closeTransport(int code, String reason) {
        assertThat(attemptActive).as("closeTransport without an attempt").isTrue();
        attemptActive = false;
        log.add(new Close(code, reason));
    }

    @Override
    public void send(String frame) {
        log.add(new Send(frame));
    }

    @Override
    public void schedule(ConnectionTimer timer, long delayMillis) {
        assertThat(delayMillis).as("delay of %s", timer).isNotNegative();
        armOrder.remove(timer);
        armOrder.add(timer);
        pending.put(timer, now + delayMillis);
        log.add(new Schedule(timer, delayMillis));
    }

    @Override
    public void cancel(ConnectionTimer timer) {
        assertThat(pending).as("cancel of a timer that is not pending").containsKey(timer);
        pending.remove(timer);
        armOrder.remove(timer);
        log.add(new Cancel(timer));
    }

    @Override
    public void stateChanged(ConnectionState previous, ConnectionState current) {
        assertThat(previous).as("state change to the same state").isNotEqualTo(current);
        log.add(new StateChanged(previous, current));
    }

    @Override
    public void connectingIn(long delayMillis) {
        log.add(new ConnectingIn(delayMillis));
    }

    @Override
    public void connected(String socketId) {
        log.add(new Connected(socketId));
    }

    @Override
    public void error(int code, String message) {
        assertThat(message).as("error message").isNotNull();
        log.add(new Error(code, message));
    }

    @Override
    public void message(PusherFrame frame) {
        log.add(new Message(frame));
    }
}
