package io.pusheriso.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.Channel;
import io.pusheriso.Pusher;
import io.pusheriso.PusherOptions;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.testkit.PusherTestServer;
import io.pusheriso.testkit.PusherTestServerExtension;
import io.pusheriso.transport.netty.NettyTransportFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole client with every transport enabled, WebSocket from transport-netty and the HTTP
 * fallback from this module, against the embedded server with transports refused: the core's
 * fallback strategy (ws first; without TLS wss after 2 s and the HTTP transports after 5 s; polling
 * 4 s after streaming) ends on the transport that works, and every event arrives in order.
 *
 * <p>TLS is off. The client's clock runs {@value #SPEEDUP} times faster through the core's public
 * {@code Scheduler} port ({@link FasterScheduler}), so pusher-js's 5 s and 4 s delays take 1 s and
 * 0.8 s of real time; the transports and the server keep real time.
 */
class PusherFallbackStrategyTest {
  private static final int SPEEDUP = 5;
  private static final int EVENTS = 300;
  private static final Duration STEP = Duration.ofSeconds(15);

  @RegisterExtension static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

  private CountingTransportFactory ws;
  private CountingTransportFactory xhr;
  private Pusher pusher;

  @BeforeEach
  void factories() {
    ws = new CountingTransportFactory(new NettyTransportFactory());
    xhr = new CountingTransportFactory(new HttpClientTransportFactory());
  }

  @AfterEach
  void tearDown() {
    if (pusher != null) {
      pusher.close();
    }
    ws.close();
    xhr.close();
  }

  private Pusher client() {
    PusherTestServer server = SERVER.server();
    pusher =
        new Pusher(
            PusherOptions.builder(server.appKey())
                .host(server.host())
                .wsPort(server.port())
                // wss is tried 2 s after ws without TLS; the embedded server's certificate is not
                // trusted by the default factory, so it fails like a refused ws.
                .wssPort(server.tlsPort())
                .httpHost(server.host())
                .httpPort(server.port())
                .tls(false)
                .enabledTransports(
                    TransportKind.WEBSOCKET, TransportKind.XHR_STREAMING, TransportKind.XHR_POLLING)
                .transportFactory(ws)
                .transportFactory(xhr)
                .scheduler(new FasterScheduler(SPEEDUP))
                .build());
    return pusher;
  }

  private String connectAndGetTransport() {
    pusher.connect();
    await().atMost(STEP).until(() -> pusher.state() == ConnectionState.CONNECTED);
    return SERVER.server().transportOf(pusher.socketId().orElseThrow());
  }

  /** Subscribes, triggers {@link #EVENTS} numbered events and checks they all came, in order. */
  private void receivesEveryEventInOrder(String channelName) throws Exception {
    Channel channel = pusher.subscribe(channelName);
    List<Integer> got = new CopyOnWriteArrayList<>();
    channel.bind("seq", e -> got.add(Integer.parseInt(e.data())));
    channel.subscription().toCompletableFuture().get(STEP.toSeconds(), TimeUnit.SECONDS);
    for (int i = 0; i < EVENTS; i++) {
      SERVER.server().trigger(channelName, "seq", Integer.toString(i));
    }
    await().atMost(STEP).until(() -> got.size() >= EVENTS);
    assertThat(got).containsExactlyElementsOf(IntStream.range(0, EVENTS).boxed().toList());
  }

  @Test
  void webSocketRefused_endsOnXhrStreaming_andReceivesEveryEventInOrder() throws Exception {
    SERVER.server().faults().refuseTransport("ws", true);
    client();

    assertThat(connectAndGetTransport()).isEqualTo("xhr_streaming");
    // It did fall back: the WebSocket was tried and refused first.
    assertThat(ws.count(TransportKind.WEBSOCKET)).isPositive();
    assertThat(xhr.opened()).startsWith(TransportKind.XHR_STREAMING);
    receivesEveryEventInOrder("fallback-streaming");
  }

  @Test
  void webSocketAndStreamingRefused_endsOnXhrPolling_andReceivesEveryEventInOrder()
      throws Exception {
    SERVER.server().faults().refuseTransport("ws", true);
    SERVER.server().faults().refuseTransport("xhr_streaming", true);
    client();

    assertThat(connectAndGetTransport()).isEqualTo("xhr_polling");
    assertThat(ws.count(TransportKind.WEBSOCKET)).isPositive();
    assertThat(xhr.count(TransportKind.XHR_STREAMING)).isPositive();
    receivesEveryEventInOrder("fallback-polling");
  }

  @Test
  void nothingRefused_usesTheWebSocket() throws Exception {
    client();

    assertThat(connectAndGetTransport()).isEqualTo("ws");
    receivesEveryEventInOrder("fallback-none");
  }

  /**
   * The core remembers the transport that won, as pusher-js's {@code
   * WebSocketPrioritizedCachedStrategy} does: a remembered HTTP transport is tried first (alone,
   * before any WebSocket) only once the full WebSocket-first search has chosen it four more times,
   * so a passing WebSocket outage does not pin the client to the fallback. So: reconnections 1 to 4
   * still try the WebSocket and end on streaming; the 5th opens streaming and nothing else.
   */
  @Test
  void rememberedStreaming_isTriedFirst_onceTheSearchKeepsChoosingIt() {
    SERVER.server().faults().refuseTransport("ws", true);
    client();
    assertThat(connectAndGetTransport()).isEqualTo("xhr_streaming");

    for (int reconnect = 1; reconnect <= 5; reconnect++) {
      pusher.disconnect();
      await().atMost(STEP).until(() -> pusher.state() == ConnectionState.DISCONNECTED);
      int wsBefore = ws.count(TransportKind.WEBSOCKET);
      int xhrBefore = xhr.opened().size();
      long started = System.nanoTime();

      assertThat(connectAndGetTransport()).as("reconnection %d", reconnect).isEqualTo("xhr_streaming");

      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      List<TransportKind> xhrOpened = xhr.opened().subList(xhrBefore, xhr.opened().size());
      System.out.printf(
          "reconnection %d: %d ms real (x%d), ws opened %d, xhr opened %s%n",
          reconnect, millis, SPEEDUP, ws.count(TransportKind.WEBSOCKET) - wsBefore, xhrOpened);
      if (reconnect < 5) {
        assertThat(ws.count(TransportKind.WEBSOCKET))
            .as("reconnection %d runs the full WebSocket-first search", reconnect)
            .isGreaterThan(wsBefore);
      } else {
        assertThat(ws.count(TransportKind.WEBSOCKET))
            .as("reconnection %d tries the remembered streaming alone first", reconnect)
            .isEqualTo(wsBefore);
        assertThat(xhrOpened).containsExactly(TransportKind.XHR_STREAMING);
      }
    }
  }
}
