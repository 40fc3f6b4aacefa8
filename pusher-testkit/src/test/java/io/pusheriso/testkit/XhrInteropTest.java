package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pusheriso.testkit.XhrClient.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A WebSocket client and an HTTP fallback client on the same server share every channel rule. */
class XhrInteropTest {
    @RegisterExtension
    static final PusherTestServerExtension SERVER =
            new PusherTestServerExtension(PusherTestServer.builder().subscriptionCount(true)
                    .xhrDisconnectDelay(Duration.ofSeconds(1)));

    private static PusherTestServer server() {
        return SERVER.server();
    }

    private static List<String> data(List<JsonNode> events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("data").asText()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void wsAndXhrSubscribersSeeTheSameEventsInTheSameOrder(Mode mode) {
        String channel = "shared-" + mode;
        try (WsClient ws = WsClient.connected(server().wsUri());
                XhrClient xhr = XhrClient.connected(server().httpBaseUri(), mode)) {
            ws.subscribe(channel, null, null);
            xhr.subscribe(channel, null, null);
            ws.awaitEvent("pusher_internal:subscription_succeeded", channel);
            xhr.awaitEvent("pusher_internal:subscription_succeeded", channel);
            assertThat(server().subscriberCount(channel)).isEqualTo(2);
            assertThat(server().socketIds()).contains(ws.socketId(), xhr.socketId());
            for (int i = 0; i < 50; i++) {
                server().trigger(channel, "e", "{\"i\":" + i + "}");
            }
            await().atMost(XhrClient.WAIT).until(() -> ws.events("e").size() == 50 && xhr.events("e").size() == 50);
            assertThat(data(xhr.events("e"))).containsExactlyElementsOf(data(ws.events("e")));
            assertThat(xhr.awaitEvent("pusher_internal:subscription_count", channel).get("data").asText())
                    .isEqualTo("{\"subscription_count\":2}");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void clientEventsFlowBothWays(Mode mode) {
        String channel = "private-chat-" + mode;
        try (WsClient ws = WsClient.connected(server().wsUri());
                XhrClient xhr = XhrClient.connected(server().httpBaseUri(), mode)) {
            ws.subscribe(channel, Http.authorize(server(), ws.socketId(), channel).get("auth").asText(), null);
            xhr.subscribe(channel, Http.authorize(server(), xhr.socketId(), channel).get("auth").asText(), null);
            ws.awaitEvent("pusher_internal:subscription_succeeded", channel);
            xhr.awaitEvent("pusher_internal:subscription_succeeded", channel);

            xhr.send("{\"event\":\"client-from-xhr\",\"channel\":\"" + channel + "\",\"data\":{\"m\":1}}");
            assertThat(ws.awaitEvent("client-from-xhr", channel).get("data").get("m").asInt()).isEqualTo(1);
            ws.send("{\"event\":\"client-from-ws\",\"channel\":\"" + channel + "\",\"data\":{\"m\":2}}");
            assertThat(xhr.awaitEvent("client-from-ws", channel).get("data").get("m").asInt()).isEqualTo(2);
            // Not echoed to the sender, whichever side it is on.
            xhr.sync();
            ws.sync();
            assertThat(xhr.events("client-from-xhr")).isEmpty();
            assertThat(ws.events("client-from-ws")).isEmpty();
        }
    }

    @Test
    void clientEventOnPublicChannelGetsTheSameErrorOverXhr() {
        try (XhrClient xhr = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            xhr.subscribe("public-x", null, null);
            xhr.awaitEvent("pusher_internal:subscription_succeeded", "public-x");
            xhr.send("{\"event\":\"client-x\",\"channel\":\"public-x\",\"data\":{}}");
            assertThat(xhr.awaitEvent("pusher:error", "public-x").get("data").get("code").asInt()).isEqualTo(4301);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void presenceAcrossBothAndMemberRemovedWhenTheXhrClientGoes(Mode mode) {
        String channel = "presence-mixed-" + mode;
        try (WsClient ws = WsClient.connected(server().wsUri())) {
            JsonNode wsAuth = Http.authorize(server(), ws.socketId(), channel);
            ws.subscribe(channel, wsAuth.get("auth").asText(), wsAuth.get("channel_data").asText());
            ws.awaitEvent("pusher_internal:subscription_succeeded", channel);

            XhrClient xhr = XhrClient.connected(server().httpBaseUri(), mode);
            String xhrSocket = xhr.socketId();
            String xhrUser = "user-" + xhrSocket;
            JsonNode xhrAuth = Http.authorize(server(), xhr.socketId(), channel);
            xhr.subscribe(channel, xhrAuth.get("auth").asText(), xhrAuth.get("channel_data").asText());
            JsonNode ok = xhr.awaitEvent("pusher_internal:subscription_succeeded", channel);
            JsonNode presence = WsClient.parse(ok.get("data").asText()).get("presence");
            assertThat(presence.get("count").asInt()).isEqualTo(2);
            assertThat(presence.get("ids").toString()).contains("user-" + ws.socketId(), xhrUser);
            JsonNode added = ws.awaitEvent("pusher_internal:member_added", channel);
            assertThat(WsClient.parse(added.get("data").asText()).get("user_id").asText()).isEqualTo(xhrUser);

            // pusher-js closes an HTTP socket by aborting its request; for a polling client that is between
            // polls, the session ends at the disconnect delay instead.
            xhr.close();
            JsonNode removed = ws.awaitMessage(m -> "pusher_internal:member_removed".equals(m.path("event").asText()));
            assertThat(WsClient.parse(removed.get("data").asText()).get("user_id").asText()).isEqualTo(xhrUser);
            assertThat(server().presenceMemberIds(channel)).containsExactly("user-" + ws.socketId());
            assertThat(server().socketIds()).doesNotContain(xhrSocket).contains(ws.socketId());
        }
    }

    @Test
    void cacheChannelsAndSigninWorkOverXhr() {
        server().trigger("cache-xhr", "last", "{\"v\":1}");
        try (XhrClient xhr = XhrClient.connected(server().httpBaseUri(), Mode.POLLING)) {
            xhr.subscribe("cache-xhr", null, null);
            assertThat(xhr.awaitEvent("last", "cache-xhr").get("data").asText()).isEqualTo("{\"v\":1}");

            var r = Http.postForm(server().userAuthEndpoint(), Map.of("socket_id", xhr.socketId(), "user_id", "xu"));
            JsonNode auth = WsClient.parse(r.body());
            xhr.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":" + WsClient.quote(auth.get("auth").asText())
                    + ",\"user_data\":" + WsClient.quote(auth.get("user_data").asText()) + "}}");
            xhr.awaitEvent("pusher:signin_success", null);
            server().sendToUser("xu", "for-you", "{}");
            xhr.awaitEvent("for-you", "#server-to-user-xu");
        }
    }

    @Test
    void rejectedSigninClosesTheSessionWith4009() {
        try (XhrClient xhr = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            String userData = "{\"id\":\"mallory\"}";
            xhr.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":" + WsClient.quote(Http.sign(server(), "9.9::user::" + userData))
                    + ",\"user_data\":" + WsClient.quote(userData) + "}}");
            assertThat(xhr.awaitClose()).isEqualTo(4009);
            assertThat(xhr.events("pusher:error")).hasSize(1);
            assertThat(xhr.frames.get(xhr.frames.size() - 1)).isEqualTo("c[4009,\"Connection not authorized\"]");
            String socketId = xhr.socketId();
            await().atMost(XhrClient.WAIT).until(() -> !server().socketIds().contains(socketId));
        }
    }
}
