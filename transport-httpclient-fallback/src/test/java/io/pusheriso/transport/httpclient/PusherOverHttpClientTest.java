package io.pusheriso.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.Channel;
import io.pusheriso.HttpChannelAuthorizer;
import io.pusheriso.PrivateChannel;
import io.pusheriso.Pusher;
import io.pusheriso.PusherOptions;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.testkit.PusherTestServer;
import io.pusheriso.testkit.PusherTestServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole client, pusher-core, over only the HTTP fallback, against the embedded server. */
class PusherOverHttpClientTest {
  private static final Duration STEP = Duration.ofSeconds(10);

  @RegisterExtension static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

  private final List<Pusher> clients = new ArrayList<>();
  private final HttpClientTransportFactory factory = new HttpClientTransportFactory();

  @AfterEach
  void tearDown() {
    clients.forEach(Pusher::close);
    factory.close();
  }

  private Pusher connect(TransportKind kind) {
    PusherTestServer server = SERVER.server();
    Pusher pusher =
        new Pusher(
            PusherOptions.builder(server.appKey())
                .host(server.host())
                .httpHost(server.host())
                .httpPort(server.port())
                .tls(false)
                .enabledTransports(kind)
                .transportFactory(factory)
                .channelAuthorizer(HttpChannelAuthorizer.builder(server.authEndpoint()).build())
                .build());
    clients.add(pusher);
    pusher.connect();
    await().atMost(STEP).until(() -> pusher.state() == ConnectionState.CONNECTED);
    assertThat(server.socketIds()).contains(pusher.socketId().orElseThrow());
    return pusher;
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void subscribes_andReceivesEveryEventInOrder(TransportKind kind) throws Exception {
    Pusher pusher = connect(kind);
    Channel channel = pusher.subscribe("xhr-public");
    List<String> got = new CopyOnWriteArrayList<>();
    channel.bind("tick", e -> got.add(e.data()));
    channel.subscription().toCompletableFuture().get(STEP.toSeconds(), TimeUnit.SECONDS);

    for (int i = 0; i < 200; i++) {
      SERVER.server().trigger("xhr-public", "tick", "{\"n\":" + i + "}");
    }

    await().atMost(STEP).until(() -> got.size() == 200);
    for (int i = 0; i < 200; i++) {
      assertThat(got.get(i)).isEqualTo("{\"n\":" + i + "}");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void clientEvents_travelBetweenTwoClientsOnAPrivateChannel(TransportKind kind) throws Exception {
    Pusher alice = connect(kind);
    Pusher bob = connect(kind);
    PrivateChannel out = alice.subscribePrivate("private-xhr-chat");
    PrivateChannel in = bob.subscribePrivate("private-xhr-chat");
    List<String> got = new CopyOnWriteArrayList<>();
    in.bind("client-typing", e -> got.add(e.data()));
    out.subscription().toCompletableFuture().get(STEP.toSeconds(), TimeUnit.SECONDS);
    in.subscription().toCompletableFuture().get(STEP.toSeconds(), TimeUnit.SECONDS);

    out.trigger("client-typing", "{\"who\":\"alice\"}");

    await().atMost(STEP).until(() -> got.size() == 1);
    assertThat(got.get(0)).contains("alice");
  }
}
