package io.pusheriso.protocol;

/**
 * The data of {@code pusher:connection_established}: {@code {"socket_id":"123.456","activity_timeout":120}}.
 * Immutable; thread-safe.
 *
 * @param socketId the socket id the server assigned; never null or empty
 * @param activityTimeoutSeconds the server's activity timeout in seconds; not negative
 * @since 0.1.0
 */
public record ConnectionEstablished(String socketId, int activityTimeoutSeconds) {
    private static final String WHAT = "pusher:connection_established";

    /**
     * Reads the view from a frame, whose data may be a JSON string holding the object or the object itself.
     *
     * @param frame the frame
     * @return the view
     * @throws ProtocolException if the data is missing, malformed, or lacks {@code socket_id} or {@code activity_timeout}
     */
    public static ConnectionEstablished from(PusherFrame frame) {
        return JsonData.parse(WHAT, JsonData.dataOf(frame, WHAT), in -> {
            in.startObject(null);
            String socketId = null;
            Integer timeout = null;
            for (String field; (field = in.nextField()) != null; ) {
                switch (field) {
                    case "socket_id":
                        socketId = in.string(field);
                        break;
                    case "activity_timeout":
                        timeout = in.nonNegative(field);
                        break;
                    default:
                        in.skip();
                }
            }
            if (socketId == null) {
                throw in.missing("socket_id");
            }
            if (socketId.isEmpty()) {
                throw new ProtocolException(WHAT + ": \"socket_id\" must not be empty");
            }
            if (timeout == null) {
                throw in.missing("activity_timeout");
            }
            return new ConnectionEstablished(socketId, timeout);
        });
    }
}
