package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.spi.ChannelAuthorizationRequest;
import io.pusheriso.spi.ChannelAuthorizer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults of the HTTP auth endpoints seen from the whole client: each fails only the subscription
 * (or sign-in) it belongs to, with the status or cause, while other channels keep working and the
 * event lane keeps dispatching, a hanging request included.
 */
class AuthFaultsTest {

  private static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

  /** One way an auth endpoint can fail, and the status the failure must carry (-1: no answer). */
  enum Fault {
    CONNECTION_REFUSED(-1),
    FORBIDDEN_403(403),
    SERVER_ERROR_500(500),
    BODY_NOT_JSON(200),
    NO_AUTH_FIELD(200),
    ANSWER_NEVER_COMES_CLIENT_TIMEOUT(-1),
    ANSWER_NEVER_COMES_HTTP_TIMEOUT(-1);

    final int status;

    Fault(int status) {
      this.status = status;
    }

    /** Scripts {@code server} and returns the endpoint to use (a closed port for a refusal). */
    URI setUp(AuthTestServer server) throws IOException {
      switch (this) {
        case CONNECTION_REFUSED -> {
          AuthTestServer gone = AuthTestServer.start();
          URI uri = gone.uri();
          gone.close();
          return uri;
        }
        case FORBIDDEN_403 -> server.respond(403, "{\"error\":\"forbidden\"}");
        case SERVER_ERROR_500 -> server.respond(500, "oops");
        case BODY_NOT_JSON -> server.respond(200, "<html>not json</html>");
        case NO_AUTH_FIELD -> server.respond(200, "{\"channel_data\":\"{}\",\"user_data\":\"{\\\"id\\\":\\\"u\\\"}\"}");
        case ANSWER_NEVER_COMES_CLIENT_TIMEOUT, ANSWER_NEVER_COMES_HTTP_TIMEOUT -> server.neverAnswer();
        default -> throw new AssertionError(this);
      }
      return server.uri();
    }

    /** The HTTP client's own timeout: short only where that timeout is the fault under test. */
    Duration httpTimeout() {
      return this == ANSWER_NEVER_COMES_HTTP_TIMEOUT ? Duration.ofMillis(300) : Duration.ofSeconds(20);
    }

    boolean hangs() {
      return this == ANSWER_NEVER_COMES_CLIENT_TIMEOUT || this == ANSWER_NEVER_COMES_HTTP_TIMEOUT;
    }
  }

  private static final Duration CLIENT_AUTH_TIMEOUT = Duration.ofSeconds(5);

  @ParameterizedTest
  @EnumSource(Fault.class)
  void channelAuthorizationFault_failsOnlyThatChannel(Fault fault) throws Exception {
    try (AuthTestServer server = AuthTestServer.start()) {
      URI endpoint = fault.setUp(server);
      HttpChannelAuthorizer http = HttpChannelAuthorizer.builder(endpoint).timeout(fault.httpTimeout()).build();
      LocalSigner signer = new LocalSigner("app-key", "app-secret", MASTER_KEY, "u1");
      ChannelAuthorizer routing = req -> req.channelName().equals("private-bad") ? http.authorize(req) : signer.authorize(req);
      try (Harness h = new Harness(b -> b.channelAuthorizer(routing).authorizationTimeout(CLIENT_AUTH_TIMEOUT))) {
        FakeTransport t = h.connect("1.1");
        Channel news = h.pusher.subscribe("news");
        Channel bad = h.pusher.subscribe("private-bad");
        Channel good = h.pusher.subscribe("private-good");
        List<PusherEvent> errors = new CopyOnWriteArrayList<>();
        bad.bind("pusher:subscription_error", errors::add);
        List<PusherEvent> ticks = new CopyOnWriteArrayList<>();
        news.bind("tick", ticks::add);
        await().until(() -> t.sentEvents("pusher:subscribe").size() == 2);
        t.serverSend(Harness.succeeded("news"));
        t.serverSend(Harness.succeeded("private-good"));
        if (fault != Fault.CONNECTION_REFUSED) {
          server.takeRequest();
        }
        // The bad channel's request is out (and may hang): the lane still dispatches.
        t.serverSend(Harness.event("tick", "news", "{\"n\":1}"));
        await().until(() -> ticks.size() == 1);
        if (fault == Fault.ANSWER_NEVER_COMES_CLIENT_TIMEOUT) {
          assertThat(bad.subscription().toCompletableFuture()).isNotDone();
          h.time.advance(CLIENT_AUTH_TIMEOUT);
        }

        assertThat(bad.subscription().toCompletableFuture())
            .failsWithin(Duration.ofSeconds(5))
            .withThrowableOfType(ExecutionException.class)
            .havingCause()
            .isInstanceOfSatisfying(PusherAuthorizationException.class, e -> {
              assertThat(e.status()).isEqualTo(fault.status);
              if (fault == Fault.CONNECTION_REFUSED) {
                assertThat(e).hasCauseInstanceOf(ConnectException.class);
              }
              if (fault.hangs()) {
                assertThat(e.getMessage()).containsAnyOf("within", "did not answer");
              }
            });
        await().until(() -> errors.size() == 1);
        assertThat(errors.get(0).data()).contains("\"type\":\"AuthError\"");
        if (fault.status > 0) {
          assertThat(errors.get(0).data()).contains("\"status\":" + fault.status);
        }
        assertThat(t.sentEvents("pusher:subscribe")).noneMatch(f -> f.contains("private-bad"));
        assertThat(news.isSubscribed()).isTrue();
        assertThat(good.isSubscribed()).isTrue();
        assertThat(bad.isSubscribed()).isFalse();
        assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
        t.serverSend(Harness.event("tick", "news", "{\"n\":2}"));
        await().until(() -> ticks.size() == 2);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void userAuthenticationFault_isASigninError_andTheConnectionKeepsWorking(Fault fault) throws Exception {
    try (AuthTestServer server = AuthTestServer.start()) {
      URI endpoint = fault.setUp(server);
      HttpUserAuthenticator http = HttpUserAuthenticator.builder(endpoint).timeout(fault.httpTimeout()).build();
      try (Harness h = new Harness(b -> b.userAuthenticator(http).authorizationTimeout(CLIENT_AUTH_TIMEOUT))) {
        List<PusherEvent> signinErrors = new CopyOnWriteArrayList<>();
        h.pusher.user().bind("pusher:signin_error", signinErrors::add);
        Channel news = h.pusher.subscribe("news");
        List<PusherEvent> ticks = new CopyOnWriteArrayList<>();
        news.bind("tick", ticks::add);
        h.pusher.signin();
        FakeTransport t = h.connect("1.1");
        t.serverSend(Harness.succeeded("news"));
        if (fault != Fault.CONNECTION_REFUSED) {
          server.takeRequest();
        }
        t.serverSend(Harness.event("tick", "news", "{\"n\":1}"));
        await().until(() -> ticks.size() == 1);
        if (fault == Fault.ANSWER_NEVER_COMES_CLIENT_TIMEOUT) {
          assertThat(signinErrors).isEmpty();
          h.time.advance(CLIENT_AUTH_TIMEOUT);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> signinErrors.size() == 1);
        assertThat(signinErrors.get(0).data()).contains("\"type\":\"AuthError\"");
        if (fault.status > 0) {
          assertThat(signinErrors.get(0).data()).contains("\"status\":" + fault.status);
        }
        assertThat(t.sentEvents("pusher:signin")).isEmpty();
        assertThat(h.pusher.user().id()).isEmpty();
        assertThat(news.isSubscribed()).isTrue();
        assertThat(h.pusher.state()).isEqualTo(ConnectionState.CONNECTED);
        t.serverSend(Harness.event("tick", "news", "{\"n\":2}"));
        await().until(() -> ticks.size() == 2);
      }
    }
  }

  @Test
  void answerForAnOldSocket_arrivingAfterAReconnect_isDropped_andTheNewSocketIsAuthorized() {
    List<ChannelAuthorizationRequest> asked = new CopyOnWriteArrayList<>();
    List<CompletableFuture<ChannelAuthorization>> answers = new CopyOnWriteArrayList<>();
    ChannelAuthorizer slow = req -> {
      asked.add(req);
      CompletableFuture<ChannelAuthorization> f = new CompletableFuture<>();
      answers.add(f);
      return f;
    };
    try (Harness h = new Harness(b -> b.channelAuthorizer(slow))) {
      FakeTransport first = h.connect("1.1");
      Channel ch = h.pusher.subscribe("private-x");
      assertThat(asked).extracting(r -> r.socketId()).containsExactly("1.1");
      first.serverClose(1006, "dropped");
      h.time.advance(Duration.ofSeconds(1));
      FakeTransport second = h.ws.last();
      second.serverHandshake("2.2");
      assertThat(asked).extracting(r -> r.socketId()).containsExactly("1.1", "2.2");
      answers.get(0).complete(ChannelAuthorization.of("app-key:old"));
      assertThat(second.sentEvents("pusher:subscribe")).as("the old socket's answer is not used").isEmpty();
      answers.get(1).complete(ChannelAuthorization.of("app-key:new"));
      assertThat(second.sentEvents("pusher:subscribe")).singleElement().asString().contains("app-key:new");
      second.serverSend(Harness.succeeded("private-x"));
      assertThat(ch.isSubscribed()).isTrue();
    }
  }
}
