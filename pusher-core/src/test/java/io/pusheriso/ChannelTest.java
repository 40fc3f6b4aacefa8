package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.protocol.InvalidChannelNameException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChannelTest {

  private static List<String> names(List<PusherEvent> events) {
    return events.stream().map(PusherEvent::eventName).toList();
  }

  @Test
  void subscribeBeforeConnect_isSentOnConnect_andStageCompletes() {
    try (Harness h = new Harness()) {
      Channel ch = h.pusher.subscribe("news");
      CompletableFuture<Channel> stage = ch.subscription().toCompletableFuture();
      FakeTransport t = h.connect("1.1");
      assertThat(t.sentEvents("pusher:subscribe")).containsExactly("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\"}}");
      assertThat(stage).isNotDone();
      List<PusherEvent> got = new ArrayList<>();
      ch.bind("pusher:subscription_succeeded", got::add);
      t.serverSend(Harness.succeeded("news"));
      assertThat(stage).isCompletedWithValue(ch);
      assertThat(ch.isSubscribed()).isTrue();
      assertThat(names(got)).containsExactly("pusher:subscription_succeeded");
    }
  }

  @Test
  void subscribeTwice_returnsSameChannel_andSendsOnce() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      Channel a = h.pusher.subscribe("news");
      Channel b = h.pusher.subscribe("news");
      assertThat(b).isSameAs(a);
      assertThat(t.sentEvents("pusher:subscribe")).hasSize(1);
      assertThat(h.pusher.allChannels()).containsExactly(a);
    }
  }

  @Test
  void invalidNames_areRefusedAtOnce() {
    try (Harness h = new Harness()) {
      assertThatThrownBy(() -> h.pusher.subscribe("#server-to-user-1")).isInstanceOf(InvalidChannelNameException.class);
      assertThatThrownBy(() -> h.pusher.subscribe("a b")).isInstanceOf(InvalidChannelNameException.class);
      assertThatThrownBy(() -> h.pusher.subscribePrivate("news")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> h.pusher.subscribePresence("private-x")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void events_reachChannelAndClientWideListeners_withDecodedData() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("news");
      t.serverSend(Harness.succeeded("news"));
      List<PusherEvent> onChannel = new ArrayList<>();
      List<PusherEvent> onPusher = new ArrayList<>();
      List<PusherEvent> onPusherGlobal = new ArrayList<>();
      ch.bind("update", onChannel::add);
      h.pusher.bind("update", onPusher::add);
      h.pusher.bindGlobal(onPusherGlobal::add);
      t.serverSend(Harness.event("update", "news", "{\"n\":1}"));
      assertThat(onChannel).singleElement().satisfies(e -> {
        assertThat(e.eventName()).isEqualTo("update");
        assertThat(e.channelName()).isEqualTo("news");
        assertThat(e.data()).isEqualTo("{\"n\":1}");
        assertThat(e.rawData()).isEqualTo("\"{\\\"n\\\":1}\"");
        assertThat(e.isDataString()).isTrue();
        assertThat(e.userId()).isNull();
      });
      assertThat(onPusher).hasSize(1);
      assertThat(names(onPusherGlobal)).containsExactly("update");
    }
  }

  @Test
  void bindAndUnbind_everyCombination() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("news");
      t.serverSend(Harness.succeeded("news"));
      List<String> calls = new ArrayList<>();
      PusherEventListener a = ch.bind("x", e -> calls.add("a:" + e.eventName()));
      PusherEventListener b = ch.bind("x", e -> calls.add("b:" + e.eventName()));
      ch.bind("y", a);
      PusherEventListener g = ch.bindGlobal(e -> calls.add("g:" + e.eventName()));
      Runnable sendXY = () -> {
        t.serverSend(Harness.event("x", "news", "{}"));
        t.serverSend(Harness.event("y", "news", "{}"));
      };

      sendXY.run();
      assertThat(calls).containsExactly("g:x", "a:x", "b:x", "g:y", "a:y");

      calls.clear();
      ch.unbind("x", b);
      sendXY.run();
      assertThat(calls).containsExactly("g:x", "a:x", "g:y", "a:y");

      calls.clear();
      ch.unbind(a);
      sendXY.run();
      assertThat(calls).containsExactly("g:x", "g:y");

      calls.clear();
      ch.bind("x", b);
      ch.unbindGlobal(g);
      sendXY.run();
      assertThat(calls).containsExactly("b:x");

      calls.clear();
      ch.unbind("x");
      sendXY.run();
      assertThat(calls).isEmpty();

      ch.bind("x", a);
      ch.bindGlobal(g);
      ch.bindGlobal(e -> calls.add("g2"));
      ch.unbindGlobal();
      calls.clear();
      sendXY.run();
      assertThat(calls).containsExactly("a:x");

      ch.bindGlobal(g);
      ch.unbindAll();
      calls.clear();
      sendXY.run();
      assertThat(calls).isEmpty();
    }
  }

  @Test
  void clientWideUnbindCombinations() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      h.pusher.subscribe("news");
      t.serverSend(Harness.succeeded("news"));
      List<String> calls = new ArrayList<>();
      PusherEventListener a = h.pusher.bind("x", e -> calls.add("a"));
      h.pusher.bind("y", a);
      PusherEventListener g = h.pusher.bindGlobal(e -> calls.add("g"));
      t.serverSend(Harness.event("x", "news", "{}"));
      assertThat(calls).containsExactly("g", "a");
      calls.clear();
      h.pusher.unbind(a);
      h.pusher.unbindGlobal(g);
      t.serverSend(Harness.event("y", "news", "{}"));
      assertThat(calls).isEmpty();
      h.pusher.bind("x", a);
      h.pusher.unbind("x", a);
      h.pusher.bind("x", a);
      h.pusher.unbind("x");
      h.pusher.bindGlobal(g);
      h.pusher.unbindGlobal();
      h.pusher.bind("x", a);
      h.pusher.unbindAll();
      t.serverSend(Harness.event("x", "news", "{}"));
      assertThat(calls).isEmpty();
    }
  }

  @Test
  void throwingListener_isIsolated() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("news");
      t.serverSend(Harness.succeeded("news"));
      List<String> calls = new ArrayList<>();
      ch.bind("x", e -> {
        throw new IllegalStateException("listener bug");
      });
      ch.bind("x", e -> calls.add("second"));
      t.serverSend(Harness.event("x", "news", "{}"));
      t.serverSend(Harness.event("x", "news", "{}"));
      assertThat(calls).containsExactly("second", "second");
    }
  }

  @Test
  void unsubscribe_sendsUnsubscribe_andEventsStop() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("news");
      t.serverSend(Harness.succeeded("news"));
      List<PusherEvent> got = new ArrayList<>();
      ch.bind("x", got::add);
      h.pusher.unsubscribe("news");
      assertThat(t.sentEvents("pusher:unsubscribe")).containsExactly("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"news\"}}");
      assertThat(h.pusher.channel("news")).isEmpty();
      assertThat(ch.isSubscribed()).isFalse();
      t.serverSend(Harness.event("x", "news", "{}"));
      assertThat(got).isEmpty();
    }
  }

  @Test
  void unsubscribeWhilePending_unsubscribesWhenSuccessArrives_andResubscribeReinstates() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("news");
      List<PusherEvent> got = new ArrayList<>();
      ch.bind("pusher:subscription_succeeded", got::add);
      h.pusher.unsubscribe("news");
      assertThat(h.pusher.channel("news")).as("kept while pending").isPresent();
      t.serverSend(Harness.succeeded("news"));
      assertThat(got).isEmpty();
      assertThat(t.sentEvents("pusher:unsubscribe")).hasSize(1);
      assertThat(h.pusher.channel("news")).isEmpty();
      assertThat(ch.subscription().toCompletableFuture()).isCompletedExceptionally();

      Channel again = h.pusher.subscribe("other");
      h.pusher.unsubscribe("other");
      assertThat(h.pusher.subscribe("other")).isSameAs(again);
      t.serverSend(Harness.succeeded("other"));
      assertThat(again.isSubscribed()).isTrue();
      assertThat(t.sentEvents("pusher:unsubscribe")).hasSize(1);
    }
  }

  @Test
  void unsubscribeWhileDisconnected_forgetsTheChannelWithoutSending() {
    try (Harness h = new Harness()) {
      Channel ch = h.pusher.subscribe("news");
      h.pusher.unsubscribe("news");
      assertThat(h.pusher.channel("news")).isEmpty();
      assertThat(ch.subscription().toCompletableFuture()).isCompletedExceptionally();
      FakeTransport t = h.connect("1.1");
      assertThat(t.sent).isEmpty();
    }
  }

  @Test
  void failedSubscription_canBeRetried_withANewStage() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("news");
      CompletableFuture<Channel> first = ch.subscription().toCompletableFuture();
      t.serverSend("{\"event\":\"pusher:subscription_error\",\"channel\":\"news\",\"data\":{\"type\":\"LimitReached\",\"error\":\"too many\"}}");
      assertThat(first).isCompletedExceptionally();
      assertThat(h.pusher.subscribe("news")).isSameAs(ch);
      CompletableFuture<Channel> second = ch.subscription().toCompletableFuture();
      assertThat(second).isNotDone();
      assertThat(t.sentEvents("pusher:subscribe")).hasSize(2);
      t.serverSend(Harness.succeeded("news"));
      assertThat(second).isCompletedWithValue(ch);
    }
  }

  @Test
  void encryptedChannelWithoutSharedSecret_failsItsSubscription() {
    try (Harness h = new Harness(b -> b.channelAuthorizer(req -> CompletableFuture.completedFuture(
        io.pusheriso.spi.ChannelAuthorization.of("app-key:x"))))) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("private-encrypted-x");
      assertThat(ch.subscription().toCompletableFuture())
          .failsWithin(java.time.Duration.ZERO)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withMessageContaining("shared_secret");
      assertThat(t.sentEvents("pusher:subscribe")).isEmpty();
    }
  }

  @Test
  void subscriptionCount_isKeptAndEmitted() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("news");
      t.serverSend(Harness.succeeded("news"));
      List<PusherEvent> got = new ArrayList<>();
      ch.bind("pusher:subscription_count", got::add);
      assertThat(ch.subscriptionCount()).isEmpty();
      t.serverSend(Harness.event("pusher_internal:subscription_count", "news", "{\"subscription_count\":5}"));
      assertThat(ch.subscriptionCount()).hasValue(5);
      assertThat(got).singleElement().satisfies(e -> assertThat(e.data()).contains("5"));
    }
  }

  @Test
  void cacheMiss_isDeliveredAsAnEvent() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("cache-news");
      t.serverSend(Harness.succeeded("cache-news"));
      List<PusherEvent> got = new ArrayList<>();
      ch.bind("pusher:cache_miss", got::add);
      t.serverSend("{\"event\":\"pusher:cache_miss\",\"channel\":\"cache-news\"}");
      assertThat(got).singleElement().satisfies(e -> assertThat(e.hasData()).isFalse());
    }
  }

  @Test
  void serverSubscriptionError_failsStageAndIsEmitted() {
    try (Harness h = new Harness()) {
      FakeTransport t = h.connect("1.1");
      Channel ch = h.pusher.subscribe("news");
      List<PusherEvent> got = new ArrayList<>();
      ch.bind("pusher:subscription_error", got::add);
      t.serverSend("{\"event\":\"pusher:subscription_error\",\"channel\":\"news\",\"data\":{\"type\":\"AuthError\",\"error\":\"nope\",\"status\":401}}");
      assertThat(got).hasSize(1);
      assertThat(ch.subscription().toCompletableFuture())
          .failsWithin(java.time.Duration.ZERO)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause()
          .isInstanceOfSatisfying(PusherAuthorizationException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
  }

  @Test
  void reconnect_resubscribesEveryChannel_andBindingsSurvive() {
    try (Harness h = new Harness(b -> b.channelAuthorizer(req -> CompletableFuture.completedFuture(
        io.pusheriso.spi.ChannelAuthorization.of("app-key:sig-for-" + req.socketId()))))) {
      FakeTransport t = h.connect("1.1");
      Channel pub = h.pusher.subscribe("news");
      Channel priv = h.pusher.subscribe("private-room");
      t.serverSend(Harness.succeeded("news"));
      t.serverSend(Harness.succeeded("private-room"));
      assertThat(t.sentEvents("pusher:subscribe").get(1)).contains("sig-for-1.1");
      List<PusherEvent> got = new ArrayList<>();
      pub.bind("x", got::add);
      CompletableFuture<Channel> first = pub.subscription().toCompletableFuture();

      t.serverClose(1006, "network lost");
      h.time.advance(java.time.Duration.ofSeconds(1));
      assertThat(pub.isSubscribed()).isFalse();
      FakeTransport t2 = h.ws.last();
      assertThat(t2).isNotSameAs(t);
      t2.serverHandshake("2.2");
      assertThat(t2.sentEvents("pusher:subscribe")).hasSize(2);
      assertThat(t2.sentEvents("pusher:subscribe")).anySatisfy(s -> assertThat(s).contains("private-room").contains("sig-for-2.2"));
      t2.serverSend(Harness.succeeded("news"));
      t2.serverSend(Harness.succeeded("private-room"));
      assertThat(first).isCompletedWithValue(pub);
      assertThat(pub.subscription().toCompletableFuture()).isCompletedWithValue(pub);
      assertThat(priv.isSubscribed()).isTrue();
      t2.serverSend(Harness.event("x", "news", "{}"));
      assertThat(got).hasSize(1);
    }
  }
}
