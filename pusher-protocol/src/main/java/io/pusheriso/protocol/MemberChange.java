package io.pusheriso.protocol;

/**
 * The data of {@code pusher_internal:member_added} ({@code {"user_id":"1","user_info":{..}}}) and
 * {@code pusher_internal:member_removed} ({@code {"user_id":"1"}}). Immutable; thread-safe.
 *
 * @param userId the member's id; a numeric id becomes its text
 * @param userInfoJson the member's {@code user_info} as raw JSON text, or null when absent (removals)
 * @since 0.1.0
 */
public record MemberChange(String userId, String userInfoJson) {
    private static final String WHAT = "presence member change";

    /**
     * Reads the view from a frame.
     *
     * @param frame the frame
     * @return the view
     * @throws ProtocolException if the data is missing, malformed, or lacks a string or integer {@code user_id}
     */
    public static MemberChange from(PusherFrame frame) {
        return JsonData.parse(WHAT, JsonData.dataOf(frame, WHAT), in -> {
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
            return new MemberChange(userId, info);
        });
    }
}
