package io.pusheriso.protocol;

/**
 * The data of {@code pusher:error}: {@code {"code":4001,"message":"..."}}. Immutable; thread-safe.
 *
 * @param code the Pusher error code, or null when the server sent none
 * @param message the message; never null, empty when the server sent none
 * @since 0.1.0
 */
public record PusherError(Integer code, String message) {
    private static final String WHAT = "pusher:error";

    /**
     * Normalises a null message to the empty string.
     *
     * @param code the error code, or null
     * @param message the message, or null for none
     */
    public PusherError {
        message = message == null ? "" : message;
    }

    /**
     * Reads the view from a frame. A frame without data gives no code and an empty message; data
     * that is not a JSON object (a bare text message) becomes the message.
     *
     * @param frame the frame
     * @return the view
     * @throws ProtocolException if the data is an object whose {@code code} or {@code message} has the wrong type
     */
    public static PusherError from(PusherFrame frame) {
        if (frame == null) {
            throw new ProtocolException(WHAT + ": no frame (null)");
        }
        String data = frame.data();
        if (data == null) {
            return new PusherError(null, "");
        }
        if (!JsonData.looksLikeObject(data)) {
            return new PusherError(null, data);
        }
        return JsonData.parse(WHAT, data, in -> {
            in.startObject(null);
            Integer code = null;
            String message = null;
            for (String field; (field = in.nextField()) != null; ) {
                switch (field) {
                    case "code":
                        code = in.integerOrNull(field);
                        break;
                    case "message":
                        message = in.stringOrNull(field);
                        break;
                    default:
                        in.skip();
                }
            }
            return new PusherError(code, message);
        });
    }
}
