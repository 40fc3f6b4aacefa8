package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.protocol.state.ConnectionState;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * What error listeners and event listeners are told about failed connection attempts, frames that
 * are not JSON, JSON null data, and listeners too slow for the server.
 */
class ConnectionReportsTest {

  // ---------------------------------------------------------------- failed attempts

  private static PusherConnectionException only(Harness h) {
    assertThat(h.errors).hasSize(1);
    assertThat(h.errors.get(0)).isInstanceOf(PusherConnectionException.class);
    return (PusherConnectionException) h.errors.get(0);
  }

  @Test
  void refusedAttempt_isReportedWithItsCause_oncePerOutage_andAgainAfterReconnecting() {
    try (Harness h = new Harness(b -> b.tls(false))) {
      h.pusher.connect();
      ConnectException refused = new ConnectException("Connection refused");
      h.ws.last().serverFail(refused);
      PusherConnectionException e = only(h);
      assertThat(e.code()).isEqualTo(-1);
      assertThat(e.getCause()).isSameAs(refused);
      assertThat(e.getMessage())
          .contains("over ws to ws://127.0.0.1:6001/app/app-key")
          .contains("Connection refused")
          .contains("check that the server runs and the host and port");

      // The same cause on every retry for ten minutes (wss joins after 2 s) is not repeated.
      for (int s = 0; s < 600; s++) {
        for (FakeTransport t : h.ws.opened) {
          if (!t.terminated && !t.open) {
            t.serverFail(new ConnectException("Connection refused"));
          }
        }
        h.time.advance(Duration.ofSeconds(1));
      }
      assertThat(h.ws.opened.size()).isGreaterThan(15);
      assertThat(h.errors).as("one report per transport (ws, wss)").hasSize(2);
      assertThat(h.errors.get(1).getMessage()).contains("over wss to wss://127.0.0.1:6443");

      // Connected again, then a new outage: reported again.
      int before = h.ws.opened.size();
      for (int s = 0; s <= 60 && h.ws.opened.size() == before; s++) {
        h.time.advance(Duration.ofSeconds(1));
      }
      FakeTransport back = h.ws.last();
      back.serverHandshake("1.1");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
      back.serverFail(new IOException("Connection reset"));
      h.errors.clear();
      h.time.advance(Duration.ofSeconds(1));
      h.ws.last().serverFail(new ConnectException("Connection refused"));
      assertThat(only(h).getMessage()).contains("Connection refused");
    }
  }

  @Test
  void untrustedCertificate_isNamed_withHowToFixIt_andAChangedCauseIsReportedAgain() {
    try (Harness h = new Harness()) {
      h.pusher.connect();
      SSLHandshakeException tls = new SSLHandshakeException("PKIX path building failed");
      tls.initCause(new CertPathBuilderException("unable to find valid certification path"));
      h.ws.last().serverFail(tls);
      PusherConnectionException e = only(h);
      assertThat(e.getCause()).isSameAs(tls);
      assertThat(e.getMessage())
          .contains("wss://127.0.0.1:6443")
          .contains("certificate is not trusted")
          .contains("trustStore");
      h.time.advance(Duration.ofSeconds(15));
      h.ws.last().serverFail(new ConnectException("Connection refused"));
      assertThat(h.errors).hasSize(2);
      assertThat(h.errors.get(1).getCause()).isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void aTransportsOwnConnectionException_isPassedOnAsItIs() {
    try (Harness h = new Harness()) {
      h.pusher.connect();
      PusherConnectionException http500 =
          new PusherConnectionException(
              -1, "The server at wss://127.0.0.1:6443 refused the WebSocket handshake with HTTP status 500");
      h.ws.last().serverFail(http500);
      assertThat(only(h)).isSameAs(http500);
    }
  }

  @Test
  void handshakeThatNeverComes_isReportedAtTheTimeout() {
    try (Harness h = new Harness()) {
      h.pusher.connect();
      h.ws.last().serverOpen();
      h.time.advance(Duration.ofMillis(14_999));
      assertThat(h.errors).isEmpty();
      h.time.advance(Duration.ofMillis(1));
      assertThat(only(h).getMessage())
          .contains("opened but the server sent no pusher:connection_established within 15000 ms");
    }
  }

  @Test
  void attemptThatNeverOpens_isReportedAtTheTimeout_butAnAttemptThatLostTheRaceIsNot() {
    try (Harness h = new Harness()) {
      h.pusher.connect();
      h.time.advance(Duration.ofSeconds(15));
      assertThat(only(h).getMessage()).contains("did not open within 15000 ms");
      h.errors.clear();
      h.pusher.disconnect();
      h.pusher.connect();
      h.ws.last().serverHandshake("2.2");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(h.errors).as("disconnect aborts attempts silently").isEmpty();
    }
  }

  @Test
  void closeBeforeOpen_isReportedWithItsCode() {
    try (Harness h = new Harness()) {
      h.pusher.connect();
      h.ws.last().serverClose(1006, "HTTP 500");
      PusherConnectionException e = only(h);
      assertThat(e.code()).isEqualTo(1006);
      assertThat(e.getMessage()).contains("closed before it opened, with code 1006 (HTTP 500)");
    }
  }

  // ---------------------------------------------------------------- frames that are not JSON

  @Test
  void undecodableFrame_carriesTheRawText_cutTo1KiB() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      t.serverSend("this is not JSON");
      assertThat(h.errors).singleElement().isInstanceOfSatisfying(PusherProtocolException.class, e -> {
        assertThat(e.rawFrame()).contains("this is not JSON");
        assertThat(e.getMessage()).doesNotContain("this is not JSON");
      });
      String longText = "{\"event\":\"x\",\"data\":\"" + "é".repeat(3000);
      t.listener.onMessage(t, ByteBuffer.wrap(longText.getBytes(StandardCharsets.UTF_8)));
      assertThat(h.errors).hasSize(2);
      PusherProtocolException e = (PusherProtocolException) h.errors.get(1);
      assertThat(e.rawFrame()).hasValue(longText.substring(0, PusherProtocolException.RAW_FRAME_LIMIT));
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void undecodableHandshake_carriesTheRawText() {
    try (Harness h = new Harness()) {
      h.pusher.connect();
      FakeTransport t = h.ws.last();
      t.serverOpen();
      t.serverSend("<html>502 Bad Gateway</html>");
      assertThat(h.errors).singleElement().isInstanceOfSatisfying(PusherProtocolException.class, e -> {
        assertThat(e.getMessage()).contains("first frame cannot be decoded");
        assertThat(e.rawFrame()).contains("<html>502 Bad Gateway</html>");
      });
    }
  }

  @Test
  void otherProtocolErrors_haveNoRawFrame() {
    assertThat(new PusherProtocolException("m").rawFrame()).isEmpty();
    assertThat(new PusherProtocolException("m", null, null).rawFrame()).isEmpty();
    String pair = "x".repeat(PusherProtocolException.RAW_FRAME_LIMIT - 1) + "\uD83D\uDE00";
    assertThat(new PusherProtocolException("m", pair, null).rawFrame())
        .as("half a surrogate pair is not kept")
        .hasValue("x".repeat(PusherProtocolException.RAW_FRAME_LIMIT - 1));
  }

  // ---------------------------------------------------------------- JSON null data

  @Test
  void jsonNullData_isToldApartFromNoData_onChannelsAndGlobally_textAndBytes() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("news");
      t.serverSend(Harness.succeeded("news"));
      List<PusherEvent> onChannel = new CopyOnWriteArrayList<>();
      List<PusherEvent> global = new CopyOnWriteArrayList<>();
      ch.bind("e", onChannel::add);
      h.pusher.bindGlobal(e -> {
        if (e.eventName().equals("e") || e.eventName().equals("g")) {
          global.add(e);
        }
      });
      t.serverSend("{\"event\":\"e\",\"channel\":\"news\",\"data\":null}");
      t.serverSend("{\"event\":\"e\",\"channel\":\"news\"}");
      t.listener.onMessage(t, ByteBuffer.wrap(
          "{\"data\" : null, \"event\":\"e\",\"channel\":\"news\"}".getBytes(StandardCharsets.UTF_8)));
      t.listener.onMessage(t, ByteBuffer.wrap(
          "{\"event\":\"e\",\"channel\":\"news\",\"x\":{\"data\":1}}".getBytes(StandardCharsets.UTF_8)));
      t.serverSend("{\"event\":\"g\",\"d\\u0061ta\":null}");
      t.serverSend("{\"event\":\"g\",\"x\":\"\\\"data\\\":null\"}");
      t.serverSend("{\"event\":\"e\",\"channel\":\"news\",\"data\":\"x\"}");

      assertThat(onChannel).extracting(PusherEvent::hasData).containsExactly(true, false, true, false, true);
      assertThat(onChannel).extracting(PusherEvent::data).containsExactly("null", null, "null", null, "x");
      assertThat(onChannel).extracting(PusherEvent::rawData).containsExactly("null", null, "null", null, "\"x\"");
      assertThat(onChannel).extracting(PusherEvent::isDataString).containsExactly(false, false, false, false, true);
      assertThat(global).extracting(PusherEvent::hasData)
          .containsExactly(true, false, true, false, true, false, true);
    }
  }

  @Test
  void dataField_findsOnlyATopLevelKey() {
    assertThat(DataField.present("{\"data\":null}")).isTrue();
    assertThat(DataField.present("{\"a\":[{\"data\":null}],\"b\":\"data\"}")).isFalse();
    assertThat(DataField.present("{\"a\":\"\\\\\",\"data\":null}")).isTrue();
    assertThat(DataField.present("{\"da\\ta\":null}")).isFalse();
    assertThat(DataField.present("{\"dat\\u0061\":null}")).isTrue();
    assertThat(DataField.present("{\"datas\":null}")).isFalse();
    assertThat(DataField.present("{}")).isFalse();
  }

  // ---------------------------------------------------------------- slow listeners

  @Test
  void slowListener_boundedQueue_connectionDroppedAndReported_thenReconnects_andTheLaneSurvives()
      throws InterruptedException {
    int bound = 50;
    ExecutorService lane = Executors.newSingleThreadExecutor();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger fast = new AtomicInteger();
    try (Harness h = new Harness(b -> b.callbackExecutor(lane).maxPendingEvents(bound))) {
      ClientCore core = h.pusher.core();
      h.pusher.bind("slow", e -> {
        entered.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      });
      h.pusher.bind("fast", e -> fast.incrementAndGet());
      h.pusher.connect();
      await().until(() -> !h.ws.opened.isEmpty());
      FakeTransport first = h.ws.last();
      first.serverHandshake("1.1");
      await().until(() -> h.pusher.state() == ConnectionState.CONNECTED);

      first.serverSend(Harness.event("slow", null, "{}"));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < bound; i++) {
        first.serverSend(Harness.event("fast", null, "{}"));
        assertThat(core.pendingFrames()).isLessThanOrEqualTo(bound);
      }
      assertThat(core.pendingFrames()).isEqualTo(bound);
      assertThat(first.terminated).isFalse();
      for (int i = 0; i < 1000; i++) {
        first.serverSend(Harness.event("fast", null, "{}"));
        assertThat(core.pendingFrames()).isLessThanOrEqualTo(bound);
      }
      assertThat(first.terminated).as("the client closed the connection").isTrue();
      assertThat(first.closeCode).isEqualTo(1000);
      assertThat(core.pendingFrames()).as("the waiting frames were dropped at once").isZero();

      release.countDown();
      await().until(() -> !h.errors.isEmpty());
      assertThat(h.errors).singleElement().isInstanceOfSatisfying(PusherConnectionException.class, e -> {
        assertThat(e.code()).isEqualTo(-1);
        assertThat(e.getMessage()).contains("maxPendingEvents").contains("50 frames");
      });
      assertThat(fast).as("the dropped frames never reached a listener").hasValue(0);
      await().until(() -> h.connectingIn.contains(Duration.ofSeconds(1)));
      int opened = h.ws.opened.size();
      h.time.advance(Duration.ofSeconds(1));
      await().until(() -> h.ws.opened.size() > opened);
      FakeTransport second = h.ws.last();
      second.serverHandshake("2.2");
      await().until(() -> h.pusher.state() == ConnectionState.CONNECTED);
      assertThat(h.pusher.socketId()).contains("2.2");
      second.serverSend(Harness.event("fast", null, "{}"));
      await().until(() -> fast.get() == 1);
      assertThat(core.pendingFrames()).isZero();
    } finally {
      release.countDown();
      lane.shutdownNow();
    }
  }

  @Test
  void maxPendingEvents_isValidated() {
    assertThat(PusherOptions.builder("k").cluster("mt1").build().maxPendingEvents())
        .isEqualTo(PusherOptions.DEFAULT_MAX_PENDING_EVENTS)
        .isEqualTo(100_000);
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> PusherOptions.builder("k").cluster("mt1").maxPendingEvents(0).build())
        .withMessageContaining("maxPendingEvents");
  }
}
