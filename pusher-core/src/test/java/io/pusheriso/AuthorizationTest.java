package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.spi.ChannelAuthorizationRequest;
import io.pusheriso.spi.ChannelAuthorizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class AuthorizationTest {

  /** An authorizer whose answers the test gives by hand. */
  static final class ManualAuthorizer implements ChannelAuthorizer {
    final List<ChannelAuthorizationRequest> requests = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<ChannelAuthorization>> answers = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<ChannelAuthorization> authorize(ChannelAuthorizationRequest request) {
      requests.add(request);
      CompletableFuture<ChannelAuthorization> f = new CompletableFuture<>();
      answers.add(f);
      return f;
    }
  }

  private static void assertFailedWithStatus(Channel ch, int status) {
    assertThat(ch.subscription().toCompletableFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(PusherAuthorizationException.class, e -> assertThat(e.status()).isEqualTo(status));
  }

  @Test
  void privateChannel_isAuthorizedForTheSocket_andAuthIsSent() {
    ManualAuthorizer auth = new ManualAuthorizer();
    try (Harness h = new Harness(b -> b.channelAuthorizer(auth))) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("private-room");
      assertThat(auth.requests).containsExactly(new ChannelAuthorizationRequest("1.1", "private-room"));
      assertThat(t.sentEvents("pusher:subscribe")).isEmpty();
      auth.answers.get(0).complete(ChannelAuthorization.of("app-key:abc"));
      assertThat(t.sentEvents("pusher:subscribe"))
          .containsExactly("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-room\",\"auth\":\"app-key:abc\"}}");
      t.serverSend(Harness.succeeded("private-room"));
      assertThat(ch.subscription().toCompletableFuture()).isCompletedWithValue(ch);
      assertThat(ch).isInstanceOf(PrivateChannel.class);
    }
  }

  @Test
  void refusedAuthorization_emitsSubscriptionErrorWithStatus_andFailsStage() {
    for (int status : new int[] {403, 500, 200}) {
      ManualAuthorizer auth = new ManualAuthorizer();
      try (Harness h = new Harness(b -> b.channelAuthorizer(auth))) {
        FakeTransport t = h.connect("1.1");
        Channel ch = h.pusher.subscribe("private-room");
        List<PusherEvent> errors = new ArrayList<>();
        ch.bind("pusher:subscription_error", errors::add);
        String message = status == 200 ? "bad JSON in the answer" : "HTTP " + status;
        auth.answers.get(0).completeExceptionally(new PusherAuthorizationException(status, message));
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.data())
            .isEqualTo("{\"type\":\"AuthError\",\"error\":\"" + message + "\",\"status\":" + status + "}"));
        assertFailedWithStatus(ch, status);
        assertThat(t.sentEvents("pusher:subscribe")).isEmpty();
        assertThat(ch.isSubscribed()).isFalse();
      }
    }
  }

  @Test
  void authorizerThatThrowsOrFailsWithoutStatus_failsWithoutStatus() {
    try (Harness h = new Harness(b -> b.channelAuthorizer(req -> {
      throw new IllegalStateException("authorizer bug");
    }))) {
      h.connect("1.1");
      Channel ch = h.pusher.subscribe("private-a");
      assertFailedWithStatus(ch, -1);
    }
    try (Harness h = new Harness(b -> b.channelAuthorizer(req -> CompletableFuture.failedFuture(new java.io.IOException("refused"))))) {
      h.connect("1.1");
      List<PusherEvent> errors = new ArrayList<>();
      Channel ch = h.pusher.subscribe("private-a");
      ch.bind("pusher:subscription_error", errors::add);
      assertFailedWithStatus(ch, -1);
    }
  }

  @Test
  void missingAuthorizer_failsTheSubscriptionWithAFixItMessage() {
    try (Harness h = new Harness()) {
      h.connect("1.1");
      Channel ch = h.pusher.subscribe("private-a");
      assertThat(ch.subscription().toCompletableFuture())
          .failsWithin(Duration.ZERO)
          .withThrowableOfType(ExecutionException.class)
          .withMessageContaining("channelAuthorizer");
    }
  }

  @Test
  void authorizationTimeout_failsTheSubscription_andALateAnswerIsIgnored() {
    ManualAuthorizer auth = new ManualAuthorizer();
    try (Harness h = new Harness(b -> b.channelAuthorizer(auth).authorizationTimeout(Duration.ofSeconds(5)))) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("private-a");
      h.time.advance(Duration.ofMillis(4999));
      assertThat(ch.subscription().toCompletableFuture()).isNotDone();
      h.time.advance(Duration.ofMillis(1));
      assertThat(ch.subscription().toCompletableFuture())
          .failsWithin(Duration.ZERO)
          .withThrowableOfType(ExecutionException.class)
          .withMessageContaining("did not complete within");
      auth.answers.get(0).complete(ChannelAuthorization.of("app-key:late"));
      assertThat(t.sentEvents("pusher:subscribe")).isEmpty();
    }
  }

  @Test
  void slowAuthorizer_neverBlocksOtherChannels() {
    ManualAuthorizer auth = new ManualAuthorizer();
    try (Harness h = new Harness(b -> b.channelAuthorizer(auth))) {
      FakeTransport t = h.connect("1.1");
      Channel slow = h.pusher.subscribe("private-slow");
      Channel pub = h.pusher.subscribe("news");
      t.serverSend(Harness.succeeded("news"));
      List<PusherEvent> got = new ArrayList<>();
      pub.bind("x", got::add);
      t.serverSend(Harness.event("x", "news", "{}"));
      assertThat(got).hasSize(1);
      assertThat(slow.subscription().toCompletableFuture()).isNotDone();
      auth.answers.get(0).complete(ChannelAuthorization.of("app-key:s"));
      t.serverSend(Harness.succeeded("private-slow"));
      assertThat(slow.isSubscribed()).isTrue();
    }
  }

  @Test
  void authorizationForAnOldSocket_isDropped_andTheNewSocketIsAuthorized() {
    ManualAuthorizer auth = new ManualAuthorizer();
    try (Harness h = new Harness(b -> b.channelAuthorizer(auth))) {
      FakeTransport t = h.connect("1.1");
      h.pusher.subscribe("private-a");
      t.serverClose(1006, "lost");
      h.time.advance(Duration.ofSeconds(1));
      FakeTransport t2 = h.ws.last();
      t2.serverHandshake("2.2");
      assertThat(auth.requests).extracting(ChannelAuthorizationRequest::socketId).containsExactly("1.1", "2.2");
      auth.answers.get(0).complete(ChannelAuthorization.of("app-key:old"));
      assertThat(t2.sentEvents("pusher:subscribe")).isEmpty();
      auth.answers.get(1).complete(ChannelAuthorization.of("app-key:new"));
      assertThat(t2.sentEvents("pusher:subscribe")).singleElement().asString().contains("app-key:new");
    }
  }
}
