package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.protocol.state.ConnectionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Frames of a burst reach the lane through one drain task per burst (see {@code Link}): they must
 * still arrive in order, none lost, and before the end of their transport is reported, whether the
 * lane runs on the client's own thread or on a callback executor.
 */
class LaneBurstTest {

  private static final int FRAMES = 700; // more than one drain batch

  @Test
  void aBurstThenACloseOnTheOwnLaneThread() throws Exception {
    burstThenClose(b -> b.callbackExecutor(null));
  }

  @Test
  void aBurstThenACloseOnACallbackExecutor() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      burstThenClose(b -> b.callbackExecutor(executor));
    } finally {
      executor.shutdownNow();
    }
  }

  private static void burstThenClose(UnaryOperator<PusherOptions.Builder> custom) throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Harness h = new Harness(custom)) {
      h.pusher.bind("hold", e -> {
        entered.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      });
      h.pusher.bind("n", e -> seen.add(e.data()));
      h.pusher.addConnectionListener(
          new ConnectionListener() {
            @Override
            public void onError(PusherException error) {
              // The close (4200) is reported as an error: it must come after every frame.
              seen.add("closed");
            }
          });
      h.pusher.connect();
      await().until(() -> !h.ws.opened.isEmpty());
      FakeTransport t = h.ws.last();
      t.serverHandshake("1.1");
      await().until(() -> h.pusher.state() == ConnectionState.CONNECTED);

      // The first burst waits behind a busy listener; the second arrives while the lane drains.
      t.serverSend(Harness.event("hold", null, "{}"));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < FRAMES / 2; i++) {
        t.serverSend(Harness.event("n", null, Integer.toString(i)));
      }
      release.countDown();
      for (int i = FRAMES / 2; i < FRAMES; i++) {
        t.serverSend(Harness.event("n", null, Integer.toString(i)));
      }
      t.serverClose(4200, "bye");

      List<String> expected = new ArrayList<>();
      for (int i = 0; i < FRAMES; i++) {
        expected.add(Integer.toString(i));
      }
      expected.add("closed");
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= expected.size());
      assertThat(seen).containsExactlyElementsOf(expected);
      assertThat(h.pusher.core().pendingFrames()).isZero();
    } finally {
      release.countDown();
    }
  }
}
