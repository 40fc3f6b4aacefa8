package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.protocol.InvalidClientEventException;
import io.pusheriso.spi.ChannelAuthorization;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PresenceAndClientEventsTest {

  private static Harness presenceHarness() {
    return new Harness(b -> b.channelAuthorizer(req -> CompletableFuture.completedFuture(
        new ChannelAuthorization("app-key:sig", "{\"user_id\":\"u1\",\"user_info\":{\"name\":\"Ann\"}}", null))));
  }

  private static final String SNAPSHOT =
      "{\"presence\":{\"ids\":[\"u1\",\"u2\"],\"hash\":{\"u1\":{\"name\":\"Ann\"},\"u2\":{\"name\":\"Bob\"}},\"count\":2}}";

  @Test
  void presence_membersFromSnapshot_andMemberEvents() {
    try (Harness h = presenceHarness()) {
      FakeTransport t = h.connect("1.1");
      PresenceChannel ch = h.pusher.subscribePresence("presence-room");
      assertThat(t.sentEvents("pusher:subscribe")).singleElement().asString()
          .contains("\"channel_data\":\"{\\\"user_id\\\":\\\"u1\\\"");
      List<PusherEvent> got = new ArrayList<>();
      ch.bindGlobal(got::add);
      t.serverSend(Harness.event("pusher_internal:subscription_succeeded", "presence-room", SNAPSHOT));
      Members m = ch.members();
      assertThat(m.count()).isEqualTo(2);
      assertThat(m.me()).hasValueSatisfying(me -> assertThat(me.id()).isEqualTo("u1"));
      assertThat(m.get("u2")).hasValue(new Member("u2", "{\"name\":\"Bob\"}"));
      assertThat(m).extracting(Member::id).containsExactly("u1", "u2");

      t.serverSend(Harness.event("pusher_internal:member_added", "presence-room", "{\"user_id\":\"u3\",\"user_info\":{}}"));
      assertThat(ch.members().count()).isEqualTo(3);
      t.serverSend(Harness.event("pusher_internal:member_removed", "presence-room", "{\"user_id\":\"u2\"}"));
      t.serverSend(Harness.event("pusher_internal:member_removed", "presence-room", "{\"user_id\":\"nobody\"}"));
      assertThat(ch.members()).extracting(Member::id).containsExactly("u1", "u3");
      assertThat(got).extracting(PusherEvent::eventName)
          .containsExactly("pusher:subscription_succeeded", "pusher:member_added", "pusher:member_removed");
      assertThat(got.get(1).data()).contains("u3");
      assertThat(m.count()).as("snapshots are immutable").isEqualTo(2);

      t.serverClose(1006, "lost");
      h.time.advance(java.time.Duration.ofSeconds(1));
      assertThat(ch.members().count()).as("reset on disconnect").isZero();
    }
  }

  @Test
  void clientEvent_isSentOnceSubscribed_withUserIdOnReceipt() {
    try (Harness h = presenceHarness()) {
      FakeTransport t = h.connect("1.1");
      PresenceChannel ch = h.pusher.subscribePresence("presence-room");
      assertThatThrownBy(() -> ch.trigger("client-typing", "{}"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("has not succeeded");
      t.serverSend(Harness.event("pusher_internal:subscription_succeeded", "presence-room", SNAPSHOT));
      ch.trigger("client-typing", "{\"on\":true}");
      assertThat(t.sentEvents("client-typing"))
          .containsExactly("{\"event\":\"client-typing\",\"channel\":\"presence-room\",\"data\":{\"on\":true}}");
      List<PusherEvent> got = new ArrayList<>();
      ch.bind("client-typing", got::add);
      t.serverSend(Harness.event("client-typing", "presence-room", "{\"on\":false}", "u2"));
      assertThat(got).singleElement().satisfies(e -> assertThat(e.userId()).isEqualTo("u2"));
    }
  }

  @Test
  void clientEvent_rulesAreCheckedLocally() {
    try (Harness h = new Harness(b -> b.channelAuthorizer(req -> CompletableFuture.completedFuture(ChannelAuthorization.of("k:s"))))) {
      FakeTransport t = h.connect("1.1");
      PrivateChannel ch = h.pusher.subscribePrivate("private-room");
      t.serverSend(Harness.succeeded("private-room"));
      assertThatThrownBy(() -> ch.trigger("typing", "{}")).isInstanceOf(InvalidClientEventException.class);
      assertThatThrownBy(() -> ch.trigger("client-big", "\"" + "x".repeat(11 * 1024) + "\""))
          .isInstanceOf(InvalidClientEventException.class);
      assertThatThrownBy(() -> ch.trigger("client-x", "{bad json")).isInstanceOf(IllegalArgumentException.class);
      assertThat(t.sentEvents("client-x")).isEmpty();
    }
  }
}
