package io.pusheriso.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.transport.netty.leaks.RecordingLeakDetector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 10,000 connect, ping, close cycles with Netty's leak detector at PARANOID (every buffer tracked;
 * set for this module's test JVMs in the pom), then no buffer leak reported, no thread left and no
 * more open file descriptors than before.
 *
 * <p>Leak reports only come after a garbage collection, so the test proves the detector is live
 * first (a deliberately leaked "canary" buffer must be reported) and again after the cycles (a
 * second canary), so that a silent detector cannot pass it.
 */
class NettyTransportLeakTest {

  private static final int CYCLES = 10_000;
  private static final int IN_FLIGHT = 8;

  @Test
  void tenThousandConnectCloseCycles_noBufferLeakNoThreadNoDescriptorLeft() throws Exception {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    try (TinyWsServer server = new TinyWsServer()) {
      leakCanaryAndAwaitReport("pusher-leak-canary-1");
      assertThat(RecordingLeakDetector.installed()).isTrue();
      int reportedBefore = RecordingLeakDetector.leaks().size();
      TransportRequest request =
          new TransportRequest(
              TransportKind.WEBSOCKET, server.uri(), Duration.ofSeconds(10), 1 << 20);
      // A short warm-up first, so that classes, jars and the server's own descriptors are in
      // place before the baseline is taken.
      NettyTransportFactory warmUp = new NettyTransportFactory();
      try {
        runCycles(warmUp, request, 50);
      } finally {
        warmUp.close();
      }
      await("warm-up threads to end")
          .atMost(Duration.ofSeconds(10))
          .until(() -> Thread.getAllStackTraces().keySet().stream()
              .noneMatch(t -> t.isAlive() && t.getName().startsWith("pusher-netty")));
      Set<Thread> threadsBefore = new HashSet<>(Thread.getAllStackTraces().keySet());
      long descriptorsBefore = openDescriptors();

      NettyTransportFactory factory = new NettyTransportFactory();
      List<CompletableFuture<Integer>> cycles;
      try {
        cycles = runCycles(factory, request, CYCLES);
      } finally {
        factory.close();
      }
      for (CompletableFuture<Integer> c : cycles) {
        assertThat(c.join()).isEqualTo(1000);
      }

      await("threads of the factory to end")
          .pollInSameThread()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(newThreads(threadsBefore)).isEmpty());
      await("sockets of the cycles to be closed")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(openDescriptors()).isLessThanOrEqualTo(descriptorsBefore));
      leakCanaryAndAwaitReport("pusher-leak-canary-2");
      List<String> leaks =
          new ArrayList<>(
              RecordingLeakDetector.leaks()
                  .subList(reportedBefore, RecordingLeakDetector.leaks().size()));
      leaks.removeIf(l -> l.contains("pusher-leak-canary-2"));
      assertThat(leaks).as("buffer leaks reported by Netty").isEmpty();
    }
  }

  /** Runs {@code count} cycles, at most {@link #IN_FLIGHT} at a time, and waits for them all. */
  private static List<CompletableFuture<Integer>> runCycles(
      NettyTransportFactory factory, TransportRequest request, int count) throws Exception {
    List<CompletableFuture<Integer>> cycles = new ArrayList<>();
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      CompletableFuture<Integer> done = new CompletableFuture<>();
      done.whenComplete((code, error) -> inFlight.release());
      cycles.add(done);
      factory.open(request, new PingThenClose(done));
    }
    CompletableFuture.allOf(cycles.toArray(new CompletableFuture<?>[0])).get(180, TimeUnit.SECONDS);
    return cycles;
  }

  private static long openDescriptors() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    assertThat(os).as("a Unix JVM, to count descriptors").isInstanceOf(com.sun.management.UnixOperatingSystemMXBean.class);
    return ((com.sun.management.UnixOperatingSystemMXBean) os).getOpenFileDescriptorCount();
  }

  private static List<String> newThreads(Set<Thread> before) {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t) && t.isAlive()) {
        names.add(t.getName());
      }
    }
    return names;
  }

  private static void leakCanaryAndAwaitReport(String hint) {
    leakOneBuffer(hint);
    await("the leak detector to report " + hint)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              System.gc();
              // Leaks are reported when a buffer is next allocated after the collection.
              ByteBufAllocator.DEFAULT.buffer(8).release();
              return RecordingLeakDetector.leaks().stream().anyMatch(l -> l.contains(hint));
            });
  }

  private static void leakOneBuffer(String hint) {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(16);
    leaked.touch(hint);
    leaked.writeInt(42);
  }

  /**
   * One cycle: on connection_established send a ping; on the pong close; complete with the code.
   */
  private static final class PingThenClose implements TransportListener {
    private final CompletableFuture<Integer> done;

    PingThenClose(CompletableFuture<Integer> done) {
      this.done = done;
    }

    @Override
    public void onOpen(Transport transport) {}

    @Override
    public void onMessage(Transport transport, ByteBuffer utf8) {
      onMessage(transport, StandardCharsets.UTF_8.decode(utf8).toString());
    }

    @Override
    public void onMessage(Transport transport, String text) {
      if (text.contains("pusher:connection_established")) {
        transport.send("{\"event\":\"pusher:ping\",\"data\":{}}");
      } else if (text.contains("pusher:pong")) {
        transport.close(1000, "cycle done");
      }
    }

    @Override
    public void onClose(Transport transport, int code, String reason) {
      done.complete(code);
    }

    @Override
    public void onError(Transport transport, Throwable error) {
      done.completeExceptionally(error);
    }
  }
}
