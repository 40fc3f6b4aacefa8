package io.pusheriso.protocol;

/**
 * The signed-in user's {@code user_data}: {@code {"id":"12345",...}}. Immutable; thread-safe.
 *
 * @param id the user id; a non-empty string
 * @since 0.1.0
 */
public record UserData(String id) {
    private static final String WHAT = "user_data";

    /**
     * Parses {@code user_data} JSON text; as in pusher-js, {@code id} must be a non-empty string.
     *
     * @param userDataJson the JSON text
     * @return the parsed value
     * @throws ProtocolException if the text is null or malformed, or lacks a non-empty string {@code id}
     */
    public static UserData parse(String userDataJson) {
        return JsonData.parse(WHAT, userDataJson, in -> {
            in.startObject(null);
            String id = null;
            for (String field; (field = in.nextField()) != null; ) {
                if (field.equals("id")) {
                    id = in.string(field);
                } else {
                    in.skip();
                }
            }
            if (id == null) {
                throw in.missing("id");
            }
            if (id.isEmpty()) {
                throw new ProtocolException(WHAT + ": \"id\" must not be empty");
            }
            return new UserData(id);
        });
    }
}
