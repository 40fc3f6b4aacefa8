package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.UnixOperatingSystemMXBean;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.testkit.PusherTestServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Thousands of clients opened and closed, and thousands of connect/disconnect cycles on one
 * client: live threads, open file descriptors and the heap used after garbage collection must
 * come back to what they were after a warm-up. Checked by assertions: no thread that was not
 * there before may remain, the descriptor count may not exceed its baseline, and the heap may not
 * grow by more than {@link #HEAP_SLACK_BYTES} (a client kept alive per cycle would cost far more:
 * several kilobytes each, tens of megabytes over 10,000).
 */
class ResourceLeakTest {

  private static final long HEAP_SLACK_BYTES = 4L * 1024 * 1024;
  private static final Duration STEP = Duration.ofSeconds(10);

  /** What is measured, and when the baseline was taken. */
  private record Baseline(Set<Thread> threads, long fds, long heap) {}

  /**
   * After a collection, and once threads and descriptors stopped changing for 300 ms: what earlier
   * test classes in this JVM left to die (HTTP clients, server loops) must not inflate the
   * baseline and so hide a leak.
   */
  private static Baseline baseline() {
    long heap = usedHeapAfterGc();
    long[] last = {-1, -1};
    await().pollInSameThread().pollInterval(Duration.ofMillis(50)).during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(15)).until(() -> {
          long threads = liveThreads().size();
          long fds = openFds();
          boolean same = threads == last[0] && fds == last[1];
          last[0] = threads;
          last[1] = fds;
          return same;
        });
    return new Baseline(liveThreads(), openFds(), heap);
  }

  private static Set<Thread> liveThreads() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive()) {
        out.add(t);
      }
    }
    return out;
  }

  private static List<String> newThreads(Baseline b) {
    return liveThreads().stream().filter(t -> !b.threads().contains(t)).map(Thread::getName).sorted().toList();
  }

  private static long openFds() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof UnixOperatingSystemMXBean unix) {
      return unix.getOpenFileDescriptorCount();
    }
    throw new AssertionError("file descriptors cannot be counted on " + os.getClass().getName());
  }

  /** Used heap after collections, once two in a row agree within 256 KiB. */
  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 30; i++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) < 256 * 1024) {
        return Math.min(previous, used);
      }
      previous = used;
    }
    return previous;
  }

  private static void assertBackToBaseline(Baseline b, String after) {
    await().pollInSameThread().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(newThreads(b)).as("threads left after %s", after).isEmpty();
      assertThat(openFds()).as("open file descriptors after %s (baseline %d)", after, b.fds()).isLessThanOrEqualTo(b.fds());
    });
    long heap = usedHeapAfterGc();
    assertThat(heap - b.heap())
        .as("heap growth after %s (baseline %d bytes, now %d)", after, b.heap(), heap)
        .isLessThanOrEqualTo(HEAP_SLACK_BYTES);
    System.out.printf("%s: threads %d -> %d, fds %d -> %d, heap %d KiB -> %d KiB%n", after, b.threads().size(),
        liveThreads().size(), b.fds(), openFds(), b.heap() / 1024, heap / 1024);
  }

  /** Counts state changes, so that each step can wait for the next one without polling. */
  private static final class States implements ConnectionListener {
    final Semaphore connected = new Semaphore(0);
    final Semaphore disconnected = new Semaphore(0);

    @Override
    public void onStateChange(ConnectionStateChange change) {
      if (change.current() == ConnectionState.CONNECTED) {
        connected.release();
      } else if (change.current() == ConnectionState.DISCONNECTED) {
        disconnected.release();
      }
    }

    void awaitConnected(Pusher p) throws InterruptedException {
      if (!connected.tryAcquire(STEP.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("not connected within " + STEP + ": " + p);
      }
    }

    void awaitDisconnected(Pusher p) throws InterruptedException {
      if (!disconnected.tryAcquire(STEP.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("not disconnected within " + STEP + ": " + p);
      }
    }
  }

  /** Opens a client, connects it, waits for the connection and closes the client. */
  private static void openConnectClose(Supplier<PusherOptions.Builder> options) throws InterruptedException {
    States states = new States();
    Pusher p = new Pusher(options.get().build());
    p.addConnectionListener(states);
    p.subscribe("news");
    p.connect();
    states.awaitConnected(p);
    p.close();
  }

  private static void cycles(Pusher p, States states, int n) throws InterruptedException {
    for (int i = 0; i < n; i++) {
      p.connect();
      states.awaitConnected(p);
      p.disconnect();
      states.awaitDisconnected(p);
    }
  }

  @Test
  void fakeTransport_10kClientsOpenedAndClosed_and10kCyclesOnOne_leaveNothingBehind() throws Exception {
    AutoServerTransportFactory server = new AutoServerTransportFactory("app-key", "app-secret");
    Supplier<PusherOptions.Builder> options = () -> PusherOptions.builder("app-key").host("127.0.0.1").tls(false)
        .transportFactory(server);
    try {
      for (int i = 0; i < 300; i++) {
        openConnectClose(options);
      }
      States states = new States();
      Pusher one = new Pusher(options.get().build());
      one.addConnectionListener(states);
      one.subscribe("news");
      cycles(one, states, 300);
      one.close();
      await().pollInSameThread().atMost(STEP).until(() -> server.live.isEmpty());

      Baseline b = baseline();
      long start = System.nanoTime();
      for (int i = 0; i < 10_000; i++) {
        openConnectClose(options);
      }
      long clientsMillis = (System.nanoTime() - start) / 1_000_000;
      await().pollInSameThread().atMost(STEP).until(() -> server.live.isEmpty());
      assertBackToBaseline(b, "10,000 clients opened and closed over the fake transport (" + clientsMillis + " ms)");

      Baseline b2 = baseline();
      start = System.nanoTime();
      States states2 = new States();
      Pusher single = new Pusher(options.get().build());
      single.addConnectionListener(states2);
      single.subscribe("news");
      cycles(single, states2, 10_000);
      single.close();
      long cyclesMillis = (System.nanoTime() - start) / 1_000_000;
      await().pollInSameThread().atMost(STEP).until(() -> server.live.isEmpty());
      assertBackToBaseline(b2, "10,000 connect/disconnect cycles over the fake transport (" + cyclesMillis + " ms)");
      assertThat(server.opened.get()).isGreaterThanOrEqualTo(20_000 + 600);
    } finally {
      server.shutdown();
    }
  }

  @Test
  void embeddedServer_300ClientsOpenedAndClosed_and300CyclesOnOne_leaveNothingBehind() throws Exception {
    ExecutorService httpThreads = Executors.newFixedThreadPool(2);
    try (PusherTestServer server = PusherTestServer.start()) {
      JdkWebSocketTransportFactory ws = new JdkWebSocketTransportFactory(null, httpThreads);
      Supplier<PusherOptions.Builder> options = () -> PusherOptions.builder(server.appKey()).host(server.host())
          .wsPort(server.port()).tls(false).transportFactory(ws);
      for (int i = 0; i < 20; i++) {
        openConnectClose(options);
      }
      await().pollInSameThread().atMost(STEP).until(() -> server.connectionCount() == 0);

      Baseline b = baseline();
      long start = System.nanoTime();
      for (int i = 0; i < 300; i++) {
        openConnectClose(options);
      }
      States states = new States();
      Pusher one = new Pusher(options.get().build());
      one.addConnectionListener(states);
      one.subscribe("news");
      cycles(one, states, 300);
      one.close();
      long millis = (System.nanoTime() - start) / 1_000_000;
      await().pollInSameThread().atMost(STEP).until(() -> server.connectionCount() == 0);
      assertBackToBaseline(b, "300 clients and 300 cycles over real sockets (" + millis + " ms)");
    } finally {
      httpThreads.shutdownNow();
    }
  }
}
