package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.testkit.PusherTestServer;
import io.pusheriso.testkit.PusherTestServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client over a real socket (the JDK's WebSocket) against the embedded Pusher server. */
class RealServerTest {

  @RegisterExtension static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

  private final List<Pusher> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(Pusher::close);
  }

  private PusherTestServer server() {
    return SERVER.server();
  }

  private LocalSigner signer(String userId) {
    return new LocalSigner(server().appKey(), server().appSecret(), server().encryptionMasterKeyBase64(), userId);
  }

  private Pusher client(UnaryOperator<PusherOptions.Builder> custom) {
    PusherOptions.Builder b =
        PusherOptions.builder(server().appKey())
            .host(server().host())
            .wsPort(server().port())
            .tls(false)
            .transportFactory(new JdkWebSocketTransportFactory());
    Pusher p = new Pusher(custom.apply(b).build());
    clients.add(p);
    return p;
  }

  private Pusher connected(UnaryOperator<PusherOptions.Builder> custom) {
    Pusher p = client(custom);
    p.connect();
    await().until(() -> p.state() == ConnectionState.CONNECTED);
    return p;
  }

  private static <T> T await5(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void connects_andTheServerKnowsTheSocketId() {
    Pusher p = connected(b -> b);
    assertThat(server().socketIds()).contains(p.socketId().orElseThrow());
  }

  @Test
  void untrustedCertificate_andRefusedPort_reachTheErrorListeners_withTheirCauseAndAFix() throws Exception {
    java.util.List<PusherException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    Pusher untrusted = client(b -> b.tls(true).wssPort(server().tlsPort()));
    untrusted.addConnectionListener(new ConnectionListener() {
      @Override
      public void onError(PusherException error) {
        errors.add(error);
      }
    });
    untrusted.connect();
    await().until(() -> !errors.isEmpty());
    assertThat(errors.get(0)).isInstanceOfSatisfying(PusherConnectionException.class, e -> {
      assertThat(e.code()).isEqualTo(-1);
      assertThat(e.getCause()).isInstanceOf(javax.net.ssl.SSLException.class);
      assertThat(e.getMessage()).contains("wss://").contains("certificate is not trusted");
    });
    untrusted.close();

    int freePort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      freePort = s.getLocalPort();
    }
    java.util.List<PusherException> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
    Pusher refused = client(b -> b.host("127.0.0.1").wsPort(freePort));
    refused.addConnectionListener(new ConnectionListener() {
      @Override
      public void onError(PusherException error) {
        refusals.add(error);
      }
    });
    refused.connect();
    await().until(() -> !refusals.isEmpty());
    assertThat(refusals.get(0)).isInstanceOfSatisfying(PusherConnectionException.class, e ->
        assertThat(e.getMessage()).contains("ws://127.0.0.1:" + freePort).contains("Nothing accepts connections"));
    assertThat(refused.state()).isEqualTo(ConnectionState.CONNECTING);
  }

  @Test
  void connectsOverTls() {
    Pusher p = client(b -> b.tls(true).wssPort(server().tlsPort())
        .transportFactories(java.util.List.of(new JdkWebSocketTransportFactory(server().clientSslContext()))));
    p.connect();
    await().until(() -> p.state() == ConnectionState.CONNECTED);
    assertThat(server().socketIds()).contains(p.socketId().orElseThrow());
  }

  @Test
  void publicChannel_receivesTriggeredEvents() throws Exception {
    Pusher p = connected(b -> b);
    Channel ch = p.subscribe("news");
    List<PusherEvent> got = new CopyOnWriteArrayList<>();
    ch.bind("update", got::add);
    await5(ch.subscription());
    server().trigger("news", "update", "{\"n\":42}");
    await().until(() -> got.size() == 1);
    assertThat(got.get(0).data()).isEqualTo("{\"n\":42}");
  }

  @Test
  void privateChannel_withGoodAndBadSignatures() throws Exception {
    Pusher p = connected(b -> b.channelAuthorizer(signer("u1")));
    Channel ok = p.subscribe("private-ok");
    assertThat(await5(ok.subscription())).isSameAs(ok);

    Pusher bad = connected(b -> b.channelAuthorizer(req -> CompletableFuture.completedFuture(
        ChannelAuthorization.of(server().appKey() + ":0000"))));
    Channel refused = bad.subscribe("private-no");
    List<PusherEvent> errors = new CopyOnWriteArrayList<>();
    refused.bind("pusher:subscription_error", errors::add);
    assertThat(refused.subscription().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(PusherAuthorizationException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThat(errors).hasSize(1);
  }

  @Test
  void clientEvents_betweenTwoClients_areNotEchoed() throws Exception {
    Pusher a = connected(b -> b.channelAuthorizer(signer("a")));
    Pusher bb = connected(b -> b.channelAuthorizer(signer("b")));
    PrivateChannel ca = a.subscribePrivate("private-chat");
    PrivateChannel cb = bb.subscribePrivate("private-chat");
    await5(ca.subscription());
    await5(cb.subscription());
    List<PusherEvent> atA = new CopyOnWriteArrayList<>();
    List<PusherEvent> atB = new CopyOnWriteArrayList<>();
    ca.bind("client-msg", atA::add);
    cb.bind("client-msg", atB::add);
    ca.trigger("client-msg", "{\"text\":\"hi\"}");
    await().until(() -> atB.size() == 1);
    assertThat(atB.get(0).data()).isEqualTo("{\"text\":\"hi\"}");
    cb.trigger("client-msg", "{\"text\":\"back\"}");
    await().until(() -> atA.size() == 1);
    assertThat(atA).hasSize(1);
    assertThat(atB).hasSize(1);
  }

  @Test
  void presence_acrossTwoClients() throws Exception {
    Pusher a = connected(b -> b.channelAuthorizer(signer("alice")));
    PresenceChannel pa = a.subscribePresence("presence-room");
    await5(pa.subscription());
    assertThat(pa.members().me()).hasValueSatisfying(m -> assertThat(m.id()).isEqualTo("alice"));
    List<PusherEvent> added = new CopyOnWriteArrayList<>();
    List<PusherEvent> removed = new CopyOnWriteArrayList<>();
    pa.bind("pusher:member_added", added::add);
    pa.bind("pusher:member_removed", removed::add);

    Pusher b = connected(o -> o.channelAuthorizer(signer("bob")));
    PresenceChannel pb = b.subscribePresence("presence-room");
    await5(pb.subscription());
    assertThat(pb.members()).extracting(Member::id).containsExactlyInAnyOrder("alice", "bob");
    await().until(() -> added.size() == 1);
    assertThat(pa.members().count()).isEqualTo(2);
    assertThat(pa.members().get("bob")).hasValueSatisfying(m -> assertThat(m.infoJson()).contains("bob"));

    List<PusherEvent> waves = new CopyOnWriteArrayList<>();
    pa.bind("client-wave", waves::add);
    pb.trigger("client-wave", "{}");
    await().until(() -> waves.size() == 1);
    assertThat(waves.get(0).userId()).isEqualTo("bob");

    b.close();
    await().until(() -> removed.size() == 1);
    assertThat(pa.members()).extracting(Member::id).containsExactly("alice");
  }

  @Test
  void droppedConnection_reconnectsAndResubscribesWithFreshAuthorization() throws Exception {
    LocalSigner signer = signer("u1");
    Pusher p = connected(b -> b.channelAuthorizer(signer)
        .activityTimeout(Duration.ofSeconds(2)).pongTimeout(Duration.ofSeconds(2)));
    Channel pub = p.subscribe("news");
    Channel priv = p.subscribe("private-feed");
    await5(pub.subscription());
    await5(priv.subscription());
    String firstSocket = p.socketId().orElseThrow();
    List<PusherEvent> got = new CopyOnWriteArrayList<>();
    priv.bind("e", got::add);

    server().faults().dropAllConnections();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.state() == ConnectionState.CONNECTED
        && p.socketId().isPresent() && !p.socketId().get().equals(firstSocket) && priv.isSubscribed() && pub.isSubscribed());
    String second = p.socketId().orElseThrow();
    assertThat(signer.requests).extracting(r -> r.socketId()).contains(firstSocket, second);
    server().trigger("private-feed", "e", "{}");
    await().until(() -> got.size() == 1);
  }

  @Test
  void closeCodes_throughTheRealStack() {
    Pusher refused = connected(b -> b);
    Pusher retried = connected(b -> b);
    List<PusherException> errors = new CopyOnWriteArrayList<>();
    refused.addConnectionListener(new ConnectionListener() {
      @Override
      public void onError(PusherException error) {
        errors.add(error);
      }
    });
    String before = retried.socketId().orElseThrow();
    server().faults().closeAll(4001, "app does not exist");
    await().until(() -> refused.state() == ConnectionState.DISCONNECTED);
    await().until(() -> errors.stream().anyMatch(e -> e instanceof PusherConnectionException c && c.code() == 4001));
    assertThat(retried.state()).isEqualTo(ConnectionState.DISCONNECTED);

    retried.connect();
    await().until(() -> retried.state() == ConnectionState.CONNECTED);
    String middle = retried.socketId().orElseThrow();
    assertThat(middle).isNotEqualTo(before);
    refused.disconnect();
    server().faults().closeAll(4200, "reconnect now");
    await().atMost(Duration.ofSeconds(5)).until(() -> retried.state() == ConnectionState.CONNECTED
        && retried.socketId().isPresent() && !retried.socketId().get().equals(middle));
    assertThat(refused.state()).isEqualTo(ConnectionState.DISCONNECTED);
  }

  @Test
  void signin_userEvents_andRepeatAfterReconnect() {
    LocalSigner signer = signer("u7");
    // Short ping timeouts: a drop the JDK test transport misses is still found by ping/pong.
    Pusher p = client(b -> b.userAuthenticator(signer)
        .activityTimeout(Duration.ofSeconds(2)).pongTimeout(Duration.ofSeconds(2)));
    List<PusherEvent> userEvents = new CopyOnWriteArrayList<>();
    p.user().bind("direct", userEvents::add);
    p.signin();
    p.connect();
    await().until(() -> p.user().id().isPresent());
    assertThat(p.user().id()).contains("u7");
    await().untilAsserted(() -> {
      server().sendToUser("u7", "direct", "{\"x\":1}");
      assertThat(userEvents).isNotEmpty();
    });
    assertThat(userEvents.get(0).data()).isEqualTo("{\"x\":1}");

    String firstSocket = p.socketId().orElseThrow();
    server().faults().dropAllConnections();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.state() == ConnectionState.CONNECTED
        && p.user().id().isPresent() && !p.socketId().orElse(firstSocket).equals(firstSocket));
    int before = userEvents.size();
    server().sendToUser("u7", "direct", "{\"x\":2}");
    await().until(() -> userEvents.size() > before);
  }

  @Test
  void watchlist_reportsWatchedUsersComingOnlineAndGoingOffline() {
    LocalSigner watcherSigner = signer("w1");
    watcherSigner.watchlistJson = "[\"w2\"]";
    Pusher watcher = client(b -> b.userAuthenticator(watcherSigner));
    List<String> events = new CopyOnWriteArrayList<>();
    watcher.user().addWatchlistListener(new WatchlistListener() {
      @Override
      public void onOnline(List<String> userIds) {
        userIds.forEach(id -> events.add("online:" + id));
      }

      @Override
      public void onOffline(List<String> userIds) {
        userIds.forEach(id -> events.add("offline:" + id));
      }
    });
    watcher.signin();
    watcher.connect();
    await().until(() -> watcher.user().id().isPresent());
    Pusher watched = client(b -> b.userAuthenticator(signer("w2")));
    watched.signin();
    watched.connect();
    await().until(() -> events.contains("online:w2"));
    watched.close();
    await().until(() -> events.contains("offline:w2"));
  }

  @Test
  void cacheChannel_missThenLastEvent() throws Exception {
    // Subscribed and bound before connecting: cache_miss and the cached event come right after
    // the subscription succeeds, and a listener bound after subscribe() on a live connection
    // could miss them.
    Pusher first = client(b -> b);
    Channel c1 = first.subscribe("cache-prices");
    List<PusherEvent> got1 = new CopyOnWriteArrayList<>();
    c1.bindGlobal(got1::add);
    first.connect();
    await().until(() -> got1.stream().anyMatch(e -> e.eventName().equals("pusher:cache_miss")));
    server().trigger("cache-prices", "price", "{\"p\":10}");
    await().until(() -> got1.stream().anyMatch(e -> e.eventName().equals("price")));
    Pusher second = client(b -> b);
    Channel c2 = second.subscribe("cache-prices");
    List<PusherEvent> got2 = new CopyOnWriteArrayList<>();
    c2.bind("price", got2::add);
    second.connect();
    await().until(() -> got2.size() == 1);
    assertThat(got2.get(0).data()).isEqualTo("{\"p\":10}");
  }

  @Test
  void close_leavesNoClientThread() {
    Pusher p = connected(b -> b);
    p.subscribe("news");
    p.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.isAlive() && t.getName().startsWith("pusher-events-")));
    await().until(() -> server().connectionCount() == 0);
  }
}
