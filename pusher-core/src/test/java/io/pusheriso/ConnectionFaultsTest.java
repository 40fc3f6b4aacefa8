package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.TransportKind;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connection faults with the in-memory transport and fake time: every close-code range leads to
 * the action DESIGN.md and pusher-js's {@code getCloseAction} give it, and an unreachable server
 * goes {@code connecting}, {@code unavailable}, keeps being retried and is used once it is back.
 */
class ConnectionFaultsTest {

  /** What a close code must lead to. */
  enum Action {
    /** Switch to TLS and reconnect at once. */
    TLS_ONLY,
    /** Do not reconnect: state {@code disconnected}. */
    REFUSED,
    /** Reconnect after one second. */
    BACKOFF,
    /** Reconnect at once. */
    RETRY
  }

  static Stream<Arguments> closeCodes() {
    return Stream.of(
        Arguments.of(4000, Action.TLS_ONLY, true),
        Arguments.of(4001, Action.REFUSED, true),
        Arguments.of(4009, Action.REFUSED, true),
        Arguments.of(4099, Action.REFUSED, true),
        Arguments.of(4100, Action.BACKOFF, true),
        Arguments.of(4150, Action.BACKOFF, true),
        Arguments.of(4199, Action.BACKOFF, true),
        Arguments.of(4200, Action.RETRY, true),
        Arguments.of(4201, Action.RETRY, true),
        Arguments.of(4299, Action.RETRY, true),
        Arguments.of(4300, Action.REFUSED, true),
        Arguments.of(4301, Action.REFUSED, true),
        Arguments.of(4999, Action.REFUSED, true),
        Arguments.of(1000, Action.BACKOFF, false),
        Arguments.of(1001, Action.BACKOFF, false),
        Arguments.of(1002, Action.BACKOFF, true),
        Arguments.of(1003, Action.BACKOFF, true),
        Arguments.of(1004, Action.BACKOFF, true),
        Arguments.of(1006, Action.BACKOFF, true),
        Arguments.of(1011, Action.BACKOFF, true),
        Arguments.of(1015, Action.BACKOFF, true));
  }

  @ParameterizedTest(name = "close {0} once connected -> {1}")
  @MethodSource("closeCodes")
  void closeCode_onAnOpenConnection(int code, Action action, boolean reportsError) {
    try (Harness h = new Harness(b -> b.tls(false))) {
      FakeTransport t = h.connect("1.1");
      t.serverClose(code, "reason " + code);
      assertThat(h.pusher.socketId()).isEmpty();
      checkAction(h, code, action, reportsError);
    }
  }

  @ParameterizedTest(name = "close {0} during the handshake -> {1}")
  @MethodSource("closeCodes")
  void closeCode_duringTheHandshake(int code, Action action, boolean reportsError) {
    try (Harness h = new Harness(b -> b.tls(false))) {
      h.pusher.connect();
      FakeTransport t = h.ws.last();
      t.serverOpen();
      t.serverClose(code, "reason " + code);
      checkAction(h, code, action, reportsError);
    }
  }

  @ParameterizedTest(name = "pusher:error {0} as the handshake -> {1}")
  @MethodSource("closeCodes")
  void pusherErrorCode_asTheHandshake(int code, Action action, boolean reportsError) {
    try (Harness h = new Harness(b -> b.tls(false))) {
      h.pusher.connect();
      FakeTransport t = h.ws.last();
      t.serverOpen();
      t.serverSend("{\"event\":\"pusher:error\",\"data\":{\"code\":" + code + ",\"message\":\"m\"}}");
      assertThat(t.terminated).as("the client closes a transport whose handshake is an error").isTrue();
      checkAction(h, code, action, reportsError);
    }
  }

  private static void checkAction(Harness h, int code, Action action, boolean reportsError) {
    if (reportsError) {
      assertThat(h.errors).singleElement().isInstanceOfSatisfying(PusherConnectionException.class,
          e -> assertThat(e.code()).isEqualTo(code));
    } else {
      assertThat(h.errors).as("a normal close is no error").isEmpty();
    }
    int before = h.ws.opened.size();
    switch (action) {
      case REFUSED -> {
        assertThat(h.pusher.state()).isEqualTo(ConnectionState.DISCONNECTED);
        h.time.advance(Duration.ofMinutes(10));
        assertThat(h.ws.opened).as("never reconnects").hasSize(before);
        assertThat(h.pusher.state()).isEqualTo(ConnectionState.DISCONNECTED);
      }
      case RETRY, TLS_ONLY -> {
        assertThat(h.connectingIn).isEmpty();
        h.time.runDue();
        assertThat(h.ws.opened).as("reconnects at once").hasSize(before + 1);
        assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(h.ws.last().request.uri().getScheme()).isEqualTo(action == Action.TLS_ONLY ? "wss" : "ws");
        h.ws.last().serverHandshake("2.2");
        assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
      }
      case BACKOFF -> {
        assertThat(h.connectingIn).containsExactly(Duration.ofSeconds(1));
        h.time.advance(Duration.ofMillis(999));
        assertThat(h.ws.opened).hasSize(before);
        h.time.advance(Duration.ofMillis(1));
        assertThat(h.ws.opened).as("reconnects after one second").hasSize(before + 1);
        assertThat(h.ws.last().request.uri().getScheme()).isEqualTo("ws");
        h.ws.last().serverHandshake("2.2");
        assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
      }
      default -> throw new AssertionError(action);
    }
  }

  // ---------------------------------------------------------------- unreachable server

  /** Fails every attempt still opening, as a refused TCP connect would. */
  private static void refuseOpenAttempts(Harness h) {
    for (FakeTransport t : h.ws.opened) {
      if (!t.terminated && !t.open) {
        t.serverFail(new ConnectException("Connection refused"));
      }
    }
  }

  /** Advances time second by second, refusing every attempt, and returns the attempts made. */
  private static int unreachableFor(Harness h, Duration d) {
    int before = h.ws.opened.size();
    for (long s = 0; s < d.toSeconds(); s++) {
      refuseOpenAttempts(h);
      h.time.advance(Duration.ofSeconds(1));
    }
    refuseOpenAttempts(h);
    return h.ws.opened.size() - before;
  }

  @Test
  void unreachableServer_connectingThenUnavailable_retriesGoOn_andRecovers() {
    try (Harness h = new Harness()) {
      Channel news = h.pusher.subscribe("news");
      h.pusher.connect();
      refuseOpenAttempts(h);
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTING);
      h.time.advance(Duration.ofMillis(9_999));
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTING);
      h.time.advance(Duration.ofMillis(1));
      assertThat(h.pusher.state()).as("after the unavailable timeout").isEqualTo(ConnectionState.UNAVAILABLE);

      int attempts = unreachableFor(h, Duration.ofMinutes(10));
      assertThat(attempts).as("retries go on, paced by the growing timeout").isBetween(10, 11);
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.UNAVAILABLE);
      assertThat(h.errors)
          .as("the refusal is reported once, not on every one of the retries")
          .singleElement()
          .isInstanceOfSatisfying(PusherConnectionException.class, e -> {
            assertThat(e.code()).isEqualTo(-1);
            assertThat(e.getCause()).isInstanceOf(ConnectException.class);
          });

      // The server is back: the next attempt (at most 60 s away) connects.
      int before = h.ws.opened.size();
      for (int s = 0; s <= 60 && h.ws.opened.size() == before; s++) {
        h.time.advance(Duration.ofSeconds(1));
      }
      FakeTransport back = h.ws.last();
      back.serverHandshake("9.9");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(back.sentEvents("pusher:subscribe")).singleElement().asString().contains("news");
      back.serverSend(Harness.succeeded("news"));
      assertThat(news.isSubscribed()).isTrue();
      assertThat(h.changes).extracting(ConnectionStateChange::current).containsExactly(
          ConnectionState.CONNECTING, ConnectionState.UNAVAILABLE, ConnectionState.CONNECTED);
    }
  }

  @Test
  void serverGoneWhileConnected_sameStory_fromConnected() {
    try (Harness h = new Harness()) {
      FakeTransport first = h.connect("1.1");
      first.serverFail(new IOException("Connection reset"));
      assertThat(h.pusher.socketId()).isEmpty();
      h.time.advance(Duration.ofSeconds(1));
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTING);
      unreachableFor(h, Duration.ofSeconds(10));
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.UNAVAILABLE);
      int attempts = unreachableFor(h, Duration.ofMinutes(5));
      assertThat(attempts).isGreaterThanOrEqualTo(5);
      int before = h.ws.opened.size();
      for (int s = 0; s <= 60 && h.ws.opened.size() == before; s++) {
        h.time.advance(Duration.ofSeconds(1));
      }
      h.ws.last().serverHandshake("2.2");
      assertThat(h.pusher.socketId()).contains("2.2");
      List<ConnectionState> states = h.changes.stream().map(ConnectionStateChange::current).toList();
      assertThat(states).containsSubsequence(
          ConnectionState.CONNECTED, ConnectionState.CONNECTING, ConnectionState.UNAVAILABLE, ConnectionState.CONNECTED);
    }
  }

  @Test
  void disconnectWhileUnavailable_stopsEveryAttemptAndTimer() {
    FakeTransportFactory http = new FakeTransportFactory("http", TransportKind.XHR_STREAMING,
        TransportKind.XHR_POLLING);
    try (Harness h = new Harness(b -> b.transportFactory(http))) {
      h.pusher.connect();
      unreachableFor(h, Duration.ofSeconds(30));
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.UNAVAILABLE);
      assertThat(http.opened).isNotEmpty();
      h.pusher.disconnect();
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.DISCONNECTED);
      assertThat(h.ws.opened).allSatisfy(t -> assertThat(t.terminated).isTrue());
      assertThat(http.opened).allSatisfy(t -> assertThat(t.terminated).isTrue());
      assertThat(h.time.pendingDelays()).as("no timer left behind").isEmpty();
      int ws = h.ws.opened.size();
      int xhr = http.opened.size();
      h.time.advance(Duration.ofMinutes(10));
      assertThat(h.ws.opened).hasSize(ws);
      assertThat(http.opened).hasSize(xhr);
      h.pusher.connect();
      h.ws.last().serverHandshake("3.3");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }
}
