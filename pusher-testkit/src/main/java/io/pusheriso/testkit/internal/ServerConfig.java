package io.pusheriso.testkit.internal;

import java.time.Duration;

/**
 * Not for public use, may change at any time. The settings of one embedded server, already validated by the builder.
 *
 * <p>Immutable and thread-safe (the master key array is copied in and out).
 */
public final class ServerConfig {
    private final String appId;
    private final String appKey;
    private final String appSecret;
    private final int activityTimeoutSeconds;
    private final boolean clientEvents;
    private final boolean userAuthentication;
    private final byte[] encryptionMasterKey;
    private final boolean subscriptionCount;
    private final int maxFrameBytes;
    private final Duration cacheTtl;
    private final int xhrResponseLimitBytes;
    private final Duration xhrHeartbeatInterval;
    private final Duration xhrDisconnectDelay;

    /**
     * Creates a configuration; every argument has been validated by the caller.
     *
     * @param appId the app id of the events API path
     * @param appKey the key clients connect with
     * @param appSecret the secret that signs everything
     * @param activityTimeoutSeconds the activity timeout announced in the handshake
     * @param clientEvents whether client events are relayed
     * @param userAuthentication whether {@code pusher:signin} is honoured
     * @param encryptionMasterKey the 32-byte master key of encrypted channels
     * @param subscriptionCount whether subscription counts are sent to non-presence channels
     * @param maxFrameBytes the largest WebSocket message accepted
     * @param cacheTtl how long a cache channel remembers its last event
     * @param xhrResponseLimitBytes the bytes of frames after which an xhr_streaming response ends
     * @param xhrHeartbeatInterval how often an open receiving request gets an {@code h} frame
     * @param xhrDisconnectDelay how long an HTTP session lives without a receiving request
     */
    public ServerConfig(String appId, String appKey, String appSecret, int activityTimeoutSeconds, boolean clientEvents,
            boolean userAuthentication, byte[] encryptionMasterKey, boolean subscriptionCount, int maxFrameBytes,
            Duration cacheTtl, int xhrResponseLimitBytes, Duration xhrHeartbeatInterval, Duration xhrDisconnectDelay) {
        this.appId = appId;
        this.appKey = appKey;
        this.appSecret = appSecret;
        this.activityTimeoutSeconds = activityTimeoutSeconds;
        this.clientEvents = clientEvents;
        this.userAuthentication = userAuthentication;
        this.encryptionMasterKey = encryptionMasterKey.clone();
        this.subscriptionCount = subscriptionCount;
        this.maxFrameBytes = maxFrameBytes;
        this.cacheTtl = cacheTtl;
        this.xhrResponseLimitBytes = xhrResponseLimitBytes;
        this.xhrHeartbeatInterval = xhrHeartbeatInterval;
        this.xhrDisconnectDelay = xhrDisconnectDelay;
    }

    /** @return the app id */
    public String appId() {
        return appId;
    }

    /** @return the app key */
    public String appKey() {
        return appKey;
    }

    /** @return the app secret */
    public String appSecret() {
        return appSecret;
    }

    /** @return the activity timeout announced to clients, in seconds */
    public int activityTimeoutSeconds() {
        return activityTimeoutSeconds;
    }

    /** @return whether client events are relayed */
    public boolean clientEvents() {
        return clientEvents;
    }

    /** @return whether user sign-in is honoured */
    public boolean userAuthentication() {
        return userAuthentication;
    }

    /** @return a copy of the 32-byte encryption master key */
    public byte[] encryptionMasterKey() {
        return encryptionMasterKey.clone();
    }

    /** @return whether subscription counts are sent */
    public boolean subscriptionCount() {
        return subscriptionCount;
    }

    /** @return the largest WebSocket message accepted, in bytes */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** @return how long a cache channel keeps its last event */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    /** @return the bytes of frames after which an xhr_streaming response ends (SockJS's response_limit) */
    public int xhrResponseLimitBytes() {
        return xhrResponseLimitBytes;
    }

    /** @return how often an open receiving request gets a heartbeat frame (SockJS's heartbeat_delay) */
    public Duration xhrHeartbeatInterval() {
        return xhrHeartbeatInterval;
    }

    /** @return how long an HTTP session lives without a receiving request (SockJS's disconnect_delay) */
    public Duration xhrDisconnectDelay() {
        return xhrDisconnectDelay;
    }

    /** Never shows the secret or the master key. */
    @Override
    public String toString() {
        return "ServerConfig{appId=" + appId + ", appKey=" + appKey + ", activityTimeoutSeconds=" + activityTimeoutSeconds
                + ", clientEvents=" + clientEvents + ", userAuthentication=" + userAuthentication
                + ", subscriptionCount=" + subscriptionCount + ", maxFrameBytes=" + maxFrameBytes + ", cacheTtl=" + cacheTtl
                + ", xhrResponseLimitBytes=" + xhrResponseLimitBytes + ", xhrHeartbeatInterval=" + xhrHeartbeatInterval
                + ", xhrDisconnectDelay=" + xhrDisconnectDelay
                + ", masterKeyLength=" + encryptionMasterKey.length + "}";
    }
}
