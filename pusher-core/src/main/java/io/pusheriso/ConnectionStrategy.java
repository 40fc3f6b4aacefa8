package io.pusheriso;

import io.pusheriso.spi.Scheduler;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one connection attempt of the state machine finds an open transport, after pusher-js's
 * default strategy ({@code runtimes/isomorphic/default_strategy.ts}).
 *
 * <p>Each allowed transport runs its own loop of attempts. An attempt may take the connect
 * timeout (15 s by default), doubling on each retry up to 60 s; an attempt that fails early still
 * waits out its timeout before the next one, as pusher-js's {@code SequentialStrategy} does, so a
 * server that refuses connections is not hammered. The loops start staggered and the first
 * transport to open wins; the others are abandoned:
 *
 * <ul>
 *   <li>TLS: {@code wss} at once, {@code xhr_streaming} after 2 s, {@code xhr_polling} 4 s after
 *       streaming.
 *   <li>No TLS: {@code ws} at once, {@code wss} after 2 s, the HTTP fallback after 5 s (polling
 *       4 s after streaming).
 *   <li>Without a WebSocket transport the HTTP fallback starts at once.
 * </ul>
 *
 * <p>Not thread-safe: used only on the client's event lane. Timers go through the {@link
 * Scheduler} and hand their work back to the lane; a generation counter voids those of an attempt
 * that was aborted.
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

  private final ClientCore core;
  private final List<Loop> loops = new ArrayList<>();
  private int generation;

  ConnectionStrategy(ClientCore core) {
    this.core = core;
  }

  /** Starts looking for a transport; any previous search is aborted first. */
  void start(boolean tls) {
    abort();
    int gen = ++generation;
    PusherOptions o = core.options();
    TransportSelection sel = core.transports();
    boolean ws = sel.factory(TransportKind.WEBSOCKET) != null;
    boolean streaming = sel.factory(TransportKind.XHR_STREAMING) != null;
    boolean polling = sel.factory(TransportKind.XHR_POLLING) != null;
    if (ws) {
      loops.add(new Loop(gen, TransportKind.WEBSOCKET, tls, 0));
      if (!tls) {
        loops.add(new Loop(gen, TransportKind.WEBSOCKET, true, WSS_DELAY_MILLIS));
      }
    }
    long httpStart = ws ? (tls ? HTTP_DELAY_TLS_MILLIS : HTTP_DELAY_PLAIN_MILLIS) : 0;
    if (streaming) {
      loops.add(new Loop(gen, TransportKind.XHR_STREAMING, tls, httpStart));
    }
    if (polling) {
      loops.add(new Loop(gen, TransportKind.XHR_POLLING, tls, streaming ? httpStart + POLLING_DELAY_MILLIS : httpStart));
    }
    LOG.debug("Connecting to {} with {}", o.wsHost(), loops);
    for (Loop loop : List.copyOf(loops)) {
      loop.begin();
    }
  }

  /** Stops every loop and closes every transport still opening. */
  void abort() {
    generation++;
    for (Loop loop : loops) {
      loop.stop();
    }
    loops.clear();
  }

  /**
   * A link opened: returns true when it wins (the search then stops, leaving it open), false when
   * it must be closed (it lost the race or belongs to an aborted search).
   */
  boolean opened(Link link) {
    Loop loop = link.loop();
    if (link.abandoned() || loop == null || loop.gen != generation || loop.current != link) {
      return false;
    }
    loop.current = null;
    abort();
    return true;
  }

  /** A link failed or closed before opening: its loop waits out the attempt's timeout. */
  void failed(Link link, String reason) {
    Loop loop = link.loop();
    if (loop != null && loop.gen == generation && loop.current == link) {
      LOG.debug("{} attempt failed ({}); next attempt after the timeout", link, reason);
      loop.failedEarly = true;
    }
  }

  /** One transport's sequence of attempts. */
  final class Loop {
    final int gen;
    final TransportKind kind;
    final boolean tls;
    final long startDelay;
    long timeoutMillis;
    Link current;
    boolean failedEarly;
    Scheduler.Cancellable timer;

    Loop(int gen, TransportKind kind, boolean tls, long startDelay) {
      this.gen = gen;
      this.kind = kind;
      this.tls = tls;
      this.startDelay = startDelay;
      this.timeoutMillis = core.options().connectTimeout().toMillis();
    }

    boolean tls() {
      return tls;
    }

    void begin() {
      if (startDelay == 0) {
        attempt();
      } else {
        timer = core.scheduleOnLane(this::attemptIfCurrent, startDelay);
      }
    }

    private void attemptIfCurrent() {
      if (gen == generation) {
        attempt();
      }
    }

    private void attempt() {
      PusherOptions o = core.options();
      TransportFactory factory = core.transports().factory(kind);
      URI uri = Endpoints.uri(o, kind, tls, core.version());
      Link link = new Link(core, this, kind);
      current = link;
      failedEarly = false;
      long timeout = timeoutMillis;
      timer = core.scheduleOnLane(() -> timedOut(link), timeout);
      try {
        Transport t =
            factory.open(new TransportRequest(kind, uri, Duration.ofMillis(timeout), o.maxFrameBytes()), link);
        link.attach(t);
      } catch (RuntimeException e) {
        LOG.warn("Transport '{}' could not start a {} connection to {}", factory.name(), kind.wireName(), uri, e);
        failedEarly = true;
      }
    }

    private void timedOut(Link link) {
      if (gen != generation || current != link) {
        return;
      }
      if (!failedEarly) {
        LOG.debug("{} did not open within {} ms", link, timeoutMillis);
      }
      link.abandon(1000, "connect timeout");
      long limit = Math.max(PusherOptions.MAX_CONNECT_TIMEOUT.toMillis(), core.options().connectTimeout().toMillis());
      timeoutMillis = Math.min(timeoutMillis * 2, limit);
      attempt();
    }

    void stop() {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
      if (current != null) {
        current.abandon(1000, "connection attempt abandoned");
        current = null;
      }
    }

    @Override
    public String toString() {
      return kind.wireName() + (tls ? "/tls" : "") + "@" + startDelay + "ms";
    }
  }
}
