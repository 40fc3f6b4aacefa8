package io.pusheriso.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ResourceLeakDetector;
import io.pusheriso.ConnectionListener;
import io.pusheriso.ConnectionStateChange;
import io.pusheriso.PusherConnectionException;
import io.pusheriso.Pusher;
import io.pusheriso.PusherException;
import io.pusheriso.PusherOptions;
import io.pusheriso.PusherProtocolException;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener.Event;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole client (pusher-core over one transport) against {@link HostileWsServer}: malformed,
 * wrongly typed, binary, fragmented, oversized and non-UTF-8 input, floods (50,000 frames in one
 * burst; 300,000 pings while the server reads nothing), and upgrades refused or never answered. In
 * every case the client reports a typed error or closes and reconnects by its policy, keeps its
 * memory bounded (a message by {@code maxFrameBytes}, checked from the frame header before the
 * payload is buffered; unanswered pongs by the transport's write limit), and lets no exception
 * escape to an I/O thread ({@link IoThreadWatch}).
 *
 * <p>Subclasses name the transport with {@link #newFactory()}, as with {@link TransportTck}:
 *
 * <pre>{@code
 * class PusherOverNettyHostileServerTest extends HostileServerContract {
 *   protected TransportFactory newFactory() { return new NettyTransportFactory(); }
 * }
 * }</pre>
 *
 * <p>Abstract, so surefire runs only the subclasses. Thread-safety: an instance is one JUnit test
 * instance, driven by the JUnit thread; the state the client's threads write (events, errors,
 * states) is held in concurrent collections.
 */
public abstract class HostileServerContract {

  /** Small, so that "over the limit" is cheap to send. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;

  private static final Duration STEP = Duration.ofSeconds(10);
  private static final String CH = "hostile";

  private HostileWsServer server;
  private IoThreadWatch watch;
  private TransportFactory factory;
  private Pusher pusher;
  // Not copy-on-write: the flood adds tens of thousands.
  private final Queue<String> events = new ConcurrentLinkedQueue<>();
  private final List<PusherException> errors = new CopyOnWriteArrayList<>();
  private final List<ConnectionStateChange> states = new CopyOnWriteArrayList<>();
  private volatile long lastEventNanos;

  /** Subclass constructor; JUnit creates the instances. */
  protected HostileServerContract() {}

  /**
   * A new factory of the transport under test, with its defaults; the contract closes it after
   * each test.
   *
   * @return the factory, owned by the contract from here on
   */
  protected abstract TransportFactory newFactory();

  /** Starts the watch, the hostile server and a factory for the next test. */
  @BeforeEach
  public void start() {
    watch = IoThreadWatch.start();
    server = new HostileWsServer();
    factory = newFactory();
  }

  /** Closes the client, the factory and the server; no exception may have reached an I/O thread. */
  @AfterEach
  public void stop() {
    try {
      if (pusher != null) {
        pusher.close();
      }
      factory.close();
      server.close();
      assertThat(watch.problems()).as("exceptions that reached an I/O thread").isEmpty();
    } finally {
      watch.close();
    }
  }

  private PusherOptions.Builder options() {
    return PusherOptions.builder("app-key")
        .host("127.0.0.1")
        .wsPort(server.port())
        .tls(false)
        .transportFactory(factory)
        .maxFrameBytes(MAX_FRAME_BYTES);
  }

  /** Connects a client subscribed to {@link #CH}, recording events named "e", errors, states. */
  private void connect(PusherOptions options) {
    pusher = new Pusher(options);
    pusher.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void onStateChange(ConnectionStateChange change) {
            states.add(change);
          }

          @Override
          public void onError(PusherException error) {
            errors.add(error);
          }
        });
    pusher.subscribe(CH)
        .bind(
            "e",
            e -> {
              events.add(e.data());
              lastEventNanos = System.nanoTime();
            });
    pusher.connect();
  }

  private static void send(Channel ch, String... frames) {
    for (String f : frames) {
      ch.write(HostileWsServer.text(f));
    }
    ch.flush();
  }

  private static String e(String data) {
    return HostileWsServer.event(CH, "e", data);
  }

  @Test
  public void malformedAndWronglyTypedFrames_reportedAndSkipped_laterEventsStillDelivered() {
    List<byte[]> malformed =
        List.of(
            bytes("garbage, not JSON at all"),
            bytes("{\"event\":\"e\",\"channel\":\"hostile\",\"data\":\"trunc"),
            bytes("{\"event\":\"e\",\"channel\":\"hostile\",\"data\":{\"nested\":[1,2"),
            bytes("{\"event\":5}"),
            bytes("{\"event\":\"e\",\"channel\":{\"x\":1},\"data\":\"x\"}"),
            bytes("{\"event\":[],\"channel\":\"hostile\"}"),
            bytes("{\"channel\":\"hostile\",\"data\":\"no event name\"}"),
            bytes("[]"),
            bytes("null"),
            bytes("\"a string\""),
            bytes(""),
            bytes("[".repeat(50_000)),
            bytes("{\"event\":\"e\"} trailing"));
    server.afterSubscribe(
        (ch, n) -> {
          send(ch, e("before"));
          for (byte[] m : malformed) {
            ch.write(HostileWsServer.rawText(m));
          }
          // Wrong JSON types where the protocol allows any value: data as number, object, bool.
          send(
              ch,
              "{\"event\":\"e\",\"channel\":\"hostile\",\"data\":5}",
              "{\"event\":\"e\",\"channel\":\"hostile\",\"data\":{\"k\":[true]}}",
              "{\"event\":\"e\",\"channel\":\"hostile\",\"data\":false,\"user_id\":7}",
              // A pusher:error whose fields have the wrong types still reaches the listener.
              "{\"event\":\"pusher:error\",\"data\":{\"code\":\"four\",\"message\":[1]}}",
              e("after"));
        });
    connect(options().build());

    await().atMost(STEP).until(() -> events.contains("after"));
    assertThat(events).containsExactly("before", "5", "{\"k\":[true]}", "false", "after");
    List<PusherException> protocolErrors =
        errors.stream().filter(x -> x instanceof PusherProtocolException).toList();
    assertThat(protocolErrors)
        .as("one typed error per malformed frame: %s", errors)
        .hasSize(malformed.size())
        .allSatisfy(x -> assertThat(x.getMessage()).isNotBlank());
    assertThat(pusher.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(server.opened()).as("the bad frames did not cost the connection").isEqualTo(1);
  }

  @Test
  public void textFrameNotUtf8_failsTheConnectionWith1007_thenReconnectsAndDelivers() {
    // RFC 6455 8.1: an endpoint receiving text that is not UTF-8 fails the connection (1007).
    server.afterSubscribe(
        (ch, n) -> {
          if (n == 1) {
            send(ch, e("before"));
            ch.write(
                HostileWsServer.rawText(
                    new byte[] {'{', (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, '}'}));
            send(ch, e("after-bad-bytes-on-the-failed-connection"));
          } else {
            send(ch, e("after-reconnect"));
          }
        });
    connect(options().build());

    await().atMost(STEP).until(() -> events.contains("after-reconnect"));
    assertThat(events).containsExactly("before", "after-reconnect");
    assertThat(server.opened()).isEqualTo(2);
    assertThat(errors)
        .filteredOn(x -> x instanceof PusherConnectionException)
        .anySatisfy(x -> assertThat(x.getMessage()).containsIgnoringCase("UTF-8"));
    // The server is told why, with the code RFC 6455 7.4.1 reserves for it.
    await().atMost(STEP).until(() -> server.closeCodes().contains(1007));
  }

  @Test
  public void binaryFrames_areNotEvents_andTheConnectionKeepsWorking() {
    server.afterSubscribe(
        (ch, n) -> {
          ch.write(new BinaryWebSocketFrame(HostileWsServer.utf8(e("sneaked-in-binary"))));
          ch.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {0, 1, 2, -1})));
          send(ch, e("after"));
        });
    connect(options().build());

    await().atMost(STEP).until(() -> events.contains("after"));
    assertThat(events).containsExactly("after");
    assertThat(errors).isEmpty();
    assertThat(server.opened()).isEqualTo(1);
  }

  @Test
  public void frameOverMaxFrameBytes_closesWith1009_thenReconnectsAndDelivers() {
    server.afterSubscribe(
        (ch, n) -> {
          if (n == 1) {
            send(ch, e("x".repeat(MAX_FRAME_BYTES)));
          } else {
            send(ch, e("after-reconnect"));
          }
        });
    connect(options().build());

    await().atMost(STEP).until(() -> events.contains("after-reconnect"));
    assertThat(events).containsExactly("after-reconnect");
    assertThat(server.opened()).isEqualTo(2);
    assertClosedForSize();
    assertThat(states)
        .extracting(ConnectionStateChange::current)
        .containsSubsequence(
            ConnectionState.CONNECTED, ConnectionState.CONNECTING, ConnectionState.CONNECTED);
  }

  @Test
  public void frameHeaderAnnouncingOneGibibyte_refusedAtTheHeader_withoutBufferingIt() {
    // A text frame header announcing 2^30 bytes, then a few: a client that buffered before
    // checking would wait (the rest never comes) or run out of memory; the limit ends it at once.
    server.afterSubscribe(
        (ch, n) -> {
          if (n == 1) {
            ByteBuf raw = Unpooled.buffer();
            raw.writeByte(0x81).writeByte(127).writeLong(1L << 30);
            raw.writeBytes(bytes("{\"event\":\"e\",\"channel\":\"hostile\",\"data\":\""));
            ch.writeAndFlush(raw);
          } else {
            send(ch, e("after-reconnect"));
          }
        });
    connect(options().build());

    await().atMost(STEP).until(() -> events.contains("after-reconnect"));
    assertThat(events).containsExactly("after-reconnect");
    assertThat(server.opened()).isEqualTo(2);
    assertClosedForSize();
  }

  @Test
  public void fragmentedMessages_reassembledUnderTheLimit_closedOverIt() {
    server.afterSubscribe(
        (ch, n) -> {
          if (n == 1) {
            String whole = e("fragmented-ok");
            int third = whole.length() / 3;
            ch.write(new TextWebSocketFrame(false, 0, whole.substring(0, third)));
            ch.write(new ContinuationWebSocketFrame(false, 0, whole.substring(third, 2 * third)));
            ch.write(new ContinuationWebSocketFrame(true, 0, whole.substring(2 * third)));
            // Then a message of 1 KiB fragments that never ends: past the limit it must stop.
            ch.write(new TextWebSocketFrame(false, 0, "{\"event\":\"e\",\"data\":\""));
            String kib = "y".repeat(1024);
            for (int i = 0; i < 2 * MAX_FRAME_BYTES / 1024; i++) {
              ch.write(new ContinuationWebSocketFrame(false, 0, kib));
            }
            ch.flush();
          } else {
            send(ch, e("after-reconnect"));
          }
        });
    connect(options().build());

    await().atMost(STEP).until(() -> events.contains("after-reconnect"));
    assertThat(events).containsExactly("fragmented-ok", "after-reconnect");
    assertThat(server.opened()).isEqualTo(2);
    assertClosedForSize();
  }

  @Test
  public void flood_tensOfThousandsOfFramesInOneBurst_allDeliveredInOrder() {
    int frames = 50_000;
    long[] burstStart = new long[1];
    server.afterSubscribe(
        (ch, n) -> {
          ByteBuf burst = Unpooled.buffer(frames * 64);
          for (int i = 0; i < frames; i++) {
            HostileWsServer.encodeText(burst, e(Integer.toString(i)));
          }
          burstStart[0] = System.nanoTime();
          ch.writeAndFlush(burst);
        });
    // Track buffers by sampling, as in production, so that the rate measured is the client's.
    ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    try {
      connect(options().build());
      await().atMost(STEP.multipliedBy(3)).until(() -> events.size() == frames);
    } finally {
      ResourceLeakDetector.setLevel(level);
    }
    assertThat(events)
        .containsExactlyElementsOf(IntStream.range(0, frames).mapToObj(Integer::toString).toList());
    assertThat(errors).isEmpty();
    assertThat(server.opened()).isEqualTo(1);
    long nanos = Math.max(1, lastEventNanos - burstStart[0]);
    System.out.printf(
        "%s: a burst of %,d frames delivered to the application in %d ms (%,d per ms)%n",
        getClass().getSimpleName(), frames, nanos / 1_000_000, frames * 1_000_000L / nanos);
  }

  @Test
  public void pingFlood_whileTheServerDoesNotRead_pongsDoNotPileUp_andTheClientKeepsWorking() {
    // 300,000 pings (38 MB) while the server reads nothing: a client answering each one would
    // queue 39 MB of pongs in its own memory. RFC 6455 5.5.3 lets it answer only the most recent,
    // so what is sent is bounded by the socket buffers and the transport's write limit.
    int pings = 300_000;
    server.afterSubscribe(
        (ch, n) -> {
          ch.config().setAutoRead(false);
          byte[] payload = new byte[125];
          ByteBuf burst = Unpooled.buffer(pings * 127);
          for (int i = 0; i < pings; i++) {
            HostileWsServer.encodePing(burst, payload);
          }
          ch.writeAndFlush(burst)
              .addListener(
                  f -> {
                    ch.config().setAutoRead(true);
                    ByteBuf last = Unpooled.buffer();
                    HostileWsServer.encodePing(last, bytes(HostileWsServer.FINAL_PING));
                    ch.write(last);
                    send(ch, e("after-the-flood"));
                  });
        });
    ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    long start = System.nanoTime();
    try {
      connect(options().build());
      await().atMost(STEP.multipliedBy(3)).until(() -> events.contains("after-the-flood"));
      // The last ping is answered once the client can write again; the pongs before it are few.
      await().atMost(STEP).until(() -> server.pongsBeforeFinal() >= 0);
    } finally {
      ResourceLeakDetector.setLevel(level);
    }
    assertThat(server.pongsBeforeFinal())
        .as("pongs sent for %,d pings while the server did not read", pings)
        .isLessThan(pings / 2);
    assertThat(server.opened()).isEqualTo(1);
    assertThat(pusher.state()).isEqualTo(ConnectionState.CONNECTED);
    System.out.printf(
        "%s: %,d pings, %,d pongs before the final one, %d ms%n",
        getClass().getSimpleName(),
        pings,
        server.pongsBeforeFinal(),
        (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  public void upgradeAnsweredWithHttp500_typedErrorNamesTheStatus_andTheClientKeepsRetrying() {
    server.upgrade(HostileWsServer.Upgrade.HTTP_500);
    RecordingTransportListener l = new RecordingTransportListener();
    factory.open(request(STEP), l);
    Event end = l.awaitTerminal(STEP);
    assertThat(end.kind()).isEqualTo(Kind.ERROR);
    assertThat(end.error()).isInstanceOf(PusherConnectionException.class);
    assertThat(end.error().getMessage()).contains("500");
    assertThat(l.openCount()).isZero();

    int before = server.upgradeRequests();
    connect(options().connectTimeout(Duration.ofMillis(500)).build());
    await().atMost(STEP).until(() -> server.upgradeRequests() >= before + 3);
    assertThat(pusher.state()).isIn(ConnectionState.CONNECTING, ConnectionState.UNAVAILABLE);
    assertThat(states).extracting(ConnectionStateChange::current)
        .doesNotContain(ConnectionState.CONNECTED);
  }

  @Test
  public void upgradeNeverAnswered_timesOutWithATypedError_andTheClientGoesUnavailable() {
    server.upgrade(HostileWsServer.Upgrade.NEVER_ANSWER);
    RecordingTransportListener l = new RecordingTransportListener();
    factory.open(request(Duration.ofMillis(300)), l);
    Event end = l.awaitTerminal(STEP);
    assertThat(end.kind()).isEqualTo(Kind.ERROR);
    assertThat(end.error()).isInstanceOf(PusherConnectionException.class);
    assertThat(end.error().getMessage()).contains("timed out");

    connect(
        options()
            .connectTimeout(Duration.ofMillis(300))
            .unavailableTimeout(Duration.ofSeconds(1))
            .build());
    await().atMost(STEP).until(() -> pusher.state() == ConnectionState.UNAVAILABLE);
    int attempts = server.upgradeRequests();
    await().atMost(STEP).until(() -> server.upgradeRequests() > attempts);
    assertThat(states).extracting(ConnectionStateChange::current)
        .doesNotContain(ConnectionState.CONNECTED);
  }

  /** The connection listener heard why: close code 1009, naming the limit. */
  private void assertClosedForSize() {
    assertThat(errors)
        .filteredOn(x -> x instanceof PusherConnectionException)
        .anySatisfy(
            x -> {
              assertThat(((PusherConnectionException) x).code()).isEqualTo(1009);
              assertThat(x.getMessage()).contains("maxFrameBytes");
            });
  }

  private TransportRequest request(Duration connectTimeout) {
    return new TransportRequest(
        TransportKind.WEBSOCKET,
        URI.create(
            "ws://127.0.0.1:"
                + server.port()
                + "/app/app-key?protocol=7&client=java&version=test&flash=false"),
        connectTimeout,
        MAX_FRAME_BYTES);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
