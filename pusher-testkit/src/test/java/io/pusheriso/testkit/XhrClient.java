package io.pusheriso.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A test client for the HTTP fallback endpoints, written from the wire format alone (pusher-js's HTTPSocket, sockjs
 * framing): one session, receiving over xhr_streaming (reopened in the same session whenever a response ends
 * normally) or xhr polling, sending with xhr_send. Collects every frame line and every Pusher message.
 */
final class XhrClient implements AutoCloseable {
    enum Mode { STREAMING, POLLING }

    static final Duration WAIT = WsClient.WAIT;
    static final String PRELUDE = "h".repeat(2048);

    /** Every frame line of every receiving response, in order (the streaming prelude excluded). */
    final List<String> frames = new CopyOnWriteArrayList<>();
    /** The Pusher messages of the {@code a[...]} frames, in order. */
    final List<String> messages = new CopyOnWriteArrayList<>();
    /** Completes with the code of a {@code c} frame, 1006 when a response was cut off or not 200, -1 on an I/O error. */
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final AtomicInteger receivingRequests = new AtomicInteger();
    final AtomicInteger preludes = new AtomicInteger();
    final String session;
    private final URI base;
    private final SSLContext tls;
    private final Mode mode;
    private volatile String closeReason;
    private volatile boolean stopped;
    private volatile HttpStream current;

    private XhrClient(URI base, SSLContext tls, Mode mode, String session) {
        this.base = base;
        this.tls = tls;
        this.mode = mode;
        this.session = session;
    }

    static XhrClient connect(URI base, Mode mode) {
        return connect(base, null, mode);
    }

    static XhrClient connect(URI base, SSLContext tls, Mode mode) {
        return connect(base, tls, mode, newSessionPath());
    }

    /** Starts receiving in the given session ({@code server/session}). */
    static XhrClient connect(URI base, SSLContext tls, Mode mode, String session) {
        XhrClient client = new XhrClient(base, tls, mode, session);
        client.openReceive();
        return client;
    }

    static XhrClient connected(URI base, Mode mode) {
        XhrClient client = connect(base, mode);
        client.awaitEvent("pusher:connection_established", null);
        return client;
    }

    /** A session path as pusher-js makes it: a server number below 1000 and 8 base-32 characters. */
    static String newSessionPath() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder().append(random.nextInt(1000)).append('/');
        for (int i = 0; i < 8; i++) {
            sb.append(Integer.toString(random.nextInt(32), 32));
        }
        return sb.toString();
    }

    /** The URL of an endpoint of this session; receiving requests keep the base's query, as pusher-js does. */
    URI url(String op) {
        return url(base, session, op);
    }

    static URI url(URI base, String session, String op) {
        String query = op.equals("xhr_send") ? "" : "?" + base.getRawQuery();
        return URI.create(base.getScheme() + "://" + base.getHost() + ":" + base.getPort() + base.getRawPath() + "/"
                + session + "/" + op + query);
    }

    private void openReceive() {
        if (stopped || closed.isDone()) {
            return;
        }
        HttpStream s;
        try {
            s = HttpStream.post(url(mode == Mode.STREAMING ? "xhr_streaming" : "xhr"), tls, "", this::onLine);
        } catch (UncheckedIOException e) {
            terminate(-1, e.getMessage());
            return;
        }
        current = s;
        receivingRequests.incrementAndGet();
        if (s.status != 200) {
            s.close();
            terminate(1006, "Connection interrupted (" + s.status + ")");
            return;
        }
        s.ended.thenAccept(normal -> {
            if (stopped || closed.isDone()) {
                return;
            }
            if (normal) {
                openReceive();
            } else {
                terminate(1006, "cut off");
            }
        });
    }

    private void onLine(String line) {
        if (line.equals(PRELUDE)) {
            preludes.incrementAndGet();
            return;
        }
        frames.add(line);
        if (line.startsWith("o") && frames('o').size() > 1) {
            // What pusher-js does with an 'o' on an open socket: the server lost the session.
            terminate(1006, "Server lost session");
        } else if (line.startsWith("a")) {
            for (JsonNode m : WsClient.parse(line.substring(1))) {
                messages.add(m.asText());
            }
        } else if (line.startsWith("c")) {
            JsonNode c = WsClient.parse(line.substring(1));
            terminate(c.path(0).asInt(), c.path(1).asText());
        }
    }

    private void terminate(int code, String reason) {
        if (!closed.isDone()) {
            closeReason = reason;
            closed.complete(code);
        }
    }

    /** POSTs a raw body to xhr_send and returns the response. */
    HttpStream sendBody(String body) {
        HttpStream s = HttpStream.post(url("xhr_send"), tls, body);
        s.body();
        return s;
    }

    /** Sends Pusher messages in one xhr_send; fails unless the server answers 204. */
    void send(String... texts) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < texts.length; i++) {
            body.append(i == 0 ? "" : ",").append(WsClient.quote(texts[i]));
        }
        HttpStream s = sendBody(body.append(']').toString());
        if (s.status != 204) {
            throw new AssertionError("xhr_send answered " + s.status + " " + s.body());
        }
    }

    void subscribe(String channel, String auth, String channelData) {
        StringBuilder data = new StringBuilder("{\"channel\":").append(WsClient.quote(channel));
        if (auth != null) {
            data.append(",\"auth\":").append(WsClient.quote(auth));
        }
        if (channelData != null) {
            data.append(",\"channel_data\":").append(WsClient.quote(channelData));
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

    String socketId() {
        JsonNode established = awaitEvent("pusher:connection_established", null);
        return WsClient.parse(established.get("data").asText()).get("socket_id").asText();
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
            out.add(WsClient.parse(m));
        }
        return out;
    }

    /** @return the frames of one type ({@code 'o'}, {@code 'a'}, {@code 'h'}, {@code 'c'}) */
    List<String> frames(char type) {
        List<String> out = new ArrayList<>();
        for (String f : frames) {
            if (!f.isEmpty() && f.charAt(0) == type) {
                out.add(f);
            }
        }
        return out;
    }

    int awaitClose() {
        return closed.orTimeout(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS).join();
    }

    String closeReason() {
        return closeReason;
    }

    boolean isTerminated() {
        return closed.isDone();
    }

    HttpStream current() {
        return current;
    }

    /** Closes as pusher-js does: aborts the open receiving request (cuts its TCP connection); no request is sent. */
    @Override
    public void close() {
        stopped = true;
        HttpStream s = current;
        if (s != null) {
            s.close();
        }
    }
}
