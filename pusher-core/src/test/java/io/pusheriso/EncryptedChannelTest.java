package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.testkit.PusherTestServer;
import io.pusheriso.testkit.PusherTestServerExtension;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Encrypted channels against the embedded server, which seals events with NaCl secretbox. */
class EncryptedChannelTest {

  @RegisterExtension static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

  private static final String WRONG_KEY = Base64.getEncoder().encodeToString(new byte[32]);

  private final List<Pusher> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(Pusher::close);
  }

  private Pusher connected(LocalSigner signer) {
    PusherTestServer s = SERVER.server();
    Pusher p = new Pusher(PusherOptions.builder(s.appKey()).host(s.host()).wsPort(s.port()).tls(false)
        .transportFactory(new JdkWebSocketTransportFactory()).channelAuthorizer(signer).build());
    clients.add(p);
    p.connect();
    await().until(() -> p.state() == ConnectionState.CONNECTED);
    return p;
  }

  private LocalSigner signer() {
    PusherTestServer s = SERVER.server();
    return new LocalSigner(s.appKey(), s.appSecret(), s.encryptionMasterKeyBase64(), "u1");
  }

  @Test
  void events_areDecrypted_pusherEventsPassThrough() throws Exception {
    PusherTestServer s = SERVER.server();
    Pusher p = new Pusher(PusherOptions.builder(s.appKey()).host(s.host()).wsPort(s.port()).tls(false)
        .transportFactory(new JdkWebSocketTransportFactory()).channelAuthorizer(signer()).build());
    clients.add(p);
    // Subscribed and bound before connecting, so subscription_succeeded cannot be dispatched
    // before the listener is in place.
    Channel ch = p.subscribe("private-encrypted-news");
    List<PusherEvent> got = new CopyOnWriteArrayList<>();
    ch.bindGlobal(got::add);
    p.connect();
    ch.subscription().toCompletableFuture().get(5, TimeUnit.SECONDS);
    s.trigger("private-encrypted-news", "secret", "{\"msg\":\"hello\"}");
    // Wait for the event itself rather than a count: a reconnect under load adds a second
    // subscription_succeeded, which is correct behaviour and not what this test is about.
    await().until(() -> got.stream().anyMatch(e -> e.eventName().equals("secret")));
    assertThat(got.get(0).eventName()).isEqualTo("pusher:subscription_succeeded");
    PusherEvent secret = got.stream().filter(e -> e.eventName().equals("secret")).findFirst().orElseThrow();
    assertThat(secret.data()).isEqualTo("{\"msg\":\"hello\"}");
    assertThat(ch).isNotInstanceOf(PrivateChannel.class);
  }

  @Test
  void rotatedKey_isFetchedAgainOnce_andTheEventDelivered() throws Exception {
    LocalSigner signer = signer();
    signer.sharedSecretOverride = n -> n == 1 ? WRONG_KEY : null;
    Pusher p = connected(signer);
    Channel ch = p.subscribe("private-encrypted-rot");
    List<PusherEvent> got = new CopyOnWriteArrayList<>();
    ch.bind("e", got::add);
    ch.subscription().toCompletableFuture().get(5, TimeUnit.SECONDS);
    SERVER.server().trigger("private-encrypted-rot", "e", "{\"n\":1}");
    await().until(() -> got.size() == 1);
    assertThat(got.get(0).data()).isEqualTo("{\"n\":1}");
    assertThat(signer.requests).hasSize(2);
    SERVER.server().trigger("private-encrypted-rot", "e", "{\"n\":2}");
    await().until(() -> got.size() == 2);
    assertThat(signer.requests).as("the fresh key is kept").hasSize(2);
  }

  @Test
  void undecryptableEvent_isReportedOnTheChannel_andTheLaneSurvives() throws Exception {
    LocalSigner signer = signer();
    signer.sharedSecretOverride = n -> WRONG_KEY;
    Pusher p = connected(signer);
    Channel ch = p.subscribe("private-encrypted-bad");
    List<PusherEvent> errors = new CopyOnWriteArrayList<>();
    List<PusherEvent> events = new CopyOnWriteArrayList<>();
    ch.bind("pusher:decryption_error", errors::add);
    ch.bind("e", events::add);
    ch.subscription().toCompletableFuture().get(5, TimeUnit.SECONDS);
    SERVER.server().trigger("private-encrypted-bad", "e", "{}");
    await().until(() -> errors.size() == 1);
    assertThat(errors.get(0).data()).contains("\"event\":\"e\"");
    assertThat(events).isEmpty();
    Channel pub = p.subscribe("plain");
    pub.subscription().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(pub.isSubscribed()).isTrue();
  }
}
