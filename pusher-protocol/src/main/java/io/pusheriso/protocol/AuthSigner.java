package io.pusheriso.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs channel authorizations and user authentications the way Pusher servers check them:
 * {@code key:hex(HMAC-SHA256(secret, stringToSign))}, with {@code socket_id:channel} for private
 * channels, {@code socket_id:channel:channel_data} for presence channels and
 * {@code socket_id::user::user_data} for user sign-in.
 *
 * <p>Holds the app key and secret; {@link #toString()} never shows the secret. Immutable and
 * thread-safe: each signature works on its own clone of a prototype {@link Mac}.
 *
 * @since 0.1.0
 */
public final class AuthSigner {
    private static final String ALGORITHM = "HmacSHA256";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String appKey;
    private final SecretKeySpec key;
    private final Mac prototype;

    /**
     * Creates a signer.
     *
     * @param appKey the app key; not null or empty
     * @param appSecret the app secret; not null or empty
     * @throws IllegalArgumentException if an argument is null or empty
     * @throws IllegalStateException if the JVM offers no HmacSHA256
     */
    public AuthSigner(String appKey, String appSecret) {
        if (appKey == null || appKey.isEmpty()) {
            throw new IllegalArgumentException("appKey must not be null or empty");
        }
        if (appSecret == null || appSecret.isEmpty()) {
            throw new IllegalArgumentException("appSecret must not be null or empty");
        }
        this.appKey = appKey;
        this.key = new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.prototype = newMac();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** @return the app key */
    public String appKey() {
        return appKey;
    }

    /**
     * Signs a private (or private-encrypted) channel subscription.
     *
     * @param socketId the socket id
     * @param channel the channel name
     * @return {@code key:hex(HMAC-SHA256(secret, "socket_id:channel"))}
     * @throws IllegalArgumentException if an argument is null
     */
    public String signChannel(String socketId, String channel) {
        require(socketId, "socketId");
        require(channel, "channel");
        return sign(socketId + ':' + channel);
    }

    /**
     * Signs a presence channel subscription.
     *
     * @param socketId the socket id
     * @param channel the channel name
     * @param channelData the {@code channel_data} JSON text, exactly as it will be sent
     * @return {@code key:hex(HMAC-SHA256(secret, "socket_id:channel:channel_data"))}
     * @throws IllegalArgumentException if an argument is null
     */
    public String signPresence(String socketId, String channel, String channelData) {
        require(socketId, "socketId");
        require(channel, "channel");
        require(channelData, "channelData");
        return sign(socketId + ':' + channel + ':' + channelData);
    }

    /**
     * Signs a user sign-in.
     *
     * @param socketId the socket id
     * @param userData the {@code user_data} JSON text, exactly as it will be sent
     * @return {@code key:hex(HMAC-SHA256(secret, "socket_id::user::user_data"))}
     * @throws IllegalArgumentException if an argument is null
     */
    public String signUser(String socketId, String userData) {
        require(socketId, "socketId");
        require(userData, "userData");
        return sign(socketId + "::user::" + userData);
    }

    private String sign(String stringToSign) {
        return appKey + ':' + hmacSha256Hex(stringToSign);
    }

    /**
     * Computes the HMAC-SHA256 of a string (UTF-8) with the app secret.
     *
     * @param stringToSign the string
     * @return the MAC as 64 lowercase hex digits
     * @throws IllegalArgumentException if {@code stringToSign} is null
     */
    public String hmacSha256Hex(String stringToSign) {
        require(stringToSign, "stringToSign");
        byte[] mac = mac().doFinal(stringToSign.getBytes(StandardCharsets.UTF_8));
        char[] hex = new char[mac.length * 2];
        for (int i = 0; i < mac.length; i++) {
            hex[2 * i] = HEX[(mac[i] >>> 4) & 0xF];
            hex[2 * i + 1] = HEX[mac[i] & 0xF];
        }
        return new String(hex);
    }

    private Mac mac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return newMac();
        }
    }

    /**
     * Checks an authorization against the one this signer would make, in constant time.
     *
     * @param auth the {@code key:signature} to check (null gives false)
     * @param stringToSign the string it should sign
     * @return whether {@code auth} is this app's key and the right signature
     * @throws IllegalArgumentException if {@code stringToSign} is null
     */
    public boolean verify(String auth, String stringToSign) {
        byte[] expected = sign(stringToSign).getBytes(StandardCharsets.UTF_8);
        return auth != null && MessageDigest.isEqual(expected, auth.getBytes(StandardCharsets.UTF_8));
    }

    private static void require(String value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    /** Shows the app key only, never the secret. */
    @Override
    public String toString() {
        return "AuthSigner{appKey=" + appKey + ", appSecret=<hidden>}";
    }
}
