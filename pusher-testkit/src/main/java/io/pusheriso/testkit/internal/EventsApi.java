package io.pusheriso.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.pusheriso.protocol.ChannelNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP events API ({@code POST /apps/{id}/events} and {@code /batch_events}) with Pusher's signed query:
 * {@code auth_key, auth_timestamp, auth_version=1.0, body_md5, auth_signature}, the signature being
 * HMAC-SHA256 of {@code "POST\n<path>\n<sorted query without auth_signature>"}.
 *
 * <p>Stateless; thread-safe.
 */
final class EventsApi {
    /** Pusher's limit on an event's data. */
    static final int MAX_DATA_BYTES = 10 * 1024;
    /** Pusher's limit on the channels of one event. */
    static final int MAX_CHANNELS = 100;
    /** Pusher's limit on the events of one batch. */
    static final int MAX_BATCH = 10;
    /** How far the request's timestamp may be from the server's clock. */
    static final long MAX_CLOCK_SKEW_SECONDS = 600;

    /** An HTTP answer. */
    static final class Reply {
        final HttpResponseStatus status;
        final String body;

        Reply(HttpResponseStatus status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    private EventsApi() {
    }

    /**
     * Checks an event as Pusher's HTTP API does.
     *
     * @throws IllegalArgumentException with the reason
     */
    static void validateEvent(List<String> channels, String event, String data) {
        if (event == null || event.isEmpty()) {
            throw new IllegalArgumentException("event name must not be empty");
        }
        if (event.length() > Hub.MAX_EVENT_NAME_LENGTH) {
            throw new IllegalArgumentException("event name longer than " + Hub.MAX_EVENT_NAME_LENGTH + " characters");
        }
        if (data == null) {
            throw new IllegalArgumentException("data must not be null (use \"{}\" or \"\" for none)");
        }
        if (channels.isEmpty() || channels.size() > MAX_CHANNELS) {
            throw new IllegalArgumentException("an event goes to 1 to " + MAX_CHANNELS + " channels, not " + channels.size());
        }
        for (String channel : channels) {
            if (channel == null) {
                throw new IllegalArgumentException("channel must not be null");
            }
            if (channel.startsWith(Hub.SERVER_TO_USER_PREFIX)) {
                if (channel.length() == Hub.SERVER_TO_USER_PREFIX.length()) {
                    throw new IllegalArgumentException("server-to-user channel without a user id");
                }
            } else {
                ChannelNames.validate(channel);
            }
        }
    }

    /**
     * Handles one request to the events API.
     *
     * @param engine the server
     * @param uri the request URI
     * @param path the decoded path
     * @param body the body bytes
     * @param batch true for {@code batch_events}
     * @return the answer
     */
    static Reply handle(Engine engine, QueryStringDecoder uri, String path, byte[] body, boolean batch) {
        String authProblem = checkSignature(engine, uri, path, body);
        if (authProblem != null) {
            return new Reply(HttpResponseStatus.UNAUTHORIZED, authProblem);
        }
        JsonNode request = Json.parse(new String(body, StandardCharsets.UTF_8));
        if (!request.isObject()) {
            return new Reply(HttpResponseStatus.BAD_REQUEST, "The body must be a JSON object");
        }
        List<JsonNode> events = new ArrayList<>();
        if (batch) {
            JsonNode list = request.path("batch");
            if (!list.isArray() || list.size() > MAX_BATCH) {
                return new Reply(HttpResponseStatus.BAD_REQUEST, "batch must be an array of at most " + MAX_BATCH + " events");
            }
            list.forEach(events::add);
        } else {
            events.add(request);
        }
        List<Publish> publishes = new ArrayList<>();
        for (JsonNode e : events) {
            Publish p;
            try {
                p = Publish.of(e);
            } catch (IllegalArgumentException ex) {
                return new Reply(HttpResponseStatus.BAD_REQUEST, ex.getMessage());
            }
            if (p.data.getBytes(StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
                return new Reply(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "The data content of this event exceeds the allowed maximum (10240 bytes)");
            }
            publishes.add(p);
        }
        for (Publish p : publishes) {
            engine.hub().publish(p.channels, p.event, p.data, p.socketId);
        }
        return new Reply(HttpResponseStatus.OK, "{}");
    }

    private static String checkSignature(Engine engine, QueryStringDecoder uri, String path, byte[] body) {
        Map<String, List<String>> params = uri.parameters();
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getValue().size() != 1) {
                return "Query parameter " + e.getKey() + " given more than once";
            }
            sorted.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().get(0));
        }
        String signature = sorted.remove("auth_signature");
        String key = sorted.get("auth_key");
        String timestamp = sorted.get("auth_timestamp");
        if (signature == null || key == null || timestamp == null) {
            return "Missing auth_key, auth_timestamp or auth_signature";
        }
        if (!key.equals(engine.config().appKey())) {
            return "Unknown auth_key";
        }
        if (!"1.0".equals(sorted.get("auth_version"))) {
            return "auth_version must be 1.0";
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "auth_timestamp is not a number";
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - ts) > MAX_CLOCK_SKEW_SECONDS) {
            return "Timestamp expired: given " + ts + ", the server's is " + System.currentTimeMillis() / 1000;
        }
        String md5 = sorted.get("body_md5");
        if (body.length > 0 || md5 != null) {
            if (md5 == null || !md5.equals(md5Hex(body))) {
                return "The body_md5 does not match the body";
            }
        }
        StringBuilder query = new StringBuilder();
        sorted.forEach((k, v) -> query.append(query.length() == 0 ? "" : "&").append(k).append('=').append(v));
        String toSign = "POST\n" + path + "\n" + query;
        byte[] expected = engine.signer().hmacSha256Hex(toSign).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            // The string to sign is not secret and is what a client author needs to find the mistake.
            return "Invalid signature: you should have sent HmacSHA256Hex(" + toSign.replace("\n", "\\n")
                    + ", your_secret)";
        }
        return null;
    }

    static String md5Hex(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(body);
            StringBuilder hex = new StringBuilder(32);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JDK", e);
        }
    }

    /** One event of a request. */
    private static final class Publish {
        final List<String> channels;
        final String event;
        final String data;
        final String socketId;

        private Publish(List<String> channels, String event, String data, String socketId) {
            this.channels = channels;
            this.event = event;
            this.data = data;
            this.socketId = socketId;
        }

        static Publish of(JsonNode e) {
            if (!e.isObject()) {
                throw new IllegalArgumentException("each event must be a JSON object");
            }
            JsonNode name = e.path("name");
            if (!name.isTextual()) {
                throw new IllegalArgumentException("name must be a string");
            }
            List<String> channels = new ArrayList<>();
            if (e.path("channels").isArray()) {
                for (JsonNode c : e.path("channels")) {
                    if (!c.isTextual()) {
                        throw new IllegalArgumentException("channels must be an array of strings");
                    }
                    channels.add(c.asText());
                }
            } else if (e.path("channel").isTextual()) {
                channels.add(e.path("channel").asText());
            } else {
                throw new IllegalArgumentException("channel or channels is required");
            }
            JsonNode dataNode = e.path("data");
            // Pusher requires a string; a JSON value is accepted here as its text, as soketi does.
            String data = dataNode.isMissingNode() || dataNode.isNull() ? ""
                    : dataNode.isTextual() ? dataNode.asText() : Json.write(dataNode);
            JsonNode socket = e.path("socket_id");
            String socketId = socket.isTextual() ? socket.asText() : null;
            validateEvent(channels, name.asText(), data);
            return new Publish(List.copyOf(channels), name.asText(), data, socketId);
        }
    }
}
