package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventsApiTest {
    @RegisterExtension
    static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

    private static PusherTestServer server() {
        return SERVER.server();
    }

    @Test
    void signedRequestIsAcceptedAndDelivered() {
        try (WsClient a = WsClient.connected(server().wsUri()); WsClient b = WsClient.connected(server().wsUri())) {
            a.subscribe("api-1", null, null);
            b.subscribe("api-2", null, null);
            a.awaitEvent("pusher_internal:subscription_succeeded", "api-1");
            b.awaitEvent("pusher_internal:subscription_succeeded", "api-2");
            HttpResponse<String> r = Http.postEvents(server(), server().appSecret(),
                    "{\"name\":\"from-api\",\"channels\":[\"api-1\",\"api-2\"],\"data\":\"{\\\"n\\\":1}\"}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{}");
            assertThat(a.awaitEvent("from-api", "api-1").get("data").asText()).isEqualTo("{\"n\":1}");
            assertThat(b.awaitEvent("from-api", "api-2").get("data").asText()).isEqualTo("{\"n\":1}");
        }
    }

    @Test
    void socketIdIsExcluded() {
        try (WsClient a = WsClient.connected(server().wsUri()); WsClient b = WsClient.connected(server().wsUri())) {
            a.subscribe("api-x", null, null);
            b.subscribe("api-x", null, null);
            a.awaitEvent("pusher_internal:subscription_succeeded", "api-x");
            b.awaitEvent("pusher_internal:subscription_succeeded", "api-x");
            HttpResponse<String> r = Http.postEvents(server(), server().appSecret(),
                    "{\"name\":\"e\",\"channel\":\"api-x\",\"data\":\"d\",\"socket_id\":\"" + a.socketId() + "\"}");
            assertThat(r.statusCode()).isEqualTo(200);
            b.awaitEvent("e", "api-x");
            a.sync();
            assertThat(a.events("e")).isEmpty();
        }
    }

    @Test
    void wrongSignatureIs401AndDeliversNothing() {
        try (WsClient a = WsClient.connected(server().wsUri())) {
            a.subscribe("api-bad", null, null);
            a.awaitEvent("pusher_internal:subscription_succeeded", "api-bad");
            HttpResponse<String> r = Http.postEvents(server(), "not-the-secret", "{\"name\":\"e\",\"channel\":\"api-bad\",\"data\":\"d\"}");
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("Invalid signature").doesNotContain(server().appSecret());
            a.sync();
            assertThat(a.events("e")).isEmpty();
        }
    }

    @Test
    void staleTimestampTamperedBodyAndUnsignedRequestsAre401() {
        String path = "/apps/" + server().appId() + "/events";
        String body = "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"d\"}";
        long old = System.currentTimeMillis() / 1000 - 3600;
        assertThat(Http.postSigned(server(), path, server().appSecret(), body, old).statusCode()).isEqualTo(401);
        URI unsigned = URI.create("http://127.0.0.1:" + server().port() + path);
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(unsigned).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void batchEventsAreDelivered() {
        try (WsClient a = WsClient.connected(server().wsUri())) {
            a.subscribe("batch-a", null, null);
            a.awaitEvent("pusher_internal:subscription_succeeded", "batch-a");
            HttpResponse<String> r = Http.postSigned(server(), "/apps/" + server().appId() + "/batch_events",
                    server().appSecret(), "{\"batch\":[{\"name\":\"one\",\"channel\":\"batch-a\",\"data\":\"1\"},"
                            + "{\"name\":\"two\",\"channel\":\"batch-a\",\"data\":\"2\"}]}", System.currentTimeMillis() / 1000);
            assertThat(r.statusCode()).isEqualTo(200);
            a.awaitEvent("two", "batch-a");
            assertThat(a.events("one")).hasSize(1);
        }
    }

    @Test
    void badRequestsAre400And413() {
        assertThat(Http.postEvents(server(), server().appSecret(), "{\"channel\":\"c\",\"data\":\"d\"}").statusCode())
                .isEqualTo(400);
        assertThat(Http.postEvents(server(), server().appSecret(), "{\"name\":\"e\",\"channel\":\"bad name\",\"data\":\"d\"}")
                .statusCode()).isEqualTo(400);
        String big = "x".repeat(10 * 1024 + 1);
        assertThat(Http.postEvents(server(), server().appSecret(), "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"" + big + "\"}")
                .statusCode()).isEqualTo(413);
        assertThat(Http.postSigned(server(), "/apps/other-app/events", server().appSecret(), "{}",
                System.currentTimeMillis() / 1000).statusCode()).isEqualTo(404);
    }

    @Test
    void sendToUserOverTheApiUsesTheServerToUserChannel() {
        try (WsClient a = WsClient.connected(server().wsUri())) {
            HttpResponse<String> auth = Http.postForm(server().userAuthEndpoint(),
                    java.util.Map.of("socket_id", a.socketId(), "user_id", "api-user"));
            JsonNode answer = WsClient.parse(auth.body());
            a.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":" + WsClient.quote(answer.get("auth").asText())
                    + ",\"user_data\":" + WsClient.quote(answer.get("user_data").asText()) + "}}");
            a.awaitEvent("pusher:signin_success", null);
            HttpResponse<String> r = Http.postEvents(server(), server().appSecret(),
                    "{\"name\":\"dm\",\"channels\":[\"#server-to-user-api-user\"],\"data\":\"hi\"}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(a.awaitEvent("dm", "#server-to-user-api-user").get("data").asText()).isEqualTo("hi");
        }
    }
}
