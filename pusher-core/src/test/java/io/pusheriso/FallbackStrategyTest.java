package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.TransportKind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The fallback strategy with fake time: pusher-js's order, delays and timeouts, the race, the
 * transports that die young and the remembered transport.
 */
class FallbackStrategyTest {

  private final FakeTransportFactory ws = new FakeTransportFactory("ws", TransportKind.WEBSOCKET);
  private final FakeTransportFactory http =
      new FakeTransportFactory("http", TransportKind.XHR_STREAMING, TransportKind.XHR_POLLING);

  private Harness harness(UnaryOperator<PusherOptions.Builder> custom) {
    return new Harness(ws, b -> custom.apply(b.transportFactory(http)));
  }

  private Harness harness() {
    return harness(b -> b);
  }

  private static FakeTransport lastOf(FakeTransportFactory f, TransportKind kind) {
    List<FakeTransport> all = f.opened.stream().filter(t -> t.kind() == kind).toList();
    return all.get(all.size() - 1);
  }

  private static long count(FakeTransportFactory f, TransportKind kind) {
    return f.opened.stream().filter(t -> t.kind() == kind).count();
  }

  // ---------------------------------------------------------------- order and delays

  @Test
  void tls_streamingJoinsAt2s_pollingAt6s() {
    try (Harness h = harness()) {
      h.pusher.connect();
      assertThat(ws.opened).hasSize(1);
      h.time.advance(Duration.ofMillis(1_999));
      assertThat(http.opened).isEmpty();
      h.time.advance(Duration.ofMillis(1));
      assertThat(http.opened).singleElement().satisfies(t -> assertThat(t.kind()).isEqualTo(TransportKind.XHR_STREAMING));
      h.time.advance(Duration.ofMillis(3_999));
      assertThat(http.opened).hasSize(1);
      h.time.advance(Duration.ofMillis(1));
      assertThat(http.last().kind()).isEqualTo(TransportKind.XHR_POLLING);
      assertThat(http.last().request.uri().getScheme()).isEqualTo("https");
    }
  }

  @Test
  void plain_wssAt2s_streamingAt5s_pollingAt9s() {
    try (Harness h = harness(b -> b.tls(false))) {
      h.pusher.connect();
      assertThat(ws.last().request.uri().getScheme()).isEqualTo("ws");
      h.time.advance(Duration.ofSeconds(2));
      assertThat(ws.last().request.uri().getScheme()).isEqualTo("wss");
      h.time.advance(Duration.ofMillis(2_999));
      assertThat(http.opened).isEmpty();
      h.time.advance(Duration.ofMillis(1));
      assertThat(http.last().kind()).isEqualTo(TransportKind.XHR_STREAMING);
      assertThat(http.last().request.uri().getScheme()).isEqualTo("http");
      h.time.advance(Duration.ofMillis(3_999));
      assertThat(http.opened).hasSize(1);
      h.time.advance(Duration.ofMillis(1));
      assertThat(http.last().kind()).isEqualTo(TransportKind.XHR_POLLING);
    }
  }

  /**
   * Nothing ever opens: each loop's timeout doubles up to 60 s, and the HTTP loop's own timeout
   * restarts the streaming and polling loops, exactly as pusher-js's nested SequentialStrategy.
   */
  @Test
  void nothingOpens_timeoutsGrowFrom15To60s_asPusherJsNestsThem() {
    try (Harness h = harness()) {
      List<String> log = new ArrayList<>();
      h.pusher.connect();
      int seen = 0;
      int seenHttp = 0;
      for (int s = 0; s <= 160; s++) {
        for (; seen < ws.opened.size(); seen++) {
          log.add("ws@" + s + "/" + ws.opened.get(seen).request.connectTimeout().toSeconds());
        }
        for (; seenHttp < http.opened.size(); seenHttp++) {
          FakeTransport t = http.opened.get(seenHttp);
          log.add(t.kind().wireName() + "@" + s + "/" + t.request.connectTimeout().toSeconds());
        }
        h.time.advance(Duration.ofSeconds(1));
      }
      assertThat(log.stream().filter(e -> e.startsWith("ws@")))
          .containsExactly("ws@0/15", "ws@15/30", "ws@45/60", "ws@105/60");
      assertThat(log.stream().filter(e -> e.startsWith("xhr_streaming@")))
          .containsExactly(
              "xhr_streaming@2/15", "xhr_streaming@17/15", "xhr_streaming@32/30", "xhr_streaming@47/15",
              "xhr_streaming@62/30", "xhr_streaming@92/60", "xhr_streaming@107/15", "xhr_streaming@122/30",
              "xhr_streaming@152/60");
      assertThat(log.stream().filter(e -> e.startsWith("xhr_polling@")))
          .containsExactly(
              "xhr_polling@6/15", "xhr_polling@21/15", "xhr_polling@36/30", "xhr_polling@51/15",
              "xhr_polling@66/30", "xhr_polling@96/60", "xhr_polling@111/15", "xhr_polling@126/30",
              "xhr_polling@156/60");
      assertThat(ws.opened.subList(0, ws.opened.size() - 1)).allSatisfy(t -> assertThat(t.terminated).isTrue());
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.UNAVAILABLE);
    }
  }

  // ---------------------------------------------------------------- the race

  @Test
  void wsBlocked_streamingWins_wsIsAbandoned_andPollingNeverStarts() {
    try (Harness h = harness()) {
      h.pusher.connect();
      FakeTransport wsAttempt = ws.last();
      h.time.advance(Duration.ofSeconds(2));
      FakeTransport streaming = http.last();
      streaming.serverHandshake("1.1");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(wsAttempt.terminated).as("the WebSocket attempt is closed").isTrue();
      assertThat(streaming.terminated).isFalse();
      h.time.advance(Duration.ofMinutes(2));
      assertThat(ws.opened).hasSize(1);
      assertThat(http.opened).hasSize(1);
      Channel ch = h.pusher.subscribe("news");
      assertThat(streaming.sentEvents("pusher:subscribe")).singleElement().asString().contains("news");
      streaming.serverSend(Harness.succeeded("news"));
      assertThat(ch.isSubscribed()).isTrue();
    }
  }

  @Test
  void streamingBrokenToo_pollingWins() {
    try (Harness h = harness()) {
      h.pusher.connect();
      h.time.advance(Duration.ofSeconds(2));
      lastOf(http, TransportKind.XHR_STREAMING).serverFail(new IOException("proxy says no"));
      h.time.advance(Duration.ofSeconds(4));
      lastOf(http, TransportKind.XHR_POLLING).serverHandshake("2.2");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(ws.last().terminated).isTrue();
    }
  }

  @Test
  void winnerIsTheFirstHandshake_notTheFirstSocketToOpen() {
    try (Harness h = harness()) {
      h.pusher.connect();
      FakeTransport wsAttempt = ws.last();
      wsAttempt.serverOpen();
      h.time.advance(Duration.ofSeconds(2));
      assertThat(http.opened).as("an open socket without a handshake does not stop the fallback").hasSize(1);
      http.last().serverHandshake("3.3");
      assertThat(h.pusher.socketId()).contains("3.3");
      assertThat(wsAttempt.terminated).isTrue();
    }
  }

  @Test
  void socketOpensButHandshakeNeverComes_attemptIsGivenUpAtItsTimeout() {
    try (Harness h = new Harness()) {
      h.pusher.connect();
      FakeTransport silent = h.ws.last();
      silent.serverOpen();
      h.time.advance(Duration.ofSeconds(15));
      assertThat(silent.terminated).isTrue();
      assertThat(h.ws.opened).hasSize(2);
      h.ws.last().serverHandshake("4.4");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void undecodableFirstFrame_isReported_andRetriedAfterOneSecond() {
    try (Harness h = new Harness()) {
      h.pusher.connect();
      FakeTransport t = h.ws.last();
      t.serverOpen();
      t.serverSend("{garbage");
      assertThat(t.terminated).isTrue();
      assertThat(h.errors).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("cannot be decoded"));
      assertThat(h.connectingIn).containsExactly(Duration.ofSeconds(1));
      h.time.advance(Duration.ofSeconds(1));
      assertThat(h.ws.opened).hasSize(2);
      h.ws.last().serverHandshake("5.5");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void closeDuringHandshake_winsTheRace_andItsCodeDecides() {
    try (Harness h = harness()) {
      h.pusher.connect();
      FakeTransport t = ws.last();
      t.serverOpen();
      t.serverClose(4001, "app does not exist");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.DISCONNECTED);
      h.time.advance(Duration.ofMinutes(1));
      assertThat(http.opened).as("the search stopped").isEmpty();
    }
  }

  // ---------------------------------------------------------------- lives

  /** ws never opens; streaming wins, then dies {@code afterMillis} later; returns the streaming transport. */
  private FakeTransport streamingConnectsThenDies(Harness h, long afterMillis, int code) {
    long searchStart = h.time.nowMillis();
    int before = http.opened.size();
    while (http.opened.size() == before) {
      h.time.advance(Duration.ofMillis(100));
    }
    FakeTransport streaming = http.last();
    assertThat(streaming.kind()).isEqualTo(TransportKind.XHR_STREAMING);
    assertThat(h.time.nowMillis() - searchStart).isEqualTo(2_000);
    streaming.serverHandshake("s" + http.opened.size());
    assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
    keepAlive(h, streaming, afterMillis);
    streaming.serverClose(code, "cut");
    // 4200 asks for a retry at once; the others retry after one second.
    h.time.advance(Duration.ofMillis(code == 4200 ? 0 : 1_000));
    return streaming;
  }

  /** Lets {@code millis} pass with the server sending something every 10 s, so no ping times out. */
  private static void keepAlive(Harness h, FakeTransport t, long millis) {
    long left = millis;
    while (left > 0) {
      long step = Math.min(left, 10_000);
      h.time.advance(Duration.ofMillis(step));
      t.serverSend("{\"event\":\"pusher:pong\",\"data\":{}}");
      left -= step;
    }
  }

  @Test
  void streamingThatKeepsDyingYoung_isSkipped_andPollingTakesItsPlace() {
    try (Harness h = harness()) {
      h.pusher.connect();
      streamingConnectsThenDies(h, 30_000, 1006);
      streamingConnectsThenDies(h, 30_000, 1006);
      // Third search: streaming has no lives left; polling starts where streaming would have.
      int before = http.opened.size();
      h.time.advance(Duration.ofSeconds(2));
      assertThat(http.opened).hasSize(before + 1);
      assertThat(http.last().kind()).isEqualTo(TransportKind.XHR_POLLING);
      h.time.advance(Duration.ofMinutes(3));
      assertThat(count(http, TransportKind.XHR_STREAMING)).isEqualTo(2);
    }
  }

  @Test
  void oldConnectionsAndCleanClosesCostNoLife() {
    try (Harness h = harness()) {
      h.pusher.connect();
      streamingConnectsThenDies(h, 240_000, 1006); // lived 2 x activity timeout: not young
      streamingConnectsThenDies(h, 1_000, 4200); // clean close, asks for a retry
      streamingConnectsThenDies(h, 1_000, 1000);
      int before = http.opened.size();
      h.time.advance(Duration.ofSeconds(2));
      assertThat(http.opened).hasSize(before + 1);
      assertThat(http.last().kind()).as("streaming still has its lives").isEqualTo(TransportKind.XHR_STREAMING);
    }
  }

  @Test
  void protocolViolation_costsALife_atAnyAge() {
    try (Harness h = harness()) {
      h.pusher.connect();
      streamingConnectsThenDies(h, 600_000, 1002);
      streamingConnectsThenDies(h, 600_000, 1003);
      int before = http.opened.size();
      h.time.advance(Duration.ofSeconds(2));
      assertThat(http.opened).hasSize(before + 1);
      assertThat(http.last().kind()).isEqualTo(TransportKind.XHR_POLLING);
    }
  }

  @Test
  void youngDeath_lowersThePingDelayOfTheNextConnection() {
    try (Harness h = harness()) {
      h.pusher.connect();
      streamingConnectsThenDies(h, 30_000, 1006); // ping delay becomes max(30 s / 2, 10 s) = 15 s
      int before = http.opened.size();
      while (http.opened.size() == before) {
        h.time.advance(Duration.ofMillis(100));
      }
      FakeTransport streaming = http.last();
      streaming.serverHandshake("x.1");
      h.time.advance(Duration.ofMillis(14_999));
      assertThat(streaming.sentEvents("pusher:ping")).isEmpty();
      h.time.advance(Duration.ofMillis(1));
      assertThat(streaming.sentEvents("pusher:ping")).hasSize(1);
    }
  }

  @Test
  void webSocketDyingYoung_lowersItsPingDelay_keepsTheSocketId_andALowerServerTimeoutStillWins() {
    try (Harness h = new Harness()) {
      FakeTransport first = h.connect("w.1");
      h.time.advance(Duration.ofSeconds(30));
      first.serverClose(1006, "cut"); // ping delay becomes max(30 s / 2, 10 s) = 15 s
      h.time.advance(Duration.ofSeconds(1));
      FakeTransport second = h.ws.last();
      second.serverHandshake("w.2");
      assertThat(h.pusher.socketId()).contains("w.2");
      h.time.advance(Duration.ofMillis(14_999));
      assertThat(second.sentEvents("pusher:ping")).isEmpty();
      h.time.advance(Duration.ofMillis(1));
      assertThat(second.sentEvents("pusher:ping")).hasSize(1);

      // A server that asks for pings sooner than the ping delay is obeyed.
      second.serverClose(1000, "bye");
      h.time.advance(Duration.ofSeconds(1));
      FakeTransport third = h.ws.last();
      third.serverOpen();
      third.serverSend("{\"event\":\"pusher:connection_established\",\"data\":"
          + "\"{\\\"socket_id\\\":\\\"w.3\\\",\\\"activity_timeout\\\":10}\"}");
      assertThat(h.pusher.socketId()).contains("w.3");
      h.time.advance(Duration.ofMillis(9_999));
      assertThat(third.sentEvents("pusher:ping")).isEmpty();
      h.time.advance(Duration.ofMillis(1));
      assertThat(third.sentEvents("pusher:ping")).hasSize(1);
    }
  }

  @Test
  void webSocketDyingYoung_keepsItsPlace_unlimitedLives() {
    try (Harness h = new Harness()) {
      h.pusher.connect();
      for (int i = 0; i < 5; i++) {
        FakeTransport t = h.ws.last();
        t.serverHandshake("w." + i);
        h.time.advance(Duration.ofSeconds(20));
        t.serverClose(1006, "cut");
        h.time.advance(Duration.ofSeconds(1));
      }
      assertThat(h.ws.opened).hasSize(6);
      h.ws.last().serverHandshake("w.6");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void onlyTransportLosesAllItsLives_isTriedAgainRatherThanGivingUp() {
    try (Harness h = new Harness(http, b -> b.enabledTransports(TransportKind.XHR_STREAMING))) {
      h.pusher.connect();
      for (int i = 0; i < 3; i++) {
        FakeTransport t = http.last();
        assertThat(t.kind()).isEqualTo(TransportKind.XHR_STREAMING);
        t.serverHandshake("o." + i);
        h.time.advance(Duration.ofSeconds(5));
        t.serverClose(1006, "cut");
        h.time.advance(Duration.ofSeconds(1));
      }
      assertThat(http.opened).hasSize(4);
      assertThat(http.last().kind()).isEqualTo(TransportKind.XHR_STREAMING);
    }
  }

  // ---------------------------------------------------------------- the remembered transport

  @Test
  void rememberedWebSocket_isTriedAloneFirst_withTwiceItsLatencyPlusOneSecond() {
    try (Harness h = harness()) {
      h.pusher.connect();
      h.time.advance(Duration.ofMillis(300));
      ws.last().serverHandshake("1.1");
      ws.last().serverClose(1006, "network blip");
      h.time.advance(Duration.ofSeconds(1));
      assertThat(ws.opened).hasSize(2);
      assertThat(ws.last().request.connectTimeout()).isEqualTo(Duration.ofMillis(1_600));
      h.time.advance(Duration.ofMillis(1_599));
      assertThat(http.opened).as("a remembered transport runs alone").isEmpty();
      ws.last().serverHandshake("2.2");
      assertThat(h.pusher.socketId()).contains("2.2");
    }
  }

  @Test
  void rememberedTransportThatFails_isForgotten_andTheFullSearchRunsAtOnce() {
    try (Harness h = harness()) {
      h.pusher.connect();
      ws.last().serverHandshake("1.1");
      ws.last().serverClose(1006, "gone");
      h.time.advance(Duration.ofSeconds(1));
      FakeTransport cached = ws.last();
      cached.serverFail(new IOException("refused"));
      assertThat(ws.opened).as("fail fast: the full search starts at once").hasSize(3);
      assertThat(ws.last().request.connectTimeout()).isEqualTo(Duration.ofSeconds(15));
      h.time.advance(Duration.ofSeconds(2));
      assertThat(http.last().kind()).isEqualTo(TransportKind.XHR_STREAMING);
      http.last().serverHandshake("3.3");
      // streaming is now remembered; ws is not, so the next search is the full one again.
      http.last().serverClose(4200, "reconnect");
      h.time.runDue();
      assertThat(ws.last().request.connectTimeout()).isEqualTo(Duration.ofSeconds(15));
    }
  }

  @Test
  void rememberedWebSocket_timesOut_thenTheFullSearchRuns() {
    try (Harness h = harness()) {
      h.pusher.connect();
      ws.last().serverHandshake("1.1");
      ws.last().serverClose(1006, "gone");
      h.time.advance(Duration.ofSeconds(1));
      assertThat(ws.last().request.connectTimeout()).isEqualTo(Duration.ofMillis(1_000));
      h.time.advance(Duration.ofSeconds(1));
      assertThat(ws.opened).hasSize(3);
      assertThat(ws.opened.get(1).terminated).isTrue();
      assertThat(ws.last().request.connectTimeout()).isEqualTo(Duration.ofSeconds(15));
      h.time.advance(Duration.ofSeconds(2));
      assertThat(http.opened).hasSize(1);
    }
  }

  @Test
  void rememberedHttpTransport_goesFirstOnlyAfterTheFullSearchChoseItFourMoreTimes() {
    try (Harness h = harness()) {
      int wsBefore = 0;
      h.pusher.connect();
      for (int search = 1; search <= 5; search++) {
        h.time.advance(Duration.ofSeconds(2));
        assertThat(ws.opened).as("search %d starts with ws", search).hasSize(wsBefore + 1);
        FakeTransport streaming = http.last();
        assertThat(streaming.kind()).isEqualTo(TransportKind.XHR_STREAMING);
        streaming.serverHandshake("h." + search);
        streaming.serverClose(4200, "reconnect now");
        wsBefore = ws.opened.size();
        h.time.runDue();
      }
      // Sixth search: streaming alone, first, without waiting for ws.
      assertThat(http.last().kind()).isEqualTo(TransportKind.XHR_STREAMING);
      assertThat(http.last().terminated).isFalse();
      http.last().serverHandshake("h.6");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(ws.opened).hasSize(wsBefore);
    }
  }

  @Test
  void rememberedTransport_isKeptAcrossDisconnects_for30Minutes() {
    try (Harness h = harness()) {
      h.pusher.connect();
      ws.last().serverHandshake("1.1");
      h.pusher.disconnect();
      h.time.advance(Duration.ofMinutes(29));
      h.pusher.connect();
      assertThat(ws.last().request.connectTimeout()).as("remembered").isEqualTo(Duration.ofSeconds(1));
      ws.last().serverHandshake("2.2");
      h.pusher.disconnect();
      h.time.advance(Duration.ofMinutes(31));
      h.pusher.connect();
      assertThat(ws.last().request.connectTimeout()).as("expired").isEqualTo(Duration.ofSeconds(15));
    }
  }

  @Test
  void switchingServers_forgetsTheRememberedTransport() {
    try (Harness h = harness()) {
      h.pusher.connect();
      ws.last().serverHandshake("1.1");
      h.pusher.switchCluster("k2", "eu");
      assertThat(ws.last().request.connectTimeout()).isEqualTo(Duration.ofSeconds(15));
    }
  }
}
