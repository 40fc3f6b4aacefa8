package io.pusheriso.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener;
import io.pusheriso.tck.RecordingTransportListener.Event;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connections tunnelled through real local proxies (HTTP CONNECT and SOCKS5) written with Netty.
 */
class NettyTransportProxyTest {

  private static final Duration STEP = Duration.ofSeconds(10);
  private static TinyWsServer server;

  @BeforeAll
  static void start() {
    server = new TinyWsServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TransportRequest request() {
    return new TransportRequest(TransportKind.WEBSOCKET, server.uri(), STEP, 1 << 20);
  }

  /** Opens, checks the Pusher handshake and a round trip, closes. */
  private static void roundTrip(NettyTransportFactory f) {
    RecordingTransportListener l = new RecordingTransportListener();
    Transport t = f.open(request(), l);
    l.awaitOpen(STEP);
    l.awaitMessage(m -> m.contains("pusher:connection_established"), STEP);
    assertThat(t.send("{\"event\":\"pusher:ping\",\"data\":{}}")).isTrue();
    l.awaitMessage(m -> m.contains("pusher:pong"), STEP);
    t.close(1000, "done");
    assertThat(l.awaitTerminal(STEP).kind()).isEqualTo(Kind.CLOSE);
    l.assertContractKept();
  }

  @Test
  void httpConnectProxy_withBasicCredentials_tunnelsTheConnection() {
    try (TestProxies.HttpConnectProxy proxy = new TestProxies.HttpConnectProxy("alice", "pw-1");
        NettyTransportFactory f =
            NettyTransportFactory.builder().httpProxy(proxy.address(), "alice", "pw-1").build()) {

      roundTrip(f);

      assertThat(proxy.requests())
          .containsExactly(
              new TestProxies.Request("CONNECT 127.0.0.1:" + server.port(), "alice", "pw-1"));
    }
  }

  @Test
  void httpConnectProxy_wrongPassword_onErrorNamingTheProxy() {
    try (TestProxies.HttpConnectProxy proxy = new TestProxies.HttpConnectProxy("alice", "pw-1");
        NettyTransportFactory f =
            NettyTransportFactory.builder().httpProxy(proxy.address(), "alice", "wrong").build()) {
      RecordingTransportListener l = new RecordingTransportListener();

      f.open(request(), l);

      Event end = l.awaitTerminal(STEP);
      assertThat(end.kind()).isEqualTo(Kind.ERROR);
      assertThat(end.error().getMessage())
          .contains("proxy")
          .contains("407")
          .doesNotContain("wrong");
      assertThat(l.openCount()).isZero();
    }
  }

  @Test
  void socks5Proxy_withPassword_tunnelsTheConnection() {
    try (TestProxies.Socks5Proxy proxy = new TestProxies.Socks5Proxy("bob", "pw-2");
        NettyTransportFactory f =
            NettyTransportFactory.builder().socks5Proxy(proxy.address(), "bob", "pw-2").build()) {

      roundTrip(f);

      assertThat(proxy.requests())
          .containsExactly(
              new TestProxies.Request("CONNECT 127.0.0.1:" + server.port(), "bob", "pw-2"));
    }
  }

  @Test
  void socks5Proxy_wrongPassword_onError() {
    try (TestProxies.Socks5Proxy proxy = new TestProxies.Socks5Proxy("bob", "pw-2");
        NettyTransportFactory f =
            NettyTransportFactory.builder().socks5Proxy(proxy.address(), "bob", "nope").build()) {
      RecordingTransportListener l = new RecordingTransportListener();

      f.open(request(), l);

      Event end = l.awaitTerminal(STEP);
      assertThat(end.kind()).isEqualTo(Kind.ERROR);
      assertThat(end.error().getMessage()).contains("proxy").doesNotContain("nope");
      assertThat(l.openCount()).isZero();
    }
  }
}
