package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.protocol.state.ConnectionState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionTest {

  @Test
  void connect_handshake_reachesConnectedWithSocketIdAndStateEvents() {
    try (Harness h = new Harness()) {
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.INITIALIZED);
      h.pusher.connect();
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTING);
      FakeTransport t = h.ws.last();
      assertThat(t.request.uri().toString())
          .startsWith("wss://127.0.0.1:6443/app/app-key?protocol=7&client=java&version=")
          .endsWith("&flash=false");
      t.serverHandshake("123.456");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(h.pusher.socketId()).contains("123.456");
      assertThat(h.changes)
          .containsExactly(
              new ConnectionStateChange(ConnectionState.INITIALIZED, ConnectionState.CONNECTING),
              new ConnectionStateChange(ConnectionState.CONNECTING, ConnectionState.CONNECTED));
    }
  }

  @Test
  void onState_firesOnlyForThatState() {
    try (Harness h = new Harness()) {
      java.util.List<ConnectionStateChange> connected = new java.util.ArrayList<>();
      ConnectionListener l = h.pusher.onState(ConnectionState.CONNECTED, connected::add);
      h.connect("1.1").serverClose(1006, "lost");
      h.time.advance(Duration.ofSeconds(1));
      h.ws.last().serverHandshake("2.2");
      assertThat(connected).hasSize(2).allSatisfy(c -> assertThat(c.current()).isEqualTo(ConnectionState.CONNECTED));
      h.pusher.removeConnectionListener(l);
      h.pusher.disconnect();
      h.pusher.connect();
      h.ws.last().serverHandshake("3.3");
      assertThat(connected).hasSize(2);
    }
  }

  @Test
  void connect_withoutTls_usesWsPortAndPath() {
    try (Harness h = new Harness(b -> b.tls(false).wsPath("/ws"))) {
      h.pusher.connect();
      assertThat(h.ws.last().request.uri().toString()).startsWith("ws://127.0.0.1:6001/ws/app/app-key?protocol=7");
    }
  }

  @Test
  void connecting_tooLong_becomesUnavailable() {
    try (Harness h = new Harness()) {
      h.pusher.connect();
      h.time.advance(Duration.ofSeconds(10));
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.UNAVAILABLE);
      h.ws.last().serverHandshake("1.1");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void disconnect_closesTransportAndReportsDisconnected() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      h.pusher.disconnect();
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.DISCONNECTED);
      assertThat(t.terminated).isTrue();
      assertThat(t.closeCode).isEqualTo(1000);
      assertThat(h.pusher.socketId()).isEmpty();
    }
  }

  @Test
  void closeCode4001_refusesAndStaysDisconnected() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      t.serverClose(4001, "App does not exist");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.DISCONNECTED);
      h.time.advance(Duration.ofMinutes(5));
      assertThat(h.ws.opened).hasSize(1);
      assertThat(h.errors).singleElement().satisfies(e -> {
        assertThat(e).isInstanceOf(PusherConnectionException.class);
        assertThat(((PusherConnectionException) e).code()).isEqualTo(4001);
      });
    }
  }

  @Test
  void closeCode4200_reconnectsAtOnce() {
    try (Harness h = new Harness()) {
      h.connect("1.1").serverClose(4200, "reconnect");
      h.time.runDue();
      assertThat(h.ws.opened).hasSize(2);
      assertThat(h.connectingIn).isEmpty();
    }
  }

  @Test
  void closeCode4100_reconnectsAfterOneSecond() {
    try (Harness h = new Harness()) {
      h.connect("1.1").serverClose(4100, "over capacity");
      assertThat(h.connectingIn).containsExactly(Duration.ofSeconds(1));
      h.time.advance(Duration.ofMillis(999));
      assertThat(h.ws.opened).hasSize(1);
      h.time.advance(Duration.ofMillis(1));
      assertThat(h.ws.opened).hasSize(2);
    }
  }

  @Test
  void closeCode4000_switchesToTls() {
    try (Harness h = new Harness(b -> b.tls(false))) {
      h.connect("1.1").serverClose(4000, "SSL only");
      h.time.runDue();
      assertThat(h.ws.last().request.uri().getScheme()).isEqualTo("wss");
      assertThat(h.ws.last().request.uri().getPort()).isEqualTo(6443);
    }
  }

  @Test
  void abnormalClose_reconnectsAfterOneSecond() {
    try (Harness h = new Harness()) {
      h.connect("1.1").serverClose(1006, "gone");
      h.time.advance(Duration.ofSeconds(1));
      assertThat(h.ws.opened).hasSize(2);
      h.ws.last().serverHandshake("2.2");
      assertThat(h.pusher.socketId()).contains("2.2");
    }
  }

  @Test
  void silence_sendsPing_andMissingPongReconnects() {
    try (Harness h = new Harness(b -> b.activityTimeout(Duration.ofSeconds(20)).pongTimeout(Duration.ofSeconds(5)))) {
      FakeTransport t = h.connect("1.1");
      h.time.advance(Duration.ofSeconds(20));
      assertThat(t.sentEvents("pusher:ping")).hasSize(1);
      h.time.advance(Duration.ofSeconds(5));
      assertThat(t.terminated).isTrue();
      h.time.runDue();
      assertThat(h.ws.opened).hasSize(2);
    }
  }

  @Test
  void serverPing_isAnsweredWithPong() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      t.serverSend("{\"event\":\"pusher:ping\",\"data\":{}}");
      assertThat(t.sentEvents("pusher:pong")).hasSize(1);
    }
  }

  @Test
  void pusherError_reachesErrorListenersWithCode() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      t.serverSend("{\"event\":\"pusher:error\",\"data\":{\"code\":4301,\"message\":\"rate\"}}");
      assertThat(h.errors).singleElement().satisfies(e -> assertThat(((PusherConnectionException) e).code()).isEqualTo(4301));
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void malformedFrame_isReportedAndConnectionStays() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      t.serverSend("{not json");
      assertThat(h.errors).singleElement().isInstanceOf(PusherProtocolException.class);
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void throwingConnectionListener_doesNotStopOthers() {
    try (Harness h = new Harness()) {
      h.pusher.addConnectionListener(new ConnectionListener() {
        @Override
        public void onStateChange(ConnectionStateChange change) {
          throw new IllegalStateException("boom");
        }
      });
      h.connect("1.1");
      assertThat(h.changes).hasSize(2);
    }
  }

  @Test
  void switchCluster_reconnectsToNewHostKeepingChannels() {
    try (Harness h = new Harness()) {
      h.connect("1.1");
      Channel ch = h.pusher.subscribe("news");
      h.ws.last().serverSend(Harness.succeeded("news"));
      h.pusher.switchCluster("other-key", "eu");
      FakeTransport t2 = h.ws.last();
      assertThat(h.ws.opened).hasSize(2);
      assertThat(t2.request.uri().toString()).startsWith("wss://ws-eu.pusher.com:6443/app/other-key?");
      t2.serverHandshake("2.2");
      assertThat(t2.sentEvents("pusher:subscribe")).singleElement().asString().contains("news");
      assertThat(h.pusher.channel("news")).containsSame(ch);
    }
  }

  @Test
  void switchHost_keepsPortsAndTls() {
    try (Harness h = new Harness()) {
      h.connect("1.1");
      h.pusher.switchHost("k2", "other.example.com");
      assertThat(h.ws.last().request.uri().toString()).startsWith("wss://other.example.com:6443/app/k2?");
      assertThat(h.pusher.options().httpHost()).isEqualTo("other.example.com");
    }
  }

  @Test
  void switchCluster_whileDisconnected_onlyChangesTheNextConnection() {
    try (Harness h = new Harness()) {
      h.pusher.switchCluster("k2", "ap1");
      assertThat(h.ws.opened).isEmpty();
      h.pusher.connect();
      assertThat(h.ws.last().request.uri().getHost()).isEqualTo("ws-ap1.pusher.com");
    }
  }

  @Test
  void close_isIdempotentAndRefusesConnect() {
    Harness h = new Harness();
    FakeTransport t = h.connect("1.1");
    h.pusher.close();
    h.pusher.close();
    assertThat(t.terminated).isTrue();
    assertThat(h.pusher.state()).isEqualTo(ConnectionState.DISCONNECTED);
    org.assertj.core.api.Assertions.assertThatThrownBy(h.pusher::connect).isInstanceOf(IllegalStateException.class);
    assertThat(h.ws.closed).as("a factory passed in is never closed").isFalse();
  }
}
