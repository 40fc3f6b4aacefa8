package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pusheriso.testkit.XhrClient.Mode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The wire shapes of the HTTP fallback endpoints, checked against sockjs-node's and pusher-js's expectations. */
class XhrEndpointsTest {
    @RegisterExtension
    static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

    private static PusherTestServer server() {
        return SERVER.server();
    }

    private static URI url(String session, String op) {
        URI base = server().httpBaseUri();
        return URI.create("http://127.0.0.1:" + server().port() + base.getRawPath() + "/" + session + "/" + op
                + (op.equals("xhr_send") ? "" : "?" + base.getRawQuery()));
    }

    @Test
    void baseUrisPointAtTheEndpoints() {
        assertThat(server().httpBaseUri()).hasToString("http://127.0.0.1:" + server().port()
                + "/pusher/app/app-key?protocol=7&client=java&version=test");
        assertThat(server().httpsBaseUri()).hasToString("https://127.0.0.1:" + server().tlsPort()
                + "/pusher/app/app-key?protocol=7&client=java&version=test");
    }

    @Test
    void streamingResponseIsPreludeThenOpenThenMessageArrays() {
        String session = XhrClient.newSessionPath();
        try (HttpStream s = HttpStream.post(url(session, "xhr_streaming"), null, "")) {
            assertThat(s.status).isEqualTo(200);
            assertThat(s.headers.get("content-type")).isEqualTo("application/javascript; charset=UTF-8");
            assertThat(s.headers.get("transfer-encoding")).isEqualTo("chunked");
            await().atMost(XhrClient.WAIT).until(() -> s.lines.size() >= 3);
            assertThat(s.lines.get(0)).isEqualTo("h".repeat(2048));
            assertThat(s.lines.get(1)).isEqualTo("o");
            JsonNode array = WsClient.parse(s.lines.get(2).substring(1));
            assertThat(s.lines.get(2)).startsWith("a[\"");
            assertThat(array.isArray()).isTrue();
            JsonNode established = WsClient.parse(array.get(0).asText());
            assertThat(established.get("event").asText()).isEqualTo("pusher:connection_established");
            String socketId = WsClient.parse(established.get("data").asText()).get("socket_id").asText();
            assertThat(server().socketIds()).contains(socketId);
            assertThat(s.ended).isNotDone();
        }
    }

    @Test
    void pollingAnswersOpenThenQueuedMessagesThenHoldsUntilThereIsMore() {
        String session = XhrClient.newSessionPath();
        HttpStream first = HttpStream.post(url(session, "xhr"), null, "");
        assertThat(first.body()).isEqualTo("o\n");
        assertThat(first.ended.join()).isTrue();

        HttpStream second = HttpStream.post(url(session, "xhr"), null, "");
        String established = second.body();
        assertThat(established).startsWith("a[").endsWith("]\n").contains("pusher:connection_established");
        String socketId = WsClient.parse(WsClient.parse(WsClient.parse(established.substring(1)).get(0).asText())
                .get("data").asText()).get("socket_id").asText();

        assertThat(HttpStream.post(url(session, "xhr_send"), null,
                "[\"{\\\"event\\\":\\\"pusher:subscribe\\\",\\\"data\\\":{\\\"channel\\\":\\\"poll\\\"}}\"]").status)
                .isEqualTo(204);
        HttpStream third = HttpStream.post(url(session, "xhr"), null, "");
        assertThat(third.body()).contains("pusher_internal:subscription_succeeded");

        HttpStream waiting = HttpStream.post(url(session, "xhr"), null, "");
        await().during(Duration.ofMillis(300)).atMost(XhrClient.WAIT).until(() -> !waiting.ended.isDone());
        server().trigger("poll", "one", "{}");
        server().trigger("poll", "two", "{}");
        String body = waiting.body();
        assertThat(body).startsWith("a[").contains("one");
        assertThat(server().subscribedChannels(socketId)).containsExactly("poll");
        first.close();
        second.close();
        third.close();
        waiting.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void xhrSendHandlesEveryMessageInOrderAs204(Mode mode) {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), mode)) {
            String a = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"send-a\"}}";
            String b = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"send-b\"}}";
            String c = "{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"send-a\"}}";
            client.send(a, b, c);
            client.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            client.awaitEvent("pusher:pong", null);
            String socketId = client.socketId();
            assertThat(server().framesReceivedFrom(socketId)).containsSubsequence(a, b, c);
            assertThat(server().subscribedChannels(socketId)).containsExactly("send-b");
            // pusher-js's heartbeat answer is an empty array: accepted, nothing handled.
            assertThat(client.sendBody("[]").status).isEqualTo(204);
        }
    }

    @Test
    void xhrSendRejectsWhatSockjsRejects() {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            HttpStream empty = client.sendBody("");
            assertThat(empty.status).isEqualTo(500);
            assertThat(empty.body()).isEqualTo("Payload expected.");
            HttpStream broken = client.sendBody("[\"x\"");
            assertThat(broken.status).isEqualTo(500);
            assertThat(broken.body()).isEqualTo("Broken JSON encoding.");
            HttpStream notArray = client.sendBody("{\"event\":\"pusher:ping\"}");
            assertThat(notArray.status).isEqualTo(500);
            assertThat(notArray.body()).isEqualTo("Payload expected.");
            assertThat(server().framesReceivedFrom(client.socketId())).isEmpty();
        }
        HttpStream unknown = HttpStream.post(url("1/nosuchid", "xhr_send"), null, "[\"{}\"]");
        assertThat(unknown.status).isEqualTo(404);
        unknown.close();
    }

    @Test
    void otherPathsAndMethods() {
        HttpStream other = HttpStream.post(URI.create("http://127.0.0.1:" + server().port()
                + "/pusher/app/app-key/1/abc/jsonp"), null, "");
        assertThat(other.status).isEqualTo(404);
        other.close();
        HttpResponse<String> get = Http.send(HttpRequest.newBuilder(url("1/abcdefgh", "xhr"))
                .GET().build());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).hasValue("OPTIONS, POST");
    }

    @Test
    void secondReceivingRequestGets2010AndTheFirstCarriesOn() {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            HttpStream second = HttpStream.post(client.url("xhr_streaming"), null, "");
            assertThat(second.body()).isEqualTo("h".repeat(2048) + "\nc[2010,\"Another connection still open\"]\n");
            HttpStream poll = HttpStream.post(client.url("xhr"), null, "");
            assertThat(poll.body()).isEqualTo("c[2010,\"Another connection still open\"]\n");
            client.sync();
            assertThat(client.isTerminated()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void wrongAppKeyGetsPusherErrorThenClose(Mode mode) {
        URI wrongKey = URI.create("http://127.0.0.1:" + server().port() + "/pusher/app/nope?protocol=7&client=java&version=test");
        try (XhrClient client = XhrClient.connect(wrongKey, null, mode)) {
            assertThat(client.awaitClose()).isEqualTo(4001);
            assertThat(client.closeReason()).isEqualTo("App key does not exist");
            JsonNode error = client.awaitEvent("pusher:error", null);
            assertThat(error.get("data").get("code").asInt()).isEqualTo(4001);
            assertThat(client.events("pusher:connection_established")).isEmpty();
        }
    }

    @Test
    void unsupportedProtocolGets4007() {
        URI old = URI.create("http://127.0.0.1:" + server().port() + "/pusher/app/app-key?protocol=2&client=java&version=test");
        try (XhrClient client = XhrClient.connect(old, null, Mode.STREAMING)) {
            assertThat(client.awaitClose()).isEqualTo(4007);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void thousandEventsArriveInOrder(Mode mode) {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), mode)) {
            client.subscribe("order-" + mode, null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "order-" + mode);
            for (int i = 0; i < 1000; i++) {
                server().trigger("order-" + mode, "n", Integer.toString(i));
            }
            await().atMost(XhrClient.WAIT.multipliedBy(2)).until(() -> client.events("n").size() == 1000);
            List<String> seen = new ArrayList<>();
            client.events("n").forEach(e -> seen.add(e.get("data").asText()));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                expected.add(Integer.toString(i));
            }
            assertThat(seen).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void messagesAreJsonEscapedIntact() {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            String nasty = "{\"event\":\"x\",\"data\":\"quote \\\" backslash \\\\ tab \\t\"}\nline two \u2028 h\u00e9 \ud83c\udf89 \u0001";
            server().faults().sendRaw(client.socketId(), nasty);
            await().atMost(XhrClient.WAIT).until(() -> client.messages.contains(nasty));
            assertThat(client.frames('a')).allMatch(f -> !f.contains("\n"));
        }
    }

    @Test
    void tlsPortServesTheSameEndpoints() {
        XhrClient client = XhrClient.connect(server().httpsBaseUri(), server().clientSslContext(), Mode.STREAMING);
        try (client) {
            client.subscribe("over-tls", null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "over-tls");
            server().trigger("over-tls", "e", "{}");
            client.awaitEvent("e", "over-tls");
        }
        assertThat(client.closed).isNotDone();
        assertThat(client.preludes.get()).isEqualTo(1);
        assertThat(client.receivingRequests.get()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void cuttingTheOpenReceivingRequestEndsTheSessionAtOnce(Mode mode) {
        XhrClient client = XhrClient.connected(server().httpBaseUri(), mode);
        String socketId = client.socketId();
        client.sync();
        assertThat(server().socketIds()).contains(socketId);
        // A receiving request is open: for polling, the fresh poll issued after the one that carried the pong.
        await().atMost(XhrClient.WAIT).until(() -> !client.current().ended.isDone()
                && (mode == Mode.STREAMING || client.current().lines.isEmpty()));
        long start = System.nanoTime();
        client.close();
        // Well before the 5 s disconnect delay: sockjs-node ends a session whose receiving request was aborted.
        await().atMost(Duration.ofSeconds(3)).until(() -> !server().socketIds().contains(socketId));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(client.sendBody("[]").status).isEqualTo(404);
    }

    @Test
    void aPooledHttpClientCanPollSendAndStreamOverKeptAliveConnections() throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).build();
        String session = XhrClient.newSessionPath();
        Function<String, HttpResponse<String>> post = op -> Http.send(
                HttpRequest.newBuilder(url(session, op)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(post.apply("xhr").body()).isEqualTo("o\n");
        assertThat(post.apply("xhr").body()).contains("pusher:connection_established");
        HttpResponse<String> sent = Http.send(HttpRequest.newBuilder(url(session, "xhr_send"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "[\"{\\\"event\\\":\\\"pusher:subscribe\\\",\\\"data\\\":{\\\"channel\\\":\\\"pooled\\\"}}\"]"))
                .build());
        assertThat(sent.statusCode()).isEqualTo(204);
        assertThat(post.apply("xhr").body()).contains("subscription_succeeded");
        for (int i = 0; i < 10; i++) {
            server().trigger("pooled", "e" + i, "{}");
            assertThat(post.apply("xhr").body()).startsWith("a[").contains("\\\"e" + i + "\\\"");
        }

        // The same session cannot also stream while a poll is open, but a new one streams on the same client.
        String streamSession = XhrClient.newSessionPath();
        HttpResponse<Stream<String>> stream = http.send(HttpRequest
                .newBuilder(url(streamSession, "xhr_streaming")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        Iterator<String> lines = stream.body().iterator();
        assertThat(lines.next()).isEqualTo("h".repeat(2048));
        assertThat(lines.next()).isEqualTo("o");
        assertThat(lines.next()).contains("pusher:connection_established");
        stream.body().close();
    }
}
