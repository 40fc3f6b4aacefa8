package io.pusheriso.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.Channel;
import io.pusheriso.HttpChannelAuthorizer;
import io.pusheriso.HttpUserAuthenticator;
import io.pusheriso.Member;
import io.pusheriso.PresenceChannel;
import io.pusheriso.PrivateChannel;
import io.pusheriso.Pusher;
import io.pusheriso.PusherAuthorizationException;
import io.pusheriso.PusherEvent;
import io.pusheriso.PusherOptions;
import io.pusheriso.protocol.state.ConnectionState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole client (pusher-core over the Netty transport) against the real peers of
 * {@code ../shared/peers}: soketi, and the official server SDK signing authorizations and publishing
 * events. Run by the {@code conformance} profile; with {@code PUSHER_PEER_*} set the peers must be
 * up, without them the tests skip when nothing listens on the ws port.
 */
@Tag("integration")
class PusherOverNettyPeersIT {

  private static final String KEY = env("PUSHER_PEER_APP_KEY", "app-key");
  private static final int WS_PORT = Integer.parseInt(env("PUSHER_PEER_WS_PORT", "6001"));
  private static final URI AUTH = URI.create(env("PUSHER_PEER_AUTH_URL", "http://127.0.0.1:6003/pusher/auth"));
  private static final URI USER_AUTH =
      URI.create(env("PUSHER_PEER_USER_AUTH_URL", "http://127.0.0.1:6003/pusher/user-auth"));
  private static final URI TRIGGER = URI.create(env("PUSHER_PEER_TRIGGER_URL", "http://127.0.0.1:6003/trigger"));

  private final List<Pusher> clients = new ArrayList<>();

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  @BeforeAll
  static void peersUp() {
    boolean required = System.getenv("PUSHER_PEER_WS_PORT") != null;
    boolean reachable;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", WS_PORT), 1000);
      reachable = true;
    } catch (IOException e) {
      reachable = false;
    }
    if (required) {
      assertThat(reachable).as("PUSHER_PEER_WS_PORT is set but nothing listens on " + WS_PORT).isTrue();
    }
    Assumptions.assumeTrue(reachable, "real peers not running: start them with ../shared/peers/up");
  }

  @AfterEach
  void closeClients() {
    clients.forEach(Pusher::close);
  }

  private Pusher connect(String userId) {
    Pusher p =
        new Pusher(
            PusherOptions.builder(KEY)
                .host("127.0.0.1")
                .wsPort(WS_PORT)
                .tls(false)
                .transportFactory(new NettyTransportFactory())
                .channelAuthorizer(HttpChannelAuthorizer.builder(AUTH).param("user_id", userId).build())
                .userAuthenticator(HttpUserAuthenticator.builder(USER_AUTH).param("user_id", userId).build())
                .build());
    clients.add(p);
    p.connect();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.state() == ConnectionState.CONNECTED);
    return p;
  }

  private static void post(URI uri, String json) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    try {
      c.setRequestMethod("POST");
      c.setRequestProperty("Content-Type", "application/json");
      c.setDoOutput(true);
      try (OutputStream out = c.getOutputStream()) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
      assertThat(c.getResponseCode()).as("POST " + uri).isEqualTo(200);
    } finally {
      c.disconnect();
    }
  }

  private static void trigger(String channel, String event, String dataJson) throws IOException {
    post(TRIGGER, "{\"channel\":\"" + channel + "\",\"event\":\"" + event + "\",\"data\":" + dataJson + "}");
  }

  private static void subscribed(Channel channel) throws Exception {
    channel.subscription().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void publicChannel_receivesEventsInOrder() throws Exception {
    Pusher p = connect("u1");
    Channel ch = p.subscribe("conf-public");
    List<String> got = new CopyOnWriteArrayList<>();
    ch.bind("tick", e -> got.add(e.data()));
    subscribed(ch);
    for (int i = 0; i < 20; i++) {
      trigger("conf-public", "tick", "{\"n\":" + i + "}");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 20);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("{\"n\":" + i + "}");
    }
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void privateChannel_isAuthorized_andForbiddenOneFailsWith403() throws Exception {
    Pusher p = connect("u1");
    Channel ok = p.subscribePrivate("private-conf");
    subscribed(ok);
    assertThat(ok.isSubscribed()).isTrue();

    Channel forbidden = p.subscribePrivate("private-forbidden-conf");
    assertThat(forbidden.subscription().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableThat()
        .havingRootCause()
        .isInstanceOfSatisfying(PusherAuthorizationException.class, e -> assertThat(e.status()).isEqualTo(403));
  }

  @Test
  void presence_twoClients_seeEachOther() throws Exception {
    Pusher first = connect("alice");
    PresenceChannel a = first.subscribePresence("presence-conf");
    List<String> added = new CopyOnWriteArrayList<>();
    a.bind("pusher:member_added", e -> added.add(e.data()));
    subscribed(a);
    assertThat(a.members().me().map(Member::id)).contains("alice");

    Pusher second = connect("bob");
    PresenceChannel b = second.subscribePresence("presence-conf");
    subscribed(b);
    assertThat(b.members().count()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> added.stream().anyMatch(d -> d.contains("bob")));
    await().until(() -> a.members().count() == 2);
  }

  @Test
  void encryptedChannel_eventsAreDecrypted() throws Exception {
    Pusher p = connect("u1");
    Channel ch = p.subscribe("private-encrypted-conf");
    List<PusherEvent> got = new CopyOnWriteArrayList<>();
    ch.bind("secret", got::add);
    subscribed(ch);
    trigger("private-encrypted-conf", "secret", "{\"msg\":\"h\u00e9llo\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
    assertThat(got.get(0).data()).isEqualTo("{\"msg\":\"h\u00e9llo\"}");
  }

  @Test
  void clientEvents_flowBetweenTwoClients() throws Exception {
    Pusher sender = connect("s");
    Pusher receiver = connect("r");
    PrivateChannel out = sender.subscribePrivate("private-conf-chat");
    PrivateChannel in = receiver.subscribePrivate("private-conf-chat");
    List<String> got = new CopyOnWriteArrayList<>();
    in.bind("client-typing", e -> got.add(e.data()));
    subscribed(out);
    subscribed(in);
    out.trigger("client-typing", "{\"who\":\"s\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
    assertThat(got.get(0)).isEqualTo("{\"who\":\"s\"}");
  }

  @Test
  void signin_thenAnEventSentToTheUserArrives() throws Exception {
    Pusher p = connect("conf-user");
    List<PusherEvent> got = new CopyOnWriteArrayList<>();
    p.user().bind("direct-message", got::add);
    p.signin();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.user().id().isPresent());
    assertThat(p.user().id()).contains("conf-user");
    // The user channel is subscribed after signin_success; publish until the event arrives.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              post(
                  URI.create(TRIGGER.toString().replace("/trigger", "/send-to-user")),
                  "{\"user_id\":\"conf-user\",\"event\":\"direct-message\",\"data\":{\"x\":1}}");
              return !got.isEmpty();
            });
    assertThat(got.stream().map(PusherEvent::data).collect(Collectors.toList())).allMatch(d -> d.equals("{\"x\":1}"));
  }
}
