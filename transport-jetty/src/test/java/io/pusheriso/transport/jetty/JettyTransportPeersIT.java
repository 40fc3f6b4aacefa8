package io.pusheriso.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener;
import io.pusheriso.tck.RecordingTransportListener.Event;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Jetty transport against the real peers (soketi on ws 6001 and wss 6443, the official server
 * SDK triggering on 6003; see shared/peers/README.md). Skipped when soketi is not running; run with
 * {@code -Dtest=JettyTransportPeersIT}.
 */
@Tag("integration")
class JettyTransportPeersIT {
  private static final Duration STEP = Duration.ofSeconds(10);
  private static final String QUERY =
      "/app/app-key?protocol=7&client=java&version=0.1.0&flash=false";
  private static final URI WS = URI.create("ws://127.0.0.1:6001" + QUERY);
  private static final URI WSS = URI.create("wss://127.0.0.1:6443" + QUERY);
  private static final URI TRIGGER =
      URI.create(
          System.getenv().getOrDefault("PUSHER_PEER_TRIGGER_URL", "http://127.0.0.1:6003/trigger"));
  private static final Path CA =
      Path.of(
          System.getenv().getOrDefault("PEERS_HOME", "/var/cache/pusher-peers"), "tls", "ca.pem");

  private JettyTransportFactory factory;

  @BeforeAll
  static void peersRunning() {
    Assumptions.assumeTrue(
        reachable(6001), "soketi is not running on 127.0.0.1:6001 (shared/peers/up)");
  }

  @AfterEach
  void closeFactory() {
    if (factory != null) {
      factory.close();
    }
  }

  private static boolean reachable(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static TransportRequest request(URI uri) {
    return new TransportRequest(TransportKind.WEBSOCKET, uri, STEP, 1 << 20);
  }

  /** Publishes through the official server SDK; {@code tls} picks the soketi behind wss. */
  private static void trigger(String channel, String event, String dataJson, boolean tls)
      throws Exception {
    String body =
        "{\"channel\":\""
            + channel
            + "\",\"event\":\""
            + event
            + "\",\"data\":"
            + dataJson
            + ",\"tls\":"
            + tls
            + "}";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(TRIGGER)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .timeout(STEP)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("trigger: " + response.body()).isEqualTo(200);
  }

  /** Connects, subscribes, receives a triggered event, pings and closes cleanly. */
  private static void roundTrip(JettyTransportFactory factory, URI uri) throws Exception {
    RecordingTransportListener listener = new RecordingTransportListener();
    Transport transport = factory.open(request(uri), listener);
    listener.awaitOpen(STEP);
    String established =
        listener.awaitMessage(m -> m.contains("\"pusher:connection_established\""), STEP);
    assertThat(established).contains("socket_id").contains("activity_timeout");

    String channel = "jetty-peers-" + UUID.randomUUID();
    assertThat(
            transport.send(
                "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}"))
        .isTrue();
    listener.awaitMessage(
        m -> m.contains("pusher_internal:subscription_succeeded") && m.contains(channel), STEP);

    trigger(channel, "jetty-event", "{\"hello\":\"peers\"}", uri.getScheme().equals("wss"));
    String event = listener.awaitMessage(m -> m.contains("\"jetty-event\""), STEP);
    assertThat(event).contains(channel).contains("hello").contains("peers");

    assertThat(transport.send("{\"event\":\"pusher:ping\",\"data\":{}}")).isTrue();
    listener.awaitMessage(m -> m.contains("\"pusher:pong\""), STEP);

    transport.close(1000, "done");
    Event terminal = listener.awaitTerminal(STEP);
    assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.CLOSE);
    assertThat(terminal.code()).isEqualTo(1000);
    assertThat(transport.send("{}")).isFalse();
    listener.assertContractKept();
  }

  @Test
  void ws_soketi_subscribeReceivePingClose() throws Exception {
    factory = new JettyTransportFactory();
    roundTrip(factory, WS);
  }

  @Test
  void wss_soketiTrustingPeersCa_subscribeReceivePingClose() throws Exception {
    Assumptions.assumeTrue(reachable(6443) && Files.isReadable(CA), "wss peer or its CA missing");
    factory = JettyTransportFactory.builder().trustedCertificates(CA).build();
    roundTrip(factory, WSS);
  }

  @Test
  void wss_soketiWithDefaultTrust_failsSayingTheCertificateIsNotTrusted() {
    Assumptions.assumeTrue(reachable(6443), "wss peer missing");
    factory = new JettyTransportFactory();
    RecordingTransportListener listener = new RecordingTransportListener();
    factory.open(request(WSS), listener);

    Event terminal = listener.awaitTerminal(STEP);

    assertThat(terminal.kind()).isEqualTo(Kind.ERROR);
    assertThat(terminal.error()).hasMessageContaining("not trusted");
    listener.assertContractKept();
  }

  @Test
  void ws_soketiThroughHttpConnectProxy_roundTrip() throws Exception {
    try (RecordingConnectProxy proxy = new RecordingConnectProxy(null, null)) {
      factory = JettyTransportFactory.builder().httpProxy("127.0.0.1", proxy.port()).build();
      roundTrip(factory, WS);
      assertThat(proxy.connects()).containsExactly("127.0.0.1:6001");
    }
  }

  @Test
  void ws_soketiMessageOverLimit_closes1009NamingTheLimit() throws Exception {
    factory = new JettyTransportFactory();
    RecordingTransportListener listener = new RecordingTransportListener();
    Transport transport =
        factory.open(new TransportRequest(TransportKind.WEBSOCKET, WS, STEP, 4096), listener);
    listener.awaitMessage(m -> m.contains("pusher:connection_established"), STEP);
    String channel = "jetty-peers-big-" + UUID.randomUUID();
    transport.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
    listener.awaitMessage(m -> m.contains("subscription_succeeded"), STEP);

    trigger(channel, "big", "{\"pad\":\"" + "x".repeat(8000) + "\"}", false);

    Event terminal = listener.awaitTerminal(STEP);
    assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.CLOSE);
    assertThat(terminal.code()).isEqualTo(1009);
    assertThat(terminal.reason()).contains("4096");
    listener.assertContractKept();
  }
}
