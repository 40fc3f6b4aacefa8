package io.pusheriso.protocol;

/**
 * Client event rules: the name carries the {@code client-} prefix, the channel is a private or
 * presence channel (not encrypted), and the data is at most {@value #MAX_DATA_BYTES} bytes of
 * UTF-8. Static methods; thread-safe.
 *
 * @since 0.1.0
 */
public final class ClientEvents {
    /** The largest client event data Pusher accepts, in UTF-8 bytes (10 KB). */
    public static final int MAX_DATA_BYTES = 10 * 1024;

    private ClientEvents() {}

    /**
     * Checks a client event before it is sent.
     *
     * @param channel the channel to trigger on
     * @param event the event name
     * @param dataJson the data JSON text
     * @throws InvalidClientEventException if the event name lacks the {@code client-} prefix, the
     *     channel is not a private or presence channel, or the data is over {@value #MAX_DATA_BYTES} UTF-8 bytes
     */
    public static void validate(String channel, String event, String dataJson) {
        if (event == null || !event.startsWith(PusherEvents.CLIENT_EVENT_PREFIX)) {
            throw new InvalidClientEventException("Client event name '" + event + "' must start with '"
                    + PusherEvents.CLIENT_EVENT_PREFIX + "'");
        }
        if (channel == null) {
            throw new InvalidClientEventException("Client event '" + event + "' needs a channel");
        }
        ChannelKind kind = ChannelNames.kindOf(channel);
        switch (kind) {
            case PRIVATE:
            case PRESENCE:
                break;
            case PRIVATE_ENCRYPTED:
                throw new InvalidClientEventException("Client events are not supported on encrypted channel '" + channel
                        + "': the server cannot check them, so it refuses them; use a private or presence channel");
            default:
                throw new InvalidClientEventException("Client events need a private or presence channel; '" + channel
                        + "' is " + (kind == ChannelKind.PUBLIC ? "public" : "a server-to-user channel")
                        + " and the server would reject the event");
        }
        if (dataJson == null) {
            throw new InvalidClientEventException("Client event '" + event + "' needs data (JSON text)");
        }
        long bytes = utf8Length(dataJson);
        if (bytes > MAX_DATA_BYTES) {
            throw new InvalidClientEventException("Client event '" + event + "' data is " + bytes
                    + " bytes of UTF-8; at most " + MAX_DATA_BYTES + " are allowed");
        }
    }

    /** The length of {@code s} encoded as UTF-8 (a lone surrogate counts as the one byte Java writes for it). */
    static long utf8Length(String s) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
