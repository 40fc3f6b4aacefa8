package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.CapturingLogProvider.Capture;
import io.pusheriso.CapturingLogProvider.Entry;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.spi.ChannelAuthorizationRequest;
import io.pusheriso.spi.ChannelAuthorizer;
import io.pusheriso.spi.UserAuthentication;
import io.pusheriso.spi.UserAuthenticator;
import io.pusheriso.testkit.PusherTestServer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * DESIGN.md: the app secret, shared secrets and auth signatures never appear in a log line or a
 * {@code toString()}. A whole session against the embedded server runs with every logger at TRACE
 * and every event recorded by {@link CapturingLogProvider}: two clients (one signing with the app
 * secret, one asking the server's HTTP auth endpoints), public, private, presence and encrypted
 * channels, sign-in, client events, a refused authorization, a rejected signature, an event that
 * cannot be decrypted, a dropped connection with resubscription, disconnect and close. Every
 * secret the session produced (the authorizers' outputs are recorded and checked against the
 * subscribe frames the server received) is then searched for in every captured line and in the
 * {@code toString()} of every object a user handles.
 */
class SecretsTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  private static String randomBase64Key() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** Records what an authorizer answered; the answers are the secrets to look for. */
  static final class Recording implements ChannelAuthorizer, UserAuthenticator {
    final ChannelAuthorizer channels;
    final UserAuthenticator users;
    final List<ChannelAuthorization> authorizations = new CopyOnWriteArrayList<>();
    final List<UserAuthentication> authentications = new CopyOnWriteArrayList<>();

    Recording(ChannelAuthorizer channels, UserAuthenticator users) {
      this.channels = channels;
      this.users = users;
    }

    @Override
    public CompletionStage<ChannelAuthorization> authorize(ChannelAuthorizationRequest request) {
      return channels.authorize(request).thenApply(a -> {
        ChannelAuthorization out = a;
        if (request.channelName().contains("tampered") || request.channelName().contains("wrongkey")) {
          out = tamperFor(request.channelName(), a);
        }
        authorizations.add(a);
        authorizations.add(out);
        return out;
      });
    }

    @Override
    public CompletionStage<UserAuthentication> authenticate(String socketId) {
      return users.authenticate(socketId).thenApply(a -> {
        authentications.add(a);
        return a;
      });
    }
  }

  /** A rejected signature (one hex digit changed) or a shared secret that decrypts nothing. */
  static ChannelAuthorization tamperFor(String channel, ChannelAuthorization a) {
    if (channel.contains("wrongkey")) {
      return new ChannelAuthorization(a.auth(), a.channelData(), randomBase64Key());
    }
    String auth = a.auth();
    char last = auth.charAt(auth.length() - 1);
    return new ChannelAuthorization(auth.substring(0, auth.length() - 1) + (last == '0' ? '1' : '0'), a.channelData(), a.sharedSecret());
  }

  private static Pusher client(PusherTestServer server, Recording auth) {
    return new Pusher(PusherOptions.builder(server.appKey())
        .host(server.host())
        .wsPort(server.port())
        .tls(false)
        .transportFactory(new JdkWebSocketTransportFactory())
        // Short ping timeouts: a drop the JDK test transport misses is still found by ping/pong.
        .activityTimeout(Duration.ofSeconds(2))
        .pongTimeout(Duration.ofSeconds(2))
        .channelAuthorizer(auth)
        .userAuthenticator(auth)
        .build());
  }

  private static <T> T await5(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aWholeSessionAtTrace_logsAndToStringsHoldNoSecret() throws Exception {
    String appSecret = "app-secret-" + HexFormat.of().formatHex(RANDOM.generateSeed(8));
    String masterKey = randomBase64Key();
    List<Object> handled = new ArrayList<>();
    List<PusherEvent> events = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Set<String> serverSawAuth = new LinkedHashSet<>();
    List<Entry> entries;
    Recording signing;
    Recording http;
    try (PusherTestServer server = PusherTestServer.builder().appSecret(appSecret).encryptionMasterKeyBase64(masterKey).start();
        Capture capture = CapturingLogProvider.capture()) {
      SigningAuthorizer signer = SigningAuthorizer.builder(server.appKey(), appSecret)
          .presenceUser("alice", "{\"name\":\"Alice\"}")
          .userData(() -> "{\"id\":\"alice\"}")
          .encryptionMasterKeyBase64(masterKey)
          .build();
      HttpChannelAuthorizer httpChannels = HttpChannelAuthorizer.builder(server.authEndpoint()).param("user_id", "bob").build();
      HttpUserAuthenticator httpUsers = HttpUserAuthenticator.builder(server.userAuthEndpoint()).param("user_id", "bob").build();
      signing = new Recording(signer, signer);
      http = new Recording(httpChannels, httpUsers);
      handled.addAll(List.of(signer, httpChannels, httpUsers));

      try (Pusher alice = client(server, signing); Pusher bob = client(server, http)) {
        handled.addAll(List.of(alice, bob, alice.options(), bob.options(), alice.user(), bob.user()));
        for (Pusher p : List.of(alice, bob)) {
          p.bindGlobal(events::add);
          p.user().bindGlobal(events::add);
          p.signin();
          p.connect();
        }
        List<String> names = List.of("news", "private-chat", "presence-room", "private-encrypted-vault");
        List<Channel> channels = new ArrayList<>();
        for (Pusher p : List.of(alice, bob)) {
          for (String name : names) {
            Channel c = p.subscribe(name);
            c.bindGlobal(events::add);
            channels.add(c);
          }
        }
        for (Channel c : channels) {
          await5(c.subscription());
        }
        await().until(() -> alice.user().id().isPresent() && bob.user().id().isPresent());

        // Refusals: the server's endpoint answers 403; a wrong signature is refused by the server.
        Channel forbidden = bob.subscribe("private-forbidden-area");
        Channel tampered = alice.subscribe("private-tampered");
        Channel wrongKey = alice.subscribe("private-encrypted-wrongkey");
        for (Channel c : List.of(forbidden, tampered, wrongKey)) {
          c.bindGlobal(events::add);
          channels.add(c);
        }
        for (Channel c : List.of(forbidden, tampered)) {
          try {
            await5(c.subscription());
            throw new AssertionError(c + " should have been refused");
          } catch (ExecutionException expected) {
            failures.add(expected.getCause());
          }
        }
        await5(wrongKey.subscription());

        // Client events both ways, server events on every channel, a user event.
        List<PusherEvent> chatAtBob = new CopyOnWriteArrayList<>();
        bob.channel("private-chat").orElseThrow().bind("client-msg", chatAtBob::add);
        ((PrivateChannel) alice.channel("private-chat").orElseThrow()).trigger("client-msg", "{\"text\":\"hi\"}");
        List<PusherEvent> waves = new CopyOnWriteArrayList<>();
        alice.channel("presence-room").orElseThrow().bind("client-wave", waves::add);
        ((PrivateChannel) bob.channel("presence-room").orElseThrow()).trigger("client-wave", "{}");
        await().until(() -> chatAtBob.size() == 1 && waves.size() == 1);
        List<PusherEvent> decryptionErrors = new CopyOnWriteArrayList<>();
        wrongKey.bind(EncryptedChannelImpl.DECRYPTION_ERROR, decryptionErrors::add);
        List<PusherEvent> secretsRead = new CopyOnWriteArrayList<>();
        for (Pusher p : List.of(alice, bob)) {
          p.channel("private-encrypted-vault").orElseThrow().bind("sealed", secretsRead::add);
        }
        for (String name : names) {
          server.trigger(name, "sealed", "{\"n\":1}");
        }
        server.trigger("private-encrypted-wrongkey", "sealed", "{\"n\":2}");
        server.sendToUser("alice", "direct", "{\"x\":1}");
        await().until(() -> secretsRead.size() == 2 && decryptionErrors.size() == 1
            && events.stream().anyMatch(e -> e.eventName().equals("direct")));
        assertThat(secretsRead).allSatisfy(e -> assertThat(e.data()).isEqualTo("{\"n\":1}"));

        // A dropped connection: everything is authorized and signed in again.
        String aliceFirst = alice.socketId().orElseThrow();
        String bobFirst = bob.socketId().orElseThrow();
        collectAuth(server, aliceFirst, serverSawAuth);
        collectAuth(server, bobFirst, serverSawAuth);
        server.faults().dropAllConnections();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          assertThat(reconnected(alice, aliceFirst)).as("alice back: " + alice + " " + alice.user()).isTrue();
          assertThat(reconnected(bob, bobFirst)).as("bob back: " + bob + " " + bob.user()).isTrue();
          assertThat(channels).filteredOn(c -> !c.name().contains("forbidden") && !c.name().contains("tampered"))
              .allMatch(Channel::isSubscribed);
        });
        collectAuth(server, alice.socketId().orElseThrow(), serverSawAuth);
        collectAuth(server, bob.socketId().orElseThrow(), serverSawAuth);

        handled.addAll(channels);
        handled.addAll(alice.allChannels());
        handled.add(((PresenceChannel) alice.channel("presence-room").orElseThrow()).members());
        ((PresenceChannel) alice.channel("presence-room").orElseThrow()).members().forEach(handled::add);
        alice.disconnect();
        bob.disconnect();
        await().until(() -> alice.state() == ConnectionState.DISCONNECTED && bob.state() == ConnectionState.DISCONNECTED);
      }
      // A canary proves that the search below would find a secret written at TRACE.
      LoggerFactory.getLogger("canary").trace("canary {}", appSecret);
      entries = capture.entries();
    }

    Set<String> secrets = new LinkedHashSet<>();
    secrets.add(appSecret);
    secrets.add(masterKey);
    secrets.add(HexFormat.of().formatHex(Base64.getDecoder().decode(masterKey)));
    for (Recording r : List.of(signing, http)) {
      handled.addAll(r.authorizations);
      handled.addAll(r.authentications);
      for (ChannelAuthorization a : r.authorizations) {
        addSignature(secrets, a.auth());
        if (a.sharedSecret() != null) {
          secrets.add(a.sharedSecret());
          secrets.add(HexFormat.of().formatHex(Base64.getDecoder().decode(a.sharedSecret())));
        }
      }
      for (UserAuthentication a : r.authentications) {
        addSignature(secrets, a.auth());
      }
    }
    // The recording is complete: every signature the server received came from a recorded answer.
    assertThat(serverSawAuth).isNotEmpty();
    for (String auth : serverSawAuth) {
      assertThat(secrets).contains(auth);
    }
    assertThat(signing.authorizations).extracting(ChannelAuthorization::sharedSecret).filteredOn(s -> s != null).isNotEmpty();
    assertThat(http.authorizations).extracting(ChannelAuthorization::sharedSecret).filteredOn(s -> s != null).isNotEmpty();
    assertThat(http.authentications).isNotEmpty();
    assertThat(signing.authentications).isNotEmpty();

    // The capture worked: below-INFO lines of the client and the expected warnings are there.
    assertThat(entries).as("a DEBUG line of the client").anyMatch(e -> e.logger().equals(ClientCore.class.getName())
        && e.level() == Level.DEBUG && e.text().startsWith("State connecting -> connected"));
    assertThat(entries).as("a TRACE line").anyMatch(e -> e.level() == Level.TRACE && !e.logger().equals("canary"));
    assertThat(entries).as("the refused authorization").anyMatch(e -> e.level() == Level.WARN
        && e.text().startsWith("Subscription to private-forbidden-area failed"));
    assertThat(entries).as("the decryption failure").anyMatch(e -> e.level() == Level.WARN
        && e.text().startsWith("Encrypted channel private-encrypted-wrongkey: dropping sealed"));
    assertThat(entries).as("the key refresh").anyMatch(e -> e.text().contains("fetching a fresh key"));
    assertThat(leaks(entries.stream().map(e -> e.level() + " " + e.logger() + " " + e.text()).toList(), secrets))
        .as("the canary").singleElement().asString().startsWith("TRACE canary");

    List<String> logLines = entries.stream().filter(e -> !e.logger().equals("canary"))
        .map(e -> e.level() + " " + e.logger() + " [" + e.thread() + "] " + e.text()).toList();
    assertThat(leaks(logLines, secrets)).as("log lines holding a secret").isEmpty();

    handled.addAll(events);
    handled.addAll(failures);
    List<String> rendered = new ArrayList<>();
    for (Object o : handled) {
      rendered.add(o.getClass().getName() + ": " + o);
    }
    for (Throwable t : failures) {
      rendered.add(String.valueOf(t.getMessage()));
    }
    assertThat(events).extracting(PusherEvent::eventName)
        .contains("pusher:subscription_succeeded", "pusher:subscription_error", "sealed", "direct", "pusher:signin_success",
            EncryptedChannelImpl.DECRYPTION_ERROR);
    assertThat(failures).hasSize(2);
    assertThat(leaks(rendered, secrets)).as("toString() holding a secret").isEmpty();
  }

  private static boolean reconnected(Pusher p, String before) {
    return p.state() == ConnectionState.CONNECTED && p.socketId().isPresent() && !p.socketId().get().equals(before)
        && p.user().id().isPresent();
  }

  private static final Pattern AUTH_FIELD = Pattern.compile("\\\\?\"auth\\\\?\":\\\\?\"([^\"\\\\]+)");

  private static void collectAuth(PusherTestServer server, String socketId, Set<String> out) {
    for (String frame : server.framesReceivedFrom(socketId)) {
      Matcher m = AUTH_FIELD.matcher(frame);
      while (m.find()) {
        out.add(m.group(1));
      }
    }
  }

  /** Both {@code key:signature} and the bare signature, which is the secret part. */
  private static void addSignature(Set<String> secrets, String auth) {
    secrets.add(auth);
    int colon = auth.indexOf(':');
    if (colon >= 0 && auth.length() - colon > 16) {
      secrets.add(auth.substring(colon + 1));
    }
  }

  private static List<String> leaks(List<String> lines, Set<String> secrets) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      for (String secret : secrets) {
        if (line.contains(secret)) {
          out.add(line + "  <-- holds " + secret);
        }
      }
    }
    return out;
  }
}
