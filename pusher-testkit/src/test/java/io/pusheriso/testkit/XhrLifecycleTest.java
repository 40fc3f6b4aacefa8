package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pusheriso.testkit.XhrClient.Mode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Heartbeats, the disconnect delay and the response limit, on a server with short settings. */
class XhrLifecycleTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(300);
    private static final Duration DISCONNECT = Duration.ofMillis(800);
    private static final int LIMIT = 4096;

    @RegisterExtension
    static final PusherTestServerExtension SERVER = new PusherTestServerExtension(PusherTestServer.builder()
            .xhrHeartbeatInterval(HEARTBEAT).xhrDisconnectDelay(DISCONNECT).xhrResponseLimitBytes(LIMIT));

    private static PusherTestServer server() {
        return SERVER.server();
    }

    private static URI url(String session, String op) {
        URI base = server().httpBaseUri();
        return URI.create("http://127.0.0.1:" + server().port() + base.getRawPath() + "/" + session + "/" + op
                + (op.equals("xhr_send") ? "" : "?" + base.getRawQuery()));
    }

    @Test
    void streamingGetsHeartbeats() {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            await().atMost(XhrClient.WAIT).until(() -> client.frames('h').size() >= 2);
            assertThat(client.frames('h')).containsOnly("h");
            assertThat(client.isTerminated()).isFalse();
        }
    }

    @Test
    void aWaitingPollIsAnsweredWithAHeartbeat() {
        String session = XhrClient.newSessionPath();
        assertThat(HttpStream.post(url(session, "xhr"), null, "").body()).isEqualTo("o\n");
        assertThat(HttpStream.post(url(session, "xhr"), null, "").body()).contains("pusher:connection_established");
        long start = System.nanoTime();
        assertThat(HttpStream.post(url(session, "xhr"), null, "").body()).isEqualTo("h\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(HEARTBEAT.minusMillis(50));
    }

    @Test
    void aSessionWithoutReceivingRequestEndsAfterTheDisconnectDelayAsADisconnect() {
        String channel = "presence-timeout";
        try (WsClient ws = WsClient.connected(server().wsUri())) {
            JsonNode wsAuth = Http.authorize(server(), ws.socketId(), channel);
            ws.subscribe(channel, wsAuth.get("auth").asText(), wsAuth.get("channel_data").asText());
            ws.awaitEvent("pusher_internal:subscription_succeeded", channel);

            String session = XhrClient.newSessionPath();
            assertThat(HttpStream.post(url(session, "xhr"), null, "").body()).isEqualTo("o\n");
            String established = HttpStream.post(url(session, "xhr"), null, "").body();
            long lastPoll = System.nanoTime();
            String socketId = WsClient.parse(WsClient.parse(WsClient.parse(established.substring(1)).get(0).asText())
                    .get("data").asText()).get("socket_id").asText();
            JsonNode auth = Http.authorize(server(), socketId, channel);
            String subscribe = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"auth\":"
                    + WsClient.quote(auth.get("auth").asText()) + ",\"channel_data\":"
                    + WsClient.quote(auth.get("channel_data").asText()) + "}}";
            assertThat(HttpStream.post(url(session, "xhr_send"), null, "[" + WsClient.quote(subscribe) + "]").status)
                    .isEqualTo(204);
            ws.awaitEvent("pusher_internal:member_added", channel);

            // No more polls: the session is a member until the disconnect delay passes, then it is gone.
            await().atMost(XhrClient.WAIT).until(() -> !server().socketIds().contains(socketId));
            // Not at once (the timer starts when the last poll ends, a little before the client saw it end).
            assertThat(Duration.ofNanos(System.nanoTime() - lastPoll)).isGreaterThanOrEqualTo(DISCONNECT.dividedBy(2));
            JsonNode removed = ws.awaitEvent("pusher_internal:member_removed", channel);
            assertThat(WsClient.parse(removed.get("data").asText()).get("user_id").asText()).isEqualTo("user-" + socketId);
            assertThat(HttpStream.post(url(session, "xhr_send"), null, "[]").status).isEqualTo(404);
            // The same id starts afresh.
            assertThat(HttpStream.post(url(session, "xhr"), null, "").body()).isEqualTo("o\n");
        }
    }

    @Test
    void aPollingClientThatKeepsPollingStaysConnectedPastTheDelay() {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), Mode.POLLING)) {
            String socketId = client.socketId();
            await().atMost(XhrClient.WAIT).until(() -> client.receivingRequests.get() >= 8);
            assertThat(server().socketIds()).contains(socketId);
            client.sync();
            assertThat(client.frames('o')).hasSize(1);
            assertThat(client.isTerminated()).isFalse();
        }
    }

    @Test
    void streamingResponseEndsAtTheLimitAndTheSessionCarriesOnInANewOne() {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            String socketId = client.socketId();
            client.subscribe("limit", null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "limit");
            HttpStream first = client.current();
            String pad = "p".repeat(500);
            for (int i = 0; i < 100; i++) {
                server().trigger("limit", "e", "{\"i\":" + i + ",\"pad\":\"" + pad + "\"}");
            }
            await().atMost(XhrClient.WAIT).until(() -> client.events("e").size() == 100);
            List<Integer> order = new ArrayList<>();
            client.events("e").forEach(e -> order.add(WsClient.parse(e.get("data").asText()).get("i").asInt()));
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add(i);
            }
            assertThat(order).containsExactlyElementsOf(expected);
            // ~55 KB of frames at 4 KiB per response: several responses (what queues while the client reopens goes
            // out as one frame, as in sockjs-node), one session, one 'o'.
            assertThat(client.receivingRequests.get()).isGreaterThanOrEqualTo(2);
            assertThat(client.preludes.get()).isEqualTo(client.receivingRequests.get());
            assertThat(client.frames('o')).hasSize(1);
            assertThat(first.ended.join()).as("the first response ended normally").isTrue();
            assertThat(first.bodyBytes() - 2049).isBetween(LIMIT, LIMIT + 4 * 1024);
            assertThat(server().socketIds()).contains(socketId);
            assertThat(client.isTerminated()).isFalse();
        }
    }

    @Test
    void aClosedSessionAnswersCloseUntilTheDelayPassesWithoutRequests() {
        String session = XhrClient.newSessionPath();
        assertThat(HttpStream.post(url(session, "xhr"), null, "").body()).isEqualTo("o\n");
        assertThat(HttpStream.post(url(session, "xhr"), null, "").body()).contains("pusher:connection_established");
        server().faults().closeAll(4200, "go");
        for (int i = 0; i < 3; i++) {
            assertThat(HttpStream.post(url(session, "xhr"), null, "").body()).isEqualTo("c[4200,\"go\"]\n");
        }
        // Polled less often than the delay, or the polls themselves would keep the closed session alive.
        await().pollDelay(DISCONNECT.plusMillis(300)).pollInterval(DISCONNECT.multipliedBy(2)).atMost(XhrClient.WAIT)
                .until(() -> HttpStream.post(url(session, "xhr"), null, "").body().equals("o\n"));
    }
}
