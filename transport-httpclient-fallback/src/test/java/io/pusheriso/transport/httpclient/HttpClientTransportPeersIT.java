package io.pusheriso.transport.httpclient;

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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both xhr transports against the real peers: sockjs-node on 6002 relaying each session to soketi,
 * the official server SDK signing and triggering on 6003 (see shared/peers/README.md). Skipped when
 * the sockjs endpoints are not running; run with {@code -Pconformance}.
 */
@Tag("integration")
class HttpClientTransportPeersIT {
  private static final Duration STEP = Duration.ofSeconds(10);
  private static final URI BASE =
      URI.create(
          System.getenv().getOrDefault("PUSHER_PEER_SOCKJS_URL", "http://127.0.0.1:6002")
              + "/pusher/app/app-key?protocol=7&client=java&version=0.1.0");
  private static final String PEER = "http://127.0.0.1:6003";
  private static final Pattern SOCKET_ID = Pattern.compile("socket_id\\\\\"\\s*:\\s*\\\\\"([0-9.]+)");

  private HttpClientTransportFactory factory;

  @BeforeAll
  static void peersRunning() {
    Assumptions.assumeTrue(
        reachable(BASE.getPort()) && reachable(6003),
        "the sockjs endpoints (127.0.0.1:6002) or the auth/trigger server (6003) are not running;"
            + " start them with shared/peers/up");
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

  private static String post(String path, String contentType, String body) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(PEER + path))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .timeout(STEP)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return response.body();
  }

  private static void trigger(String channel, String event, String dataJson) throws Exception {
    post(
        "/trigger",
        "application/json",
        "{\"channel\":\"" + channel + "\",\"event\":\"" + event + "\",\"data\":" + dataJson + "}");
  }

  /** The {@code auth} value the official SDK signs for this socket and channel. */
  private static String authorize(String socketId, String channel) throws Exception {
    String body =
        post(
            "/pusher/auth",
            "application/x-www-form-urlencoded",
            "socket_id="
                + URLEncoder.encode(socketId, StandardCharsets.UTF_8)
                + "&channel_name="
                + URLEncoder.encode(channel, StandardCharsets.UTF_8));
    Matcher m = Pattern.compile("\"auth\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
    assertThat(m.find()).as("auth in " + body).isTrue();
    return m.group(1);
  }

  private record Session(Transport transport, RecordingTransportListener listener, String socketId) {}

  private Session connect(TransportKind kind) {
    RecordingTransportListener listener = new RecordingTransportListener();
    Transport transport =
        factory.open(new TransportRequest(kind, BASE, STEP, 1 << 20), listener);
    listener.awaitOpen(STEP);
    String established =
        listener.awaitMessage(m -> m.contains("\"pusher:connection_established\""), STEP);
    Matcher m = SOCKET_ID.matcher(established);
    assertThat(m.find()).as("socket_id in " + established).isTrue();
    assertThat(transport.kind()).isEqualTo(kind);
    return new Session(transport, listener, m.group(1));
  }

  private static void subscribe(Session s, String channel, String auth) {
    String data =
        "{\"channel\":\"" + channel + "\"" + (auth == null ? "" : ",\"auth\":\"" + auth + "\"") + "}";
    assertThat(s.transport().send("{\"event\":\"pusher:subscribe\",\"data\":" + data + "}")).isTrue();
    s.listener()
        .awaitMessage(
            m -> m.contains("pusher_internal:subscription_succeeded") && m.contains(channel), STEP);
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void sockjs_subscribeReceiveTriggeredEventPingAndClose(TransportKind kind) throws Exception {
    factory = new HttpClientTransportFactory();
    Session s = connect(kind);
    String channel = "xhr-peers-" + UUID.randomUUID();
    subscribe(s, channel, null);

    trigger(channel, "xhr-event", "{\"hello\":\"peers\"}");
    String event = s.listener().awaitMessage(m -> m.contains("\"xhr-event\""), STEP);
    assertThat(event).contains(channel).contains("hello").contains("peers");

    assertThat(s.transport().send("{\"event\":\"pusher:ping\",\"data\":{}}")).isTrue();
    s.listener().awaitMessage(m -> m.contains("\"pusher:pong\""), STEP);

    s.transport().close(1000, "done");
    Event terminal = s.listener().awaitTerminal(STEP);
    assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.CLOSE);
    assertThat(terminal.code()).isEqualTo(1000);
    assertThat(s.transport().send("{}")).isFalse();
    s.listener().assertContractKept();
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void sockjs_clientEventBetweenTwoSessionsOnAPrivateChannel(TransportKind kind) throws Exception {
    factory = new HttpClientTransportFactory();
    Session alice = connect(kind);
    Session bob = connect(kind);
    String channel = "private-xhr-peers-" + UUID.randomUUID();
    subscribe(alice, channel, authorize(alice.socketId(), channel));
    subscribe(bob, channel, authorize(bob.socketId(), channel));

    String clientEvent =
        "{\"event\":\"client-typing\",\"channel\":\"" + channel + "\",\"data\":{\"who\":\"alice\"}}";
    assertThat(alice.transport().send(clientEvent)).isTrue();

    String received = bob.listener().awaitMessage(m -> m.contains("client-typing"), STEP);
    assertThat(received).contains(channel).contains("alice");
    alice.transport().close(1000, "done");
    bob.transport().close(1000, "done");
    alice.listener().awaitTerminal(STEP);
    bob.listener().awaitTerminal(STEP);
    alice.listener().assertContractKept();
    bob.listener().assertContractKept();
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void sockjs_300KbOfEvents_arriveInOrderAcrossSockjsResponseLimit(TransportKind kind)
      throws Exception {
    // sockjs-node ends every xhr_streaming response after 128 KiB (its response_limit) and expects
    // the client back in the same session; pusher-js would close with 1006 there.
    factory = new HttpClientTransportFactory();
    Session s = connect(kind);
    String channel = "xhr-peers-bulk-" + UUID.randomUUID();
    subscribe(s, channel, null);
    String pad = "p".repeat(7_500);

    for (int i = 0; i < 40; i++) {
      trigger(channel, "bulk", "{\"n\":" + i + ",\"pad\":\"" + pad + "\"}");
    }

    org.awaitility.Awaitility.await()
        .atMost(STEP.multipliedBy(2))
        .until(() -> s.listener().messages(m -> m.contains("\"bulk\"")).size() == 40);
    java.util.List<String> bulk = s.listener().messages(m -> m.contains("\"bulk\""));
    for (int i = 0; i < 40; i++) {
      assertThat(bulk.get(i)).contains("\\\"n\\\":" + i + ",");
    }
    assertThat(s.listener().terminal()).isNull();
    assertThat(s.transport().send("{\"event\":\"pusher:ping\",\"data\":{}}")).isTrue();
    s.listener().awaitMessage(m -> m.contains("\"pusher:pong\""), STEP);
    s.transport().close(1000, "done");
    s.listener().awaitTerminal(STEP);
    s.listener().assertContractKept();
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void sockjs_serverClosesTheSession_closeCodeAndReasonReported(TransportKind kind) {
    factory = new HttpClientTransportFactory();
    Session s = connect(kind);

    // soketi answers a sign-in with a bad signature with pusher:error 4009 and closes the
    // connection with that code; the bridge passes the close on as a c[4009,"..."] frame.
    s.transport()
        .send(
            "{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"app-key:bad\","
                + "\"user_data\":\"{\\\"id\\\":\\\"mallory\\\"}\"}}");

    Event terminal = s.listener().awaitTerminal(STEP);
    assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.CLOSE);
    assertThat(terminal.code()).as(terminal.describe()).isBetween(4000, 4999);
    assertThat(s.transport().send("{}")).isFalse();
    s.listener().assertContractKept();
  }
}
