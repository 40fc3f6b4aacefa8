package io.pusheriso.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.pusheriso.protocol.AuthSigner;
import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.ChannelNames;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not for public use, may change at any time. The running server behind {@code PusherTestServer}: one event loop
 * group of its own (two NIO threads), a plain port (HTTP + ws) and a TLS port (HTTPS + wss) on 127.0.0.1.
 *
 * <p>Thread-safe. {@link #close()} closes every connection and both ports and waits until the event loop threads
 * have ended, so a closed server leaves no thread behind.
 */
public final class Engine implements AutoCloseable {
    private static final AtomicInteger SERVERS = new AtomicInteger();
    /** Prefix of the names of every thread a server owns. */
    public static final String THREAD_PREFIX = "pusher-testkit-";
    static final String HOST = "127.0.0.1";
    /** Largest HTTP request body (events API, auth forms) accepted. */
    static final int MAX_HTTP_BODY = 1 << 20;

    private final ServerConfig config;
    private final AuthSigner signer;
    private final Hub hub;
    private final FaultState faults;
    private final XhrEndpoints xhr;
    private final TlsMaterial tls;
    private final EventLoopGroup group;
    private final Set<Channel> children = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Channel plainServer;
    private volatile Channel tlsServer;

    private Engine(ServerConfig config) {
        this.config = config;
        this.signer = new AuthSigner(config.appKey(), config.appSecret());
        this.hub = new Hub(config, signer);
        this.faults = new FaultState(hub);
        this.xhr = new XhrEndpoints(this);
        this.tls = TlsMaterial.generate();
        this.group = new MultiThreadIoEventLoopGroup(2,
                new DefaultThreadFactory(THREAD_PREFIX + SERVERS.incrementAndGet(), true), NioIoHandler.newFactory());
    }

    /**
     * Starts a server and binds both ports.
     *
     * @param config the settings
     * @return the running server
     * @throws IllegalStateException when a port cannot be bound
     */
    public static Engine start(ServerConfig config) {
        Engine engine = new Engine(config);
        try {
            SslContext sslContext = engine.tls.serverContext();
            engine.plainServer = engine.bind(null);
            engine.tlsServer = engine.bind(sslContext);
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    private Channel bind(SslContext sslContext) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (faults.refusing() || closed.get()) {
                            ch.close();
                            return;
                        }
                        children.add(ch);
                        ch.closeFuture().addListener(f -> children.remove(ch));
                        ReadGate gate = new ReadGate();
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("gate", gate);
                        if (sslContext != null) {
                            p.addLast("tls", sslContext.newHandler(ch.alloc()));
                        }
                        p.addLast("http", new HttpServerCodec());
                        p.addLast("aggregator", new HttpObjectAggregator(maxHttpBody()));
                        p.addLast("app", new HttpHandler(Engine.this, gate, sslContext != null));
                    }
                });
        try {
            return bootstrap.bind(new InetSocketAddress(HOST, 0)).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot bind a port on " + HOST + ": " + e.getMessage(), e);
        }
    }

    /** Bodies up to 1 MiB, or more when xhr_send must carry a message of maxFrameBytes, JSON-escaped. */
    private int maxHttpBody() {
        return (int) Math.min(Integer.MAX_VALUE - 1024, Math.max(MAX_HTTP_BODY, 2L * config.maxFrameBytes() + 1024));
    }

    XhrEndpoints xhr() {
        return xhr;
    }

    /** @return one of the server's event loops, in turn (each HTTP fallback session lives on one) */
    EventLoop nextLoop() {
        return group.next();
    }

    ServerConfig config() {
        return config;
    }

    /** @return the app id */
    public String configAppId() {
        return config.appId();
    }

    /** @return the app key */
    public String configAppKey() {
        return config.appKey();
    }

    /** @return the app secret */
    public String configAppSecret() {
        return config.appSecret();
    }

    /** @return the master key in base64 */
    public String masterKeyBase64() {
        return Base64.getEncoder().encodeToString(config.encryptionMasterKey());
    }

    AuthSigner signer() {
        return signer;
    }

    Hub hub() {
        return hub;
    }

    /** @return the fault switches */
    public FaultState faults() {
        return faults;
    }

    /** @return the certificates */
    public TlsMaterial tls() {
        return tls;
    }

    /** @return the plain port */
    public int port() {
        return ((InetSocketAddress) plainServer.localAddress()).getPort();
    }

    /** @return the TLS port */
    public int tlsPort() {
        return ((InetSocketAddress) tlsServer.localAddress()).getPort();
    }

    /**
     * The shared secret of an encrypted channel, as the official server SDKs derive it.
     *
     * @param channel a {@code private-encrypted-} channel
     * @return SHA-256 of the channel name's UTF-8 bytes followed by the master key
     */
    public byte[] sharedSecret(String channel) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(channel.getBytes(StandardCharsets.UTF_8));
            sha.update(config.encryptionMasterKey());
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * Publishes as a server SDK would: events on encrypted channels are sealed with the channel's shared secret first,
     * then everything takes the events API path.
     *
     * @param channel the channel
     * @param event the event name
     * @param data the data string
     * @param excludeSocketId a socket that must not get it, or null
     */
    public void trigger(String channel, String event, String data, String excludeSocketId) {
        ensureOpen();
        EventsApi.validateEvent(Collections.singletonList(channel), event, data);
        String payload = data;
        if (!channel.startsWith(Hub.SERVER_TO_USER_PREFIX) && ChannelNames.kindOf(channel) == ChannelKind.PRIVATE_ENCRYPTED) {
            byte[] nonce = SecretBox.randomNonce();
            byte[] box = SecretBox.seal(sharedSecret(channel), nonce, data.getBytes(StandardCharsets.UTF_8));
            ObjectNode sealed = Json.object();
            sealed.put("nonce", Base64.getEncoder().encodeToString(nonce));
            sealed.put("ciphertext", Base64.getEncoder().encodeToString(box));
            payload = Json.write(sealed);
        }
        hub.publish(List.of(channel), event, payload, excludeSocketId);
    }

    /**
     * Sends an event to every socket signed in as a user, on {@code #server-to-user-ID}.
     *
     * @param userId the user id
     * @param event the event name
     * @param data the data string
     */
    public void sendToUser(String userId, String event, String data) {
        ensureOpen();
        if (userId == null || userId.isEmpty()) {
            throw new IllegalArgumentException("userId must not be empty");
        }
        String channel = Hub.SERVER_TO_USER_PREFIX + userId;
        EventsApi.validateEvent(List.of(channel), event, data);
        hub.publish(List.of(channel), event, data, null);
    }

    /** @return open WebSocket connections */
    public int connectionCount() {
        return hub.connectionCount();
    }

    /** @return socket ids of the open connections, oldest first */
    public List<String> socketIds() {
        return hub.socketIds();
    }

    /**
     * @param socketId a socket id, open or closed
     * @return the text frames received from it, in order; empty for an unknown id
     */
    public List<String> framesReceivedFrom(String socketId) {
        return hub.framesReceivedFrom(socketId);
    }

    /**
     * @param socketId a socket id
     * @return {@code ws}, {@code xhr_streaming} or {@code xhr_polling}; null when not open
     */
    public String transportOf(String socketId) {
        return hub.transportOf(socketId);
    }

    /**
     * @param socketId a socket id
     * @return its channels; empty for an unknown or closed socket
     */
    public Set<String> subscribedChannels(String socketId) {
        return hub.subscribedChannels(socketId);
    }

    /**
     * @param channel a presence channel
     * @return its member ids in joining order
     */
    public List<String> presenceMemberIds(String channel) {
        return hub.presenceMemberIds(channel);
    }

    /**
     * @param channel a channel
     * @return how many sockets are subscribed to it
     */
    public int subscriberCount(String channel) {
        return hub.subscriberCount(channel);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the test server is closed");
        }
    }

    /** @return true once closed */
    public boolean isClosed() {
        return closed.get();
    }

    /** Closes every connection and port and waits (up to 10 s) for the threads to end. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        faults.clear();
        if (plainServer != null) {
            plainServer.close();
        }
        if (tlsServer != null) {
            tlsServer.close();
        }
        children.forEach(Channel::close);
        Future<?> termination = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        boolean onOwnThread = false;
        for (EventExecutor loop : group) {
            onOwnThread |= loop.inEventLoop();
        }
        // Waiting on our own loop would wait for ourselves; a caller there gets the shutdown without the wait.
        if (!onOwnThread) {
            termination.awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
