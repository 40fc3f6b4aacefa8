package io.pusheriso;

import io.pusheriso.spi.Scheduler;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one connection attempt of the state machine finds a transport, after pusher-js's default
 * strategy ({@code runtimes/isomorphic/default_strategy.ts}) and its building blocks
 * ({@code core/strategies/*}, {@code core/transports/transport_manager.ts}).
 *
 * <p>The same composition as pusher-js, rebuilt for each search:
 *
 * <pre>
 * Cached( FirstConnected( If(ws supported,
 *     TLS:    BestConnectedEver[ ws_loop, Delayed(http_loop, 2 s) ]
 *     no TLS: BestConnectedEver[ ws_loop, Delayed(wss_loop, 2 s), Delayed(http_loop, 5 s) ],
 *   else http_loop)))
 * http_loop = Sequential[ If(streaming supported,
 *     BestConnectedEver[ streaming_loop, Delayed(polling_loop, 4 s) ], else polling_loop) ]
 * x_loop    = Sequential[x]
 * </pre>
 *
 * <p>Every {@code Sequential} loops with a timeout of 15 s (the connect timeout option) doubling on
 * each retry up to 60 s. {@code http_loop}'s own timeout aborts and restarts the streaming and
 * polling loops inside it, so their timeouts start over at 15 s each time it fires, as in pusher-js.
 *
 * <ul>
 *   <li>A transport attempt succeeds with its first handshake event, not when its socket opens:
 *       the first frame, an undecodable first frame, or a close after opening. As in pusher-js the
 *       first attempt to get that far wins and every other attempt is closed; the state machine
 *       then judges the handshake (a {@code pusher:error} or a close there leads to a retry).
 *       So the attempt's timeout covers the handshake too: a server that accepts the socket and
 *       never says {@code pusher:connection_established} is given up at the timeout.
 *   <li>A failed attempt (an error, or a close before opening) waits out its timeout before the
 *       next one, so a refusing server is not hammered.
 *   <li>Transports keep score per client ({@link TransportManager}, pusher-js's lives): a
 *       connection that opened and then dies young (an abnormal close within twice the activity
 *       timeout, or a 1002/1003 close at any age) costs its transport a life. {@code
 *       xhr_streaming} has two; once they are gone it is skipped, and {@code xhr_polling} starts
 *       where streaming would have. WebSocket has unlimited lives (pusher-js 8.2). A young death
 *       also lowers that transport's ping delay to half its lifespan (at least 10 s), so the next
 *       connection pings often enough to keep an intermediary from cutting it.
 *   <li>The client remembers, per TLS setting, the transport that last won and how long it took
 *       (pusher-js's {@code WebSocketPrioritizedCachedStrategy}, kept 30 minutes; pusher-js keeps it
 *       in the browser's storage, so its isomorphic runtime, without one, never remembers). A remembered
 *       WebSocket is tried alone first, with a timeout of twice that latency plus one second, and
 *       forgotten (then the full search runs) if it fails. A remembered HTTP transport does not
 *       pre-empt the WebSocket-first search until that search has chosen it four more times, so a
 *       WebSocket outage does not pin the client to the fallback.
 * </ul>
 *
 * <p>Deliberate differences: when every transport has lost its lives, pusher-js gives up (state
 * {@code failed}); this client forgets the score and tries them all again, since a long-lived
 * client must not stop for good. The memory lives and dies with the client. A close the client
 * starts itself never counts as a death.
 *
 * <p>Not thread-safe: used only on the client's event lane. Timers go through the {@link
 * Scheduler}; a search that was aborted ignores what its timers and transports report later.
 */
final class ConnectionStrategy {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionStrategy.class);

  /** Delay of the HTTP fallback behind the WebSocket with TLS (pusher-js: 2000 ms). */
  static final long HTTP_DELAY_TLS_MILLIS = 2_000;
  /** Delay of {@code wss} behind {@code ws} without TLS (pusher-js: 2000 ms). */
  static final long WSS_DELAY_MILLIS = 2_000;
  /** Delay of the HTTP fallback behind the WebSocket without TLS (pusher-js: 5000 ms). */
  static final long HTTP_DELAY_PLAIN_MILLIS = 5_000;
  /** Delay of polling behind streaming (pusher-js: 4000 ms). */
  static final long POLLING_DELAY_MILLIS = 4_000;
  /** How long the winning transport is remembered (pusher-js: 1 800 000 ms). */
  static final long CACHE_TTL_MILLIS = 1_800_000;
  /** Lives of {@code xhr_streaming} (pusher-js: 2); WebSocket and polling have no limit. */
  static final int STREAMING_LIVES = 2;
  /** The lowest ping delay a young death can set (pusher-js: minPingDelay 10000 ms). */
  static final long MIN_PING_DELAY_MILLIS = 10_000;
  /** Searches that end on a remembered HTTP transport before it is tried first (pusher-js: > 3). */
  static final int CACHE_SKIPS_BEFORE_HTTP_FIRST = 3;

  private final ClientCore core;
  private final TransportManager wsManager = new TransportManager("ws", Integer.MAX_VALUE);
  private final TransportManager streamingManager = new TransportManager("xhr_streaming", STREAMING_LIVES);
  private final Map<Boolean, CacheEntry> cache = new HashMap<>();
  private Runner runner;
  private int generation;
  /** While a loop's timer aborts what it started: that loop's timeout; otherwise 0. */
  private long abortingAtTimeoutMillis;

  ConnectionStrategy(ClientCore core) {
    this.core = core;
  }

  // ---------------------------------------------------------------- used by the core (lane)

  /**
   * Starts looking for a transport; any previous search is aborted first. The outcome comes back
   * on the lane as {@link ClientCore#strategyWon} or {@link ClientCore#strategyFailed}.
   */
  void start(boolean tls) {
    abort();
    int gen = ++generation;
    Strategy top = build(tls);
    if (!top.supported()) {
      LOG.warn("Every transport has lost its lives after connections that died young; trying them all again");
      wsManager.revive();
      streamingManager.revive();
    }
    LOG.debug("Connecting to {} (tls {})", core.options().wsHost(), tls);
    runner =
        top.connect(
            core.options().connectTimeout().toMillis(),
            outcome -> {
              if (gen != generation) {
                return;
              }
              runner = null;
              if (outcome == null) {
                core.strategyFailed();
              } else {
                core.strategyWon(outcome);
              }
            });
  }

  /** Stops the search and closes every transport still opening or handshaking. */
  void abort() {
    generation++;
    Runner r = runner;
    runner = null;
    if (r != null) {
      r.abort();
    }
  }

  /** Forgets the remembered transport and the lives lost: the client now talks to another server. */
  void forget() {
    cache.clear();
    wsManager.revive();
    streamingManager.revive();
  }

  // ---------------------------------------------------------------- the composition

  private Strategy build(boolean tls) {
    long timeout = core.options().connectTimeout().toMillis();
    long limit = Math.max(PusherOptions.MAX_CONNECT_TIMEOUT.toMillis(), timeout);
    Map<String, TransportStrategy> defined = new LinkedHashMap<>();
    TransportStrategy ws = define(defined, new TransportStrategy("ws", TransportKind.WEBSOCKET, tls, wsManager));
    TransportStrategy wss = define(defined, new TransportStrategy("wss", TransportKind.WEBSOCKET, true, wsManager));
    TransportStrategy streaming =
        define(defined, new TransportStrategy("xhr_streaming", TransportKind.XHR_STREAMING, tls, streamingManager));
    TransportStrategy polling = define(defined, new TransportStrategy("xhr_polling", TransportKind.XHR_POLLING, tls, null));

    Strategy wsLoop = looping(ws, timeout, limit);
    Strategy wssLoop = looping(wss, timeout, limit);
    Strategy streamingLoop = looping(streaming, timeout, limit);
    Strategy pollingLoop = looping(polling, timeout, limit);
    Strategy httpLoop =
        looping(
            new If(
                streamingLoop::supported,
                new BestConnectedEver(List.of(streamingLoop, new Delayed(pollingLoop, POLLING_DELAY_MILLIS))),
                pollingLoop),
            timeout,
            limit);
    Strategy wsStrategy =
        tls
            ? new BestConnectedEver(List.of(wsLoop, new Delayed(httpLoop, HTTP_DELAY_TLS_MILLIS)))
            : new BestConnectedEver(
                List.of(
                    wsLoop,
                    new Delayed(wssLoop, WSS_DELAY_MILLIS),
                    new Delayed(httpLoop, HTTP_DELAY_PLAIN_MILLIS)));
    return new Cached(new FirstConnected(new If(ws::supported, wsStrategy, httpLoop)), defined, tls);
  }

  private Strategy looping(Strategy s, long timeout, long limit) {
    return new Sequential(List.of(s), true, timeout, limit, false);
  }

  private static TransportStrategy define(Map<String, TransportStrategy> defined, TransportStrategy t) {
    defined.put(t.name, t);
    return t;
  }

  // ---------------------------------------------------------------- building blocks

  /** What a search found: the link whose handshake started, and its first event. */
  static final class Outcome {
    final Link link;
    final HandshakeEvent event;

    Outcome(Link link, HandshakeEvent event) {
      this.link = link;
      this.event = event;
    }
  }

  /**
   * The first thing a transport reported after opening, replayed to the state machine once the
   * transport wins: a frame, text that does not decode, or a close.
   */
  interface HandshakeEvent {
    void replay(ClientCore core, long now);
  }

  /** Called once with the outcome, or with null when the strategy gave up. */
  @FunctionalInterface
  interface Callback {
    void done(Outcome outcome);
  }

  /** A running strategy. */
  @FunctionalInterface
  interface Runner {
    /** Stops it and closes any transport it still has opening; idempotent. */
    void abort();
  }

  interface Strategy {
    /** Whether it could find anything now (some transport available and alive). */
    boolean supported();

    /**
     * Starts; {@code timeoutHint} is the timeout of the innermost loop, passed on to transports.
     * The callback never runs synchronously from inside this call.
     */
    Runner connect(long timeoutHint, Callback callback);
  }

  private static final Runner NO_RUNNER = () -> {};

  /** Reports a failure on a later turn of the lane, unless aborted first. */
  private Runner failLater(Callback callback) {
    boolean[] aborted = new boolean[1];
    core.lane().execute(() -> {
      if (!aborted[0]) {
        callback.done(null);
      }
    });
    return () -> aborted[0] = true;
  }

  /** One kind of transport with its URL settings: pusher-js's {@code TransportStrategy}. */
  final class TransportStrategy implements Strategy {
    final String name;
    final TransportKind kind;
    final boolean tls;
    final TransportManager manager;

    TransportStrategy(String name, TransportKind kind, boolean tls, TransportManager manager) {
      this.name = name;
      this.kind = kind;
      this.tls = tls;
      this.manager = manager;
    }

    @Override
    public boolean supported() {
      return core.transports().factory(kind) != null && (manager == null || manager.alive());
    }

    @Override
    public Runner connect(long timeoutHint, Callback callback) {
      if (!supported()) {
        return failLater(callback);
      }
      Attempt attempt = new Attempt(this, callback);
      attempt.open(timeoutHint);
      return attempt;
    }

    @Override
    public String toString() {
      return name + (tls && !"wss".equals(name) ? "/tls" : "");
    }
  }

  /** One connection attempt of one transport, until its handshake starts or it fails. */
  final class Attempt implements Runner {
    final TransportStrategy transport;
    private final Callback callback;
    private Link link;
    private URI uri;
    private boolean finished;

    Attempt(TransportStrategy transport, Callback callback) {
      this.transport = transport;
      this.callback = callback;
    }

    void open(long timeoutMillis) {
      PusherOptions o = core.options();
      TransportFactory factory = core.transports().factory(transport.kind);
      uri = Endpoints.uri(o, transport.kind, transport.tls, core.version());
      link = new Link(core, this);
      try {
        Transport t =
            factory.open(
                new TransportRequest(transport.kind, uri, Duration.ofMillis(Math.max(1, timeoutMillis)), o.maxFrameBytes()),
                link);
        link.attach(t);
      } catch (RuntimeException e) {
        LOG.warn("Transport '{}' could not start a {} connection to {}", factory.name(), transport, uri, e);
        // Reported on a later turn, as every outcome is; an abort before then voids it.
        core.lane().execute(
            () -> failed("the factory threw " + e, ConnectFailures.describe(transport.name, uri, e)));
      }
    }

    /** Lane: the link reported its first handshake event. */
    void handshake(HandshakeEvent event) {
      if (!finished) {
        finished = true;
        callback.done(new Outcome(link, event));
      }
    }

    /**
     * Lane: the link failed, or closed before it opened.
     *
     * @param report what the error listeners are told (subject to the core's once-per-outage
     *     rule), or null to tell them nothing
     */
    void failed(String reason, PusherConnectionException report) {
      if (!finished) {
        finished = true;
        LOG.debug("{} attempt failed ({})", link, reason);
        if (report != null) {
          core.attemptFailed(transport.name, report);
        }
        callback.done(null);
      }
    }

    /** Lane: the link's transport reported {@code error} before the handshake. */
    void failed(Throwable error) {
      failed(String.valueOf(error), ConnectFailures.describe(transport.name, uri, error));
    }

    /** Lane: the link closed with {@code code} before it opened. */
    void closedBeforeOpen(int code, String reason) {
      failed("closed " + code + " " + reason, ConnectFailures.closedBeforeOpen(transport.name, uri, code, reason));
    }

    boolean finished() {
      return finished;
    }

    @Override
    public void abort() {
      if (!finished) {
        finished = true;
        if (abortingAtTimeoutMillis > 0) {
          // Given up at a loop's timeout, not beaten by another transport nor stopped by the user.
          LOG.debug("{} attempt timed out after {} ms", link, abortingAtTimeoutMillis);
          core.attemptFailed(
              transport.name, ConnectFailures.timedOut(transport.name, uri, link.opened(), abortingAtTimeoutMillis));
        }
        link.abandon(1000, "connection attempt abandoned");
      }
    }
  }

  /**
   * Tries its strategies one after another, each with a timeout that doubles on each try up to a
   * limit; looping ones start over at the end. pusher-js's {@code SequentialStrategy}.
   */
  final class Sequential implements Strategy {
    private final List<Strategy> strategies;
    private final boolean loop;
    private final long timeout;
    private final long timeoutLimit;
    private final boolean failFast;

    Sequential(List<Strategy> strategies, boolean loop, long timeout, long timeoutLimit, boolean failFast) {
      this.strategies = strategies;
      this.loop = loop;
      this.timeout = timeout;
      this.timeoutLimit = timeoutLimit;
      this.failFast = failFast;
    }

    @Override
    public boolean supported() {
      return strategies.stream().anyMatch(Strategy::supported);
    }

    @Override
    public Runner connect(long timeoutHint, Callback callback) {
      if (!supported()) {
        return failLater(callback);
      }
      return new SequentialRunner(callback).begin();
    }

    final class SequentialRunner implements Runner {
      private final Callback callback;
      private int current;
      private long currentTimeout = timeout;
      private Runner inner = NO_RUNNER;
      private Scheduler.Cancellable timer;
      private boolean timerRunning;
      private int tryId;
      private boolean aborted;

      SequentialRunner(Callback callback) {
        this.callback = callback;
      }

      Runner begin() {
        tryCurrent();
        return this;
      }

      private void tryCurrent() {
        int id = ++tryId;
        Strategy s = strategies.get(current);
        timerRunning = currentTimeout > 0;
        if (timerRunning) {
          timer =
              core.scheduleOnLane(
                  () -> {
                    if (aborted || id != tryId || !timerRunning) {
                      return;
                    }
                    timerRunning = false;
                    long outer = abortingAtTimeoutMillis;
                    abortingAtTimeoutMillis = currentTimeout;
                    try {
                      inner.abort();
                    } finally {
                      abortingAtTimeoutMillis = outer;
                    }
                    next(null);
                  },
                  currentTimeout);
        }
        inner =
            s.connect(
                currentTimeout,
                outcome -> {
                  if (aborted || id != tryId) {
                    return;
                  }
                  if (outcome == null && timerRunning && !failFast) {
                    return; // an early failure waits out the timeout
                  }
                  stopTimer();
                  next(outcome);
                });
      }

      private void next(Outcome outcome) {
        if (outcome != null) {
          callback.done(outcome);
          return;
        }
        current++;
        if (loop) {
          current %= strategies.size();
        }
        if (current < strategies.size()) {
          if (currentTimeout > 0) {
            currentTimeout = Math.min(currentTimeout * 2, timeoutLimit > 0 ? timeoutLimit : Long.MAX_VALUE);
          }
          tryCurrent();
        } else {
          callback.done(null);
        }
      }

      private void stopTimer() {
        timerRunning = false;
        if (timer != null) {
          timer.cancel();
          timer = null;
        }
      }

      @Override
      public void abort() {
        if (!aborted) {
          aborted = true;
          stopTimer();
          inner.abort();
        }
      }
    }
  }

  /** Runs all its strategies at once; the first success is passed on. pusher-js's {@code BestConnectedEverStrategy}. */
  final class BestConnectedEver implements Strategy {
    private final List<Strategy> strategies;

    BestConnectedEver(List<Strategy> strategies) {
      this.strategies = strategies;
    }

    @Override
    public boolean supported() {
      return strategies.stream().anyMatch(Strategy::supported);
    }

    @Override
    public Runner connect(long timeoutHint, Callback callback) {
      int n = strategies.size();
      Runner[] runners = new Runner[n];
      boolean[] failed = new boolean[n];
      boolean[] done = new boolean[1];
      for (int i = 0; i < n; i++) {
        int index = i;
        runners[i] =
            strategies.get(i).connect(
                timeoutHint,
                outcome -> {
                  if (done[0]) {
                    return;
                  }
                  if (outcome != null) {
                    done[0] = true;
                    callback.done(outcome);
                    return;
                  }
                  failed[index] = true;
                  for (boolean f : failed) {
                    if (!f) {
                      return;
                    }
                  }
                  done[0] = true;
                  callback.done(null);
                });
      }
      return () -> {
        done[0] = true;
        for (int i = 0; i < n; i++) {
          if (!failed[i]) {
            runners[i].abort();
          }
        }
      };
    }
  }

  /** Starts its strategy after a delay. pusher-js's {@code DelayedStrategy}. */
  final class Delayed implements Strategy {
    private final Strategy strategy;
    private final long delayMillis;

    Delayed(Strategy strategy, long delayMillis) {
      this.strategy = strategy;
      this.delayMillis = delayMillis;
    }

    @Override
    public boolean supported() {
      return strategy.supported();
    }

    @Override
    public Runner connect(long timeoutHint, Callback callback) {
      Runner[] inner = {null};
      boolean[] aborted = new boolean[1];
      Scheduler.Cancellable timer =
          core.scheduleOnLane(
              () -> {
                if (!aborted[0]) {
                  inner[0] = strategy.connect(timeoutHint, callback);
                }
              },
              delayMillis);
      return () -> {
        aborted[0] = true;
        timer.cancel();
        if (inner[0] != null) {
          inner[0].abort();
        }
      };
    }
  }

  /** Picks a branch when it starts. pusher-js's {@code IfStrategy}. */
  static final class If implements Strategy {
    private final BooleanSupplier test;
    private final Strategy whenTrue;
    private final Strategy whenFalse;

    If(BooleanSupplier test, Strategy whenTrue, Strategy whenFalse) {
      this.test = test;
      this.whenTrue = whenTrue;
      this.whenFalse = whenFalse;
    }

    @Override
    public boolean supported() {
      return (test.getAsBoolean() ? whenTrue : whenFalse).supported();
    }

    @Override
    public Runner connect(long timeoutHint, Callback callback) {
      return (test.getAsBoolean() ? whenTrue : whenFalse).connect(timeoutHint, callback);
    }
  }

  /** Stops everything else once one transport wins. pusher-js's {@code FirstConnectedStrategy}. */
  static final class FirstConnected implements Strategy {
    private final Strategy strategy;

    FirstConnected(Strategy strategy) {
      this.strategy = strategy;
    }

    @Override
    public boolean supported() {
      return strategy.supported();
    }

    @Override
    public Runner connect(long timeoutHint, Callback callback) {
      Runner[] runner = {NO_RUNNER};
      runner[0] =
          strategy.connect(
              timeoutHint,
              outcome -> {
                if (outcome != null) {
                  runner[0].abort();
                }
                callback.done(outcome);
              });
      return runner[0];
    }
  }

  /** The transport that won last time, for one TLS setting. */
  private record CacheEntry(long timestamp, String transport, long latency, int skipCount) {}

  /**
   * Tries the remembered transport first when it is a WebSocket, or an HTTP transport the full
   * search keeps choosing; forgets it when it fails. pusher-js's {@code
   * WebSocketPrioritizedCachedStrategy}, with the client's memory instead of the browser's storage.
   */
  final class Cached implements Strategy {
    private final Strategy strategy;
    private final Map<String, TransportStrategy> transports;
    private final boolean tls;

    Cached(Strategy strategy, Map<String, TransportStrategy> transports, boolean tls) {
      this.strategy = strategy;
      this.transports = transports;
      this.tls = tls;
    }

    @Override
    public boolean supported() {
      return strategy.supported();
    }

    @Override
    public Runner connect(long timeoutHint, Callback callback) {
      CacheEntry info = cache.get(tls);
      int skips = info == null ? 0 : info.skipCount();
      Deque<Strategy> queue = new ArrayDeque<>();
      queue.push(strategy);
      long now = core.now();
      if (info != null && info.timestamp() + CACHE_TTL_MILLIS >= now) {
        TransportStrategy remembered = transports.get(info.transport());
        if (remembered != null) {
          if (remembered.kind == TransportKind.WEBSOCKET || skips > CACHE_SKIPS_BEFORE_HTTP_FIRST) {
            LOG.debug("Trying the remembered transport {} first (latency {} ms)", info.transport(), info.latency());
            queue.push(
                new Sequential(List.of(remembered), false, info.latency() * 2 + 1000, 0, true));
          } else {
            skips++;
          }
        }
      }
      int skipCount = skips;
      Runner[] runner = {NO_RUNNER};
      long[] started = {now};
      boolean[] aborted = new boolean[1];
      Callback[] self = new Callback[1];
      self[0] =
          outcome -> {
            if (aborted[0]) {
              return;
            }
            if (outcome == null) {
              cache.remove(tls);
              if (!queue.isEmpty()) {
                started[0] = core.now();
                runner[0] = queue.pop().connect(timeoutHint, self[0]);
              } else {
                callback.done(null);
              }
            } else {
              long t = core.now();
              cache.put(tls, new CacheEntry(t, outcome.link.transportName(), t - started[0], skipCount));
              callback.done(outcome);
            }
          };
      runner[0] = queue.pop().connect(timeoutHint, self[0]);
      return () -> {
        aborted[0] = true;
        runner[0].abort();
      };
    }
  }

  /**
   * The score of one transport kind for this client: pusher-js's {@code TransportManager} with its
   * {@code AssistantToTheTransportManager}. Lane-confined.
   */
  final class TransportManager {
    private final String name;
    private final int lives;
    private int livesLeft;
    private long pingDelayMillis;

    TransportManager(String name, int lives) {
      this.name = name;
      this.lives = lives;
      this.livesLeft = lives;
    }

    boolean alive() {
      return livesLeft > 0;
    }

    /**
     * The ping delay a young death set, or 0 when none: new connections of this transport ping
     * after this much silence if that is sooner than the activity timeout.
     */
    long pingDelayMillis() {
      return pingDelayMillis;
    }

    void revive() {
      livesLeft = lives;
    }

    /**
     * A connection of this transport that had opened closed without the client asking.
     *
     * @param code the close code, or -1 for a transport error
     * @param lifespanMillis how long it had been open
     */
    void closed(int code, long lifespanMillis) {
      long maxPingDelay = core.options().activityTimeout().toMillis();
      if (code == 1002 || code == 1003) {
        // A transport that breaks the WebSocket protocol is not to be relied on.
        reportDeath("closed with " + code);
      } else if (isUnclean(code) && lifespanMillis < 2 * maxPingDelay) {
        reportDeath("died after " + lifespanMillis + " ms");
        pingDelayMillis = Math.max(lifespanMillis / 2, MIN_PING_DELAY_MILLIS);
      }
    }

    private void reportDeath(String why) {
      if (lives == Integer.MAX_VALUE) {
        return;
      }
      livesLeft--;
      if (livesLeft <= 0) {
        LOG.info("Transport {} {}, its last life: it is skipped from now on", name, why);
      } else {
        LOG.debug("Transport {} {}: {} of {} lives left", name, why, livesLeft, lives);
      }
    }

    int livesLeft() {
      return livesLeft;
    }
  }

  /** An end that is not a clean close: an error (-1), 1006 (abnormal) or 1015 (TLS failure). */
  static boolean isUnclean(int code) {
    return code == -1 || code == 1006 || code == 1015;
  }

  @Override
  public String toString() {
    List<String> out = new ArrayList<>();
    out.add("lives streaming=" + streamingManager.livesLeft());
    cache.forEach((tls, e) -> out.add((tls ? "tls" : "plain") + "=" + e.transport()));
    return "ConnectionStrategy" + out;
  }
}
