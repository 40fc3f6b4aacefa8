package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectionTest {
    @RegisterExtension
    static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

    @Test
    void greetsWithDoubleEncodedConnectionEstablished() {
        try (WsClient client = WsClient.connect(SERVER.server().wsUri())) {
            JsonNode established = client.awaitEvent("pusher:connection_established", null);
            assertThat(established.get("data").isTextual()).as("data is a JSON string (double encoding)").isTrue();
            JsonNode data = WsClient.parse(established.get("data").asText());
            assertThat(data.get("socket_id").asText()).matches("\\d+\\.\\d+");
            assertThat(data.get("activity_timeout").asInt()).isEqualTo(120);
            assertThat(established.has("channel")).isFalse();
            await().atMost(WsClient.WAIT).until(() -> SERVER.server().socketIds().contains(data.get("socket_id").asText()));
            assertThat(SERVER.server().connectionCount()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void announcesTheConfiguredActivityTimeout() {
        try (PusherTestServer server = PusherTestServer.builder().activityTimeoutSeconds(7).start();
                WsClient client = WsClient.connect(server.wsUri())) {
            JsonNode established = client.awaitEvent("pusher:connection_established", null);
            assertThat(WsClient.parse(established.get("data").asText()).get("activity_timeout").asInt()).isEqualTo(7);
        }
    }

    @Test
    void answersPingWithPongAndRecordsReceivedFrames() {
        try (WsClient client = WsClient.connected(SERVER.server().wsUri())) {
            String ping = "{\"event\":\"pusher:ping\",\"data\":{}}";
            client.send(ping);
            JsonNode pong = client.awaitEvent("pusher:pong", null);
            assertThat(pong.get("data").isObject()).isTrue();
            assertThat(SERVER.server().framesReceivedFrom(client.socketId())).containsExactly(ping);
        }
    }

    @Test
    void ignoresMalformedMessagesAndStaysOpen() {
        try (WsClient client = WsClient.connected(SERVER.server().wsUri())) {
            client.send("not json at all");
            client.send("[1,2,3]");
            client.sync();
            assertThat(client.isTerminated()).isFalse();
        }
    }

    @Test
    void unknownAppKeyGetsError4001AndClose() {
        URI wrong = URI.create("ws://127.0.0.1:" + SERVER.server().port() + "/app/nope?protocol=7&client=java&version=test");
        try (WsClient client = WsClient.connect(wrong)) {
            JsonNode error = client.awaitEvent("pusher:error", null);
            assertThat(error.get("data").get("code").asInt()).isEqualTo(4001);
            assertThat(client.awaitClose()).isEqualTo(4001);
        }
    }

    @Test
    void unsupportedProtocolGetsError4007() {
        URI old = URI.create("ws://127.0.0.1:" + SERVER.server().port() + "/app/app-key?protocol=3");
        try (WsClient client = WsClient.connect(old)) {
            assertThat(client.awaitEvent("pusher:error", null).get("data").get("code").asInt()).isEqualTo(4007);
            assertThat(client.awaitClose()).isEqualTo(4007);
        }
    }

    @Test
    void disconnectForgetsTheConnection() {
        WsClient client = WsClient.connected(SERVER.server().wsUri());
        String id = client.socketId();
        client.close();
        await().atMost(WsClient.WAIT).until(() -> !SERVER.server().socketIds().contains(id));
    }
}
