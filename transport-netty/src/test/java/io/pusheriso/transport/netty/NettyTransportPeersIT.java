package io.pusheriso.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener;
import io.pusheriso.tck.RecordingTransportListener.Event;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Netty transport against the real peers of {@code ../shared/peers} (soketi on ws 6001 and wss
 * 6443, the official server SDK publishing on 6003). Run by the {@code conformance} profile.
 *
 * <p>With {@code PUSHER_PEER_*} set (as the CI does) the peers must be up; without, the tests skip
 * when nothing listens on the ws port.
 */
@Tag("integration")
class NettyTransportPeersIT {

  private static final Duration STEP = Duration.ofSeconds(10);
  private static final String KEY = env("PUSHER_PEER_APP_KEY", "app-key");
  private static final int WS_PORT = Integer.parseInt(env("PUSHER_PEER_WS_PORT", "6001"));
  private static final int WSS_PORT = Integer.parseInt(env("PUSHER_PEER_WSS_PORT", "6443"));
  private static final Path CA =
      Path.of(env("PUSHER_PEER_CA", "/var/cache/pusher-peers/tls/ca.pem"));
  private static final URI TRIGGER =
      URI.create(env("PUSHER_PEER_TRIGGER_URL", "http://127.0.0.1:6003/trigger"));

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  @BeforeAll
  static void peersUp() {
    boolean required = System.getenv("PUSHER_PEER_WS_PORT") != null;
    boolean reachable;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", WS_PORT), 1000);
      reachable = true;
    } catch (IOException e) {
      reachable = false;
    }
    if (required) {
      assertThat(reachable)
          .as("PUSHER_PEER_WS_PORT is set but nothing listens on 127.0.0.1:" + WS_PORT)
          .isTrue();
    }
    Assumptions.assumeTrue(
        reachable,
        "real peers not running on 127.0.0.1:" + WS_PORT + ": start them with ../shared/peers/up");
  }

  private static URI uri(String scheme, int port) {
    return URI.create(
        scheme
            + "://127.0.0.1:"
            + port
            + "/app/"
            + KEY
            + "?protocol=7&client=java&version=0.1.0&flash=false");
  }

  private static void subscribeTriggerReceive(NettyTransportFactory f, URI uri, boolean tls)
      throws Exception {
    RecordingTransportListener l = new RecordingTransportListener();
    Transport t = f.open(new TransportRequest(TransportKind.WEBSOCKET, uri, STEP, 1 << 20), l);
    l.awaitOpen(STEP);
    l.awaitMessage(m -> m.contains("\"pusher:connection_established\""), STEP);
    String channel = "netty-it-" + System.nanoTime();
    assertThat(
            t.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}"))
        .isTrue();
    l.awaitMessage(
        m -> m.contains("pusher_internal:subscription_succeeded") && m.contains(channel), STEP);

    int status =
        post(
            TRIGGER,
            "{\"channel\":\""
                + channel
                + "\",\"event\":\"it-event\","
                + "\"data\":{\"hello\":\"w\u00f6rld\"},\"tls\":"
                + tls
                + "}");
    assertThat(status).as("trigger status").isBetween(200, 299);

    String event = l.awaitMessage(m -> m.contains("\"it-event\""), STEP);
    assertThat(event).contains(channel).contains("w\u00f6rld");

    assertThat(t.send("{\"event\":\"pusher:ping\",\"data\":{}}")).isTrue();
    l.awaitMessage(m -> m.contains("\"pusher:pong\""), STEP);

    t.close(1000, "done");
    Event end = l.awaitTerminal(STEP);
    assertThat(end.kind()).isEqualTo(Kind.CLOSE);
    l.assertContractKept();
  }

  // java.base only: the tests run inside the transport's module, which does not read java.net.http.
  private static int post(URI uri, String json) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    try {
      c.setConnectTimeout((int) STEP.toMillis());
      c.setReadTimeout((int) STEP.toMillis());
      c.setRequestMethod("POST");
      c.setRequestProperty("Content-Type", "application/json");
      c.setDoOutput(true);
      try (OutputStream out = c.getOutputStream()) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }

  @Test
  void soketiWs_handshakeSubscribeEventPingClose() throws Exception {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      subscribeTriggerReceive(f, uri("ws", WS_PORT), false);
    }
  }

  @Test
  void soketiWss_trustingThePeersCa_handshakeSubscribeEventPingClose() throws Exception {
    Assumptions.assumeTrue(Files.isReadable(CA), "no CA file at " + CA);
    try (NettyTransportFactory f =
        NettyTransportFactory.builder().trustedCertificates(CA).build()) {
      subscribeTriggerReceive(f, uri("wss", WSS_PORT), true);
    }
  }

  @Test
  void soketiWss_withoutTheCa_failsWithCertificateError() {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      RecordingTransportListener l = new RecordingTransportListener();
      f.open(new TransportRequest(TransportKind.WEBSOCKET, uri("wss", WSS_PORT), STEP, 1 << 20), l);

      Event end = l.awaitTerminal(STEP);
      assertThat(end.kind()).isEqualTo(Kind.ERROR);
      assertThat(end.error().getMessage()).contains("certificate");
      assertThat(l.openCount()).isZero();
    }
  }
}
