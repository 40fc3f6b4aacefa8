package io.pusheriso.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.Channel;
import io.pusheriso.ConnectionListener;
import io.pusheriso.ConnectionStateChange;
import io.pusheriso.Pusher;
import io.pusheriso.PusherException;
import io.pusheriso.PusherOptions;
import io.pusheriso.PusherProtocolException;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.testkit.PusherTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A soak run, independent of the transport: a publisher thread triggering numbered events on the
 * embedded server, the whole client bound to a public channel, the drops, and the accounting. The
 * client's options are those of a plain ws connection to the server, then whatever the caller's
 * {@code configure} hook sets (the HTTP fallback picks its kind and port there). Shared by the
 * transport modules' soak tests.
 *
 * <p>Thread-safety: not thread-safe; one run per instance, executed by one thread (the run's own
 * publisher thread and the client's event lane are coordinated inside).
 *
 * <p>How the windows when the client is away are accounted for. Each connection is an epoch,
 * counted on the event lane when {@code pusher:subscription_succeeded} arrives; at that moment the
 * run reads the publisher's next sequence number {@code subscribedAt[e]}: every event numbered
 * from there on was published while the server held the subscription, so it must arrive until the
 * next drop. A drop loses what the server had not yet written (its outbound buffer is discarded
 * with the socket) and what it published while the client was away. So a gap is allowed only
 * between the last event of epoch {@code e} and the first of a later epoch {@code f}, must end
 * below {@code subscribedAt[f]}, and must start at most one window before the drop; a gap inside
 * one connection, or after a subscription took effect, fails.
 *
 * <p>The publisher keeps at most {@code window} events in flight (flow control against the
 * client's acknowledgements, counted from the current subscription), so the server's buffers stay
 * small and the loss at a drop is at most the window.
 */
public final class SoakRun {
  private final PusherTestServer server;
  private final TransportFactory factory;
  private final int events;
  private final int drops;
  private final int window;
  private final String channel;
  private final Duration stall;
  private final Consumer<PusherOptions.Builder> configure;

  // Written on the client's event lane only; read by the publisher and the test thread.
  private volatile int lastReceived = -1;
  private volatile int creditBase;
  private volatile Thread waitingPublisher;
  // Lane-confined until the client is closed.
  private final int[] received;
  private final int[] epochOf;
  private int count;
  private int epoch = -1;
  private final List<Integer> subscribedAt = new ArrayList<>();
  private final AtomicReference<String> laneFailure = new AtomicReference<>();

  // The publisher's next sequence number.
  private volatile int nextSeq;
  private final List<Integer> droppedAt = new CopyOnWriteArrayList<>();
  /** Each state change with the publisher's next sequence number at that moment. */
  private final List<StateMark> states = new CopyOnWriteArrayList<>();
  private final List<PusherException> errors = new CopyOnWriteArrayList<>();

  /**
   * A run with the options of a plain ws connection to {@code server}.
   *
   * @param server the embedded server that publishes and drops
   * @param factory the transport under test (the caller closes it)
   * @param events how many numbered events to publish
   * @param drops how many times to drop every connection, spread evenly over the run
   * @param window at most this many events in flight
   * @param channel the public channel to publish on
   * @param stall the longest wait for any progress before the run fails
   */
  public SoakRun(
      PusherTestServer server,
      TransportFactory factory,
      int events,
      int drops,
      int window,
      String channel,
      Duration stall) {
    this(server, factory, events, drops, window, channel, stall, options -> {});
  }

  /**
   * A run whose client options are then adjusted by {@code configure}.
   *
   * @param server the embedded server that publishes and drops
   * @param factory the transport under test (the caller closes it)
   * @param events how many numbered events to publish
   * @param drops how many times to drop every connection, spread evenly over the run
   * @param window at most this many events in flight
   * @param channel the public channel to publish on
   * @param stall the longest wait for any progress before the run fails
   * @param configure applied to the options builder last, before it is built
   */
  public SoakRun(
      PusherTestServer server,
      TransportFactory factory,
      int events,
      int drops,
      int window,
      String channel,
      Duration stall,
      Consumer<PusherOptions.Builder> configure) {
    this.server = server;
    this.factory = factory;
    this.events = events;
    this.drops = drops;
    this.window = window;
    this.channel = channel;
    this.stall = stall;
    this.configure = configure;
    this.received = new int[events];
    this.epochOf = new int[events];
  }

  /**
   * Runs: connects, publishes, drops, waits for the last event, closes the client.
   *
   * @return what the run saw, to be checked with {@link Result#assertAccountedFor()}
   * @throws Exception if waiting for the publisher is interrupted
   */
  public Result execute() throws Exception {
    long start = System.nanoTime();
    PusherOptions.Builder builder =
        PusherOptions.builder(server.appKey())
            .host(server.host())
            .wsPort(server.port())
            .tls(false)
            .transportFactory(factory);
    configure.accept(builder);
    PusherOptions options = builder.build();
    try (Pusher pusher = new Pusher(options)) {
      pusher.addConnectionListener(
          new ConnectionListener() {
            @Override
            public void onStateChange(ConnectionStateChange change) {
              states.add(new StateMark(change.current(), nextSeq));
            }

            @Override
            public void onError(PusherException error) {
              errors.add(error);
            }
          });
      Channel ch = pusher.subscribe(channel);
      ch.bind("pusher:subscription_succeeded", e -> subscribed());
      ch.bind("seq", e -> onEvent(e.data()));
      pusher.connect();
      await().atMost(stall).until(() -> epoch == 0);

      Thread publisher = new Thread(this::publish, "soak-publisher");
      AtomicReference<Throwable> publishFailure = new AtomicReference<>();
      publisher.setUncaughtExceptionHandler((t, e) -> publishFailure.set(e));
      publisher.start();

      for (int d = 1; d <= drops; d++) {
        int threshold = (int) ((long) events * d / (drops + 1));
        int epochBefore = epoch;
        await()
            .atMost(stall)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> lastReceived >= threshold || publishFailure.get() != null);
        assertThat(publishFailure.get()).isNull();
        droppedAt.add(nextSeq);
        server.faults().dropAllConnections();
        // The next drop only after the client is back, so that each drop is a real reconnect.
        await()
            .atMost(stall)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> epoch > epochBefore || publishFailure.get() != null);
      }
      publisher.join(TimeUnit.SECONDS.toMillis(stall.getSeconds() * 4));
      assertThat(publisher.isAlive()).as("publisher finished").isFalse();
      assertThat(publishFailure.get()).isNull();
      // The last event was published on the final connection: it and all before it since that
      // subscription must come.
      await()
          .atMost(stall)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> lastReceived == events - 1 || laneFailure.get() != null);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    return new Result(millis);
  }

  /** Lane. */
  private void subscribed() {
    epoch++;
    int at = nextSeq;
    subscribedAt.add(at);
    creditBase = at;
    Thread w = waitingPublisher;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  /** Lane. */
  private void onEvent(String data) {
    int seq;
    try {
      seq = Integer.parseInt(data);
    } catch (NumberFormatException e) {
      laneFailure.compareAndSet(null, "not a sequence number: " + data);
      return;
    }
    if (count >= received.length) {
      laneFailure.compareAndSet(null, "more events than published: " + seq);
      return;
    }
    received[count] = seq;
    epochOf[count] = epoch;
    count++;
    lastReceived = seq;
    Thread w = waitingPublisher;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  /** The publisher thread: triggers 0..events-1, at most {@code window} ahead of the client. */
  private void publish() {
    long deadline = System.nanoTime() + stall.toNanos();
    for (int seq = 0; seq < events; seq++) {
      while (seq - Math.max(lastReceived + 1, creditBase) >= window) {
        // No credit: the client has not caught up. Park until it acknowledges (unpark from the
        // lane) or, as a safety net against a lost wake-up, for a millisecond.
        waitingPublisher = Thread.currentThread();
        if (seq - Math.max(lastReceived + 1, creditBase) >= window) {
          LockSupport.parkNanos(1_000_000L);
        }
        waitingPublisher = null;
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "no progress for " + stall + " at seq " + seq + ", last received " + lastReceived);
        }
      }
      nextSeq = seq;
      server.trigger(channel, "seq", Integer.toString(seq));
      nextSeq = seq + 1;
      deadline = System.nanoTime() + stall.toNanos();
    }
  }

  /**
   * A state change and the publisher's next sequence number when the listener heard it. Immutable.
   *
   * @param state the new state
   * @param seq the publisher's next sequence number at that moment
   */
  public record StateMark(ConnectionState state, int seq) {
    @Override
    public String toString() {
      return state.wireName() + "@" + seq;
    }
  }

  /** What the run saw, and the checks. Read it on the thread that executed the run. */
  public final class Result {
    private final long millis;

    Result(long millis) {
      this.millis = millis;
    }

    /**
     * How long the run took.
     *
     * @return the milliseconds from start to the last event
     */
    public long millis() {
      return millis;
    }

    /**
     * How many events were published.
     *
     * @return the count
     */
    public int published() {
      return events;
    }

    /**
     * How many events the client received.
     *
     * @return the count
     */
    public int received() {
      return count;
    }

    /**
     * How many times the connections were dropped.
     *
     * @return the count
     */
    public int drops() {
      return droppedAt.size();
    }

    /**
     * The state changes with the publisher's sequence number at each.
     *
     * @return a copy, in order
     */
    public List<StateMark> states() {
      return List.copyOf(states);
    }

    /**
     * Prints one line on {@code System.out}: published, received, lost, drops, time and states.
     *
     * @param label what ran, at the start of the line (for example "Netty")
     */
    public void report(String label) {
      System.out.printf(
          "%s soak: %,d events published, %,d received, %,d lost in %d drops, %d ms; states %s%n",
          label, published(), received(), published() - received(), drops(), millis(), states());
    }

    /**
     * Checks the accounting: strictly increasing, no duplicates, every gap inside a window when the
     * client was away, one reconnection per drop, no protocol error.
     */
    public void assertAccountedFor() {
      assertThat(laneFailure.get()).isNull();
      assertThat(droppedAt).hasSize(drops);
      // One subscription per connection: the first and one after each drop.
      assertThat(subscribedAt).hasSize(drops + 1);
      assertThat(count).isPositive();
      assertThat(received[0]).as("first event").isZero();
      assertThat(received[count - 1]).as("last event").isEqualTo(events - 1);
      int lost = 0;
      for (int i = 1; i < count; i++) {
        int prev = received[i - 1];
        int cur = received[i];
        if (cur <= prev) {
          throw new AssertionError(
              "out of order or duplicated: " + cur + " after " + prev + " (index " + i + ")");
        }
        if (cur != prev + 1) {
          int from = prev + 1;
          int to = cur - 1;
          int e = epochOf[i - 1];
          int f = epochOf[i];
          assertThat(f)
              .as("events %d..%d missing inside one connection (epoch %d)", from, to, e)
              .isGreaterThan(e);
          assertThat(to)
              .as(
                  "events %d..%d missing although published after the subscription of epoch %d"
                      + " took effect (at %d)",
                  from,
                  to,
                  f,
                  subscribedAt.get(f))
              .isLessThan(subscribedAt.get(f));
          // What was lost at a drop was published at most one window before it.
          assertThat(from)
              .as("loss at the drop of epoch %d starts within the window", e)
              .isGreaterThanOrEqualTo(droppedAt.get(e) - window);
          lost += to - from + 1;
        }
      }
      assertThat(count + lost).isEqualTo(events);
      // The connection listener saw each drop: the client reconnected after it (the state goes
      // back to connected, as in pusher-js after its 1 s backoff), no later than the
      // resubscription that ends the window in which events may be lost.
      List<Integer> reconnectedAt =
          states.stream()
              .filter(m -> m.state() == ConnectionState.CONNECTED)
              .map(StateMark::seq)
              .toList();
      assertThat(reconnectedAt).as("connected moments %s", states).hasSize(drops + 1);
      for (int i = 0; i < drops; i++) {
        assertThat(reconnectedAt.get(i + 1))
            .as("reconnection %d (states %s)", i + 1, states)
            .isGreaterThanOrEqualTo(droppedAt.get(i))
            .isLessThanOrEqualTo(subscribedAt.get(i + 1));
      }
      assertThat(errors)
          .as("errors reported to the connection listener; states: %s", states)
          .noneMatch(err -> err instanceof PusherProtocolException);
    }
  }
}
