package io.pusheriso.protocol.state;

/**
 * The settings of a {@link ConnectionStateMachine}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param tls whether the first attempt uses TLS (a close code 4000 switches to TLS later anyway)
 * @param activityTimeoutMillis silence after which the client pings the server; the server's own
 *     {@code activity_timeout} lowers it once connected
 * @param pongTimeoutMillis how long to wait for any sign of life after a ping before reconnecting
 * @param unavailableTimeoutMillis how long a connection attempt may take before the state becomes
 *     {@link ConnectionState#UNAVAILABLE}
 */
public record ConnectionSettings(
        boolean tls, long activityTimeoutMillis, long pongTimeoutMillis, long unavailableTimeoutMillis) {

    /** pusher-js's default activity timeout (defaults.ts). */
    public static final long DEFAULT_ACTIVITY_TIMEOUT_MILLIS = 120_000;
    /** pusher-js's default pong timeout (defaults.ts). */
    public static final long DEFAULT_PONG_TIMEOUT_MILLIS = 30_000;
    /** pusher-js's default unavailable timeout (defaults.ts). */
    public static final long DEFAULT_UNAVAILABLE_TIMEOUT_MILLIS = 10_000;

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException if a timeout is not positive
     */
    public ConnectionSettings {
        requirePositive("activityTimeoutMillis", activityTimeoutMillis);
        requirePositive("pongTimeoutMillis", pongTimeoutMillis);
        requirePositive("unavailableTimeoutMillis", unavailableTimeoutMillis);
    }

    /**
     * The pusher-js defaults: TLS, activity 120 s, pong 30 s, unavailable 10 s.
     *
     * @return the default settings
     */
    public static ConnectionSettings defaults() {
        return new ConnectionSettings(
                true,
                DEFAULT_ACTIVITY_TIMEOUT_MILLIS,
                DEFAULT_PONG_TIMEOUT_MILLIS,
                DEFAULT_UNAVAILABLE_TIMEOUT_MILLIS);
    }

    private static void requirePositive(String name, long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException(
                    name + " must be a positive number of milliseconds, got " + millis
                            + " (the pusher-js defaults are activity 120000, pong 30000, unavailable 10000)");
        }
    }
}
