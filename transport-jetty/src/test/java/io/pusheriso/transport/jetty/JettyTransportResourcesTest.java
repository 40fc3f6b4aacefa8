package io.pusheriso.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import io.pusheriso.testkit.PusherTestServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many connections come and go without threads piling up or staying behind. */
class JettyTransportResourcesTest {
  private static final Duration STEP = Duration.ofSeconds(10);
  private static final int CYCLES = 1000;
  // Connections open at once: enough to overlap opening and closing, few enough for 2 cores.
  private static final int BATCH = 20;

  @RegisterExtension
  static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

  @Test
  void thousandConnectCloseCycles_leaveNoThreadBehind() {
    TransportRequest request =
        new TransportRequest(TransportKind.WEBSOCKET, SERVER.server().wsUri(), STEP, 1 << 20);
    // Warm up what starts once per JVM (the embedded server's workers, JDK internals).
    try (JettyTransportFactory warmUp = new JettyTransportFactory()) {
      cycle(warmUp, request, BATCH);
    }
    Set<Thread> baseline = new HashSet<>(Thread.getAllStackTraces().keySet());

    List<String> mostFactoryThreads = List.of();
    try (JettyTransportFactory factory = new JettyTransportFactory()) {
      for (int done = 0; done < CYCLES; done += BATCH) {
        cycle(factory, request, BATCH);
        List<String> factoryThreads = new ArrayList<>(threadsStartedSince(baseline));
        // Awaitility's own short-lived condition threads are not the factory's.
        factoryThreads.removeIf(name -> !name.startsWith("pusher-jetty"));
        if (factoryThreads.size() > mostFactoryThreads.size()) {
          mostFactoryThreads = factoryThreads;
        }
      }
    }

    // The factory's pool is bounded: its threads do not grow with the number of connections.
    assertThat(mostFactoryThreads).isNotEmpty().hasSizeLessThanOrEqualTo(20);
    await("threads started by the factory to end")
        .pollInSameThread()
        .atMost(STEP)
        .untilAsserted(() -> assertThat(threadsStartedSince(baseline)).isEmpty());
    await("server to see every connection closed")
        .atMost(STEP)
        .until(() -> SERVER.server().connectionCount() == 0);
  }

  private static void cycle(JettyTransportFactory factory, TransportRequest request, int count) {
    List<Transport> transports = new ArrayList<>();
    List<RecordingTransportListener> listeners = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RecordingTransportListener listener = new RecordingTransportListener();
      listeners.add(listener);
      transports.add(factory.open(request, listener));
    }
    for (int i = 0; i < count; i++) {
      listeners.get(i).awaitOpen(STEP);
      transports.get(i).close(1000, "cycle");
    }
    for (RecordingTransportListener listener : listeners) {
      RecordingTransportListener.Event terminal = listener.awaitTerminal(STEP);
      assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.CLOSE);
      listener.assertContractKept();
    }
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
