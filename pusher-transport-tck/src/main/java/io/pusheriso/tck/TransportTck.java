package io.pusheriso.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener.Event;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import io.pusheriso.testkit.PusherTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The transport compatibility kit: every {@link TransportFactory} of this repository passes this
 * suite, through the SPI only, against an embedded {@link PusherTestServer} (one per concrete test
 * class, on loopback).
 *
 * <p>It checks what the core relies on: opening and the Pusher handshake, sending and receiving in
 * order, large messages and the {@code maxFrameBytes} limit, close codes passed through unchanged,
 * dropped and half-open connections, TLS with a trusted and an untrusted certificate, idempotent
 * close, {@code send} after close, connect timeouts, refused connections, the listener contract
 * (checked on every callback of every test by {@link RecordingTransportListener}), and that a
 * closed factory leaves no thread behind.
 *
 * <p>It serves every {@link TransportKind}: {@code WEBSOCKET} against the server's ws/wss port, and
 * the HTTP fallback kinds ({@code XHR_STREAMING}, {@code XHR_POLLING}) against its SockJS-style
 * endpoints ({@link PusherTestServer#httpBaseUri()}). Every test means the same for all kinds, with
 * the HTTP form of each fault: a server close is {@code c[code,"reason"]}, a drop cuts the open
 * receiving request, half-open holds every request unanswered. The tests named {@code http_*} check
 * HTTP framing only (the server heartbeat, a second {@code o}) and are skipped for WebSockets with
 * an assumption saying why. The server's HTTP heartbeat runs every second here, so that heartbeats
 * are seen; its streaming responses end every 128 KiB, as sockjs-node's do, so a streaming transport
 * must reopen them in the same session.
 *
 * <p>Subclasses implement {@link #newFactory(TckContext)} and {@link #kind()}. A transport that
 * cannot support a case overrides that test with a comment giving the reason. Instances are not
 * thread-safe (JUnit creates one per test).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class TransportTck {

  /** How long one step (open, a round trip, a terminal callback) may take on loopback. */
  protected static final Duration STEP = Duration.ofSeconds(10);

  /** The {@code maxFrameBytes} of ordinary requests: 1 MiB, as the core's default. */
  protected static final int DEFAULT_MAX_FRAME_BYTES = 1_048_576;

  private static final int SERVER_MAX_FRAME_BYTES = 8 * 1_048_576;
  /** The server's HTTP heartbeat interval: short, so that {@code h} frames show up in a test. */
  protected static final Duration HTTP_HEARTBEAT = Duration.ofSeconds(1);
  private static final Pattern SOCKET_ID =
      Pattern.compile("socket_id\\\\?\"\\s*:\\s*\\\\?\"(\\d+\\.\\d+)");
  private static final Pattern N_FIELD = Pattern.compile("\\\\?\"n\\\\?\"\\s*:\\s*(\\d+)");

  private static PusherTestServer server;

  private final List<Transport> transports = new CopyOnWriteArrayList<>();
  private final List<RecordingTransportListener> listeners = new CopyOnWriteArrayList<>();
  private final List<TransportFactory> factories = new CopyOnWriteArrayList<>();
  private TransportFactory factory;

  /** Creates the suite; JUnit calls it once per test. */
  protected TransportTck() {}

  /**
   * A new factory for one test. When {@code ctx.trustServerCertificate()} is true it must trust
   * {@link TckContext#caCertificateFile()} (or the same CA in another form); when false it must use
   * only what a user gets with no TLS configuration. The suite closes every factory it asks for.
   */
  protected abstract TransportFactory newFactory(TckContext ctx);

  /**
   * The kind of transport under test; it must be in the factory's {@link TransportFactory#kinds()}.
   */
  protected abstract TransportKind kind();

  /**
   * The URI of the embedded server for {@link #kind()}: its ws/wss URI for WebSockets, and the base
   * of the SockJS-style endpoints ({@code http[s]://host:port/pusher/app/KEY?...}) for the HTTP
   * kinds. Override if the transport needs another form.
   */
  protected URI serverUri(PusherTestServer s, boolean tls) {
    if (kind() == TransportKind.WEBSOCKET) {
      return tls ? s.wssUri() : s.wsUri();
    }
    return tls ? s.httpsBaseUri() : s.httpBaseUri();
  }

  /** True when the kind under test is one of the HTTP fallback kinds. */
  protected final boolean isHttp() {
    return kind() != TransportKind.WEBSOCKET;
  }

  /**
   * How long the transport may take to end a connection it closes itself when the server no longer
   * answers (no close frame comes back; an HTTP request held unanswered). Override to match the
   * transport's close timeout.
   */
  protected Duration closeTimeout() {
    return Duration.ofSeconds(10);
  }

  // ---------------------------------------------------------------------------------------------
  // Fixture
  // ---------------------------------------------------------------------------------------------

  @BeforeAll
  protected static void startServer() {
    server =
        PusherTestServer.builder()
            .maxFrameBytes(SERVER_MAX_FRAME_BYTES)
            .xhrHeartbeatInterval(HTTP_HEARTBEAT)
            .start();
  }

  @AfterAll
  protected static void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @BeforeEach
  protected void resetFaults() {
    server.faults().reset();
  }

  /**
   * Closes what the test opened, then checks for every transport that the close ended it with
   * exactly one terminal callback and that the listener contract held throughout.
   */
  @AfterEach
  protected void closeEverythingAndCheckContract() {
    server.faults().reset();
    try {
      for (Transport t : transports) {
        t.close(1000, "tck teardown");
      }
      for (RecordingTransportListener l : listeners) {
        l.awaitTerminal(closeTimeout().plus(STEP));
        assertThat(l.terminalCount()).as("terminal callbacks").isEqualTo(1);
        l.assertContractKept();
      }
    } finally {
      for (TransportFactory f : factories) {
        f.close();
      }
    }
  }

  /** The embedded server of this test class. */
  protected static PusherTestServer server() {
    return server;
  }

  /** A factory that trusts the server's CA, created on first use and closed after the test. */
  protected final TransportFactory factory() {
    if (factory == null) {
      factory = newTrackedFactory(true);
    }
    return factory;
  }

  private TransportFactory newTrackedFactory(boolean trust) {
    TransportFactory f = newFactory(new TckContext(server, trust));
    assertThat(f).as("newFactory(...)").isNotNull();
    factories.add(f);
    return f;
  }

  /** A request for {@code uri} with the given connect timeout and frame limit. */
  protected final TransportRequest request(URI uri, Duration connectTimeout, int maxFrameBytes) {
    return new TransportRequest(kind(), uri, connectTimeout, maxFrameBytes);
  }

  /**
   * A request for the server's plain URI with {@link #STEP} and {@link #DEFAULT_MAX_FRAME_BYTES}.
   */
  protected final TransportRequest plainRequest() {
    return request(serverUri(server, false), STEP, DEFAULT_MAX_FRAME_BYTES);
  }

  /** One transport opened by the suite and the recorder listening to it. */
  protected record Opened(Transport transport, RecordingTransportListener listener) {}

  /** A connection that is open and past {@code pusher:connection_established}. */
  protected record Connected(
      Transport transport, RecordingTransportListener listener, String socketId) {}

  /** Opens {@code request} on {@code f}; the suite closes the transport after the test. */
  protected final Opened open(TransportFactory f, TransportRequest request) {
    RecordingTransportListener listener = new RecordingTransportListener();
    listeners.add(listener);
    Transport transport = f.open(request, listener);
    assertThat(transport).as("open(...) result").isNotNull();
    transports.add(transport);
    return new Opened(transport, listener);
  }

  /** Opens a plain connection and waits for {@code pusher:connection_established}. */
  protected final Connected connect() {
    return connect(factory(), plainRequest());
  }

  /** Opens {@code request} and waits for {@code pusher:connection_established}. */
  protected final Connected connect(TransportFactory f, TransportRequest request) {
    Opened o = open(f, request);
    o.listener().awaitOpen(STEP);
    String established = o.listener().awaitMessage(isEvent("pusher:connection_established"), STEP);
    return new Connected(o.transport(), o.listener(), socketIdOf(established));
  }

  /** Subscribes {@code c} to the public {@code channel} and waits for the server's success. */
  protected final void subscribe(Connected c, String channel) {
    assertThat(c.transport().send(subscribeFrame(channel))).as("send(subscribe)").isTrue();
    c.listener()
        .awaitMessage(
            isEvent("pusher_internal:subscription_succeeded").and(isChannel(channel)), STEP);
  }

  /** The {@code pusher:subscribe} frame for a public channel. */
  protected static String subscribeFrame(String channel) {
    return "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}";
  }

  /** Matches frames whose {@code event} is {@code name}. */
  protected static Predicate<String> isEvent(String name) {
    Pattern p = Pattern.compile("\"event\"\\s*:\\s*\"" + Pattern.quote(name) + "\"");
    return text -> p.matcher(text).find();
  }

  /** Matches frames whose {@code channel} is {@code name}. */
  protected static Predicate<String> isChannel(String name) {
    Pattern p = Pattern.compile("\"channel\"\\s*:\\s*\"" + Pattern.quote(name) + "\"");
    return text -> p.matcher(text).find();
  }

  /**
   * Waits until {@code done} holds; fails at once, saying why, if the transport ends meanwhile (the
   * tests that use it need the connection open throughout).
   */
  private static void awaitWhileOpen(Connected c, Duration timeout, Callable<Boolean> done) {
    await()
        .atMost(timeout)
        .until(
            () -> {
              Event terminal = c.listener().terminal();
              if (terminal != null) {
                throw new AssertionError(
                    "the transport ended before the test was done: " + terminal.describe());
              }
              return done.call();
            });
  }

  private static String socketIdOf(String connectionEstablished) {
    Matcher m = SOCKET_ID.matcher(connectionEstablished);
    assertThat(m.find()).as("socket_id in " + connectionEstablished).isTrue();
    return m.group(1);
  }

  private static int nOf(String frame) {
    Matcher m = N_FIELD.matcher(frame);
    assertThat(m.find()).as("\"n\" in " + frame).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static String randomText(int length, long seed) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static URI withPort(URI uri, int port) {
    try {
      return new URI(
          uri.getScheme(),
          uri.getUserInfo(),
          uri.getHost(),
          port,
          uri.getPath(),
          uri.getQuery(),
          uri.getFragment());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static int unusedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The factory
  // ---------------------------------------------------------------------------------------------

  @Test
  public void factory_describesItself_nameAndKindUnderTest() {
    assertThat(factory().name()).isNotBlank();
    assertThat(factory().kinds()).isNotEmpty().contains(kind());
  }

  @Test
  public void open_kindTheFactoryLacks_throwsIllegalArgumentException() {
    Set<TransportKind> missing = EnumSet.allOf(TransportKind.class);
    missing.removeAll(factory().kinds());
    Assumptions.assumeFalse(missing.isEmpty(), "the factory opens every kind");
    TransportKind other = missing.iterator().next();
    TransportRequest request =
        new TransportRequest(other, serverUri(server, false), STEP, DEFAULT_MAX_FRAME_BYTES);
    assertThatThrownBy(() -> factory().open(request, new RecordingTransportListener()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  public void open_afterFactoryClose_throwsIllegalStateException() {
    TransportFactory f = newTrackedFactory(true);
    f.close();
    f.close(); // idempotent
    assertThatThrownBy(() -> f.open(plainRequest(), new RecordingTransportListener()))
        .isInstanceOf(IllegalStateException.class);
  }

  // ---------------------------------------------------------------------------------------------
  // Opening, sending, receiving
  // ---------------------------------------------------------------------------------------------

  @Test
  public void open_plainServer_opensThenDeliversConnectionEstablished() {
    Opened o = open(factory(), plainRequest());
    assertThat(o.transport().kind()).isEqualTo(kind());

    o.listener().awaitOpen(STEP);
    String established = o.listener().awaitMessage(isEvent("pusher:connection_established"), STEP);

    String socketId = socketIdOf(established);
    assertThat(server.socketIds()).contains(socketId);
    assertThat(server.transportOf(socketId)).as("how the server sees it").isEqualTo(kind().wireName());
    assertThat(o.listener().transport()).isSameAs(o.transport());
    assertThat(o.listener().events().get(0).kind()).isEqualTo(Kind.OPEN);
    assertThat(o.listener().terminal()).isNull();
  }

  @Test
  public void send_subscribe_serverReceivesFrameAndAnswersSubscriptionSucceeded() {
    Connected c = connect();
    String frame = subscribeFrame("tck-send");

    assertThat(c.transport().send(frame)).isTrue();

    c.listener()
        .awaitMessage(
            isEvent("pusher_internal:subscription_succeeded").and(isChannel("tck-send")), STEP);
    assertThat(server.framesReceivedFrom(c.socketId())).contains(frame);
    assertThat(server.subscribedChannels(c.socketId())).contains("tck-send");
  }

  @Test
  public void receive_rawServerFrames_deliveredUnchangedIncludingNonJsonAndUnicode() {
    Connected c = connect();
    String unicode =
        "{\"event\":\"tck-raw\",\"data\":\"h\u00e9llo \u2713 \ud83c\udf89 \u4e2d\u6587\"}";
    String notJson = "this is not JSON at all {";

    server.faults().sendRaw(c.socketId(), unicode);
    server.faults().sendRaw(c.socketId(), notJson);

    await().atMost(STEP).until(() -> c.listener().messages().contains(notJson));
    List<String> messages = c.listener().messages();
    assertThat(messages).contains(unicode);
    assertThat(messages.indexOf(unicode)).isLessThan(messages.indexOf(notJson));
  }

  @Test
  public void receive_thousandEvents_deliveredInOrder() {
    Connected c = connect();
    subscribe(c, "tck-order");

    for (int i = 0; i < 1000; i++) {
      server.trigger("tck-order", "tck-event", "{\"n\":" + i + "}");
    }

    Predicate<String> events = isEvent("tck-event");
    awaitWhileOpen(c, STEP.multipliedBy(3), () -> c.listener().messages(events).size() >= 1000);
    List<Integer> order = new ArrayList<>();
    for (String m : c.listener().messages(events)) {
      order.add(nOf(m));
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      expected.add(i);
    }
    assertThat(order).containsExactlyElementsOf(expected);
  }

  @Test
  public void send_thousandFrames_serverReceivesThemInOrder() {
    Connected c = connect();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String frame = subscribeFrame("tck-out-" + i);
      sent.add(frame);
      assertThat(c.transport().send(frame)).as("send #" + i).isTrue();
    }

    Predicate<String> succeeded = isEvent("pusher_internal:subscription_succeeded");
    awaitWhileOpen(
        c, STEP.multipliedBy(3), () -> c.listener().messages(succeeded).size() >= 1000);
    List<String> received = new ArrayList<>(server.framesReceivedFrom(c.socketId()));
    received.retainAll(sent);
    assertThat(received).containsExactlyElementsOf(sent);
    List<String> answers = c.listener().messages(succeeded);
    for (int i = 0; i < 1000; i++) {
      assertThat(answers.get(i)).matches(isChannel("tck-out-" + i)::test, "answer #" + i);
    }
  }

  @Test
  public void send_fromFourThreadsWhileReceiving_everyFrameArrivesAndCallbacksStaySerialized()
      throws Exception {
    Connected c = connect();
    subscribe(c, "tck-load");
    int threads = 4;
    int perThread = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  boolean all = true;
                  for (int i = 0; i < perThread; i++) {
                    all &= c.transport().send(subscribeFrame("tck-t" + thread + "-" + i));
                  }
                  return all;
                }));
      }
      start.countDown();
      for (int i = 0; i < 500; i++) {
        server.trigger("tck-load", "tck-event", "{\"n\":" + i + "}");
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get(STEP.toMillis(), TimeUnit.MILLISECONDS))
            .as("every send accepted")
            .isTrue();
      }
    } finally {
      pool.shutdownNow();
    }

    Predicate<String> succeeded = isEvent("pusher_internal:subscription_succeeded");
    awaitWhileOpen(
        c,
        STEP.multipliedBy(3),
        () ->
            c.listener().messages(succeeded).size() >= 1 + threads * perThread
                && c.listener().messages(isEvent("tck-event")).size() >= 500);
    List<String> frames = server.framesReceivedFrom(c.socketId());
    for (int t = 0; t < threads; t++) {
      List<String> mine = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        expected.add(subscribeFrame("tck-t" + t + "-" + i));
      }
      for (String f : frames) {
        if (expected.contains(f)) {
          mine.add(f);
        }
      }
      assertThat(mine).as("frames of sender thread " + t).containsExactlyElementsOf(expected);
    }
    c.listener().assertContractKept();
  }

  // ---------------------------------------------------------------------------------------------
  // Large messages and the frame limit
  // ---------------------------------------------------------------------------------------------

  @Test
  public void receive_200KbMessage_deliveredIntact() {
    Connected c = connect();
    String payload = randomText(200_000, 42);
    // Raw, because the server's events API holds events to Pusher's 10 KB; a transport must
    // still carry whatever the server sends up to maxFrameBytes.
    String frame = largeEventFrame("tck-large-event", payload);

    server.faults().sendRaw(c.socketId(), frame);

    String message = c.listener().awaitMessage(isEvent("tck-large-event"), STEP);
    assertThat(message.length()).isEqualTo(frame.length());
    assertThat(message.equals(frame)).as("the 200 KB message arrived intact").isTrue();
  }

  private static String largeEventFrame(String event, String payload) {
    return "{\"event\":\""
        + event
        + "\",\"channel\":\"tck-large\",\"data\":\"{\\\"blob\\\":\\\""
        + payload
        + "\\\"}\"}";
  }

  @Test
  public void send_200KbFrame_serverReceivesItIntact() {
    Connected c = connect();
    String frame =
        "{\"event\":\"pusher:ping\",\"data\":{\"pad\":\"" + randomText(200_000, 7) + "\"}}";

    assertThat(c.transport().send(frame)).isTrue();

    await().atMost(STEP).until(() -> server.framesReceivedFrom(c.socketId()).contains(frame));
  }

  @Test
  public void receive_messageOverMaxFrameBytes_endsWithErrorNamingTheLimit() {
    int limit = 65_536;
    Connected c = connect(factory(), request(serverUri(server, false), STEP, limit));

    server
        .faults()
        .sendRaw(c.socketId(), largeEventFrame("tck-too-big-event", randomText(200_000, 3)));

    Event terminal = c.listener().awaitTerminal(STEP);
    assertThat(terminal.describe()).contains(String.valueOf(limit));
    if (terminal.kind() == Kind.CLOSE) {
      assertThat(terminal.code()).isEqualTo(1009);
    }
    assertThat(c.listener().messages(isEvent("tck-too-big-event"))).isEmpty();
  }

  @Test
  public void receive_400KbInSmallMessages_allInOrderAndTheConnectionCarriesOn() {
    Connected c = connect();
    // Over three of the HTTP server's 128 KiB streaming responses: a streaming transport reopens
    // the stream in the same session, and neither loses nor reorders a message meanwhile.
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String frame =
          "{\"event\":\"tck-chunk\",\"channel\":\"tck-chunks\",\"data\":\"{\\\"n\\\":"
              + i
              + ",\\\"pad\\\":\\\""
              + randomText(10_000, i)
              + "\\\"}\"}";
      sent.add(frame);
      server.faults().sendRaw(c.socketId(), frame);
    }

    awaitWhileOpen(
        c, STEP.multipliedBy(2), () -> c.listener().messages(isEvent("tck-chunk")).size() >= 40);
    assertThat(c.listener().messages(isEvent("tck-chunk"))).containsExactlyElementsOf(sent);
    subscribe(c, "tck-after-chunks");
    assertThat(c.listener().terminal()).isNull();
    assertThat(server.socketIds()).contains(c.socketId());
  }

  // ---------------------------------------------------------------------------------------------
  // Ends of a connection
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({"4200, x", "4001, App is disabled", "4100, Over capacity", "4301, ''"})
  public void serverClose_withCode_reportedUnchanged(int code, String reason) {
    Connected c = connect();

    server.faults().closeAll(code, reason);

    Event terminal = c.listener().awaitTerminal(STEP);
    assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.CLOSE);
    assertThat(terminal.code()).isEqualTo(code);
    assertThat(terminal.reason()).isEqualTo(reason);
    assertThat(c.transport().send(subscribeFrame("tck-after"))).isFalse();
  }

  @Test
  public void serverDrop_withoutCloseFrame_reportedAsAbnormalEnd() {
    Connected c = connect();

    server.faults().dropAllConnections();

    Event terminal = c.listener().awaitTerminal(STEP);
    if (terminal.kind() == Kind.CLOSE) {
      assertThat(terminal.code()).as(terminal.describe()).isEqualTo(1006);
    } else {
      assertThat(terminal.error()).isNotNull();
    }
    assertThat(c.transport().send(subscribeFrame("tck-after"))).isFalse();
  }

  @Test
  public void halfOpen_pingGetsNoPong_andLocalCloseStillEnds() {
    Connected c = connect();
    String ping = "{\"event\":\"pusher:ping\",\"data\":{}}";
    Predicate<String> pong = isEvent("pusher:pong");
    // First prove the server answers pings, so that silence below means something.
    assertThat(c.transport().send(ping)).isTrue();
    c.listener().awaitMessage(pong, STEP);
    int pongs = c.listener().messages(pong).size();

    server.faults().halfOpen(true);
    assertThat(c.transport().send(ping)).isTrue();

    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(
            () -> c.listener().messages(pong).size() == pongs && c.listener().terminal() == null);

    c.transport().close(1000, "no pong");
    Event terminal = c.listener().awaitTerminal(closeTimeout().plus(STEP));
    assertThat(terminal).isNotNull();
  }

  @Test
  public void close_twiceFromSeveralThreads_oneTerminalCallback() throws Exception {
    Connected c = connect();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  c.transport().close(1000, "bye");
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    c.transport().close(1000, "bye again");

    Event terminal = c.listener().awaitTerminal(closeTimeout().plus(STEP));
    assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.CLOSE);
    assertThat(terminal.code()).isEqualTo(1000);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> c.listener().terminalCount() == 1);
  }

  @Test
  public void close_serverForgetsTheConnection() {
    Connected c = connect();
    subscribe(c, "tck-forget");

    c.transport().close(1000, "bye");

    c.listener().awaitTerminal(closeTimeout().plus(STEP));
    // WebSocket: the closing handshake; HTTP: the aborted receiving request ends the session (or,
    // at the latest, the server's 5 s disconnect delay).
    await()
        .atMost(STEP)
        .until(
            () ->
                !server.socketIds().contains(c.socketId())
                    && server.subscriberCount("tck-forget") == 0);
  }

  @Test
  public void send_afterClose_returnsFalse() {
    Connected c = connect();

    c.transport().close(1000, "bye");

    assertThat(c.transport().send(subscribeFrame("tck-late"))).isFalse();
    c.listener().awaitTerminal(closeTimeout().plus(STEP));
    assertThat(c.transport().send(subscribeFrame("tck-later"))).isFalse();
    assertThat(server.framesReceivedFrom(c.socketId())).noneMatch(f -> f.contains("tck-late"));
  }

  @Test
  public void send_beforeOpen_returnsFalseThenWorksOnceOpen() {
    server.faults().delayNewConnections(Duration.ofSeconds(2));
    Opened o = open(factory(), plainRequest());

    assertThat(o.transport().send(subscribeFrame("tck-early"))).isFalse();

    o.listener().awaitOpen(STEP);
    assertThat(o.transport().send(subscribeFrame("tck-early"))).isTrue();
    o.listener()
        .awaitMessage(
            isEvent("pusher_internal:subscription_succeeded").and(isChannel("tck-early")), STEP);
  }

  @Test
  public void close_whileConnecting_oneTerminalCallbackAndNeverOpens() {
    server.faults().delayNewConnections(Duration.ofMillis(1500));
    Opened o = open(factory(), plainRequest());

    o.transport().close(1000, "changed my mind");

    o.listener().awaitTerminal(STEP);
    await()
        .during(Duration.ofMillis(2500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> o.listener().openCount() == 0 && o.listener().terminalCount() == 1);
    assertThat(o.transport().send(subscribeFrame("tck-never"))).isFalse();
  }

  // ---------------------------------------------------------------------------------------------
  // TLS
  // ---------------------------------------------------------------------------------------------

  @Test
  public void tls_trustedCertificate_opensAndHandshakes() {
    Connected c =
        connect(factory(), request(serverUri(server, true), STEP, DEFAULT_MAX_FRAME_BYTES));

    subscribe(c, "tck-tls");

    assertThat(server.subscribedChannels(c.socketId())).contains("tck-tls");
  }

  @Test
  public void tls_untrustedCertificate_failsWithCertificateError() {
    TransportFactory untrusting = newTrackedFactory(false);
    Opened o = open(untrusting, request(serverUri(server, true), STEP, DEFAULT_MAX_FRAME_BYTES));

    Event terminal = o.listener().awaitTerminal(STEP);

    assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.ERROR);
    assertThat(terminal.describe()).matches("(?is).*(certificat|ssl|tls|pkix|trust).*");
    assertThat(o.listener().openCount()).isZero();
  }

  // ---------------------------------------------------------------------------------------------
  // Failing to connect
  // ---------------------------------------------------------------------------------------------

  @Test
  public void connect_serverHoldsHandshakeLongerThanTimeout_failsWithinTheTimeout() {
    Duration timeout = Duration.ofSeconds(1);
    server.faults().delayNewConnections(Duration.ofSeconds(6));
    long start = System.nanoTime();

    Opened o = open(factory(), request(serverUri(server, false), timeout, DEFAULT_MAX_FRAME_BYTES));
    Event terminal = o.listener().awaitTerminal(timeout.plusSeconds(4));

    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(elapsedMillis).as("time to the terminal callback").isGreaterThanOrEqualTo(800);
    assertThat(terminal.describe()).matches("(?is).*tim(e|ed)[ -]?out.*");
    assertThat(o.listener().openCount()).isZero();
  }

  @Test
  public void connect_nothingListening_onError() {
    URI closed = withPort(serverUri(server, false), unusedPort());

    Opened o = open(factory(), request(closed, STEP, DEFAULT_MAX_FRAME_BYTES));

    Event terminal = o.listener().awaitTerminal(STEP);
    assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.ERROR);
    assertThat(o.listener().openCount()).isZero();
  }

  @Test
  public void connect_serverAcceptsThenCloses_terminalWithoutOpen() {
    server.faults().refuseNewConnections(true);

    Opened o = open(factory(), plainRequest());

    Event terminal = o.listener().awaitTerminal(STEP);
    assertThat(terminal).isNotNull();
    assertThat(o.listener().openCount()).isZero();
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP fallback framing
  // ---------------------------------------------------------------------------------------------

  @Test
  public void http_serverHeartbeat_reportedAsActivity() {
    Assumptions.assumeTrue(
        isHttp(),
        "HTTP only: a WebSocket server sends no heartbeat frames; Pusher's liveness check over"
            + " WebSockets is pusher:ping, covered by halfOpen_pingGetsNoPong_andLocalCloseStillEnds");
    Connected c = connect();

    await()
        .atMost(HTTP_HEARTBEAT.multipliedBy(3).plus(STEP))
        .until(() -> c.listener().activityCount() >= 2);

    assertThat(c.listener().terminal()).isNull();
    assertThat(c.listener().messages())
        .as("a heartbeat is not a message")
        .noneMatch(m -> m.equals("h") || m.isEmpty());
    subscribe(c, "tck-after-heartbeats");
  }

  @Test
  public void http_openFrameOnAnOpenSession_closesAs1006() {
    Assumptions.assumeTrue(
        isHttp(),
        "HTTP only: the 'o' frame is SockJS framing; a WebSocket has no equivalent");
    Connected c = connect();

    // What pusher-js's HTTPSocket does with a second 'o': "Server lost session".
    server.faults().sendRawHttp(c.socketId(), "o\n");

    Event terminal = c.listener().awaitTerminal(STEP);
    assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.CLOSE);
    assertThat(terminal.code()).isEqualTo(1006);
    assertThat(c.transport().send(subscribeFrame("tck-after"))).isFalse();
  }

  // ---------------------------------------------------------------------------------------------
  // Resources
  // ---------------------------------------------------------------------------------------------

  @Test
  public void factoryClose_afterConnections_leavesNoThreadBehind() {
    // Warm up what is lazily started once per JVM (the server's worker threads, JDK and library
    // globals), so that only what the factory under test starts counts.
    TransportFactory warmUp = newTrackedFactory(true);
    List<Connected> warm = new ArrayList<>();
    for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors() + 2; i++) {
      warm.add(connect(warmUp, plainRequest()));
    }
    for (Connected c : warm) {
      c.transport().close(1000, "warm-up over");
    }
    for (Connected c : warm) {
      c.listener().awaitTerminal(closeTimeout().plus(STEP));
    }
    warmUp.close();

    Set<Thread> baseline = new HashSet<>(Thread.getAllStackTraces().keySet());
    TransportFactory f = newFactory(new TckContext(server, true));
    try {
      List<Connected> opened = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Connected c = connect(f, plainRequest());
        subscribe(c, "tck-threads-" + i);
        opened.add(c);
      }
      for (Connected c : opened) {
        c.transport().close(1000, "done");
      }
      for (Connected c : opened) {
        c.listener().awaitTerminal(closeTimeout().plus(STEP));
      }
    } finally {
      f.close();
    }

    await("threads started by the factory to end")
        .pollInSameThread()
        .atMost(STEP)
        .untilAsserted(() -> assertThat(threadsStartedSince(baseline)).isEmpty());
  }

  private static List<String> threadsStartedSince(Set<Thread> baseline) {
    List<String> started = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      // The common pool is JVM-wide, started and kept by whoever uses CompletableFuture first.
      if (!baseline.contains(t)
          && t.isAlive()
          && !t.getName().startsWith("ForkJoinPool.commonPool")) {
        started.add(t.getName());
      }
    }
    return started;
  }
}
