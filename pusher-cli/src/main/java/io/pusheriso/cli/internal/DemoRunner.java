package io.pusheriso.cli.internal;

import io.pusheriso.Channel;
import io.pusheriso.HttpChannelAuthorizer;
import io.pusheriso.Member;
import io.pusheriso.PresenceChannel;
import io.pusheriso.PrivateChannel;
import io.pusheriso.Pusher;
import io.pusheriso.PusherEvent;
import io.pusheriso.PusherOptions;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.testkit.PusherTestServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo: an embedded {@link PusherTestServer}, and for each transport two clients that connect,
 * subscribe to one channel of each kind, receive an event published through the server's HTTP
 * events API (and, on private and presence channels, a client event from the other client), with
 * the times measured. Every wait has a timeout, so the demo always ends.
 *
 * <p>Not thread-safe: {@link #run()} is called once.
 */
final class DemoRunner {

  private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);

  /** A transport under test: how to build its factory and reach the server with it. */
  private record Mode(String label, Function<PusherTestServer, TransportFactory> factory, TransportKind kind, boolean tls) {}

  /** The channel kinds, with their name prefixes. */
  private enum Kind {
    PUBLIC(""),
    PRIVATE("private-"),
    PRESENCE("presence-"),
    ENCRYPTED("private-encrypted-");

    final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }

    boolean clientEvents() {
      return this == PRIVATE || this == PRESENCE;
    }
  }

  /** One line of the table; times in ms, -1 when not measured. */
  private record Row(String transport, Kind kind, long connectMs, long subscribeMs, long eventMs, long clientEventMs, String failure) {
    boolean passed() {
      return failure == null;
    }
  }

  /** A check that did not pass, with why. */
  private static final class CheckFailed extends Exception {
    private static final long serialVersionUID = 1L;

    CheckFailed(String message) {
      super(message);
    }
  }

  /** However the checks go, the demo ends within this time (plus closing). */
  static final Duration TOTAL_LIMIT = Duration.ofSeconds(60);

  private final PrintWriter out;
  private final Duration timeout;
  private long deadlineNanos;

  DemoRunner(PrintWriter out, Duration timeout) {
    this.out = out;
    this.timeout = timeout;
  }

  private static List<Mode> modes() {
    return List.of(
        new Mode("ws (netty)", s -> Transports.webSocket(Transports.WsImpl.NETTY, null), TransportKind.WEBSOCKET, false),
        new Mode("ws (jetty)", s -> Transports.webSocket(Transports.WsImpl.JETTY, null), TransportKind.WEBSOCKET, false),
        new Mode(
            "wss (netty)",
            s -> Transports.webSocket(Transports.WsImpl.NETTY, TrustedCertificates.read(s.caCertificateFile())),
            TransportKind.WEBSOCKET,
            true),
        new Mode("xhr_streaming", s -> Transports.httpFallback(null), TransportKind.XHR_STREAMING, false),
        new Mode("xhr_polling", s -> Transports.httpFallback(null), TransportKind.XHR_POLLING, false));
  }

  /** Runs every check and prints the table; true when all passed. */
  boolean run() {
    long started = System.nanoTime();
    deadlineNanos = started + TOTAL_LIMIT.toNanos();
    List<Row> rows = new ArrayList<>();
    try (PusherTestServer server = PusherTestServer.start()) {
      out.printf(
          Locale.ROOT,
          "pusher-cli demo: embedded Pusher server on %s (port %d, TLS port %d)%n%n",
          server.host(),
          server.port(),
          server.tlsPort());
      out.flush();
      for (Mode mode : modes()) {
        rows.addAll(runMode(server, mode));
      }
    }
    printTable(rows);
    long passed = rows.stream().filter(Row::passed).count();
    out.printf(
        Locale.ROOT,
        "%n%d of %d checks passed in %.1f s: %s%n",
        passed,
        rows.size(),
        (System.nanoTime() - started) / 1e9,
        passed == rows.size() ? "PASS" : "FAIL");
    out.flush();
    return passed == rows.size() && !rows.isEmpty();
  }

  private List<Row> runMode(PusherTestServer server, Mode mode) {
    List<Row> rows = new ArrayList<>();
    TransportFactory factory;
    try {
      factory = mode.factory().apply(server);
    } catch (RuntimeException e) {
      for (Kind kind : Kind.values()) {
        rows.add(new Row(mode.label(), kind, -1, -1, -1, -1, "transport unavailable: " + e.getMessage()));
      }
      return rows;
    }
    try (factory;
        Pusher a = client(server, mode, factory, "demo-a");
        Pusher b = client(server, mode, factory, "demo-b")) {
      long connectMs;
      try {
        connectMs = connect(a);
        connect(b);
      } catch (CheckFailed e) {
        for (Kind kind : Kind.values()) {
          rows.add(new Row(mode.label(), kind, -1, -1, -1, -1, e.getMessage()));
        }
        return rows;
      }
      String slug = mode.label().replaceAll("[^a-z_]+", "-").replaceAll("-+$", "");
      for (Kind kind : Kind.values()) {
        rows.add(runChannel(server, mode, a, b, kind, kind.prefix + "demo-" + slug, connectMs));
      }
    }
    return rows;
  }

  private Pusher client(PusherTestServer server, Mode mode, TransportFactory factory, String userId) {
    return new Pusher(
        PusherOptions.builder(server.appKey())
            .host(server.host())
            .wsPort(server.port())
            .wssPort(server.tlsPort())
            .httpPort(server.port())
            .httpsPort(server.tlsPort())
            .tls(mode.tls())
            .enabledTransports(mode.kind())
            .transportFactory(factory)
            .connectTimeout(timeout)
            .channelAuthorizer(
                HttpChannelAuthorizer.builder(server.authEndpoint()).param("user_id", userId).timeout(timeout).build())
            .build());
  }

  private long connect(Pusher client) throws CheckFailed {
    CompletableFuture<Void> connected = new CompletableFuture<>();
    client.onState(ConnectionState.CONNECTED, change -> connected.complete(null));
    long t0 = System.nanoTime();
    client.connect();
    await(connected, "connect");
    return elapsedMs(t0);
  }

  private Row runChannel(PusherTestServer server, Mode mode, Pusher a, Pusher b, Kind kind, String name, long connectMs) {
    long subscribeMs = -1;
    long eventMs = -1;
    long clientEventMs = -1;
    try {
      Channel ca = a.subscribe(name);
      CompletableFuture<PusherEvent> serverEvent = new CompletableFuture<>();
      ca.bind("demo-event", serverEvent::complete);
      long t0 = System.nanoTime();
      await(ca.subscription().toCompletableFuture(), "subscribe");
      subscribeMs = elapsedMs(t0);
      if (ca instanceof PresenceChannel presence) {
        Optional<String> me = presence.members().me().map(Member::id);
        if (!me.equals(Optional.of("demo-a"))) {
          throw new CheckFailed("presence: expected to be member demo-a, was " + me.orElse("none"));
        }
      }

      String payload = "{\"transport\":\"" + mode.label() + "\",\"kind\":\"" + kind.name().toLowerCase(Locale.ROOT) + "\",\"text\":\"h\u00e9llo\"}";
      t0 = System.nanoTime();
      server.trigger(name, "demo-event", payload);
      PusherEvent got = await(serverEvent, "event");
      eventMs = elapsedMs(t0);
      sameJson(payload, got.data(), "event data");

      if (kind.clientEvents()) {
        Channel cb = b.subscribe(name);
        CompletableFuture<PusherEvent> clientEvent = new CompletableFuture<>();
        cb.bind("client-demo", clientEvent::complete);
        await(cb.subscription().toCompletableFuture(), "second client subscribe");
        String clientPayload = "{\"from\":\"demo-a\",\"n\":1}";
        t0 = System.nanoTime();
        ((PrivateChannel) ca).trigger("client-demo", clientPayload);
        PusherEvent ce = await(clientEvent, "client event");
        clientEventMs = elapsedMs(t0);
        sameJson(clientPayload, ce.data(), "client event data");
        if (kind == Kind.PRESENCE && !"demo-a".equals(ce.userId())) {
          throw new CheckFailed("client event: expected user_id demo-a, was " + ce.userId());
        }
      }
      return new Row(mode.label(), kind, connectMs, subscribeMs, eventMs, clientEventMs, null);
    } catch (CheckFailed e) {
      return new Row(mode.label(), kind, connectMs, subscribeMs, eventMs, clientEventMs, e.getMessage());
    } catch (RuntimeException e) {
      LOG.debug("Demo check failed", e);
      return new Row(mode.label(), kind, connectMs, subscribeMs, eventMs, clientEventMs, String.valueOf(e.getMessage()));
    }
  }

  private static void sameJson(String expected, String actual, String what) throws CheckFailed {
    if (!JsJson.parse(expected).equals(JsJson.parse(actual))) {
      throw new CheckFailed(what + ": expected " + expected + ", got " + actual);
    }
  }

  private <T> T await(CompletableFuture<T> future, String what) throws CheckFailed {
    long left = Math.min(timeout.toNanos(), deadlineNanos - System.nanoTime());
    try {
      return future.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new CheckFailed(
          left < timeout.toNanos()
              ? what + ": the demo's " + TOTAL_LIMIT.toSeconds() + " s limit passed"
              : what + ": no answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new CheckFailed(what + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CheckFailed(what + ": interrupted");
    }
  }

  private static long elapsedMs(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  private void printTable(List<Row> rows) {
    String format = "%-14s %-10s %9s %10s %10s %13s  %s%n";
    out.printf(Locale.ROOT, format, "transport", "channel", "connect", "subscribe", "event rtt", "client event", "result");
    String last = null;
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          format,
          r.transport().equals(last) ? "" : r.transport(),
          r.kind().name().toLowerCase(Locale.ROOT),
          ms(r.connectMs()),
          ms(r.subscribeMs()),
          ms(r.eventMs()),
          r.kind().clientEvents() ? ms(r.clientEventMs()) : "n/a",
          r.passed() ? "pass" : "FAIL: " + PusherCli.oneLine(r.failure()));
      last = r.transport();
    }
    out.flush();
  }

  private static String ms(long ms) {
    return ms < 0 ? "-" : ms + " ms";
  }
}
