package io.pusheriso.benchmarks.e2e;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Pusher-protocol-7 WebSocket server on loopback, made to feed the clients under test as fast as they can
 * read: it answers the handshake with {@code pusher:connection_established}, {@code pusher:subscribe} with
 * {@code pusher_internal:subscription_succeeded} and {@code pusher:ping} with {@code pusher:pong}, and on request
 * floods a connection with pre-encoded WebSocket frames (many frames per write, written as raw bytes past the frame
 * encoder), sends timestamped frames at a fixed rate, or closes every connection with a code.
 *
 * <p>Threading: Netty event loops named {@code bench-server-*}; the public methods are thread-safe.
 */
public final class BenchServer implements AutoCloseable {

    /** The channel and event every stream uses. */
    public static final String CHANNEL = "orders-eu-west-1";
    public static final String EVENT = "order-updated";

    private static final AttributeKey<Set<String>> SUBSCRIBED = AttributeKey.valueOf("subscribed");

    private final EventLoopGroup group;
    private final Channel server;
    private final Channel xhrServer;
    /** xhr_streaming sessions ("server/session" of the URL) and the channel of their current stream response. */
    private final Map<String, Channel> streams = new ConcurrentHashMap<>();
    private final List<Channel> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger subscribes = new AtomicInteger();

    public BenchServer(int threads) throws InterruptedException {
        // epoll when available: its timerfd gives the fixed-rate sender sub-millisecond ticks (NIO's select rounds
        // timeouts to milliseconds).
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-server", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/app")
                .checkStartsWith(true)
                .maxFramePayloadLength(1 << 20)
                .handshakeTimeoutMillis(30_000)
                .build();
        server = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(config), new PusherHandler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        xhrServer = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new XhrHandler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** The port of the SockJS-style HTTP endpoints (xhr_streaming, xhr_send) under /pusher/app/KEY/. */
    public int xhrPort() {
        return ((InetSocketAddress) xhrServer.localAddress()).getPort();
    }

    /** The channels currently carrying an xhr_streaming response. */
    public List<Channel> streams() {
        return List.copyOf(streams.values());
    }

    /** A Pusher frame (JSON text) as one SockJS {@code a[...]} line: the frame as a JSON string in an array. */
    public static String xhrLine(String frame) {
        return "a[\"" + frame.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]\n";
    }

    /** {@code frames} copies of {@code payload} as SockJS {@code a[...]} lines, back to back. */
    public static ByteBuf encodeXhrLines(byte[] payload, int frames) {
        byte[] line = xhrLine(new String(payload, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.directBuffer(line.length * frames);
        for (int i = 0; i < frames; i++) {
            buf.writeBytes(line);
        }
        return Unpooled.unreleasableBuffer(buf.asReadOnly());
    }

    /** Which Netty transport the server runs on. */
    public String transport() {
        return server instanceof EpollServerSocketChannel ? "epoll" : "nio";
    }

    /** The bound port on 127.0.0.1. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The open WebSocket connections that completed the handshake, oldest first. */
    public List<Channel> connections() {
        return connections;
    }

    /** How many {@code pusher:subscribe} messages arrived so far (all connections). */
    public int subscribes() {
        return subscribes.get();
    }

    /** Whether {@code ch} has subscribed to {@code channel}. */
    public static boolean subscribed(Channel ch, String channel) {
        Set<String> s = ch.attr(SUBSCRIBED).get();
        return s != null && s.contains(channel);
    }

    /** Closes every connection with a WebSocket close frame carrying {@code code}. */
    public void closeAll(int code, String reason) {
        for (Channel ch : connections) {
            ch.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Writes {@code chunks} copies of {@code chunk} (bytes already framed as unmasked server text frames) to
     * {@code ch}, keeping Netty's outbound buffer between its water marks; completes when the last one is written.
     */
    public CompletableFuture<Void> flood(Channel ch, ByteBuf chunk, long chunks) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ch.eventLoop().execute(new Runnable() {
            long left = chunks;

            @Override
            public void run() {
                if (!ch.isActive()) {
                    done.completeExceptionally(new IllegalStateException("connection closed while flooding"));
                    return;
                }
                int wrote = 0;
                while (left > 0 && ch.isWritable() && wrote < 64) {
                    ByteBuf b = chunk.retainedDuplicate();
                    ch.write(streams.containsValue(ch) ? new DefaultHttpContent(b) : b);
                    left--;
                    wrote++;
                }
                if (left == 0) {
                    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> done.complete(null));
                    return;
                }
                if (ch.isWritable()) {
                    ch.flush();
                    ch.eventLoop().execute(this);
                } else {
                    // Resume when the socket drains below the low water mark (or poll shortly as a backstop).
                    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ch.eventLoop().execute(this));
                }
            }
        });
        return done;
    }

    /**
     * Sends {@code total} frames to {@code ch} at {@code ratePerSecond}, each carrying in its data the intended send
     * time (System.nanoTime) {@code t}, so the receiver measures latency against the schedule, not against when the
     * frame actually left (no coordinated omission). A tick every 100 µs sends every frame that is due.
     */
    public CompletableFuture<Void> sendAtRate(Channel ch, int ratePerSecond, long total, String pad) {
        return sendAtRate(ch, ratePerSecond, total, pad, null, Long.MAX_VALUE);
    }

    /**
     * As {@link #sendAtRate(Channel, int, long, String)}, and records in {@code sendLag} (if not null) how late each
     * frame intended at or after {@code recordFrom} was written by the server: the part of the latency that is the
     * server's (or the host's scheduling), not the client's.
     */
    public CompletableFuture<Void> sendAtRate(Channel ch, int ratePerSecond, long total, String pad,
            org.HdrHistogram.Histogram sendLag, long recordFrom) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        double interval = 1e9 / ratePerSecond;
        byte[] prefix = ("{\"event\":\"" + EVENT + "\",\"channel\":\"" + CHANNEL + "\",\"data\":\"{\\\"t\\\":")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = (",\\\"pad\\\":\\\"" + pad + "\\\"}\"}").getBytes(StandardCharsets.US_ASCII);
        ch.eventLoop().execute(() -> {
            long[] sent = {0};
            ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
            self[0] = ch.eventLoop().scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                boolean any = false;
                while (sent[0] < total) {
                    long intended = start + (long) (sent[0] * interval);
                    if (intended > now) {
                        break;
                    }
                    byte[] digits = Long.toString(intended).getBytes(StandardCharsets.US_ASCII);
                    ByteBuf buf = ch.alloc().buffer(prefix.length + digits.length + suffix.length);
                    buf.writeBytes(prefix).writeBytes(digits).writeBytes(suffix);
                    ch.write(new TextWebSocketFrame(buf));
                    if (sendLag != null && intended >= recordFrom) {
                        sendLag.recordValue(Math.max(0, System.nanoTime() - intended));
                    }
                    sent[0]++;
                    any = true;
                }
                if (any) {
                    ch.flush();
                }
                if (sent[0] >= total || !ch.isActive()) {
                    self[0].cancel(false);
                    done.complete(null);
                }
            }, 0, 100, TimeUnit.MICROSECONDS);
        });
        return done;
    }

    /** Encodes {@code frames} copies of {@code payload} as unmasked server-to-client text frames, back to back. */
    public static ByteBuf encodeFrames(byte[] payload, int frames) {
        int header = payload.length <= 125 ? 2 : payload.length <= 65535 ? 4 : 10;
        ByteBuf buf = Unpooled.directBuffer((header + payload.length) * frames);
        for (int i = 0; i < frames; i++) {
            buf.writeByte(0x81);
            if (payload.length <= 125) {
                buf.writeByte(payload.length);
            } else if (payload.length <= 65535) {
                buf.writeByte(126).writeShort(payload.length);
            } else {
                buf.writeByte(127).writeLong(payload.length);
            }
            buf.writeBytes(payload);
        }
        return Unpooled.unreleasableBuffer(buf.asReadOnly());
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        xhrServer.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class PusherHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                ctx.channel().attr(SUBSCRIBED).set(ConcurrentHashMap.newKeySet());
                connections.add(ctx.channel());
                ctx.writeAndFlush(new TextWebSocketFrame("{\"event\":\"pusher:connection_established\",\"data\":"
                        + "\"{\\\"socket_id\\\":\\\"" + ctx.channel().hashCode() + ".1\\\",\\\"activity_timeout\\\":120}\"}"));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            connections.remove(ctx.channel());
            super.channelInactive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!(frame instanceof TextWebSocketFrame)) {
                return;
            }
            String text = ((TextWebSocketFrame) frame).text();
            if (text.contains("\"pusher:subscribe\"")) {
                String channel = field(text, "channel");
                ctx.channel().attr(SUBSCRIBED).get().add(channel);
                subscribes.incrementAndGet();
                ctx.writeAndFlush(new TextWebSocketFrame("{\"event\":\"pusher_internal:subscription_succeeded\","
                        + "\"channel\":\"" + channel + "\",\"data\":\"{}\"}"));
            } else if (text.contains("\"pusher:unsubscribe\"")) {
                ctx.channel().attr(SUBSCRIBED).get().remove(field(text, "channel"));
            } else if (text.contains("\"pusher:ping\"")) {
                ctx.writeAndFlush(new TextWebSocketFrame("{\"event\":\"pusher:pong\",\"data\":\"{}\"}"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * The SockJS-style HTTP fallback as pusher-js and the xhr transports use it: {@code POST .../xhr_streaming}
     * opens a chunked response that starts with {@code o} and the handshake; {@code POST .../xhr_send} carries a
     * JSON array of frames (answered 204; replies go down the stream).
     */
    private final class XhrHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = new QueryStringDecoder(req.uri()).path();
            String[] parts = path.split("/");
            // /pusher/app/KEY/SERVER/SESSION/endpoint
            if (parts.length < 7) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            String session = parts[4] + "/" + parts[5];
            String endpoint = parts[6];
            if (endpoint.equals("xhr_streaming")) {
                DefaultHttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/javascript; charset=UTF-8");
                HttpUtil.setTransferEncodingChunked(res, true);
                ctx.write(res);
                boolean fresh = streams.put(session, ctx.channel()) == null;
                StringBuilder first = new StringBuilder();
                if (fresh) {
                    first.append("o\n").append(xhrLine("{\"event\":\"pusher:connection_established\",\"data\":"
                            + "\"{\\\"socket_id\\\":\\\"" + ctx.channel().hashCode()
                            + ".2\\\",\\\"activity_timeout\\\":120}\"}"));
                }
                if (first.length() > 0) {
                    ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer(first, StandardCharsets.UTF_8)));
                }
                ctx.flush();
                ctx.channel().closeFuture().addListener(f -> streams.remove(session, ctx.channel()));
            } else if (endpoint.equals("xhr_send")) {
                String body = req.content().toString(StandardCharsets.UTF_8).replace("\\\"", "\"");
                Channel stream = streams.get(session);
                if (stream != null && body.contains("\"pusher:subscribe\"")) {
                    String channel = field(body, "channel");
                    subscribes.incrementAndGet();
                    stream.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(xhrLine(
                            "{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"" + channel
                                    + "\",\"data\":\"{}\"}"), StandardCharsets.UTF_8)));
                } else if (stream != null && body.contains("\"pusher:ping\"")) {
                    stream.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(xhrLine(
                            "{\"event\":\"pusher:pong\",\"data\":\"{}\"}"), StandardCharsets.UTF_8)));
                }
                DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        stream == null ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.NO_CONTENT);
                res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(res);
            } else {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The string value of {@code "name":"..."} anywhere in {@code json} (subscribe data has no escapes). */
    static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int i = json.indexOf(key);
        if (i < 0) {
            throw new IllegalArgumentException("no " + name + " in " + json);
        }
        int start = i + key.length();
        return json.substring(start, json.indexOf('"', start));
    }
}
