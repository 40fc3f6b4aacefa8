package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.protocol.state.ConnectionState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class LifecycleTest {

  private static List<Thread> laneThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("pusher-events-") && t.isAlive())
        .toList();
  }

  @Test
  void noTransportAvailable_failsWithTheArtifactsToAdd() {
    assertThatThrownBy(() -> new Pusher(PusherOptions.builder("key").cluster("eu").build()))
        .isInstanceOf(PusherException.class)
        .hasMessageContaining("io.pusheriso:transport-netty")
        .hasMessageContaining("io.pusheriso:transport-jetty")
        .hasMessageContaining("io.pusheriso:transport-httpclient-fallback");
  }

  @Test
  void explicitFactoryWithoutAllowedKind_failsToo() {
    FakeTransportFactory ws = new FakeTransportFactory("ws");
    assertThatThrownBy(() -> new Pusher(PusherOptions.builder("key").cluster("eu").transportFactory(ws)
        .enabledTransports(io.pusheriso.spi.TransportKind.XHR_POLLING).build()))
        .isInstanceOf(PusherException.class).hasMessageContaining("xhr_polling");
  }

  @Test
  void defaultLane_usesOneDaemonThread_andNoneIsLeftAfterClose() {
    FakeTransportFactory ws = new FakeTransportFactory("ws");
    List<String> threads = new CopyOnWriteArrayList<>();
    Pusher pusher = new Pusher(PusherOptions.builder("key").host("127.0.0.1").transportFactory(ws).build());
    pusher.addConnectionListener(new ConnectionListener() {
      @Override
      public void onStateChange(ConnectionStateChange change) {
        threads.add(Thread.currentThread().getName());
        assertThat(Thread.currentThread().isDaemon()).isTrue();
      }
    });
    pusher.connect();
    await().until(() -> ws.opened.size() == 1);
    FakeTransport t = ws.last();
    t.serverHandshake("1.1");
    await().until(() -> pusher.state() == ConnectionState.CONNECTED);
    pusher.close();
    assertThat(t.terminated).isTrue();
    assertThat(threads).isNotEmpty().allSatisfy(n -> assertThat(n).startsWith("pusher-events-"));
    await().atMost(Duration.ofSeconds(10)).until(() -> laneThreads().stream().noneMatch(th -> threads.contains(th.getName())));
  }

  @Test
  void close_neverShutsDownTheUsersExecutor_andCallbacksRunThere() {
    ExecutorService mine = Executors.newSingleThreadExecutor(r -> new Thread(r, "users-own"));
    try {
      FakeTransportFactory ws = new FakeTransportFactory("ws");
      List<String> threads = new CopyOnWriteArrayList<>();
      Pusher pusher = new Pusher(PusherOptions.builder("key").host("127.0.0.1").transportFactory(ws).callbackExecutor(mine).build());
      pusher.addConnectionListener(new ConnectionListener() {
        @Override
        public void onStateChange(ConnectionStateChange change) {
          threads.add(Thread.currentThread().getName());
        }
      });
      pusher.connect();
      await().until(() -> threads.size() == 1);
      pusher.close();
      pusher.close();
      await().until(() -> pusher.state() == ConnectionState.DISCONNECTED);
      assertThat(threads).allSatisfy(n -> assertThat(n).isEqualTo("users-own"));
      assertThat(mine.isShutdown()).isFalse();
      assertThat(ws.closed).isFalse();
    } finally {
      mine.shutdownNow();
    }
  }

  @Test
  void publicMethods_areSafeFromManyThreads() throws Exception {
    FakeTransportFactory ws = new FakeTransportFactory("ws");
    try (Pusher pusher = new Pusher(PusherOptions.builder("key").host("127.0.0.1").transportFactory(ws).build())) {
      pusher.connect();
      await().until(() -> ws.opened.size() == 1);
      ws.last().serverHandshake("1.1");
      await().until(() -> pusher.state() == ConnectionState.CONNECTED);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
          int n = i;
          futures.add(pool.submit(() -> {
            for (int j = 0; j < 50; j++) {
              Channel c = pusher.subscribe("ch-" + (j % 10));
              c.bind("e", e -> {});
              if (j % 3 == n % 3) {
                pusher.unsubscribe("ch-" + (j % 10));
              }
            }
          }));
        }
        for (var f : futures) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      for (int i = 0; i < 10; i++) {
        pusher.subscribe("ch-" + i);
      }
      await().untilAsserted(() -> assertThat(pusher.allChannels()).hasSize(10));
    }
  }
}
