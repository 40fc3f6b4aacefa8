package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.TransportKind;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionStrategyTest {

  @Test
  void earlyFailure_waitsOutTheTimeout_whichDoublesUpTo60s() {
    try (Harness h = new Harness()) {
      h.pusher.connect();
      assertThat(h.ws.last().request.connectTimeout()).isEqualTo(Duration.ofSeconds(15));
      h.ws.last().serverFail(new IOException("refused"));
      h.time.advance(Duration.ofMillis(14_999));
      assertThat(h.ws.opened).hasSize(1);
      h.time.advance(Duration.ofMillis(1));
      assertThat(h.ws.opened).hasSize(2);
      assertThat(h.ws.last().request.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
      h.ws.last().serverClose(1006, "refused");
      h.time.advance(Duration.ofSeconds(30));
      assertThat(h.ws.last().request.connectTimeout()).isEqualTo(Duration.ofSeconds(60));
      h.time.advance(Duration.ofSeconds(60));
      assertThat(h.ws.opened).hasSize(4);
      assertThat(h.ws.last().request.connectTimeout()).isEqualTo(Duration.ofSeconds(60));
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.UNAVAILABLE);
      h.ws.last().serverHandshake("9.9");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void attemptThatHangs_isAbandonedAtTheTimeout() {
    try (Harness h = new Harness()) {
      h.pusher.connect();
      FakeTransport first = h.ws.last();
      h.time.advance(Duration.ofSeconds(15));
      assertThat(first.terminated).isTrue();
      assertThat(h.ws.opened).hasSize(2);
      first.serverOpen();
      assertThat(h.pusher.state()).as("a late open of an abandoned attempt is ignored").isEqualTo(ConnectionState.UNAVAILABLE);
    }
  }

  @Test
  void tls_fallbackStartsStreamingAfter2sAndPollingAfter6s_firstToOpenWins() {
    FakeTransportFactory http = new FakeTransportFactory("http", TransportKind.XHR_STREAMING, TransportKind.XHR_POLLING);
    FakeTransportFactory ws = new FakeTransportFactory("ws", TransportKind.WEBSOCKET);
    try (Harness h = new Harness(ws, b -> b.transportFactory(http))) {
      h.pusher.connect();
      assertThat(ws.opened).hasSize(1);
      assertThat(http.opened).isEmpty();
      h.time.advance(Duration.ofMillis(1999));
      assertThat(http.opened).isEmpty();
      h.time.advance(Duration.ofMillis(1));
      assertThat(http.opened).singleElement().satisfies(t -> {
        assertThat(t.kind()).isEqualTo(TransportKind.XHR_STREAMING);
        assertThat(t.request.uri().toString()).startsWith("https://127.0.0.1:443/pusher/app/app-key?protocol=7&client=java&version=");
        assertThat(t.request.uri().toString()).doesNotContain("flash");
      });
      h.time.advance(Duration.ofMillis(4000));
      assertThat(http.opened).hasSize(2);
      FakeTransport polling = http.last();
      assertThat(polling.kind()).isEqualTo(TransportKind.XHR_POLLING);
      polling.serverHandshake("3.3");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(ws.opened.get(0).terminated).isTrue();
      assertThat(http.opened.get(0).terminated).isTrue();
      assertThat(polling.terminated).isFalse();
      h.time.advance(Duration.ofMinutes(1));
      assertThat(ws.opened).as("no attempt after the winner").hasSize(1);
    }
  }

  @Test
  void plain_triesWssAfter2sAndHttpAfter5s() {
    FakeTransportFactory http = new FakeTransportFactory("http", TransportKind.XHR_STREAMING, TransportKind.XHR_POLLING);
    FakeTransportFactory ws = new FakeTransportFactory("ws", TransportKind.WEBSOCKET);
    try (Harness h = new Harness(ws, b -> b.tls(false).transportFactory(http))) {
      h.pusher.connect();
      assertThat(ws.last().request.uri().getScheme()).isEqualTo("ws");
      h.time.advance(Duration.ofSeconds(2));
      assertThat(ws.opened).hasSize(2);
      assertThat(ws.last().request.uri().getScheme()).isEqualTo("wss");
      h.time.advance(Duration.ofSeconds(3));
      assertThat(http.opened).singleElement().satisfies(t -> assertThat(t.request.uri().getScheme()).isEqualTo("http"));
      h.time.advance(Duration.ofSeconds(4));
      assertThat(http.opened).hasSize(2);
      ws.opened.get(0).serverHandshake("1.2");
      assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(ws.opened.get(1).terminated).isTrue();
      assertThat(http.opened).allSatisfy(t -> assertThat(t.terminated).isTrue());
    }
  }

  @Test
  void withoutWebSocket_httpFallbackStartsAtOnce() {
    FakeTransportFactory http = new FakeTransportFactory("http", TransportKind.XHR_STREAMING, TransportKind.XHR_POLLING);
    try (Harness h = new Harness(http, b -> b)) {
      h.pusher.connect();
      assertThat(http.opened).singleElement().satisfies(t -> assertThat(t.kind()).isEqualTo(TransportKind.XHR_STREAMING));
      h.time.advance(Duration.ofSeconds(4));
      assertThat(http.opened).hasSize(2);
    }
  }

  @Test
  void disabledTransports_areNeverOpened() {
    FakeTransportFactory http = new FakeTransportFactory("http", TransportKind.XHR_STREAMING, TransportKind.XHR_POLLING);
    FakeTransportFactory ws = new FakeTransportFactory("ws", TransportKind.WEBSOCKET);
    try (Harness h = new Harness(ws, b -> b.transportFactory(http).disabledTransports(TransportKind.XHR_STREAMING))) {
      h.pusher.connect();
      h.time.advance(Duration.ofSeconds(2));
      assertThat(http.opened).singleElement().satisfies(t -> assertThat(t.kind()).isEqualTo(TransportKind.XHR_POLLING));
    }
  }
}
