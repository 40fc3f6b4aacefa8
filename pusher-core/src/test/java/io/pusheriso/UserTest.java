package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.spi.UserAuthentication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class UserTest {

  private static final String USER_DATA = "{\"id\":\"u1\",\"watchlist\":[\"u2\"]}";

  @Test
  void signin_sendsSignin_thenUserEventsAndWatchlist_andRepeatsOnReconnect() {
    List<String> sockets = new CopyOnWriteArrayList<>();
    try (Harness h = new Harness(b -> b.userAuthenticator(sid -> {
      sockets.add(sid);
      return CompletableFuture.completedFuture(new UserAuthentication("app-key:u-" + sid, USER_DATA));
    }))) {
      h.pusher.signin();
      FakeTransport t = h.connect("1.1");
      assertThat(t.sentEvents("pusher:signin")).singleElement().asString()
          .contains("\"auth\":\"app-key:u-1.1\"").contains("\"user_data\":\"{\\\"id\\\":\\\"u1\\\"");
      List<PusherEvent> userEvents = new ArrayList<>();
      h.pusher.user().bindGlobal(userEvents::add);
      List<String> online = new ArrayList<>();
      h.pusher.user().addWatchlistListener(new WatchlistListener() {
        @Override
        public void onOnline(List<String> ids) {
          online.addAll(ids);
        }
      });
      t.serverSend("{\"event\":\"pusher:signin_success\",\"data\":{\"user_data\":" + Json.quote(USER_DATA) + "}}");
      assertThat(h.pusher.user().id()).contains("u1");
      assertThat(t.sentEvents("pusher:subscribe")).singleElement().asString().contains("#server-to-user-u1");
      t.serverSend(Harness.event("pusher_internal:subscription_succeeded", "#server-to-user-u1", "{}"));
      t.serverSend(Harness.event("direct", "#server-to-user-u1", "{\"x\":1}"));
      t.serverSend("{\"event\":\"pusher_internal:watchlist_events\",\"data\":{\"events\":[{\"name\":\"online\",\"user_ids\":[\"u2\"]}]}}");
      assertThat(userEvents).extracting(PusherEvent::eventName).containsExactly("pusher:signin_success", "direct");
      assertThat(online).containsExactly("u2");

      t.serverClose(1006, "lost");
      h.time.advance(Duration.ofSeconds(1));
      assertThat(h.pusher.user().id()).isEmpty();
      FakeTransport t2 = h.ws.last();
      t2.serverHandshake("2.2");
      assertThat(sockets).containsExactly("1.1", "2.2");
      assertThat(t2.sentEvents("pusher:signin")).hasSize(1);
    }
  }

  @Test
  void presenceWithoutChannelData_waitsForSignin_andUsesTheSignedInId() {
    try (Harness h = new Harness(b -> b
        .userAuthenticator(sid -> CompletableFuture.completedFuture(new UserAuthentication("app-key:u", USER_DATA)))
        .channelAuthorizer(req -> CompletableFuture.completedFuture(io.pusheriso.spi.ChannelAuthorization.of("app-key:p"))))) {
      h.pusher.signin();
      PresenceChannel ch = h.pusher.subscribePresence("presence-room");
      FakeTransport t = h.connect("1.1");
      assertThat(t.sentEvents("pusher:signin")).hasSize(1);
      assertThat(t.sentEvents("pusher:subscribe")).as("waits for the sign-in").isEmpty();
      t.serverSend("{\"event\":\"pusher:signin_success\",\"data\":{\"user_data\":" + Json.quote(USER_DATA) + "}}");
      assertThat(t.sentEvents("pusher:subscribe")).anySatisfy(s -> assertThat(s).contains("presence-room").contains("app-key:p"));
      t.serverSend(Harness.event("pusher_internal:subscription_succeeded", "presence-room",
          "{\"presence\":{\"ids\":[\"u1\"],\"hash\":{\"u1\":null},\"count\":1}}"));
      assertThat(ch.members().me()).hasValueSatisfying(m -> assertThat(m.id()).isEqualTo("u1"));
    }
  }

  @Test
  void presenceWithoutChannelDataOrSignin_failsWithAClearError() {
    try (Harness h = new Harness(b -> b
        .channelAuthorizer(req -> CompletableFuture.completedFuture(io.pusheriso.spi.ChannelAuthorization.of("app-key:p"))))) {
      h.connect("1.1");
      PresenceChannel ch = h.pusher.subscribePresence("presence-room");
      assertThat(ch.subscription().toCompletableFuture())
          .failsWithin(Duration.ZERO)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withMessageContaining("channel_data");
    }
  }

  @Test
  void signinFailure_emitsSigninErrorWithStatus() {
    try (Harness h = new Harness(b -> b.userAuthenticator(sid ->
        CompletableFuture.failedFuture(new PusherAuthorizationException(403, "forbidden"))))) {
      List<PusherEvent> got = new ArrayList<>();
      h.pusher.user().bind("pusher:signin_error", got::add);
      h.connect("1.1");
      h.pusher.signin();
      assertThat(got).singleElement().satisfies(e ->
          assertThat(e.data()).isEqualTo("{\"type\":\"AuthError\",\"error\":\"forbidden\",\"status\":403}"));
      assertThat(h.ws.last().sentEvents("pusher:signin")).isEmpty();
    }
  }

  @Test
  void signinWithoutAuthenticator_throws() {
    try (Harness h = new Harness()) {
      assertThatThrownBy(h.pusher::signin).isInstanceOf(IllegalStateException.class).hasMessageContaining("userAuthenticator");
    }
  }
}
