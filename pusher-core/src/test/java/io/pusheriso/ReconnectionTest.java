package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.UserAuthenticator;
import io.pusheriso.testkit.PusherTestServer;
import io.pusheriso.testkit.PusherTestServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection faults against the embedded server over a real socket: a dropped connection while
 * subscribed to every kind of channel and signed in, and a half-open connection.
 */
class ReconnectionTest {

  @RegisterExtension static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

  private static final Duration ACTIVITY = Duration.ofSeconds(1);
  private static final Duration PONG = Duration.ofSeconds(1);

  private final List<Pusher> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(Pusher::close);
  }

  private static PusherTestServer server() {
    return SERVER.server();
  }

  private Pusher client(UnaryOperator<PusherOptions.Builder> custom) {
    PusherTestServer s = server();
    PusherOptions.Builder b =
        PusherOptions.builder(s.appKey())
            .host(s.host())
            .wsPort(s.port())
            .tls(false)
            .transportFactory(new JdkWebSocketTransportFactory())
            // Short ping timeouts: an abrupt drop the JDK socket does not notice is still found.
            .activityTimeout(ACTIVITY)
            .pongTimeout(PONG)
            .connectTimeout(Duration.ofSeconds(2));
    Pusher p = new Pusher(custom.apply(b).build());
    clients.add(p);
    return p;
  }

  @Test
  void serverRestart_everyChannelKindAndTheUser_comeBackWithFreshAuthorization() {
    LocalSigner signer = new LocalSigner(server().appKey(), server().appSecret(), server().encryptionMasterKeyBase64(), "u9");
    List<String> userAuthSockets = new CopyOnWriteArrayList<>();
    UserAuthenticator users = sid -> {
      userAuthSockets.add(sid);
      return signer.authenticate(sid);
    };
    Pusher p = client(b -> b.channelAuthorizer(signer).userAuthenticator(users));
    List<String> got = new CopyOnWriteArrayList<>();
    List<String> channels = List.of("news", "private-feed", "presence-room", "private-encrypted-vault");
    List<Channel> subscribed = new ArrayList<>();
    for (String name : channels) {
      Channel ch = p.subscribe(name);
      ch.bind("e", ev -> got.add(name + ":" + ev.data()));
      subscribed.add(ch);
    }
    p.user().bind("direct", ev -> got.add("user:" + ev.data()));
    p.signin();
    p.connect();
    await().until(() -> subscribed.stream().allMatch(Channel::isSubscribed) && p.user().id().isPresent());
    String first = p.socketId().orElseThrow();
    assertThat(signer.requests).extracting(r -> r.socketId()).containsOnly(first).hasSize(3);
    assertThat(userAuthSockets).containsExactly(first);

    // A server restart: connections cut without a close frame, new ones refused for a while.
    server().faults().refuseNewConnections(true);
    server().faults().dropAllConnections();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.state() == ConnectionState.CONNECTING);
    assertThat(p.socketId()).isEmpty();
    server().faults().refuseNewConnections(false);
    await().atMost(Duration.ofSeconds(15)).until(() -> p.state() == ConnectionState.CONNECTED
        && p.socketId().filter(id -> !id.equals(first)).isPresent()
        && subscribed.stream().allMatch(Channel::isSubscribed)
        && p.user().id().isPresent());
    String second = p.socketId().orElseThrow();

    // Fresh authorization: every private, presence and encrypted channel and the user were
    // authorized again for the new socket id (the server checks those signatures).
    for (String name : List.of("private-feed", "presence-room", "private-encrypted-vault")) {
      assertThat(signer.requests).filteredOn(r -> r.channelName().equals(name))
          .extracting(r -> r.socketId()).containsExactly(first, second);
    }
    assertThat(userAuthSockets).containsExactly(first, second);
    assertThat(server().subscribedChannels(second)).containsAll(channels);
    assertThat(server().presenceMemberIds("presence-room")).containsExactly("u9");
    assertThat(((PresenceChannel) subscribed.get(2)).members().me()).hasValueSatisfying(m -> assertThat(m.id()).isEqualTo("u9"));

    // Events published after the client is back all arrive, the encrypted one decrypted.
    for (String name : channels) {
      server().trigger(name, "e", "{\"after\":\"" + name + "\"}");
    }
    server().sendToUser("u9", "direct", "{\"after\":\"user\"}");
    await().until(() -> got.size() == 5);
    assertThat(got).containsExactlyInAnyOrder(
        "news:{\"after\":\"news\"}",
        "private-feed:{\"after\":\"private-feed\"}",
        "presence-room:{\"after\":\"presence-room\"}",
        "private-encrypted-vault:{\"after\":\"private-encrypted-vault\"}",
        "user:{\"after\":\"user\"}");
  }

  @Test
  void halfOpenConnection_isDetectedWithinActivityPlusPongTimeout_thenReconnected() {
    Pusher p = client(b -> b);
    Channel news = p.subscribe("news");
    List<String> got = new CopyOnWriteArrayList<>();
    news.bind("e", ev -> got.add(ev.data()));
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    p.addConnectionListener(new ConnectionListener() {
      @Override
      public void onStateChange(ConnectionStateChange change) {
        states.add(change.current());
      }
    });
    p.connect();
    await().until(news::isSubscribed);
    String first = p.socketId().orElseThrow();
    states.clear();

    long start = System.nanoTime();
    server().faults().halfOpen(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> states.contains(ConnectionState.CONNECTING));
    long detectedMillis = (System.nanoTime() - start) / 1_000_000;
    // Silence for the activity timeout, then a ping nobody answers for the pong timeout; two
    // seconds of slack for a loaded machine (the defaults would take 150 s).
    assertThat(detectedMillis).isLessThanOrEqualTo(ACTIVITY.plus(PONG).plusSeconds(2).toMillis());
    assertThat(p.socketId()).isEmpty();

    server().faults().halfOpen(false);
    await().atMost(Duration.ofSeconds(15)).until(() -> p.state() == ConnectionState.CONNECTED
        && p.socketId().filter(id -> !id.equals(first)).isPresent() && news.isSubscribed());
    server().trigger("news", "e", "{\"n\":1}");
    await().until(() -> got.contains("{\"n\":1}"));
  }
}
