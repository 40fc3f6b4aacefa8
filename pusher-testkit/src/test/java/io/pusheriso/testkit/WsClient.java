package io.pusheriso.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test client on the JDK's WebSocket: collects every message, close and error. */
final class WsClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(5);

    final List<String> messages;
    final CompletableFuture<Integer> closed;
    private final Listener listener;
    private final WebSocket socket;

    private WsClient(WebSocket socket, Listener listener) {
        this.socket = socket;
        this.listener = listener;
        this.messages = listener.messages;
        this.closed = listener.closed;
    }

    Throwable error() {
        return listener.error;
    }

    String closeReason() {
        return listener.closeReason;
    }

    /** One client for every test: each JDK HttpClient owns a selector thread. */
    private static final HttpClient SHARED = HttpClient.newHttpClient();

    static WsClient connect(URI uri) {
        return connect(SHARED, uri);
    }

    static WsClient connect(HttpClient http, URI uri) {
        Listener listener = new Listener();
        WebSocket ws = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, listener).orTimeout(10, TimeUnit.SECONDS).join();
        return new WsClient(ws, listener);
    }

    /** Connects and waits for the handshake; returns the client. */
    static WsClient connected(URI uri) {
        WsClient client = connect(uri);
        client.awaitEvent("pusher:connection_established", null);
        return client;
    }

    String socketId() {
        JsonNode established = awaitEvent("pusher:connection_established", null);
        return parse(established.get("data").asText()).get("socket_id").asText();
    }

    /** Sends a WebSocket ping frame. */
    void sendPingFrame() {
        socket.sendPing(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3})).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** @return how many WebSocket pong frames arrived */
    int pongFrames() {
        return listener.pongFrames.get();
    }

    void send(String text) {
        socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    void subscribe(String channel, String auth, String channelData) {
        StringBuilder data = new StringBuilder("{\"channel\":").append(quote(channel));
        if (auth != null) {
            data.append(",\"auth\":").append(quote(auth));
        }
        if (channelData != null) {
            data.append(",\"channel_data\":").append(quote(channelData));
        }
        send("{\"event\":\"pusher:subscribe\",\"data\":" + data + "}}");
    }

    /** Round trip through the server: everything the server sent before answering this ping has arrived after. */
    void sync() {
        int before = count(m -> "pusher:pong".equals(m.path("event").asText()));
        send("{\"event\":\"pusher:ping\",\"data\":{}}");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5))
                .until(() -> count(m -> "pusher:pong".equals(m.path("event").asText())) > before);
    }

    JsonNode awaitEvent(String event, String channel) {
        return awaitMessage(m -> event.equals(m.path("event").asText())
                && (channel == null || channel.equals(m.path("channel").asText())));
    }

    JsonNode awaitMessage(Predicate<JsonNode> match) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> {
            for (JsonNode m : parsed()) {
                if (match.test(m)) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    List<JsonNode> events(String event) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : parsed()) {
            if (event.equals(m.path("event").asText())) {
                out.add(m);
            }
        }
        return out;
    }

    int count(Predicate<JsonNode> match) {
        int n = 0;
        for (JsonNode m : parsed()) {
            if (match.test(m)) {
                n++;
            }
        }
        return n;
    }

    List<JsonNode> parsed() {
        List<JsonNode> out = new ArrayList<>();
        for (String m : messages) {
            out.add(parse(m));
        }
        return out;
    }

    int awaitClose() {
        return closed.orTimeout(5, TimeUnit.SECONDS).join();
    }

    boolean isTerminated() {
        return closed.isDone();
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    static String quote(String s) {
        return JSON.getNodeFactory().textNode(s).toString();
    }

    /** Closes from the client side (a named call, so tests can close a resource early). */
    void disconnect() {
        close();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile String closeReason;
        volatile Throwable error;
        final java.util.concurrent.atomic.AtomicInteger pongFrames = new java.util.concurrent.atomic.AtomicInteger();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, java.nio.ByteBuffer message) {
            pongFrames.incrementAndGet();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            this.error = error;
            closed.complete(-1);
        }
    }
}
