package io.pusheriso.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One Pusher message: {@code {"event":..,"channel":..,"data":..,"user_id":..}}.
 *
 * <p>{@code data} is kept as the raw JSON text it arrived as and decoded lazily, once, on the
 * first call to {@link #data()}: most frames are routed by event and channel only, and most
 * server events double-encode their payload (a JSON string holding JSON), which the caller
 * decodes again anyway.
 *
 * <p>Immutable and thread-safe. The lazily computed values are cached in plain fields: a race
 * merely computes an equal immutable {@code String} twice.
 *
 * @since 0.1.0
 */
public final class PusherFrame {
    static final byte NO_DATA = 0;
    static final byte STRING_DATA = 1;
    static final byte JSON_DATA = 2;

    private final String event;
    private final String channel;
    private final String userId;
    private final byte dataKind;
    /** The raw data value as UTF-8 (frames decoded from bytes), or null. */
    private final byte[] rawBytes;
    private String raw;
    private String decoded;

    PusherFrame(String event, String channel, String userId, byte dataKind, byte[] rawBytes) {
        this.event = event;
        this.channel = channel;
        this.userId = userId;
        this.dataKind = dataKind;
        this.rawBytes = rawBytes;
    }

    PusherFrame(String event, String channel, String userId, byte dataKind, String raw, String decoded) {
        this.event = event;
        this.channel = channel;
        this.userId = userId;
        this.dataKind = dataKind;
        this.rawBytes = null;
        this.raw = raw;
        this.decoded = decoded;
    }

    /**
     * Creates a frame whose data is a string value, as most server events carry it (for tests and
     * for events the client synthesises itself).
     *
     * @param event the event name; not null
     * @param channel the channel name, or null
     * @param data the data string (typically JSON text), or null for none
     * @param userId the user id, or null
     * @return the frame
     * @throws IllegalArgumentException if {@code event} is null
     */
    public static PusherFrame of(String event, String channel, String data, String userId) {
        requireEvent(event);
        return new PusherFrame(event, channel, userId, data == null ? NO_DATA : STRING_DATA, null, data);
    }

    /**
     * Creates a frame whose data is a JSON value (an object, array, number...), embedded as is.
     *
     * @param event the event name; not null
     * @param channel the channel name, or null
     * @param dataJson exactly one JSON value, or null (or the JSON literal {@code null}) for none
     * @param userId the user id, or null
     * @return the frame
     * @throws IllegalArgumentException if {@code event} is null
     * @throws ProtocolException if {@code dataJson} is not exactly one well-formed JSON value
     */
    public static PusherFrame ofJsonData(String event, String channel, String dataJson, String userId) {
        requireEvent(event);
        if (dataJson == null) {
            return new PusherFrame(event, channel, userId, NO_DATA, null, null);
        }
        String json = CharScanner.trimmedValue(dataJson);
        if (json.equals("null")) {
            return new PusherFrame(event, channel, userId, NO_DATA, null, null);
        }
        if (json.charAt(0) == '"') {
            return new PusherFrame(event, channel, userId, STRING_DATA, json, null);
        }
        return new PusherFrame(event, channel, userId, JSON_DATA, json, json);
    }

    private static void requireEvent(String event) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
    }

    /** @return the event name; never null */
    public String event() {
        return event;
    }

    /** @return the channel name, or null when the frame has none (absent or JSON null) */
    public String channel() {
        return channel;
    }

    /** @return the {@code user_id}, or null when absent; a JSON number is kept as its text ({@code "10"}) */
    public String userId() {
        return userId;
    }

    /** @return whether the frame carries data (false when {@code data} is absent or JSON null) */
    public boolean hasData() {
        return dataKind != NO_DATA;
    }

    /** @return whether the data was a JSON string (the usual, double-encoded case) */
    public boolean isDataString() {
        return dataKind == STRING_DATA;
    }

    /**
     * Returns the data: the unescaped value when it was a JSON string, the raw JSON text when it
     * was an object, array, number or boolean; null when absent. Decoded on the first call, then
     * cached.
     *
     * @return the data, or null
     */
    public String data() {
        String d = decoded;
        if (d == null && dataKind != NO_DATA) {
            if (dataKind == JSON_DATA) {
                d = rawData();
            } else if (rawBytes != null) {
                d = ByteScanner.unescape(rawBytes, 1, rawBytes.length - 1);
            } else {
                d = CharScanner.unescape(raw, 1, raw.length() - 1);
            }
            decoded = d;
        }
        return d;
    }

    /**
     * Returns the data exactly as it appeared on the wire: JSON text, quotes included for a
     * string. For a frame made by {@link #of}, the JSON encoding of the string.
     *
     * @return the raw JSON text of the data, or null when absent
     */
    public String rawData() {
        String r = raw;
        if (r == null && dataKind != NO_DATA) {
            if (rawBytes != null) {
                r = new String(rawBytes, StandardCharsets.UTF_8);
            } else {
                StringBuilder sb = new StringBuilder(decoded.length() + 2);
                Json.quote(sb, decoded);
                r = sb.toString();
            }
            raw = r;
        }
        return r;
    }

    /**
     * Two frames are equal when their event, channel, user id and decoded data (and whether that
     * data was a string) are equal, however the data was escaped on the wire.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PusherFrame)) {
            return false;
        }
        PusherFrame f = (PusherFrame) o;
        return event.equals(f.event) && Objects.equals(channel, f.channel) && Objects.equals(userId, f.userId)
                && dataKind == f.dataKind && Objects.equals(data(), f.data());
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, channel, userId, dataKind, data());
    }

    /** Shows the event and channel only: data may hold secrets (auth signatures, shared secrets). */
    @Override
    public String toString() {
        return channel == null ? "PusherFrame{event=" + event + "}" : "PusherFrame{event=" + event + ", channel=" + channel + "}";
    }
}
