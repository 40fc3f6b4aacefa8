package io.pusheriso.protocol;

import java.nio.ByteBuffer;

/**
 * Decodes and encodes Pusher frames.
 *
 * <p>Decoding is a strict, single pass over the input (bytes or characters, never converting
 * the whole frame first): malformed JSON, a missing or non-string {@code event}, a duplicate
 * envelope field, or a wrongly typed {@code channel}/{@code user_id} is a
 * {@link ProtocolException} whose message gives the offset. Unknown members are validated and
 * skipped; nesting of any depth is skipped without recursion. {@code data} is kept raw and
 * decoded lazily (see {@link PusherFrame#data()}). No maximum frame size is enforced here:
 * transports enforce theirs (typically {@link #DEFAULT_MAX_FRAME_BYTES}).
 *
 * <p>Encoders return compact JSON text ready for a transport's {@code send}. They check that
 * their arguments are present but not the channel-name rules, which the caller applies (the
 * client itself subscribes to {@code #server-to-user-} channels, which users may not).
 *
 * <p>Static methods only, no shared mutable state beyond a bounded name cache; thread-safe.
 *
 * @since 0.1.0
 */
public final class FrameCodec {
    /** The frame size transports should enforce unless configured otherwise: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1_048_576;

    private static final String PING = "{\"event\":\"pusher:ping\",\"data\":{}}";
    private static final String PONG = "{\"event\":\"pusher:pong\",\"data\":{}}";

    private FrameCodec() {}

    /**
     * Decodes a frame from UTF-8 bytes.
     *
     * @param utf8 the whole frame
     * @return the frame
     * @throws ProtocolException if the input is null, not valid UTF-8 JSON, or not a valid frame
     */
    public static PusherFrame decode(byte[] utf8) {
        if (utf8 == null) {
            throw new ProtocolException("No frame to decode (null)");
        }
        return ByteScanner.decode(utf8, 0, utf8.length);
    }

    /**
     * Decodes a frame from a range of a byte array. The array is not retained: the frame copies
     * the bytes of its data, so the caller may reuse the array.
     *
     * @param utf8 the bytes
     * @param offset where the frame starts
     * @param length the frame's length in bytes
     * @return the frame
     * @throws ProtocolException if the input is null, not valid UTF-8 JSON, or not a valid frame
     * @throws IllegalArgumentException if offset and length do not describe a range of the array
     */
    public static PusherFrame decode(byte[] utf8, int offset, int length) {
        if (utf8 == null) {
            throw new ProtocolException("No frame to decode (null)");
        }
        if (offset < 0 || length < 0 || offset > utf8.length - length) {
            throw new IllegalArgumentException("offset " + offset + " and length " + length
                    + " are outside an array of " + utf8.length + " bytes");
        }
        return ByteScanner.decode(utf8, offset, length);
    }

    /**
     * Decodes a frame from the bytes between the buffer's position and limit. The position is
     * not moved and no reference to the buffer is kept, so the caller may reuse it.
     *
     * @param utf8 the buffer (heap or direct)
     * @return the frame
     * @throws ProtocolException if the input is null, not valid UTF-8 JSON, or not a valid frame
     */
    public static PusherFrame decode(ByteBuffer utf8) {
        if (utf8 == null) {
            throw new ProtocolException("No frame to decode (null)");
        }
        int position = utf8.position();
        int length = utf8.limit() - position;
        if (utf8.hasArray()) {
            return ByteScanner.decode(utf8.array(), utf8.arrayOffset() + position, length);
        }
        return BufferScanner.decode(utf8, position, length);
    }

    /**
     * Decodes a frame from text (a WebSocket text message, an HTTP-fallback message).
     *
     * @param json the whole frame
     * @return the frame
     * @throws ProtocolException if the input is null, not JSON, or not a valid frame
     */
    public static PusherFrame decode(CharSequence json) {
        if (json == null) {
            throw new ProtocolException("No frame to decode (null)");
        }
        String s = json.toString();
        return CharScanner.decode(s, 0, s.length());
    }

    /**
     * Encodes {@code pusher:subscribe}: {@code {"event":"pusher:subscribe","data":{"channel":..,"auth":..,"channel_data":..}}}.
     *
     * @param channel the channel name; not null
     * @param auth the authorization ({@code key:signature}), or null for public channels
     * @param channelData the presence {@code channel_data} JSON text, or null
     * @return the frame text
     * @throws IllegalArgumentException if {@code channel} is null
     */
    public static String subscribe(String channel, String auth, String channelData) {
        require(channel, "channel");
        StringBuilder sb = new StringBuilder(64 + channel.length() + (auth == null ? 0 : auth.length())
                + (channelData == null ? 0 : channelData.length() + 16));
        sb.append("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":");
        Json.quote(sb, channel);
        if (auth != null) {
            sb.append(",\"auth\":");
            Json.quote(sb, auth);
        }
        if (channelData != null) {
            sb.append(",\"channel_data\":");
            Json.quote(sb, channelData);
        }
        return sb.append("}}").toString();
    }

    /**
     * Encodes {@code pusher:unsubscribe}: {@code {"event":"pusher:unsubscribe","data":{"channel":..}}}.
     *
     * @param channel the channel name; not null
     * @return the frame text
     * @throws IllegalArgumentException if {@code channel} is null
     */
    public static String unsubscribe(String channel) {
        require(channel, "channel");
        StringBuilder sb = new StringBuilder(64 + channel.length());
        sb.append("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":");
        Json.quote(sb, channel);
        return sb.append("}}").toString();
    }

    /** @return {@code {"event":"pusher:ping","data":{}}} */
    public static String ping() {
        return PING;
    }

    /** @return {@code {"event":"pusher:pong","data":{}}} */
    public static String pong() {
        return PONG;
    }

    /**
     * Encodes {@code pusher:signin}: {@code {"event":"pusher:signin","data":{"auth":..,"user_data":..}}}.
     *
     * @param auth the user authentication ({@code key:signature}); not null
     * @param userData the {@code user_data} JSON text; not null
     * @return the frame text
     * @throws IllegalArgumentException if an argument is null
     */
    public static String signin(String auth, String userData) {
        require(auth, "auth");
        require(userData, "userData");
        StringBuilder sb = new StringBuilder(64 + auth.length() + userData.length() * 5 / 4);
        sb.append("{\"event\":\"pusher:signin\",\"data\":{\"auth\":");
        Json.quote(sb, auth);
        sb.append(",\"user_data\":");
        Json.quote(sb, userData);
        return sb.append("}}").toString();
    }

    /**
     * Encodes a client event: {@code {"event":..,"channel":..,"data":<dataJson>}}, the data
     * embedded as a JSON value. The client-event rules ({@link ClientEvents#validate}) are the
     * caller's to apply.
     *
     * @param channel the channel name; not null
     * @param event the event name; not null
     * @param dataJson exactly one well-formed JSON value; not null
     * @return the frame text
     * @throws IllegalArgumentException if an argument is null
     * @throws ProtocolException if {@code dataJson} is not exactly one well-formed JSON value
     */
    public static String clientEvent(String channel, String event, String dataJson) {
        require(channel, "channel");
        require(event, "event");
        require(dataJson, "dataJson");
        String data = CharScanner.trimmedValue(dataJson);
        StringBuilder sb = new StringBuilder(32 + event.length() + channel.length() + data.length());
        sb.append("{\"event\":");
        Json.quote(sb, event);
        sb.append(",\"channel\":");
        Json.quote(sb, channel);
        sb.append(",\"data\":").append(data);
        return sb.append('}').toString();
    }

    private static void require(String value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}
