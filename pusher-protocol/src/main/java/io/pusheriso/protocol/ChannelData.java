package io.pusheriso.protocol;

/**
 * A presence channel's {@code channel_data}: {@code {"user_id":"1","user_info":{..}}}.
 * Immutable; thread-safe.
 *
 * @param userId the user id; a numeric id becomes its text; never empty
 * @param userInfoJson {@code user_info} as raw JSON text, or null when absent
 * @since 0.1.0
 */
public record ChannelData(String userId, String userInfoJson) {
    private static final String WHAT = "channel_data";

    /**
     * Parses {@code channel_data} JSON text.
     *
     * @param channelDataJson the JSON text
     * @return the parsed value
     * @throws ProtocolException if the text is null or malformed, or lacks a non-empty string or integer {@code user_id}
     */
    public static ChannelData parse(String channelDataJson) {
        return JsonData.parse(WHAT, channelDataJson, in -> {
            in.startObject(null);
            String userId = null;
            String info = null;
            for (String field; (field = in.nextField()) != null; ) {
                switch (field) {
                    case "user_id":
                        userId = in.id(field);
                        break;
                    case "user_info":
                        info = in.rawValue();
                        break;
                    default:
                        in.skip();
                }
            }
            if (userId == null) {
                throw in.missing("user_id");
            }
            if (userId.isEmpty()) {
                throw new ProtocolException(WHAT + ": \"user_id\" must not be empty");
            }
            return new ChannelData(userId, info);
        });
    }
}
