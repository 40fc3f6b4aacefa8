package io.pusheriso.protocol;

/**
 * The data of {@code pusher_internal:subscription_count}: {@code {"subscription_count":N}}.
 * Immutable; thread-safe.
 *
 * @param count the number of subscribers; not negative
 * @since 0.1.0
 */
public record SubscriptionCount(int count) {
    private static final String WHAT = "pusher_internal:subscription_count";

    /**
     * Reads the view from a frame.
     *
     * @param frame the frame
     * @return the view
     * @throws ProtocolException if the data is missing, malformed, or lacks a non-negative {@code subscription_count}
     */
    public static SubscriptionCount from(PusherFrame frame) {
        return JsonData.parse(WHAT, JsonData.dataOf(frame, WHAT), in -> {
            in.startObject(null);
            Integer count = null;
            for (String field; (field = in.nextField()) != null; ) {
                if (field.equals("subscription_count")) {
                    count = in.nonNegative(field);
                } else {
                    in.skip();
                }
            }
            if (count == null) {
                throw in.missing("subscription_count");
            }
            return new SubscriptionCount(count);
        });
    }
}
