package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UsersTest {
    @RegisterExtension
    static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

    private static PusherTestServer server() {
        return SERVER.server();
    }

    /** Signs in through the user-auth endpoint; returns the user data sent. */
    private static String signin(WsClient client, Map<String, String> extra) {
        Map<String, String> form = new java.util.HashMap<>(extra);
        form.put("socket_id", client.socketId());
        HttpResponse<String> r = Http.postForm(server().userAuthEndpoint(), form);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode auth = WsClient.parse(r.body());
        String userData = auth.get("user_data").asText();
        client.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":" + WsClient.quote(auth.get("auth").asText())
                + ",\"user_data\":" + WsClient.quote(userData) + "}}");
        return userData;
    }

    @Test
    void signinSucceedsWithAValidSignature() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            String userData = signin(client, Map.of("user_id", "u-1"));
            assertThat(WsClient.parse(userData).get("id").asText()).isEqualTo("u-1");
            assertThat(userData).isEqualTo("{\"id\":\"u-1\",\"name\":\"User u-1\"}");
            JsonNode success = client.awaitEvent("pusher:signin_success", null);
            assertThat(success.get("data").get("user_data").asText()).isEqualTo(userData);
            assertThat(success.get("data").has("auth")).isFalse();
        }
    }

    @Test
    void signinWithABadSignatureGets4009AndIsClosed() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            String userData = "{\"id\":\"mallory\"}";
            String wrong = Http.sign(server(), "9.9::user::" + userData);
            client.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":" + WsClient.quote(wrong) + ",\"user_data\":"
                    + WsClient.quote(userData) + "}}");
            JsonNode error = client.awaitEvent("pusher:error", null);
            assertThat(error.get("data").get("code").asInt()).isEqualTo(4009);
            assertThat(client.awaitClose()).isEqualTo(4009);
        }
    }

    @Test
    void signinWithoutAnIdIsRefused() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            String userData = "{\"name\":\"nobody\"}";
            String auth = Http.sign(server(), client.socketId() + "::user::" + userData);
            client.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":" + WsClient.quote(auth) + ",\"user_data\":"
                    + WsClient.quote(userData) + "}}");
            assertThat(client.awaitEvent("pusher:error", null).get("data").get("message").asText()).contains("id");
            assertThat(client.awaitClose()).isEqualTo(4009);
        }
    }

    @Test
    void userAuthEndpointCanDeny() {
        HttpResponse<String> r = Http.postForm(server().userAuthEndpoint(), Map.of("socket_id", "1.1", "deny", "1"));
        assertThat(r.statusCode()).isEqualTo(403);
        HttpResponse<String> d = Http.postForm(server().userAuthEndpoint(), Map.of("socket_id", "1.1"));
        assertThat(WsClient.parse(WsClient.parse(d.body()).get("user_data").asText()).get("id").asText()).isEqualTo("user-1.1");
    }

    @Test
    void signinIsIgnoredWhenUserAuthenticationIsOff() {
        try (PusherTestServer s = PusherTestServer.builder().userAuthentication(false).start();
                WsClient client = WsClient.connected(s.wsUri())) {
            String userData = "{\"id\":\"x\"}";
            client.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":" + WsClient.quote(Http.sign(s, client.socketId()
                    + "::user::" + userData)) + ",\"user_data\":" + WsClient.quote(userData) + "}}");
            client.sync();
            assertThat(client.events("pusher:signin_success")).isEmpty();
            assertThat(client.isTerminated()).isFalse();
        }
    }

    @Test
    void sendToUserReachesEverySocketOfThatUserOnly() {
        try (WsClient a1 = WsClient.connected(server().wsUri()); WsClient a2 = WsClient.connected(server().wsUri());
                WsClient b = WsClient.connected(server().wsUri())) {
            signin(a1, Map.of("user_id", "alice"));
            signin(a2, Map.of("user_id", "alice"));
            signin(b, Map.of("user_id", "bob"));
            a1.awaitEvent("pusher:signin_success", null);
            a2.awaitEvent("pusher:signin_success", null);
            b.awaitEvent("pusher:signin_success", null);
            // pusher-js subscribes to its server-to-user channel; the server accepts it for the signed-in user only.
            a1.subscribe("#server-to-user-alice", null, null);
            a1.awaitEvent("pusher_internal:subscription_succeeded", "#server-to-user-alice");
            b.subscribe("#server-to-user-alice", null, null);
            b.awaitEvent("pusher:subscription_error", "#server-to-user-alice");

            server().sendToUser("alice", "direct", "{\"x\":1}");
            JsonNode got = a1.awaitEvent("direct", "#server-to-user-alice");
            assertThat(got.get("data").asText()).isEqualTo("{\"x\":1}");
            a2.awaitEvent("direct", "#server-to-user-alice");
            a1.sync();
            assertThat(a1.events("direct")).hasSize(1);
            b.sync();
            assertThat(b.events("direct")).isEmpty();
        }
    }

    @Test
    void watchlistReportsOnlineAndOffline() {
        try (WsClient watcher = WsClient.connected(server().wsUri())) {
            WsClient carol = WsClient.connected(server().wsUri());
            signin(carol, Map.of("user_id", "carol"));
            carol.awaitEvent("pusher:signin_success", null);

            signin(watcher, Map.of("user_id", "watcher", "watchlist", "carol,dave"));
            watcher.awaitEvent("pusher:signin_success", null);
            JsonNode initial = watcher.awaitEvent("pusher_internal:watchlist_events", null);
            JsonNode first = initial.get("data").get("events").get(0);
            assertThat(first.get("name").asText()).isEqualTo("online");
            assertThat(first.get("user_ids").toString()).isEqualTo("[\"carol\"]");

            WsClient dave = WsClient.connected(server().wsUri());
            signin(dave, Map.of("user_id", "dave"));
            watcher.awaitMessage(m -> m.path("event").asText().equals("pusher_internal:watchlist_events")
                    && m.path("data").path("events").path(0).path("user_ids").path(0).asText().equals("dave"));

            carol.disconnect();
            JsonNode offline = watcher.awaitMessage(m -> m.path("data").path("events").path(0).path("name").asText().equals("offline"));
            assertThat(offline.get("data").get("events").get(0).get("user_ids").get(0).asText()).isEqualTo("carol");
            dave.disconnect();
        }
    }
}
