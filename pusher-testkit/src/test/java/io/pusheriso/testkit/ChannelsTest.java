package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pusheriso.testkit.internal.SecretBox;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChannelsTest {
    @RegisterExtension
    static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

    private static PusherTestServer server() {
        return SERVER.server();
    }

    @Test
    void publicSubscribeSucceedsAndReceivesTriggeredEvents() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            client.subscribe("my-channel", null, null);
            JsonNode ok = client.awaitEvent("pusher_internal:subscription_succeeded", "my-channel");
            assertThat(ok.get("data").asText()).isEqualTo("{}");
            assertThat(server().subscribedChannels(client.socketId())).containsExactly("my-channel");
            assertThat(server().subscriberCount("my-channel")).isEqualTo(1);

            server().trigger("my-channel", "my-event", "{\"hello\":\"world\"}");
            JsonNode event = client.awaitEvent("my-event", "my-channel");
            assertThat(event.get("data").isTextual()).isTrue();
            assertThat(event.get("data").asText()).isEqualTo("{\"hello\":\"world\"}");
        }
    }

    @Test
    void largeTriggersAreDeliveredIntact() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            client.subscribe("large", null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "large");
            String blob = "{\"blob\":\"" + "z".repeat(200_000) + "\"}";
            server().trigger("large", "big", blob);
            assertThat(client.awaitEvent("big", "large").get("data").asText()).isEqualTo(blob);
        }
    }

    @Test
    void triggerExcludingASocketSkipsIt() {
        try (WsClient a = WsClient.connected(server().wsUri()); WsClient b = WsClient.connected(server().wsUri())) {
            a.subscribe("excl", null, null);
            b.subscribe("excl", null, null);
            a.awaitEvent("pusher_internal:subscription_succeeded", "excl");
            b.awaitEvent("pusher_internal:subscription_succeeded", "excl");
            server().trigger("excl", "e", "1", a.socketId());
            b.awaitEvent("e", "excl");
            a.sync();
            assertThat(a.events("e")).isEmpty();
        }
    }

    @Test
    void unsubscribeStopsDelivery() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            client.subscribe("unsub", null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "unsub");
            client.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"unsub\"}}");
            client.sync();
            assertThat(server().subscriberCount("unsub")).isZero();
            server().trigger("unsub", "e", "{}");
            client.sync();
            assertThat(client.events("e")).isEmpty();
        }
    }

    @Test
    void privateChannelWithAuthFromTheEndpointSucceeds() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            JsonNode auth = Http.authorize(server(), client.socketId(), "private-a");
            assertThat(auth.get("auth").asText()).isEqualTo(Http.sign(server(), client.socketId() + ":private-a"));
            client.subscribe("private-a", auth.get("auth").asText(), null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "private-a");
        }
    }

    @Test
    void privateChannelWithBadAuthGetsSubscriptionError() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            String wrong = Http.sign(server(), "1.1:private-b");
            client.subscribe("private-b", wrong, null);
            JsonNode error = client.awaitEvent("pusher:subscription_error", "private-b");
            assertThat(error.get("data").get("type").asText()).isEqualTo("AuthError");
            assertThat(error.get("data").get("status").asInt()).isEqualTo(401);
            client.subscribe("private-c", null, null);
            client.awaitEvent("pusher:subscription_error", "private-c");
            assertThat(server().subscriberCount("private-b")).isZero();
        }
    }

    @Test
    void invalidChannelNamesAreRefused() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            String tooLong = "a".repeat(165);
            client.subscribe(tooLong, null, null);
            assertThat(client.awaitEvent("pusher:subscription_error", tooLong).get("data").get("status").asInt()).isEqualTo(4009);
            client.subscribe("bad channel!", null, null);
            assertThat(client.awaitEvent("pusher:subscription_error", "bad channel!").get("data").get("status").asInt())
                    .isEqualTo(4009);
        }
    }

    @Test
    void authEndpointRefusesForbiddenChannelsAndDeny() {
        HttpResponse<String> forbidden = Http.postForm(server().authEndpoint(),
                Map.of("socket_id", "1.2", "channel_name", "private-forbidden-x"));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        HttpResponse<String> denied = Http.postForm(server().authEndpoint(),
                Map.of("socket_id", "1.2", "channel_name", "private-x", "deny", "1"));
        assertThat(denied.statusCode()).isEqualTo(403);
        HttpResponse<String> missing = Http.postForm(server().authEndpoint(), Map.of("socket_id", "1.2"));
        assertThat(missing.statusCode()).isEqualTo(400);
    }

    @Test
    void presenceMembersAreAddedAndRemovedAcrossSockets() {
        PusherTestServer s = server();
        try (WsClient a = WsClient.connected(s.wsUri())) {
            String channel = "presence-room";
            JsonNode authA = Http.authorize(s, a.socketId(), channel);
            String expectedA = "{\"user_id\":\"user-" + a.socketId() + "\",\"user_info\":{\"name\":\"User " + a.socketId() + "\"}}";
            assertThat(authA.get("channel_data").asText()).isEqualTo(expectedA);
            a.subscribe(channel, authA.get("auth").asText(), authA.get("channel_data").asText());
            JsonNode okA = a.awaitEvent("pusher_internal:subscription_succeeded", channel);
            JsonNode snapshotA = WsClient.parse(okA.get("data").asText()).get("presence");
            assertThat(snapshotA.get("count").asInt()).isEqualTo(1);
            assertThat(snapshotA.get("ids").get(0).asText()).isEqualTo("user-" + a.socketId());

            WsClient b = WsClient.connected(s.wsUri());
            String channelDataB = "{\"user_id\":\"bob\",\"user_info\":{\"name\":\"Bob\"}}";
            b.subscribe(channel, Http.sign(s, b.socketId() + ":" + channel + ":" + channelDataB), channelDataB);
            JsonNode snapshotB = WsClient.parse(b.awaitEvent("pusher_internal:subscription_succeeded", channel)
                    .get("data").asText()).get("presence");
            assertThat(snapshotB.get("count").asInt()).isEqualTo(2);
            assertThat(snapshotB.get("hash").get("bob").get("name").asText()).isEqualTo("Bob");

            JsonNode added = a.awaitEvent("pusher_internal:member_added", channel);
            JsonNode addedData = WsClient.parse(added.get("data").asText());
            assertThat(addedData.get("user_id").asText()).isEqualTo("bob");
            assertThat(addedData.get("user_info").get("name").asText()).isEqualTo("Bob");
            assertThat(s.presenceMemberIds(channel)).containsExactly("user-" + a.socketId(), "bob");
            b.sync();
            assertThat(b.events("pusher_internal:member_added")).as("no member_added to the joiner").isEmpty();

            b.close();
            JsonNode removed = a.awaitEvent("pusher_internal:member_removed", channel);
            assertThat(WsClient.parse(removed.get("data").asText()).get("user_id").asText()).isEqualTo("bob");
            await().atMost(WsClient.WAIT).until(() -> s.presenceMemberIds(channel).size() == 1);
        }
    }

    @Test
    void sameUserOnTwoSocketsIsOneMember() {
        PusherTestServer s = server();
        String channel = "presence-twice";
        String data = "{\"user_id\":\"u1\",\"user_info\":{}}";
        try (WsClient watcher = WsClient.connected(s.wsUri())) {
            String wdata = "{\"user_id\":\"w\"}";
            watcher.subscribe(channel, Http.sign(s, watcher.socketId() + ":" + channel + ":" + wdata), wdata);
            watcher.awaitEvent("pusher_internal:subscription_succeeded", channel);
            WsClient one = WsClient.connected(s.wsUri());
            WsClient two = WsClient.connected(s.wsUri());
            one.subscribe(channel, Http.sign(s, one.socketId() + ":" + channel + ":" + data), data);
            two.subscribe(channel, Http.sign(s, two.socketId() + ":" + channel + ":" + data), data);
            two.awaitEvent("pusher_internal:subscription_succeeded", channel);
            one.close();
            await().atMost(WsClient.WAIT).until(() -> s.subscriberCount(channel) == 2);
            watcher.sync();
            assertThat(watcher.events("pusher_internal:member_added")).hasSize(1);
            assertThat(watcher.events("pusher_internal:member_removed")).isEmpty();
            two.close();
            watcher.awaitEvent("pusher_internal:member_removed", channel);
        }
    }

    @Test
    void presenceWithBadSignatureIsRefused() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            String data = "{\"user_id\":\"x\"}";
            client.subscribe("presence-bad", Http.sign(server(), client.socketId() + ":presence-bad:{}"), data);
            assertThat(client.awaitEvent("pusher:subscription_error", "presence-bad").get("data").get("type").asText())
                    .isEqualTo("AuthError");
        }
    }

    @Test
    void encryptedChannelEventsAreSealedWithTheSharedSecret() {
        PusherTestServer s = server();
        String channel = "private-encrypted-secret";
        try (WsClient client = WsClient.connected(s.wsUri())) {
            JsonNode auth = Http.authorize(s, client.socketId(), channel);
            byte[] sharedSecret = Base64.getDecoder().decode(auth.get("shared_secret").asText());
            byte[] expected = Http.digest("SHA-256", concat(channel.getBytes(StandardCharsets.UTF_8),
                    Base64.getDecoder().decode(s.encryptionMasterKeyBase64())));
            assertThat(sharedSecret).isEqualTo(expected);
            client.subscribe(channel, auth.get("auth").asText(), null);
            client.awaitEvent("pusher_internal:subscription_succeeded", channel);

            s.trigger(channel, "secret-event", "{\"pin\":1234}");
            JsonNode event = client.awaitEvent("secret-event", channel);
            JsonNode payload = WsClient.parse(event.get("data").asText());
            byte[] nonce = Base64.getDecoder().decode(payload.get("nonce").asText());
            byte[] box = Base64.getDecoder().decode(payload.get("ciphertext").asText());
            assertThat(nonce).hasSize(24);
            assertThat(new String(SecretBox.open(sharedSecret, nonce, box), StandardCharsets.UTF_8)).isEqualTo("{\"pin\":1234}");
        }
    }

    @Test
    void clientEventsAreRelayedToOthersOnPrivateChannelsWithoutEcho() {
        PusherTestServer s = server();
        try (WsClient a = WsClient.connected(s.wsUri()); WsClient b = WsClient.connected(s.wsUri())) {
            a.subscribe("private-chat", Http.sign(s, a.socketId() + ":private-chat"), null);
            b.subscribe("private-chat", Http.sign(s, b.socketId() + ":private-chat"), null);
            a.awaitEvent("pusher_internal:subscription_succeeded", "private-chat");
            b.awaitEvent("pusher_internal:subscription_succeeded", "private-chat");
            a.send("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"who\":\"a\"}}");
            JsonNode relayed = b.awaitEvent("client-typing", "private-chat");
            assertThat(relayed.get("data").get("who").asText()).isEqualTo("a");
            assertThat(relayed.has("user_id")).isFalse();
            a.sync();
            assertThat(a.events("client-typing")).isEmpty();
        }
    }

    @Test
    void clientEventsOnPresenceCarryTheSendersUserId() {
        PusherTestServer s = server();
        String channel = "presence-chat";
        try (WsClient a = WsClient.connected(s.wsUri()); WsClient b = WsClient.connected(s.wsUri())) {
            String da = "{\"user_id\":\"alice\"}";
            String db = "{\"user_id\":\"bob\"}";
            a.subscribe(channel, Http.sign(s, a.socketId() + ":" + channel + ":" + da), da);
            b.subscribe(channel, Http.sign(s, b.socketId() + ":" + channel + ":" + db), db);
            a.awaitEvent("pusher_internal:subscription_succeeded", channel);
            b.awaitEvent("pusher_internal:subscription_succeeded", channel);
            a.send("{\"event\":\"client-hi\",\"channel\":\"presence-chat\",\"data\":\"text data\"}");
            JsonNode relayed = b.awaitEvent("client-hi", channel);
            assertThat(relayed.get("user_id").asText()).isEqualTo("alice");
            assertThat(relayed.get("data").asText()).isEqualTo("text data");
        }
    }

    @Test
    void clientEventsOnPublicChannelsAreRefusedWith4301() {
        try (WsClient a = WsClient.connected(server().wsUri()); WsClient b = WsClient.connected(server().wsUri())) {
            a.subscribe("public-chat", null, null);
            b.subscribe("public-chat", null, null);
            a.awaitEvent("pusher_internal:subscription_succeeded", "public-chat");
            b.awaitEvent("pusher_internal:subscription_succeeded", "public-chat");
            a.send("{\"event\":\"client-x\",\"channel\":\"public-chat\",\"data\":{}}");
            JsonNode error = a.awaitEvent("pusher:error", null);
            assertThat(error.get("data").get("code").asInt()).isEqualTo(4301);
            b.sync();
            assertThat(b.events("client-x")).isEmpty();
        }
    }

    @Test
    void clientEventsAreRefusedOnEncryptedAndUnsubscribedChannels() {
        PusherTestServer s = server();
        try (WsClient a = WsClient.connected(s.wsUri())) {
            String channel = "private-encrypted-ce";
            a.subscribe(channel, Http.sign(s, a.socketId() + ":" + channel), null);
            a.awaitEvent("pusher_internal:subscription_succeeded", channel);
            a.send("{\"event\":\"client-x\",\"channel\":\"" + channel + "\",\"data\":{}}");
            assertThat(a.awaitEvent("pusher:error", channel).get("data").get("message").asText()).contains("encrypted");
            a.send("{\"event\":\"client-x\",\"channel\":\"private-elsewhere\",\"data\":{}}");
            assertThat(a.awaitEvent("pusher:error", "private-elsewhere").get("data").get("code").asInt()).isEqualTo(4301);
        }
    }

    @Test
    void numericPresenceUserIdsBecomeStrings() {
        PusherTestServer s = server();
        String channel = "presence-numeric";
        try (WsClient a = WsClient.connected(s.wsUri())) {
            String data = "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}";
            a.subscribe(channel, Http.sign(s, a.socketId() + ":" + channel + ":" + data), data);
            JsonNode snapshot = WsClient.parse(a.awaitEvent("pusher_internal:subscription_succeeded", channel)
                    .get("data").asText()).get("presence");
            assertThat(snapshot.get("ids").get(0).isTextual()).isTrue();
            assertThat(snapshot.get("ids").get(0).asText()).isEqualTo("10");
            assertThat(snapshot.get("hash").get("10").get("name").asText()).isEqualTo("Mr. Channels");
            assertThat(s.presenceMemberIds(channel)).containsExactly("10");
        }
    }

    @Test
    void concurrentTriggersArriveCompleteAndInPerThreadOrder() throws Exception {
        PusherTestServer s = server();
        int threads = 4;
        int perThread = 100;
        try (WsClient client = WsClient.connected(s.wsUri())) {
            client.subscribe("busy", null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "busy");
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String event = "t" + t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            s.trigger("busy", event, Integer.toString(i));
                        }
                    }));
                }
                for (java.util.concurrent.Future<?> f : futures) {
                    f.get(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            await().atMost(WsClient.WAIT).until(() -> client.count(m -> m.path("event").asText().startsWith("t")) == threads * perThread);
            for (int t = 0; t < threads; t++) {
                java.util.List<Integer> seen = new java.util.ArrayList<>();
                client.events("t" + t).forEach(m -> seen.add(Integer.parseInt(m.get("data").asText())));
                assertThat(seen).isSorted().hasSize(perThread);
            }
        }
    }

    @Test
    void clientEventsAreRefusedWhenDisabledOrTooBig() {
        try (PusherTestServer s = PusherTestServer.builder().clientEvents(false).start();
                WsClient a = WsClient.connected(s.wsUri())) {
            a.subscribe("private-x", Http.sign(s, a.socketId() + ":private-x"), null);
            a.awaitEvent("pusher_internal:subscription_succeeded", "private-x");
            a.send("{\"event\":\"client-x\",\"channel\":\"private-x\",\"data\":{}}");
            assertThat(a.awaitEvent("pusher:error", null).get("data").get("message").asText()).contains("not have client");
        }
        try (WsClient a = WsClient.connected(server().wsUri())) {
            a.subscribe("private-big", Http.sign(server(), a.socketId() + ":private-big"), null);
            a.awaitEvent("pusher_internal:subscription_succeeded", "private-big");
            a.send("{\"event\":\"client-x\",\"channel\":\"private-big\",\"data\":\"" + "x".repeat(10 * 1024 + 1) + "\"}");
            assertThat(a.awaitEvent("pusher:error", null).get("data").get("code").asInt()).isEqualTo(4301);
        }
    }

    @Test
    void cacheChannelsSendTheLastEventOrACacheMiss() {
        PusherTestServer s = server();
        try (WsClient first = WsClient.connected(s.wsUri())) {
            first.subscribe("cache-prices", null, null);
            first.awaitEvent("pusher_internal:subscription_succeeded", "cache-prices");
            JsonNode miss = first.awaitEvent("pusher:cache_miss", "cache-prices");
            assertThat(miss.has("data")).isFalse();
            s.trigger("cache-prices", "price", "{\"v\":1}");
            s.trigger("cache-prices", "price", "{\"v\":2}");
            first.awaitMessage(m -> m.path("data").asText().equals("{\"v\":2}"));
        }
        try (WsClient late = WsClient.connected(s.wsUri())) {
            late.subscribe("cache-prices", null, null);
            JsonNode cached = late.awaitEvent("price", "cache-prices");
            assertThat(cached.get("data").asText()).isEqualTo("{\"v\":2}");
            late.sync();
            assertThat(late.events("pusher:cache_miss")).isEmpty();
            assertThat(late.events("price")).hasSize(1);
        }
    }

    @Test
    void cachedEventsExpire() {
        try (PusherTestServer s = PusherTestServer.builder().cacheTtl(Duration.ofMillis(200)).start()) {
            s.trigger("cache-short", "e", "{}");
            try (WsClient early = WsClient.connected(s.wsUri())) {
                early.subscribe("cache-short", null, null);
                early.awaitMessage(m -> m.path("event").asText().equals("e") || m.path("event").asText().equals("pusher:cache_miss"));
            }
            await().atMost(WsClient.WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                try (WsClient late = WsClient.connected(s.wsUri())) {
                    late.subscribe("cache-short", null, null);
                    JsonNode answer = late.awaitMessage(m -> m.path("event").asText().equals("e")
                            || m.path("event").asText().equals("pusher:cache_miss"));
                    return answer.path("event").asText().equals("pusher:cache_miss");
                }
            });
        }
    }

    @Test
    void subscriptionCountIsSentWhenEnabled() {
        try (PusherTestServer s = PusherTestServer.builder().subscriptionCount(true).start();
                WsClient a = WsClient.connected(s.wsUri()); WsClient b = WsClient.connected(s.wsUri())) {
            a.subscribe("counted", null, null);
            JsonNode one = a.awaitEvent("pusher_internal:subscription_count", "counted");
            assertThat(WsClient.parse(one.get("data").asText()).get("subscription_count").asInt()).isEqualTo(1);
            b.subscribe("counted", null, null);
            a.awaitMessage(m -> m.path("event").asText().equals("pusher_internal:subscription_count")
                    && m.path("data").asText().contains("2"));
            b.disconnect();
            a.awaitMessage(m -> m.path("event").asText().equals("pusher_internal:subscription_count")
                    && m.path("data").asText().contains("\"subscription_count\":1")
                    && a.events("pusher_internal:subscription_count").size() >= 3);
        }
        try (WsClient c = WsClient.connected(server().wsUri())) {
            c.subscribe("not-counted", null, null);
            c.awaitEvent("pusher_internal:subscription_succeeded", "not-counted");
            c.sync();
            assertThat(c.events("pusher_internal:subscription_count")).isEmpty();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
