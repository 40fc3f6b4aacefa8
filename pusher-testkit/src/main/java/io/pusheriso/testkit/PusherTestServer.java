package io.pusheriso.testkit;

import io.pusheriso.testkit.internal.Engine;
import io.pusheriso.testkit.internal.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * An embedded Pusher-protocol v7 server for tests, on Netty, listening on {@code 127.0.0.1} only.
 *
 * <p>It speaks what Pusher and soketi speak: the handshake, ping/pong, public, private, presence, encrypted and cache
 * channels with their authorization checks, client events, user sign-in with server-to-user events and watchlists,
 * subscription counts, the signed HTTP events API, and the channel and user authorization endpoints of the
 * project's reference auth server. On top of that it injects faults on demand through {@link #faults()}.
 *
 * <p>Besides WebSockets it serves the SockJS-style endpoints of Pusher's HTTP fallback transports, xhr_streaming and
 * xhr polling, under {@link #httpBaseUri()} and {@link #httpsBaseUri()}, with sockjs-node's framing and session life
 * cycle (see {@link #httpBaseUri()}). An HTTP session is a connection like a WebSocket one: it has a socket id, shares
 * every channel, presence, client event, cache and sign-in rule with the WebSocket side, counts in
 * {@link #connectionCount()}, and takes every fault of {@link Faults}.
 *
 * <p>Two ports: {@link #port()} for plain HTTP and {@code ws}, {@link #tlsPort()} for HTTPS and {@code wss} with a
 * certificate for {@code 127.0.0.1} and {@code localhost} signed by a certificate authority made at start
 * ({@link #caCertificatePem()}, {@link #clientSslContext()}). The server runs on an event loop group of its own
 * (two threads) that {@link #close()} shuts down; a closed server leaves no thread behind.
 *
 * <pre>{@code
 * try (PusherTestServer server = PusherTestServer.start()) {
 *     // connect a client to server.wsUri(), then:
 *     server.trigger("my-channel", "my-event", "{\"hello\":\"world\"}");
 * }
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any thread, including while connections are active.
 */
public final class PusherTestServer implements AutoCloseable {
    private final Engine engine;
    private final Path caFile;

    private PusherTestServer(Engine engine, Path caFile) {
        this.engine = engine;
        this.caFile = caFile;
    }

    /** @return a builder with the defaults (app {@code app-id}, key {@code app-key}, secret {@code app-secret}) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a server with the defaults.
     *
     * @return the running server
     */
    public static PusherTestServer start() {
        return builder().start();
    }

    /** @return the app id of the events API path {@code /apps/{id}/events} */
    public String appId() {
        return engine.configAppId();
    }

    /** @return the app key clients connect with */
    public String appKey() {
        return engine.configAppKey();
    }

    /** @return the app secret (tests sign with it; never logged by the server) */
    public String appSecret() {
        return engine.configAppSecret();
    }

    /** @return {@code "127.0.0.1"} */
    public String host() {
        return "127.0.0.1";
    }

    /** @return the plain port: HTTP events API, auth endpoints, and {@code ws} on {@code /app/KEY} */
    public int port() {
        return engine.port();
    }

    /** @return the TLS port: the same over HTTPS and {@code wss} */
    public int tlsPort() {
        return engine.tlsPort();
    }

    /** @return {@code ws://127.0.0.1:port/app/KEY?protocol=7&client=java&version=test&flash=false} */
    public URI wsUri() {
        return URI.create("ws://" + host() + ":" + port() + "/app/" + appKey() + "?protocol=7&client=java&version=test&flash=false");
    }

    /** @return the same as {@link #wsUri()} with {@code wss} and the TLS port */
    public URI wssUri() {
        return URI.create("wss://" + host() + ":" + tlsPort() + "/app/" + appKey() + "?protocol=7&client=java&version=test&flash=false");
    }

    /**
     * The base of the HTTP fallback endpoints, as Pusher's HTTP transports take it: a transport appends
     * {@code /<server>/<session>/xhr_streaming}, {@code /xhr} or {@code /xhr_send} to the path (and keeps the query on
     * the receiving requests). The endpoints behave as sockjs-node 0.3 does (the server the project's real peers run):
     * <ul>
     * <li>{@code POST .../xhr_streaming}: one chunked response: 2048 {@code h} and a newline, then one frame per line:
     * {@code o} (open), {@code a[...]} (a JSON array of Pusher messages, each a JSON string), {@code h} (heartbeat)
     * and {@code c[code,"reason"]} (the server closed the session). The response ends normally once its frames reach
     * {@link Builder#xhrResponseLimitBytes(int)}, and the client reopens it in the same session.
     * <li>{@code POST .../xhr} (polling): the first request gets {@code o}; later ones wait until messages are queued
     * (then {@code a[...]} with all of them), or for a heartbeat interval ({@code h}); {@code c[...]} once closed.
     * <li>{@code POST .../xhr_send}: the body is a JSON array of strings, each one Pusher message, handled in order as
     * WebSocket frames are; 204 when done, 404 for an unknown session, 500 {@code Payload expected.} or
     * {@code Broken JSON encoding.} for a body that is not such an array.
     * <li>A session with no receiving request for {@link Builder#xhrDisconnectDelay(Duration)} ends, which counts as a
     * disconnect (presence members leave and so on); so does the client dropping the TCP connection of its open
     * receiving request, at once. A second receiving request while one is open gets {@code c[2010,"Another connection
     * still open"]}. A wrong app key gets Pusher's {@code pusher:error} 4001 and {@code c[4001,"App key does not
     * exist"]}, an unsupported {@code protocol} 4007, as on the WebSocket side. Any other path under
     * {@code /pusher/app/} is a 404.
     * </ul>
     *
     * @return {@code http://127.0.0.1:port/pusher/app/KEY?protocol=7&client=java&version=test}
     */
    public URI httpBaseUri() {
        return URI.create("http://" + host() + ":" + port() + "/pusher/app/" + appKey() + "?protocol=7&client=java&version=test");
    }

    /** @return the same as {@link #httpBaseUri()} with {@code https} and the TLS port */
    public URI httpsBaseUri() {
        return URI.create("https://" + host() + ":" + tlsPort() + "/pusher/app/" + appKey() + "?protocol=7&client=java&version=test");
    }

    /**
     * The channel authorization endpoint, {@code POST} form {@code socket_id, channel_name[, user_id][, deny=1]}.
     * A channel name containing {@code forbidden}, or {@code deny=1}, gets 403; {@code presence-} channels get
     * {@code channel_data} with {@code user_id} (default {@code user-<socket_id>}); {@code private-encrypted-}
     * channels get the {@code shared_secret}.
     *
     * @return {@code http://127.0.0.1:port/pusher/auth}
     */
    public URI authEndpoint() {
        return URI.create("http://" + host() + ":" + port() + "/pusher/auth");
    }

    /**
     * The user authentication endpoint, {@code POST} form {@code socket_id[, user_id][, watchlist=a,b][, deny=1]};
     * answers {@code {auth, user_data}} with {@code user_data} {@code {"id":..,"name":..[,"watchlist":[..]]}}.
     *
     * @return {@code http://127.0.0.1:port/pusher/user-auth}
     */
    public URI userAuthEndpoint() {
        return URI.create("http://" + host() + ":" + port() + "/pusher/user-auth");
    }

    /** @return the PEM text of the certificate authority that signed the server certificate */
    public String caCertificatePem() {
        return engine.tls().caPem();
    }

    /** @return a temporary file holding {@link #caCertificatePem()}, deleted on {@link #close()} */
    public Path caCertificateFile() {
        return caFile;
    }

    /** @return a new PKCS12 key store (no password) holding the CA as its only trusted entry */
    public KeyStore trustStore() {
        return engine.tls().trustStore();
    }

    /** @return a TLS client context that trusts this server's CA and nothing else */
    public SSLContext clientSslContext() {
        return engine.tls().clientSslContext();
    }

    /** @return the base64 encryption master key from which encrypted channels' shared secrets derive */
    public String encryptionMasterKeyBase64() {
        return engine.masterKeyBase64();
    }

    /**
     * Publishes an event, as a server SDK does through the HTTP events API: the data travels as a JSON string
     * (Pusher's double encoding); on a {@code private-encrypted-} channel it is first sealed with the channel's
     * shared secret into {@code {"nonce":..,"ciphertext":..}}.
     *
     * @param channel the channel
     * @param event the event name
     * @param dataJson the data (normally JSON text); any size, so that tests can send large messages (the HTTP
     *     events API keeps Pusher's 10 KB limit and answers 413 above it)
     * @throws IllegalArgumentException on an invalid channel or event name, or null data (what Pusher answers 400)
     * @throws IllegalStateException when the server is closed
     */
    public void trigger(String channel, String event, String dataJson) {
        engine.trigger(channel, event, dataJson, null);
    }

    /**
     * Publishes an event to every subscriber except one socket (the HTTP API's {@code socket_id}).
     *
     * @param channel the channel
     * @param event the event name
     * @param dataJson the data
     * @param excludeSocketId the socket that does not get it
     */
    public void trigger(String channel, String event, String dataJson, String excludeSocketId) {
        engine.trigger(channel, event, dataJson, excludeSocketId);
    }

    /**
     * Sends an event on {@code #server-to-user-<userId>} to every socket signed in as that user.
     *
     * @param userId the user id
     * @param event the event name
     * @param dataJson the data
     */
    public void sendToUser(String userId, String event, String dataJson) {
        engine.sendToUser(userId, event, dataJson);
    }

    /**
     * @return the number of open connections that completed the Pusher handshake: WebSocket connections and open
     *     HTTP fallback sessions
     */
    public int connectionCount() {
        return engine.connectionCount();
    }

    /** @return the socket ids of the open connections (WebSocket and HTTP sessions), oldest first */
    public List<String> socketIds() {
        return engine.socketIds();
    }

    /**
     * @param socketId a socket id, of an open or an already closed connection
     * @return every text frame (for an HTTP session: every message of its {@code xhr_send} bodies) the server received
     *     from it, in order (empty for an unknown id)
     */
    public List<String> framesReceivedFrom(String socketId) {
        return engine.framesReceivedFrom(socketId);
    }

    /**
     * @param socketId a socket id
     * @return how that connection reaches the server: {@code ws}, or {@code xhr_streaming} / {@code xhr_polling} (the
     *     kind of an HTTP session's latest receiving request); null when no open connection has that id
     */
    public String transportOf(String socketId) {
        return engine.transportOf(socketId);
    }

    /**
     * @param socketId a socket id
     * @return the channels it is subscribed to, in subscription order (empty when unknown or closed)
     */
    public Set<String> subscribedChannels(String socketId) {
        return engine.subscribedChannels(socketId);
    }

    /**
     * @param channel a presence channel
     * @return the user ids of its members, in joining order
     */
    public List<String> presenceMemberIds(String channel) {
        return engine.presenceMemberIds(channel);
    }

    /**
     * @param channel a channel
     * @return the number of sockets subscribed to it
     */
    public int subscriberCount(String channel) {
        return engine.subscriberCount(channel);
    }

    /** @return the fault switches of this server */
    public Faults faults() {
        return engine.faults();
    }

    /** Closes every connection and both ports, ends the server's threads and deletes the CA file. Idempotent. */
    @Override
    public void close() {
        engine.close();
        try {
            Files.deleteIfExists(caFile);
        } catch (IOException e) {
            // A temp file left behind is harmless; closing must not fail for it.
        }
    }

    @Override
    public String toString() {
        return "PusherTestServer{appKey=" + appKey() + ", port=" + port() + ", tlsPort=" + tlsPort() + "}";
    }

    /**
     * Fault injection. Every method is thread-safe and takes effect at once, on current connections and, where it
     * says so, on new ones. {@link #reset()} turns every switch off. Every fault applies to HTTP fallback sessions
     * too, as each method says.
     */
    public interface Faults {
        /**
         * Closes every WebSocket connection's TCP socket abruptly, without a close frame. HTTP sessions end abruptly
         * too: the TCP connection of the open receiving request is closed (a streaming client sees its response cut
         * off) and the session is forgotten, with no {@code c} frame (a later {@code xhr_send} gets 404, a later
         * receiving request opens a new session and gets {@code o}).
         */
        void dropAllConnections();

        /**
         * Sends every WebSocket connection a close frame with that code, then closes the socket when the client
         * answers (or after a second). HTTP sessions get {@code c[code,"reason"]} after any queued messages, on the
         * open receiving request or the next one, and leave every channel at once.
         *
         * @param code a code allowed in a close frame (1000-1003, 1007-1014, 3000-4999)
         * @param reason the reason, at most 123 UTF-8 bytes
         * @throws IllegalArgumentException on a code or reason a close frame cannot carry
         */
        void closeAll(int code, String reason);

        /**
         * Sends a text frame to every WebSocket connection, as is (it may be malformed on purpose). HTTP sessions
         * get it as one message of an {@code a[...]} frame, JSON-escaped as a string.
         *
         * @param frame the text
         */
        void sendRawToAll(String frame);

        /**
         * Sends a text frame to one connection, as is; to an HTTP session as one message of an {@code a[...]} frame.
         *
         * @param socketId the socket id
         * @param frame the text
         * @throws IllegalArgumentException when no open connection has that socket id
         */
        void sendRaw(String socketId, String frame);

        /**
         * HTTP sessions only: writes text verbatim into the session's receiving response (the open one, or the next),
         * in order with its messages, without any framing and without adding a newline. For hostile-server tests: a
         * garbage line ({@code "zzz\n"}), an {@code o} frame again, an endless line with no newline, a frame cut in
         * two. It counts toward the streaming response limit; a polling response ends after it.
         *
         * @param socketId the socket id of an open HTTP session
         * @param text the bytes to write, as UTF-8
         * @throws IllegalArgumentException when no open connection has that socket id, or it is a WebSocket one
         */
        void sendRawHttp(String socketId, String text);

        /**
         * Half-open links: while enabled, every WebSocket connection stops being read and every frame to it is
         * dropped, with no FIN and no close; new WebSocket handshakes get no answer. Disabling resumes reading,
         * writing and the held handshakes. Frames dropped meanwhile are lost, as on a broken link. HTTP sessions get
         * nothing more on their open receiving requests (no messages, no heartbeats; a close is not written either,
         * and the receiving request's connection is cut a second later, as a WebSocket's is), and every new request
         * to the HTTP fallback endpoints is held unanswered and unread until the fault is lifted.
         *
         * @param enabled true to break the links
         */
        void halfOpen(boolean enabled);

        /**
         * While enabled, new TCP connections (both ports) are accepted and closed at once; so is the (kept-alive)
         * connection of a receiving request that would open a new HTTP session. Open sessions carry on.
         *
         * @param refuse true to refuse
         */
        void refuseNewConnections(boolean refuse);

        /**
         * While enabled, new connections over one transport are refused as if the network or a proxy did not carry
         * it, so that a client must fall back: WebSocket upgrades get 403; a receiving request that would open a new
         * HTTP session over {@code xhr_streaming} (or {@code xhr} polling) gets 404. Open connections and sessions
         * carry on. Several transports may be refused at once.
         *
         * @param transport {@code ws}, {@code xhr_streaming} or {@code xhr_polling} (pusher-js's names)
         * @param refuse true to refuse
         * @throws IllegalArgumentException for another name
         */
        void refuseTransport(String transport, boolean refuse);

        /**
         * Holds the answer to each new WebSocket handshake, and to the receiving request that opens a new HTTP
         * session (its whole response: head, prelude and {@code o}), for this long. {@link Duration#ZERO} turns it off.
         *
         * @param delay how long, not negative
         */
        void delayNewConnections(Duration delay);

        /**
         * While enabled, {@code pusher:ping} messages (and WebSocket ping frames) go unanswered, over WebSockets and
         * HTTP sessions alike (HTTP sessions still get their {@code h} heartbeats).
         *
         * @param stop true to stop answering
         */
        void stopAnsweringPings(boolean stop);

        /** Turns every fault off (lifting a half-open fault resumes the held connections). */
        void reset();
    }

    /**
     * Settings of a server. Not thread-safe; {@link #start()} may be called more than once, for several servers.
     */
    public static final class Builder {
        private static final SecureRandom RANDOM = new SecureRandom();

        private String appId = "app-id";
        private String appKey = "app-key";
        private String appSecret = "app-secret";
        private int activityTimeoutSeconds = 120;
        private boolean clientEvents = true;
        private boolean userAuthentication = true;
        private byte[] masterKey;
        private boolean subscriptionCount;
        private int maxFrameBytes = 1 << 20;
        private Duration cacheTtl = Duration.ofMinutes(30);
        private int xhrResponseLimitBytes = 128 * 1024;
        private Duration xhrHeartbeatInterval = Duration.ofSeconds(25);
        private Duration xhrDisconnectDelay = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * @param appId the app id (default {@code app-id}); letters, digits, {@code -} and {@code _}
         * @return this
         */
        public Builder appId(String appId) {
            this.appId = token("appId", appId);
            return this;
        }

        /**
         * @param appKey the app key (default {@code app-key}); letters, digits, {@code -} and {@code _}
         * @return this
         */
        public Builder appKey(String appKey) {
            this.appKey = token("appKey", appKey);
            return this;
        }

        /**
         * @param appSecret the app secret (default {@code app-secret}), not empty
         * @return this
         */
        public Builder appSecret(String appSecret) {
            Objects.requireNonNull(appSecret, "appSecret");
            if (appSecret.isEmpty()) {
                throw new IllegalArgumentException("appSecret must not be empty");
            }
            this.appSecret = appSecret;
            return this;
        }

        /**
         * @param seconds the activity timeout announced in {@code pusher:connection_established} (default 120)
         * @return this
         */
        public Builder activityTimeoutSeconds(int seconds) {
            if (seconds < 1) {
                throw new IllegalArgumentException("activityTimeoutSeconds must be at least 1, was " + seconds);
            }
            this.activityTimeoutSeconds = seconds;
            return this;
        }

        /**
         * @param enabled whether client events are relayed (default true); when false they get {@code pusher:error}
         *     4301, as on soketi
         * @return this
         */
        public Builder clientEvents(boolean enabled) {
            this.clientEvents = enabled;
            return this;
        }

        /**
         * @param enabled whether {@code pusher:signin} is honoured (default true); when false it is ignored, as on
         *     soketi without user authentication
         * @return this
         */
        public Builder userAuthentication(boolean enabled) {
            this.userAuthentication = enabled;
            return this;
        }

        /**
         * @param base64 the encryption master key, base64 of exactly 32 bytes (default: 32 random bytes)
         * @return this
         */
        public Builder encryptionMasterKeyBase64(String base64) {
            Objects.requireNonNull(base64, "encryptionMasterKeyBase64");
            byte[] key;
            try {
                key = Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("encryptionMasterKeyBase64 is not valid base64", e);
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("encryptionMasterKeyBase64 must decode to 32 bytes, not " + key.length);
            }
            this.masterKey = key;
            return this;
        }

        /**
         * @param enabled whether {@code pusher_internal:subscription_count} is sent to the subscribers of
         *     non-presence channels whenever their number changes (default false)
         * @return this
         */
        public Builder subscriptionCount(boolean enabled) {
            this.subscriptionCount = enabled;
            return this;
        }

        /**
         * @param bytes the largest WebSocket message accepted (default 1 MiB); a larger one closes the connection
         *     with 1009
         * @return this
         */
        public Builder maxFrameBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxFrameBytes must be at least 1024, was " + bytes);
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /**
         * @param ttl how long a cache channel remembers its last event (default 30 minutes, as Pusher)
         * @return this
         */
        public Builder cacheTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "cacheTtl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("cacheTtl must be positive, was " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /**
         * @param bytes after how many bytes of frames an xhr_streaming response ends, so that the client reopens it
         *     (default 128 KiB, sockjs-node's {@code response_limit}); the frame that crosses it is sent whole
         * @return this
         */
        public Builder xhrResponseLimitBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("xhrResponseLimitBytes must be at least 1, was " + bytes);
            }
            this.xhrResponseLimitBytes = bytes;
            return this;
        }

        /**
         * @param interval how often an open HTTP receiving request gets an {@code h} frame (default 25 s, sockjs-node's
         *     {@code heartbeat_delay}); a waiting poll is answered {@code h} after it
         * @return this
         */
        public Builder xhrHeartbeatInterval(Duration interval) {
            this.xhrHeartbeatInterval = positive("xhrHeartbeatInterval", interval);
            return this;
        }

        /**
         * @param delay how long an HTTP session lives with no receiving request before it ends as a disconnect
         *     (default 5 s, sockjs-node's {@code disconnect_delay})
         * @return this
         */
        public Builder xhrDisconnectDelay(Duration delay) {
            this.xhrDisconnectDelay = positive("xhrDisconnectDelay", delay);
            return this;
        }

        private static Duration positive(String what, Duration value) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + value);
            }
            return value;
        }

        /**
         * Starts a server with these settings.
         *
         * @return the running server
         * @throws IllegalStateException when the ports cannot be bound
         */
        public PusherTestServer start() {
            byte[] key = masterKey;
            if (key == null) {
                key = new byte[32];
                RANDOM.nextBytes(key);
            }
            ServerConfig config = new ServerConfig(appId, appKey, appSecret, activityTimeoutSeconds, clientEvents,
                    userAuthentication, key, subscriptionCount, maxFrameBytes, cacheTtl, xhrResponseLimitBytes,
                    xhrHeartbeatInterval, xhrDisconnectDelay);
            Engine engine = Engine.start(config);
            try {
                Path file = Files.createTempFile("pusher-testkit-ca-", ".pem");
                Files.writeString(file, engine.tls().caPem(), StandardCharsets.US_ASCII);
                file.toFile().deleteOnExit();
                return new PusherTestServer(engine, file);
            } catch (IOException e) {
                engine.close();
                throw new UncheckedIOException("cannot write the CA certificate to a temporary file", e);
            }
        }

        private static String token(String what, String value) {
            Objects.requireNonNull(value, what);
            if (!value.matches("[A-Za-z0-9_\\-]+")) {
                throw new IllegalArgumentException(what + " must be letters, digits, '-' or '_', was '" + value + "'");
            }
            return value;
        }
    }
}
