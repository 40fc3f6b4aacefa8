package io.pusheriso.protocol;

/**
 * The data of {@code pusher:subscription_error}, which comes in several shapes: an object
 * {@code {"type":"AuthError","error":"...","status":401}} (soketi, and the client's own
 * authorization failures), or a bare string. Immutable; thread-safe.
 *
 * @param type the error type ({@code "AuthError"}...), or null
 * @param error the error text, or null
 * @param status the HTTP or Pusher status code, or null
 * @since 0.1.0
 */
public record SubscriptionError(String type, String error, Integer status) {
    private static final String WHAT = "pusher:subscription_error";

    /**
     * Reads the view from a frame. Data that is not a JSON object gives {@code type == null} and
     * the data text as {@code error}; no data gives all nulls.
     *
     * @param frame the frame
     * @return the view
     * @throws ProtocolException if the data is a malformed object, or one whose {@code type},
     *     {@code error} or {@code status} has the wrong type
     */
    public static SubscriptionError from(PusherFrame frame) {
        if (frame == null) {
            throw new ProtocolException(WHAT + ": no frame (null)");
        }
        String data = frame.data();
        if (data == null) {
            return new SubscriptionError(null, null, null);
        }
        if (!JsonData.looksLikeObject(data)) {
            return new SubscriptionError(null, data, null);
        }
        return JsonData.parse(WHAT, data, in -> {
            in.startObject(null);
            String type = null;
            String error = null;
            Integer status = null;
            for (String field; (field = in.nextField()) != null; ) {
                switch (field) {
                    case "type":
                        type = in.stringOrNull(field);
                        break;
                    case "error":
                        error = in.stringOrNull(field);
                        break;
                    case "status":
                        status = in.integerOrNull(field);
                        break;
                    default:
                        in.skip();
                }
            }
            return new SubscriptionError(type, error, status);
        });
    }
}
