package io.pusheriso.protocol.state;

import static io.pusheriso.protocol.state.ConnectionState.CONNECTED;
import static io.pusheriso.protocol.state.ConnectionState.CONNECTING;
import static io.pusheriso.protocol.state.ConnectionState.DISCONNECTED;
import static io.pusheriso.protocol.state.ConnectionState.INITIALIZED;
import static io.pusheriso.protocol.state.ConnectionState.UNAVAILABLE;
import static io.pusheriso.protocol.state.ConnectionTimer.ACTIVITY;
import static io.pusheriso.protocol.state.ConnectionTimer.PONG;
import static io.pusheriso.protocol.state.ConnectionTimer.RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pusheriso.protocol.FrameCodec;
import io.pusheriso.protocol.PusherEvents;
import io.pusheriso.protocol.PusherFrame;
import io.pusheriso.protocol.state.FakeOwner.Cancel;
import io.pusheriso.protocol.state.FakeOwner.Close;
import io.pusheriso.protocol.state.FakeOwner.Connected;
import io.pusheriso.protocol.state.FakeOwner.ConnectingIn;
import io.pusheriso.protocol.state.FakeOwner.Error;
import io.pusheriso.protocol.state.FakeOwner.Message;
import io.pusheriso.protocol.state.FakeOwner.Open;
import io.pusheriso.protocol.state.FakeOwner.Schedule;
import io.pusheriso.protocol.state.FakeOwner.Send;
import io.pusheriso.protocol.state.FakeOwner.StateChanged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The connection state machine against pusher-js 8.6 ({@code connection_manager.ts},
 * {@code connection.ts}, {@code handshake/index.ts}, {@code protocol/protocol.ts}), with a recording
 * owner and a fake clock; every test ends with no unexpected effect left.
 *
 * <p>pusher-js handler or rule -> test(s):
 *
 * <pre>
 * constructor: state 'initialized'                   startsInitializedWithNoEffects
 * connect(): guard (connection || runner)            connectWhileConnectingDoesNothing, connectWhileConnectedDoesNothing,
 *                                                    connectWhileUnavailableDoesNothing, connectWhileRetryIsPendingDoesNothing
 * connect(): connecting + startConnecting +          connectMovesToConnectingOpensTransportAndArmsUnavailable,
 *            setUnavailableTimer                     connectAfterDisconnectStartsAgain
 * connect(): !isSupported -> 'failed'                not modelled (the owner checks for a transport before connect)
 * disconnect() / disconnectInternally()             disconnectBeforeTransportOpensAbandonsTheAttempt, disconnectDuringHandshakeClosesTheTransport,
 *                                                    disconnectWhenConnectedClosesAndStopsTheActivityCheck, disconnectWhileWaitingForPongCancelsPong,
 *                                                    disconnectWhileRetryIsPendingCancelsTheRetry, disconnectWhileUnavailable,
 *                                                    disconnectFromInitialized, disconnectTwiceDoesNothingMore
 * startConnecting callback(error): strategy again    transportFailedBeforeOpenRestartsTheStrategyAtOnce, transportFailedWhileUnavailableStaysUnavailable,
 *                                                    closeWithoutActionBeforeOpenCountsAsAFailedAttempt
 * startConnecting callback(handshake 'error')        firstFrameOtherThanConnectionEstablishedIsAnInvalidHandshake,
 *   (Protocol.processHandshake throws)               connectionEstablishedWithoutActivityTimeoutIsAnInvalidHandshake,
 *                                                    connectionEstablishedWithZeroActivityTimeoutIsAnInvalidHandshake
 * handshakeCallbacks.connected                       handshakeCompletesOnConnectionEstablished, handshakeFromUnavailableMovesToConnected,
 *   (activityTimeout = min(option, server))          serverActivityTimeoutLowerThanTheOptionWins, optionLowerThanServerActivityTimeoutWins
 * Handshake.onClosed (action || 'backoff')           closeDuringHandshakeFollowsThePolicy, transportFailedDuringHandshakeReportsAndBacksOff,
 *                                                    closeWithActionBeforeOpenFollowsThePolicy
 * processHandshake pusher:error                      pusherErrorDuringHandshakeFollowsThePolicy, pusherErrorWithoutCodeDuringHandshakeBacksOff
 * errorCallbacks tls_only / refused / backoff /      closeWhenConnectedFollowsThePolicy (every range), tlsSwitchOn4000ReconnectsWithTls
 *   retry (withErrorEmitted)
 * Protocol.getCloseAction / getCloseError            closeActionFollowsPusherJs (+ the error column of the three policy tests)
 * retryIn(delay): connecting_in, retry timer         closeWhenConnectedFollowsThePolicy, lostConnectionStaysConnectedUntilTheRetry,
 *                                                    retryFromUnavailableMovesBackToConnecting, retriesRestartTheUnavailableTimer
 * setUnavailableTimer -> 'unavailable'               unavailableTimeoutMovesToUnavailableAndAttemptsGoOn
 * resetActivityCheck (message, activity)             framesPostponeThePingWithoutSchedulingAnything, activityPostponesThePing
 * sendActivityCheck -> ping, pong timer -> retryIn(0) pingAfterAFullActivityTimeoutOfSilence, pongTimeoutClosesAndRetriesAtOnce,
 *                                                    anyFrameAfterThePingMakesThePongTimeoutHarmless, activityAfterThePingMakesThePongTimeoutHarmless,
 *                                                    pongTimeoutLongerThanActivityTimeoutPingsAgain, serverActivityTimeoutDrivesThePing
 * connectionCallbacks.message                        applicationFramesGoToMessage
 * connectionCallbacks.ping -> pusher:pong            serverPingIsAnsweredWithPong
 * connection 'pong'                                  serverPongIsNotAMessage
 * connectionCallbacks.error (PusherError frame)      pusherErrorWhenConnectedIsReportedAndTheStateStays, pusherErrorWithoutCodeWhenConnected
 * connectionCallbacks.closed -> retryIn(1000)        lostConnectionStaysConnectedUntilTheRetry, transportFailedWhenConnectedReportsAndRetriesAfterOneSecond,
 *                                                    reconnectAfterALostConnectionGetsTheNewSocketId
 * abandonConnection (callbacks unbound)              staleTransportEventsAfterDisconnectAreIgnored, staleCloseAfterTheClientClosedIsIgnored,
 *                                                    framesWhileARetryIsPendingAreIgnored
 * Timer.ensureAborted                                timerFiringsThatAreNotArmedAreIgnored, earlyTimerFiringIsRearmedForTheRemainder
 * updateState: events only on a real change          retries while connecting emit no state change (closeDuringHandshakeFollowsThePolicy)
 * Network online/offline, switchCluster              not modelled (no such inputs on the JVM)
 * </pre>
 */
class ConnectionStateMachineTest {

    private static final long T0 = 1_000_000;
    private static final long ACTIVITY_MS = 120_000;
    private static final long PONG_MS = 30_000;
    private static final long UNAVAILABLE_MS = 10_000;
    private static final ConnectionSettings SETTINGS =
            new ConnectionSettings(false, ACTIVITY_MS, PONG_MS, UNAVAILABLE_MS);
    private static final String SOCKET_ID = "123.456";

    private FakeOwner owner;
    private ConnectionStateMachine machine;

    @BeforeEach
    void setUp() {
        newMachine(SETTINGS);
    }

    @AfterEach
    void noUnexpectedEffects() {
        owner.assertExhausted();
    }

    private void newMachine(ConnectionSettings settings) {
        owner = new FakeOwner(T0);
        machine = new ConnectionStateMachine(settings, owner);
        owner.machine = machine;
    }

    // ------------------------------------------------------------ frames and helpers

    private static PusherFrame established(String socketId, int activityTimeoutSeconds) {
        return PusherFrame.of(
                PusherEvents.CONNECTION_ESTABLISHED,
                null,
                "{\"socket_id\":\"" + socketId + "\",\"activity_timeout\":" + activityTimeoutSeconds + "}",
                null);
    }

    private static PusherFrame pusherError(int code, String message) {
        return PusherFrame.ofJsonData(
                PusherEvents.ERROR, null, "{\"code\":" + code + ",\"message\":\"" + message + "\"}", null);
    }

    private static PusherFrame event(String name, String channel, String data) {
        return PusherFrame.of(name, channel, data, null);
    }

    private void startConnecting() {
        machine.connect(owner.now());
        owner.expect(new StateChanged(INITIALIZED, CONNECTING), new Open(false), new Schedule(ConnectionTimer.UNAVAILABLE, UNAVAILABLE_MS));
    }

    /** From initialized to connected, with the given server activity timeout. */
    private void connect(int serverActivityTimeoutSeconds, long expectedActivityMs) {
        startConnecting();
        owner.opened();
        owner.frame(established(SOCKET_ID, serverActivityTimeoutSeconds));
        owner.expect(
                new Cancel(ConnectionTimer.UNAVAILABLE),
                new Schedule(ACTIVITY, expectedActivityMs),
                new StateChanged(CONNECTING, CONNECTED),
                new Connected(SOCKET_ID));
    }

    private void connect() {
        connect(120, ACTIVITY_MS);
    }

    /** The effects of a retry (or connect) starting: state connecting, new attempt, unavailable timer. */
    private void expectAttemptStarts(ConnectionState previous, boolean tls) {
        if (previous != CONNECTING) {
            owner.expect(new StateChanged(previous, CONNECTING));
        }
        owner.expect(new Open(tls), new Schedule(ConnectionTimer.UNAVAILABLE, UNAVAILABLE_MS));
        assertThat(machine.state()).isEqualTo(CONNECTING);
        assertThat(machine.socketId()).isNull();
    }

    /**
     * The effects of a close action once the error (if any) has been checked: the retry timer and
     * what happens when it fires, or the move to disconnected for good.
     */
    private void expectActionOutcome(CloseAction action, ConnectionState before, boolean unavailableArmed) {
        switch (action) {
            case TLS_ONLY:
                owner.expect(new Schedule(RETRY, 0));
                assertThat(machine.usingTls()).isTrue();
                assertThat(machine.state()).isEqualTo(before);
                owner.advance(0);
                expectAttemptStarts(before, true);
                break;
            case RETRY:
                owner.expect(new Schedule(RETRY, 0));
                assertThat(machine.state()).isEqualTo(before);
                owner.advance(0);
                expectAttemptStarts(before, false);
                break;
            case BACKOFF:
            case NONE:
                owner.expect(new ConnectingIn(1000), new Schedule(RETRY, 1000));
                owner.advance(999);
                owner.assertExhausted();
                assertThat(machine.state()).isEqualTo(before);
                owner.advance(1);
                expectAttemptStarts(before, false);
                break;
            case REFUSED:
                if (unavailableArmed) {
                    owner.expect(new Cancel(ConnectionTimer.UNAVAILABLE));
                }
                owner.expect(new StateChanged(before, DISCONNECTED));
                owner.assertNoTimersPending();
                owner.advance(1_000_000);
                assertThat(machine.state()).isEqualTo(DISCONNECTED);
                assertThat(machine.usingTls()).isFalse();
                break;
            default:
                throw new AssertionError(action);
        }
    }

    private static boolean reportsError(int code) {
        return code != 1000 && code != 1001;
    }

    // ------------------------------------------------------------ construction and connect

    @Test
    void startsInitializedWithNoEffects() {
        assertThat(machine.state()).isEqualTo(INITIALIZED);
        assertThat(machine.socketId()).isNull();
        assertThat(machine.usingTls()).isFalse();
        assertThat(machine.activityTimeoutMillis()).isEqualTo(ACTIVITY_MS);
        owner.advance(1_000_000);
    }

    @Test
    void connectMovesToConnectingOpensTransportAndArmsUnavailable() {
        startConnecting();
        assertThat(machine.state()).isEqualTo(CONNECTING);
        assertThat(machine.socketId()).isNull();
    }

    @Test
    void connectUsesTlsFromTheSettings() {
        newMachine(new ConnectionSettings(true, ACTIVITY_MS, PONG_MS, UNAVAILABLE_MS));
        machine.connect(owner.now());
        owner.expect(new StateChanged(INITIALIZED, CONNECTING), new Open(true), new Schedule(ConnectionTimer.UNAVAILABLE, UNAVAILABLE_MS));
        assertThat(machine.usingTls()).isTrue();
    }

    @Test
    void connectWhileConnectingDoesNothing() {
        startConnecting();
        machine.connect(owner.now());
        owner.opened();
        machine.connect(owner.now());
        assertThat(machine.state()).isEqualTo(CONNECTING);
    }

    @Test
    void connectWhileConnectedDoesNothing() {
        connect();
        machine.connect(owner.now());
        assertThat(machine.state()).isEqualTo(CONNECTED);
    }

    @Test
    void connectWhileUnavailableDoesNothing() {
        startConnecting();
        owner.advance(UNAVAILABLE_MS);
        owner.expect(new StateChanged(CONNECTING, UNAVAILABLE));
        machine.connect(owner.now());
        assertThat(machine.state()).isEqualTo(UNAVAILABLE);
    }

    @Test
    void connectWhileRetryIsPendingDoesNothing() {
        connect();
        owner.closed(1006, "gone");
        owner.expect(new Cancel(ACTIVITY), new Error(1006, "gone"), new ConnectingIn(1000), new Schedule(RETRY, 1000));
        machine.connect(owner.now());
        owner.advance(1000);
        expectAttemptStarts(CONNECTED, false);
    }

    @Test
    void connectAfterDisconnectStartsAgain() {
        connect();
        machine.disconnect(owner.now());
        owner.expect(
                new Close(1000, ConnectionStateMachine.REASON_DISCONNECT),
                new Cancel(ACTIVITY),
                new StateChanged(CONNECTED, DISCONNECTED));
        machine.connect(owner.now());
        owner.expect(new StateChanged(DISCONNECTED, CONNECTING), new Open(false), new Schedule(ConnectionTimer.UNAVAILABLE, UNAVAILABLE_MS));
        owner.opened();
        owner.frame(established("9.9", 120));
        owner.expect(
                new Cancel(ConnectionTimer.UNAVAILABLE),
                new Schedule(ACTIVITY, ACTIVITY_MS),
                new StateChanged(CONNECTING, CONNECTED),
                new Connected("9.9"));
        assertThat(machine.socketId()).isEqualTo("9.9");
    }

    // ------------------------------------------------------------ handshake

    @Test
    void handshakeCompletesOnConnectionEstablished() {
        startConnecting();
        owner.opened();
        owner.assertExhausted();
        assertThat(machine.socketId()).isNull();
        owner.frame(established(SOCKET_ID, 120));
        owner.expect(
                new Cancel(ConnectionTimer.UNAVAILABLE),
                new Schedule(ACTIVITY, ACTIVITY_MS),
                new StateChanged(CONNECTING, CONNECTED),
                new Connected(SOCKET_ID));
        assertThat(machine.state()).isEqualTo(CONNECTED);
        assertThat(machine.socketId()).isEqualTo(SOCKET_ID);
        assertThat(machine.activityTimeoutMillis()).isEqualTo(ACTIVITY_MS);
        // The unavailable timer was cancelled: nothing happens at its old deadline.
        owner.advance(UNAVAILABLE_MS);
        assertThat(machine.state()).isEqualTo(CONNECTED);
    }

    @Test
    void serverActivityTimeoutLowerThanTheOptionWins() {
        connect(30, 30_000);
        assertThat(machine.activityTimeoutMillis()).isEqualTo(30_000);
    }

    @Test
    void optionLowerThanServerActivityTimeoutWins() {
        newMachine(new ConnectionSettings(false, 20_000, PONG_MS, UNAVAILABLE_MS));
        startConnecting();
        owner.opened();
        owner.frame(established(SOCKET_ID, 120));
        owner.expect(
                new Cancel(ConnectionTimer.UNAVAILABLE),
                new Schedule(ACTIVITY, 20_000),
                new StateChanged(CONNECTING, CONNECTED),
                new Connected(SOCKET_ID));
        assertThat(machine.activityTimeoutMillis()).isEqualTo(20_000);
    }

    @Test
    void handshakeFromUnavailableMovesToConnected() {
        startConnecting();
        owner.advance(UNAVAILABLE_MS);
        owner.expect(new StateChanged(CONNECTING, UNAVAILABLE));
        owner.opened();
        owner.frame(established(SOCKET_ID, 120));
        owner.expect(new Schedule(ACTIVITY, ACTIVITY_MS), new StateChanged(UNAVAILABLE, CONNECTED), new Connected(SOCKET_ID));
    }

    @Test
    void frameBeforeTransportOpenedIsTakenAsTheHandshake() {
        startConnecting();
        owner.frame(established(SOCKET_ID, 120));
        owner.expect(
                new Cancel(ConnectionTimer.UNAVAILABLE),
                new Schedule(ACTIVITY, ACTIVITY_MS),
                new StateChanged(CONNECTING, CONNECTED),
                new Connected(SOCKET_ID));
    }

    @Test
    void firstFrameOtherThanConnectionEstablishedIsAnInvalidHandshake() {
        startConnecting();
        owner.opened();
        owner.frame(event("my-event", "my-channel", "{}"));
        owner.expect(new Close(1000, ConnectionStateMachine.REASON_INVALID_HANDSHAKE));
        Error error = (Error) owner.take();
        assertThat(error.code()).isEqualTo(-1);
        assertThat(error.message()).startsWith("Invalid handshake").contains("my-event");
        expectActionOutcome(CloseAction.BACKOFF, CONNECTING, true);
    }

    @Test
    void connectionEstablishedWithoutActivityTimeoutIsAnInvalidHandshake() {
        startConnecting();
        owner.opened();
        owner.frame(event(PusherEvents.CONNECTION_ESTABLISHED, null, "{\"socket_id\":\"1.2\"}"));
        owner.expect(new Close(1000, ConnectionStateMachine.REASON_INVALID_HANDSHAKE));
        Error error = (Error) owner.take();
        assertThat(error.code()).isEqualTo(-1);
        assertThat(error.message()).startsWith("Invalid handshake");
        expectActionOutcome(CloseAction.BACKOFF, CONNECTING, true);
    }

    @Test
    void connectionEstablishedWithZeroActivityTimeoutIsAnInvalidHandshake() {
        // pusher-js: `if (!message.data.activity_timeout) throw 'No activity timeout specified'`.
        startConnecting();
        owner.opened();
        owner.frame(established("1.2", 0));
        owner.expect(new Close(1000, ConnectionStateMachine.REASON_INVALID_HANDSHAKE));
        Error error = (Error) owner.take();
        assertThat(error.code()).isEqualTo(-1);
        assertThat(error.message()).startsWith("Invalid handshake").contains("activity_timeout");
        expectActionOutcome(CloseAction.BACKOFF, CONNECTING, true);
    }

    @ParameterizedTest(name = "pusher:error {0} during the handshake -> {1}")
    @CsvSource({
        "4000, TLS_ONLY", "4001, REFUSED", "4099, REFUSED", "4100, BACKOFF", "4199, BACKOFF", "4200, RETRY",
        "4299, RETRY", "4300, REFUSED", "4301, REFUSED", "1000, BACKOFF", "1001, BACKOFF", "1002, BACKOFF",
        "1006, BACKOFF"
    })
    void pusherErrorDuringHandshakeFollowsThePolicy(int code, CloseAction expected) {
        startConnecting();
        owner.opened();
        owner.frame(pusherError(code, "nope"));
        owner.expect(new Close(1000, ConnectionStateMachine.REASON_HANDSHAKE_ERROR));
        if (reportsError(code)) {
            owner.expect(new Error(code, "nope"));
        }
        expectActionOutcome(expected, CONNECTING, true);
    }

    @Test
    void pusherErrorWithoutCodeDuringHandshakeBacksOff() {
        startConnecting();
        owner.opened();
        owner.frame(PusherFrame.ofJsonData(PusherEvents.ERROR, null, "{\"message\":\"who knows\"}", null));
        owner.expect(new Close(1000, ConnectionStateMachine.REASON_HANDSHAKE_ERROR), new Error(-1, "who knows"));
        expectActionOutcome(CloseAction.BACKOFF, CONNECTING, true);
    }

    @ParameterizedTest(name = "close {0} during the handshake -> {1}")
    @CsvSource({
        "4000, TLS_ONLY", "4001, REFUSED", "4099, REFUSED", "4100, BACKOFF", "4199, BACKOFF", "4200, RETRY",
        "4299, RETRY", "4300, REFUSED", "4301, REFUSED", "1000, BACKOFF", "1001, BACKOFF", "1002, BACKOFF",
        "1006, BACKOFF"
    })
    void closeDuringHandshakeFollowsThePolicy(int code, CloseAction expected) {
        // Handshake.onClosed: getCloseAction(code) || 'backoff', error = getCloseError(code).
        startConnecting();
        owner.opened();
        owner.closed(code, "bye");
        if (reportsError(code)) {
            owner.expect(new Error(code, "bye"));
        }
        expectActionOutcome(expected, CONNECTING, true);
    }

    @Test
    void closeWithActionBeforeOpenFollowsThePolicy() {
        startConnecting();
        owner.closed(4001, "app disabled");
        owner.expect(new Error(4001, "app disabled"));
        expectActionOutcome(CloseAction.REFUSED, CONNECTING, true);
    }

    @Test
    void closeWithoutActionBeforeOpenCountsAsAFailedAttempt() {
        startConnecting();
        owner.closed(1006, "refused");
        owner.expect(new Open(false));
        assertThat(machine.state()).isEqualTo(CONNECTING);
    }

    @Test
    void transportFailedDuringHandshakeReportsAndBacksOff() {
        startConnecting();
        owner.opened();
        owner.failed("reset by peer");
        owner.expect(new Error(-1, "reset by peer"));
        expectActionOutcome(CloseAction.BACKOFF, CONNECTING, true);
    }

    // ------------------------------------------------------------ failed attempts and unavailable

    @Test
    void transportFailedBeforeOpenRestartsTheStrategyAtOnce() {
        startConnecting();
        owner.advance(3000);
        owner.failed("connection refused");
        // No error, no state change, and the unavailable timer keeps its deadline.
        owner.expect(new Open(false));
        assertThat(machine.state()).isEqualTo(CONNECTING);
        owner.advance(6999);
        owner.assertExhausted();
        owner.advance(1);
        owner.expect(new StateChanged(CONNECTING, UNAVAILABLE));
    }

    @Test
    void unavailableTimeoutMovesToUnavailableAndAttemptsGoOn() {
        startConnecting();
        owner.advance(UNAVAILABLE_MS - 1);
        assertThat(machine.state()).isEqualTo(CONNECTING);
        owner.advance(1);
        owner.expect(new StateChanged(CONNECTING, UNAVAILABLE));
        assertThat(machine.state()).isEqualTo(UNAVAILABLE);
        owner.failed("still down");
        owner.expect(new Open(false));
        owner.advance(1_000_000);
        assertThat(machine.state()).isEqualTo(UNAVAILABLE);
    }

    @Test
    void transportFailedWhileUnavailableStaysUnavailable() {
        startConnecting();
        owner.advance(UNAVAILABLE_MS);
        owner.expect(new StateChanged(CONNECTING, UNAVAILABLE));
        owner.failed("down");
        owner.failed("down");
        owner.expect(new Open(false), new Open(false));
        assertThat(machine.state()).isEqualTo(UNAVAILABLE);
    }

    @Test
    void retryFromUnavailableMovesBackToConnecting() {
        startConnecting();
        owner.advance(UNAVAILABLE_MS);
        owner.expect(new StateChanged(CONNECTING, UNAVAILABLE));
        owner.opened();
        owner.closed(4100, "over capacity");
        owner.expect(new Error(4100, "over capacity"));
        expectActionOutcome(CloseAction.BACKOFF, UNAVAILABLE, false);
    }

    @Test
    void retriesRestartTheUnavailableTimer() {
        // pusher-js: the retry timer runs disconnectInternally (clears it) then connect (sets it again).
        startConnecting();
        owner.advance(5000);
        owner.opened();
        owner.closed(1006, "x");
        owner.expect(new Error(1006, "x"), new ConnectingIn(1000), new Schedule(RETRY, 1000));
        owner.advance(1000);
        expectAttemptStarts(CONNECTING, false);
        owner.advance(UNAVAILABLE_MS - 1);
        assertThat(machine.state()).isEqualTo(CONNECTING);
        owner.advance(1);
        owner.expect(new StateChanged(CONNECTING, UNAVAILABLE));
    }

    // ------------------------------------------------------------ connected: frames

    @Test
    void applicationFramesGoToMessage() {
        connect();
        PusherFrame app = event("my-event", "my-channel", "{\"a\":1}");
        PusherFrame succeeded = event(PusherEvents.INTERNAL_SUBSCRIPTION_SUCCEEDED, "my-channel", "{}");
        PusherFrame publicPusherEvent = event(PusherEvents.SUBSCRIPTION_SUCCEEDED, "my-channel", "{}");
        owner.frame(app);
        owner.frame(succeeded);
        owner.frame(publicPusherEvent);
        owner.expect(new Message(app), new Message(succeeded), new Message(publicPusherEvent));
    }

    @Test
    void serverPingIsAnsweredWithPong() {
        connect();
        owner.frame(event(PusherEvents.PING, null, "{}"));
        owner.expect(new Send(FrameCodec.pong()));
    }

    @Test
    void serverPongIsNotAMessage() {
        connect();
        owner.frame(event(PusherEvents.PONG, null, "{}"));
        owner.assertExhausted();
    }

    @Test
    void secondConnectionEstablishedWhenConnectedIsIgnored() {
        connect();
        owner.frame(established("other", 5));
        assertThat(machine.socketId()).isEqualTo(SOCKET_ID);
        assertThat(machine.activityTimeoutMillis()).isEqualTo(ACTIVITY_MS);
    }

    @Test
    void pusherErrorWhenConnectedIsReportedAndTheStateStays() {
        connect();
        owner.frame(pusherError(4201, "Pong reply not received"));
        owner.expect(new Error(4201, "Pong reply not received"));
        assertThat(machine.state()).isEqualTo(CONNECTED);
        assertThat(machine.socketId()).isEqualTo(SOCKET_ID);
    }

    @Test
    void pusherErrorWithoutCodeWhenConnected() {
        connect();
        owner.frame(PusherFrame.ofJsonData(PusherEvents.ERROR, null, "{\"message\":\"hmm\"}", null));
        owner.expect(new Error(-1, "hmm"));
    }

    @Test
    void pusherErrorWithDataOfTheWrongShapeIsStillReported() {
        connect();
        owner.frame(PusherFrame.ofJsonData(PusherEvents.ERROR, null, "[1,2]", null));
        Error error = (Error) owner.take();
        assertThat(error.code()).isEqualTo(-1);
        assertThat(machine.state()).isEqualTo(CONNECTED);
    }

    // ------------------------------------------------------------ connected: closes

    @ParameterizedTest(name = "close {0} when connected -> {1}")
    @CsvSource({
        "4000, TLS_ONLY", "4001, REFUSED", "4099, REFUSED", "4100, BACKOFF", "4199, BACKOFF", "4200, RETRY",
        "4299, RETRY", "4300, REFUSED", "4301, REFUSED", "1000, NONE", "1001, NONE", "1002, BACKOFF",
        "1003, BACKOFF", "1004, BACKOFF", "1005, NONE", "1006, NONE", "3999, NONE"
    })
    void closeWhenConnectedFollowsThePolicy(int code, CloseAction expected) {
        connect();
        owner.closed(code, "why");
        owner.expect(new Cancel(ACTIVITY));
        if (reportsError(code)) {
            owner.expect(new Error(code, "why"));
        }
        assertThat(machine.socketId()).isNull();
        expectActionOutcome(expected, CONNECTED, false);
    }

    @Test
    void tlsSwitchOn4000ReconnectsWithTls() {
        connect();
        owner.closed(4000, "SSL only");
        owner.expect(new Cancel(ACTIVITY), new Error(4000, "SSL only"), new Schedule(RETRY, 0));
        assertThat(machine.usingTls()).isTrue();
        owner.advance(0);
        owner.expect(new StateChanged(CONNECTED, CONNECTING), new Open(true), new Schedule(ConnectionTimer.UNAVAILABLE, UNAVAILABLE_MS));
        // A later lost connection keeps using TLS.
        owner.opened();
        owner.frame(established("2.2", 120));
        owner.expect(
                new Cancel(ConnectionTimer.UNAVAILABLE),
                new Schedule(ACTIVITY, ACTIVITY_MS),
                new StateChanged(CONNECTING, CONNECTED),
                new Connected("2.2"));
        owner.closed(1006, "");
        owner.expect(new Cancel(ACTIVITY), new Error(1006, ""), new ConnectingIn(1000), new Schedule(RETRY, 1000));
        owner.advance(1000);
        expectAttemptStarts(CONNECTED, true);
    }

    @Test
    void lostConnectionStaysConnectedUntilTheRetry() {
        connect();
        owner.closed(1006, null);
        owner.expect(new Cancel(ACTIVITY), new Error(1006, ""), new ConnectingIn(1000), new Schedule(RETRY, 1000));
        assertThat(machine.state()).isEqualTo(CONNECTED);
        assertThat(machine.socketId()).isNull();
        owner.advance(999);
        owner.assertExhausted();
        owner.advance(1);
        expectAttemptStarts(CONNECTED, false);
    }

    @Test
    void transportFailedWhenConnectedReportsAndRetriesAfterOneSecond() {
        connect();
        owner.failed("broken pipe");
        owner.expect(new Cancel(ACTIVITY), new Error(-1, "broken pipe"));
        expectActionOutcome(CloseAction.BACKOFF, CONNECTED, false);
    }

    @Test
    void reconnectAfterALostConnectionGetsTheNewSocketId() {
        connect();
        owner.closed(4200, "reconnect");
        owner.expect(new Cancel(ACTIVITY), new Error(4200, "reconnect"), new Schedule(RETRY, 0));
        owner.advance(0);
        expectAttemptStarts(CONNECTED, false);
        owner.opened();
        owner.frame(established("7.7", 60));
        owner.expect(
                new Cancel(ConnectionTimer.UNAVAILABLE),
                new Schedule(ACTIVITY, 60_000),
                new StateChanged(CONNECTING, CONNECTED),
                new Connected("7.7"));
        assertThat(machine.socketId()).isEqualTo("7.7");
        assertThat(machine.activityTimeoutMillis()).isEqualTo(60_000);
    }

    // ------------------------------------------------------------ activity, ping, pong

    @Test
    void pingAfterAFullActivityTimeoutOfSilence() {
        connect();
        owner.advance(ACTIVITY_MS - 1);
        owner.assertExhausted();
        owner.advance(1);
        owner.expect(new Send(FrameCodec.ping()), new Schedule(PONG, PONG_MS));
    }

    @Test
    void framesPostponeThePingWithoutSchedulingAnything() {
        connect();
        owner.advance(60_000);
        PusherFrame frame = event("e", "c", "1");
        owner.frame(frame);
        owner.frame(event(PusherEvents.PONG, null, "{}"));
        // The per-message path only records the time.
        owner.expect(new Message(frame));
        owner.advance(60_000);
        owner.expect(new Schedule(ACTIVITY, 60_000));
        owner.advance(59_999);
        owner.assertExhausted();
        owner.advance(1);
        owner.expect(new Send(FrameCodec.ping()), new Schedule(PONG, PONG_MS));
    }

    @Test
    void activityPostponesThePing() {
        connect();
        owner.advance(100_000);
        machine.activity(owner.now());
        owner.assertExhausted();
        owner.advance(20_000);
        owner.expect(new Schedule(ACTIVITY, 100_000));
        owner.advance(100_000);
        owner.expect(new Send(FrameCodec.ping()), new Schedule(PONG, PONG_MS));
    }

    @Test
    void pongTimeoutClosesAndRetriesAtOnce() {
        connect();
        owner.advance(ACTIVITY_MS);
        owner.expect(new Send(FrameCodec.ping()), new Schedule(PONG, PONG_MS));
        owner.advance(PONG_MS - 1);
        owner.assertExhausted();
        owner.step(1);
        // pusher-js reports no error for a pong timeout; it retries with no delay.
        owner.expect(new Close(1000, ConnectionStateMachine.REASON_PONG_TIMEOUT), new Schedule(RETRY, 0));
        assertThat(machine.state()).isEqualTo(CONNECTED);
        assertThat(machine.socketId()).isNull();
        owner.advance(0);
        expectAttemptStarts(CONNECTED, false);
    }

    @Test
    void anyFrameAfterThePingMakesThePongTimeoutHarmless() {
        connect();
        owner.advance(ACTIVITY_MS);
        owner.expect(new Send(FrameCodec.ping()), new Schedule(PONG, PONG_MS));
        owner.advance(1000);
        owner.frame(event(PusherEvents.PONG, null, "{}"));
        owner.assertExhausted();
        owner.advance(PONG_MS - 1000);
        // The pong arrived 29 s ago: the next ping is due 120 s after it.
        owner.expect(new Schedule(ACTIVITY, ACTIVITY_MS - (PONG_MS - 1000)));
        assertThat(machine.state()).isEqualTo(CONNECTED);
        owner.advance(ACTIVITY_MS - (PONG_MS - 1000));
        owner.expect(new Send(FrameCodec.ping()), new Schedule(PONG, PONG_MS));
    }

    @Test
    void activityAfterThePingMakesThePongTimeoutHarmless() {
        connect();
        owner.advance(ACTIVITY_MS);
        owner.expect(new Send(FrameCodec.ping()), new Schedule(PONG, PONG_MS));
        owner.advance(PONG_MS - 1);
        machine.activity(owner.now());
        owner.advance(1);
        owner.expect(new Schedule(ACTIVITY, ACTIVITY_MS - 1));
        assertThat(machine.state()).isEqualTo(CONNECTED);
    }

    @Test
    void pongTimeoutLongerThanActivityTimeoutPingsAgain() {
        newMachine(new ConnectionSettings(false, 10_000, 30_000, UNAVAILABLE_MS));
        connect(120, 10_000);
        owner.advance(10_000);
        owner.expect(new Send(FrameCodec.ping()), new Schedule(PONG, 30_000));
        owner.advance(5_000);
        owner.frame(event(PusherEvents.PONG, null, "{}"));
        owner.advance(25_000);
        // Alive, but quiet for 25 s > 10 s: ping again at once.
        owner.expect(new Send(FrameCodec.ping()), new Schedule(PONG, 30_000));
        owner.advance(30_000);
        owner.expect(new Close(1000, ConnectionStateMachine.REASON_PONG_TIMEOUT), new Schedule(RETRY, 0));
        owner.advance(0);
        expectAttemptStarts(CONNECTED, false);
    }

    @Test
    void serverActivityTimeoutDrivesThePing() {
        connect(30, 30_000);
        owner.advance(30_000);
        owner.expect(new Send(FrameCodec.ping()), new Schedule(PONG, PONG_MS));
    }

    // ------------------------------------------------------------ disconnect

    @Test
    void disconnectBeforeTransportOpensAbandonsTheAttempt() {
        startConnecting();
        machine.disconnect(owner.now());
        owner.expect(
                new Close(1000, ConnectionStateMachine.REASON_DISCONNECT),
                new Cancel(ConnectionTimer.UNAVAILABLE),
                new StateChanged(CONNECTING, DISCONNECTED));
        owner.assertNoTimersPending();
        owner.advance(1_000_000);
        assertThat(machine.state()).isEqualTo(DISCONNECTED);
    }

    @Test
    void disconnectDuringHandshakeClosesTheTransport() {
        startConnecting();
        owner.opened();
        machine.disconnect(owner.now());
        owner.expect(
                new Close(1000, ConnectionStateMachine.REASON_DISCONNECT),
                new Cancel(ConnectionTimer.UNAVAILABLE),
                new StateChanged(CONNECTING, DISCONNECTED));
        // The old transport's handshake arriving late changes nothing.
        machine.frameReceived(established(SOCKET_ID, 120), owner.now());
        assertThat(machine.state()).isEqualTo(DISCONNECTED);
        assertThat(machine.socketId()).isNull();
    }

    @Test
    void disconnectWhenConnectedClosesAndStopsTheActivityCheck() {
        connect();
        machine.disconnect(owner.now());
        owner.expect(
                new Close(1000, ConnectionStateMachine.REASON_DISCONNECT),
                new Cancel(ACTIVITY),
                new StateChanged(CONNECTED, DISCONNECTED));
        assertThat(machine.socketId()).isNull();
        owner.assertNoTimersPending();
        owner.advance(1_000_000);
    }

    @Test
    void disconnectWhileWaitingForPongCancelsPong() {
        connect();
        owner.advance(ACTIVITY_MS);
        owner.expect(new Send(FrameCodec.ping()), new Schedule(PONG, PONG_MS));
        machine.disconnect(owner.now());
        owner.expect(
                new Close(1000, ConnectionStateMachine.REASON_DISCONNECT),
                new Cancel(PONG),
                new StateChanged(CONNECTED, DISCONNECTED));
        owner.assertNoTimersPending();
    }

    @Test
    void disconnectWhileRetryIsPendingCancelsTheRetry() {
        connect();
        owner.closed(1006, "x");
        owner.expect(new Cancel(ACTIVITY), new Error(1006, "x"), new ConnectingIn(1000), new Schedule(RETRY, 1000));
        machine.disconnect(owner.now());
        // The transport is already gone: nothing to close.
        owner.expect(new Cancel(RETRY), new StateChanged(CONNECTED, DISCONNECTED));
        owner.assertNoTimersPending();
        owner.advance(1_000_000);
    }

    @Test
    void disconnectWhileUnavailable() {
        startConnecting();
        owner.advance(UNAVAILABLE_MS);
        owner.expect(new StateChanged(CONNECTING, UNAVAILABLE));
        machine.disconnect(owner.now());
        owner.expect(new Close(1000, ConnectionStateMachine.REASON_DISCONNECT), new StateChanged(UNAVAILABLE, DISCONNECTED));
        owner.assertNoTimersPending();
    }

    @Test
    void disconnectFromInitialized() {
        // pusher-js: disconnect() always updates the state, initialized included.
        machine.disconnect(owner.now());
        owner.expect(new StateChanged(INITIALIZED, DISCONNECTED));
    }

    @Test
    void disconnectTwiceDoesNothingMore() {
        connect();
        machine.disconnect(owner.now());
        owner.expect(
                new Close(1000, ConnectionStateMachine.REASON_DISCONNECT),
                new Cancel(ACTIVITY),
                new StateChanged(CONNECTED, DISCONNECTED));
        machine.disconnect(owner.now());
        owner.assertExhausted();
    }

    // ------------------------------------------------------------ stale and out-of-order calls

    @Test
    void staleTransportEventsAfterDisconnectAreIgnored() {
        connect();
        machine.disconnect(owner.now());
        owner.expect(
                new Close(1000, ConnectionStateMachine.REASON_DISCONNECT),
                new Cancel(ACTIVITY),
                new StateChanged(CONNECTED, DISCONNECTED));
        machine.transportOpened(owner.now());
        machine.frameReceived(event("late", "c", "{}"), owner.now());
        machine.frameReceived(event(PusherEvents.PING, null, "{}"), owner.now());
        machine.activity(owner.now());
        machine.transportClosed(4001, "late", owner.now());
        machine.transportFailed("late", owner.now());
        assertThat(machine.state()).isEqualTo(DISCONNECTED);
    }

    @Test
    void staleCloseAfterTheClientClosedIsIgnored() {
        startConnecting();
        owner.opened();
        owner.frame(event("garbage", null, null));
        owner.expect(new Close(1000, ConnectionStateMachine.REASON_INVALID_HANDSHAKE));
        assertThat(((Error) owner.take()).code()).isEqualTo(-1);
        owner.expect(new ConnectingIn(1000), new Schedule(RETRY, 1000));
        machine.transportClosed(4001, "late close of the abandoned transport", owner.now());
        machine.transportFailed("late", owner.now());
        assertThat(machine.state()).isEqualTo(CONNECTING);
        owner.advance(1000);
        expectAttemptStarts(CONNECTING, false);
    }

    @Test
    void framesWhileARetryIsPendingAreIgnored() {
        connect();
        owner.step(ACTIVITY_MS);
        owner.step(PONG_MS);
        owner.expect(
                new Send(FrameCodec.ping()),
                new Schedule(PONG, PONG_MS),
                new Close(1000, ConnectionStateMachine.REASON_PONG_TIMEOUT),
                new Schedule(RETRY, 0));
        machine.frameReceived(event("late", "c", "{}"), owner.now());
        machine.activity(owner.now());
        owner.advance(0);
        expectAttemptStarts(CONNECTED, false);
    }

    @ParameterizedTest
    @EnumSource(ConnectionTimer.class)
    void timerFiringsThatAreNotArmedAreIgnored(ConnectionTimer timer) {
        machine.timerFired(timer, owner.now());
        connect();
        if (timer != ACTIVITY) {
            machine.timerFired(timer, owner.now() + 1_000_000);
        }
        assertThat(machine.state()).isEqualTo(CONNECTED);
        machine.disconnect(owner.now());
        owner.expect(
                new Close(1000, ConnectionStateMachine.REASON_DISCONNECT),
                new Cancel(ACTIVITY),
                new StateChanged(CONNECTED, DISCONNECTED));
        machine.timerFired(timer, owner.now() + 1_000_000);
        assertThat(machine.state()).isEqualTo(DISCONNECTED);
    }

    @Test
    void earlyTimerFiringIsRearmedForTheRemainder() {
        startConnecting();
        // A stale or early firing: 4 s before the unavailable deadline.
        owner.advance(6000);
        machine.timerFired(ConnectionTimer.UNAVAILABLE, owner.now());
        owner.expect(new Schedule(ConnectionTimer.UNAVAILABLE, 4000));
        assertThat(machine.state()).isEqualTo(CONNECTING);
        owner.advance(4000);
        owner.expect(new StateChanged(CONNECTING, UNAVAILABLE));
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThatThrownBy(() -> new ConnectionStateMachine(null, owner)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ConnectionStateMachine(SETTINGS, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> machine.frameReceived(null, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> machine.timerFired(null, 0)).isInstanceOf(NullPointerException.class);
    }

    // ------------------------------------------------------------ close-code policy and settings

    @ParameterizedTest(name = "closeAction({0}) = {1}")
    @CsvSource({
        "4000, TLS_ONLY", "4001, REFUSED", "4050, REFUSED", "4099, REFUSED", "4100, BACKOFF", "4199, BACKOFF",
        "4200, RETRY", "4299, RETRY", "4300, REFUSED", "4301, REFUSED", "4999, REFUSED", "1000, NONE",
        "1001, NONE", "1002, BACKOFF", "1003, BACKOFF", "1004, BACKOFF", "1005, NONE", "1006, NONE",
        "1011, NONE", "3999, NONE", "0, NONE", "-1, NONE"
    })
    void closeActionFollowsPusherJs(int code, CloseAction expected) {
        assertThat(ConnectionStateMachine.closeAction(code)).isEqualTo(expected);
    }

    @Test
    void defaultSettingsAreThoseOfPusherJs() {
        assertThat(ConnectionSettings.defaults()).isEqualTo(new ConnectionSettings(true, 120_000, 30_000, 10_000));
    }

    @Test
    void nonPositiveTimeoutsAreRejected() {
        assertThatThrownBy(() -> new ConnectionSettings(true, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("activityTimeoutMillis");
        assertThatThrownBy(() -> new ConnectionSettings(true, 1, -5, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pongTimeoutMillis");
        assertThatThrownBy(() -> new ConnectionSettings(true, 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unavailableTimeoutMillis");
    }

    @Test
    void wireNamesAreThoseOfPusherJs() {
        assertThat(ConnectionState.values())
                .extracting(ConnectionState::wireName)
                .containsExactly("initialized", "connecting", "connected", "unavailable", "failed", "disconnected");
    }
}
