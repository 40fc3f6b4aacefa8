package io.pusheriso.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.ChannelNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a connection: the WebSocket upgrade on {@code /app/KEY}, the HTTP fallback endpoints under
 * {@code /pusher/app/KEY/} ({@link XhrEndpoints}), the events API and the auth endpoints (which behave like the
 * project's reference auth server, {@code shared/peers/auth-server.js}).
 *
 * <p>Confined to its channel's event loop; one instance per connection.
 */
final class HttpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpHandler.class);
    private static final Pattern SOCKET_ID = Pattern.compile("\\A\\d+\\.\\d+\\z");

    private final Engine engine;
    private final ReadGate gate;
    private final boolean tls;

    HttpHandler(Engine engine, ReadGate gate, boolean tls) {
        this.engine = engine;
        this.gate = gate;
        this.tls = tls;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        FullHttpRequest req = (FullHttpRequest) msg;
        try {
            if (!req.decoderResult().isSuccess()) {
                reply(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain", "Malformed HTTP request", false);
                return;
            }
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            String path = uri.path();
            if (path.startsWith("/app/") && isUpgrade(req)) {
                // Copied without the body (an upgrade has none) so it can wait for a delay or a half-open fault.
                FullHttpRequest upgrade = new DefaultFullHttpRequest(req.protocolVersion(), req.method(), req.uri(),
                        Unpooled.EMPTY_BUFFER, req.headers().copy(), req.trailingHeaders().copy());
                upgrade(ctx, upgrade, uri);
                return;
            }
            try {
                if (path.startsWith(XhrEndpoints.PREFIX)) {
                    engine.xhr().handle(ctx, req, uri, gate);
                    return;
                }
                route(ctx, req, uri, path);
            } catch (RuntimeException e) {
                // A bug in the test server itself: make it visible, and answer like a server would.
                LOG.warn("internal error on {} {}", req.method(), path, e);
                replyError(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
            }
        } finally {
            req.release();
        }
    }

    private static boolean isUpgrade(FullHttpRequest req) {
        return req.method().equals(HttpMethod.GET)
                && req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    // ---- WebSocket upgrade ----

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        if (engine.faults().refusesTransport("ws")) {
            // What a proxy that does not pass WebSockets typically answers.
            reply(ctx, req, HttpResponseStatus.FORBIDDEN, "text/plain", "WebSocket refused (refuseTransport fault)", false);
            return;
        }
        Duration delay = engine.faults().handshakeDelay();
        if (!delay.isZero()) {
            try {
                ctx.executor().schedule(() -> proceed(ctx, req, uri), delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                ctx.close();
            }
        } else {
            proceed(ctx, req, uri);
        }
    }

    private void proceed(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        if (!ctx.channel().isActive()) {
            return;
        }
        boolean held = engine.faults().holdIfHalfOpen(() -> {
            try {
                ctx.executor().execute(() -> {
                    gate.set(false);
                    if (ctx.channel().isActive()) {
                        handshake(ctx, req, uri);
                    }
                });
            } catch (RejectedExecutionException e) {
                // The server closed meanwhile; so did this connection.
            }
        });
        if (held) {
            gate.set(true);
            return;
        }
        handshake(ctx, req, uri);
    }

    private void handshake(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        String host = req.headers().get(HttpHeaderNames.HOST, Engine.HOST);
        String location = (tls ? "wss://" : "ws://") + host + uri.path();
        WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(engine.config().maxFrameBytes())
                .allowExtensions(false)
                .build();
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory(location, null, decoderConfig).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        handshaker.handshake(ctx.channel(), req).addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                future.channel().close();
                return;
            }
            WsConn conn = new WsConn(engine.hub().nextSocketId(), future.channel(), gate);
            WsHandler ws = new WsHandler(engine, conn);
            pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(engine.config().maxFrameBytes()));
            pipeline.addLast("ws", ws);
            pipeline.remove(this);
            ws.opened(uri);
        });
    }

    // ---- plain HTTP ----

    private void route(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, String path) {
        byte[] body = ByteBufUtil.getBytes(req.content());
        String appPrefix = "/apps/" + engine.config().appId() + "/";
        if (path.equals(appPrefix + "events") || path.equals(appPrefix + "batch_events")) {
            if (!req.method().equals(HttpMethod.POST)) {
                reply(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "Use POST", true);
                return;
            }
            EventsApi.Reply r = EventsApi.handle(engine, uri, path, body, path.endsWith("batch_events"));
            String type = r.status.equals(HttpResponseStatus.OK) ? "application/json" : "text/plain";
            reply(ctx, req, r.status, type, r.body, true);
        } else if (path.startsWith("/apps/")) {
            reply(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain", "Unknown app or resource: " + path, true);
        } else if (path.equals("/pusher/auth") && req.method().equals(HttpMethod.POST)) {
            channelAuth(ctx, req, form(req, body));
        } else if (path.equals("/pusher/user-auth") && req.method().equals(HttpMethod.POST)) {
            userAuth(ctx, req, form(req, body));
        } else if (path.equals("/") && req.method().equals(HttpMethod.GET)) {
            reply(ctx, req, HttpResponseStatus.OK, "text/plain", "OK", true);
        } else {
            reply(ctx, req, HttpResponseStatus.NOT_FOUND, "application/json", "{\"error\":\"not found\"}", true);
        }
    }

    private static Map<String, String> form(FullHttpRequest req, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        Map<String, String> form = new HashMap<>();
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (type.contains("json")) {
            Json.parse(text).properties().forEach(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    form.put(e.getKey(), e.getValue().asText());
                }
            });
        } else {
            new QueryStringDecoder(text, StandardCharsets.UTF_8, false).parameters().forEach((k, v) -> {
                if (!v.isEmpty()) {
                    form.put(k, v.get(0));
                }
            });
        }
        return form;
    }

    private void channelAuth(ChannelHandlerContext ctx, FullHttpRequest req, Map<String, String> form) {
        String socketId = form.get("socket_id");
        String channel = form.get("channel_name");
        if (socketId == null || channel == null) {
            replyError(ctx, req, HttpResponseStatus.BAD_REQUEST, "socket_id and channel_name are required");
            return;
        }
        if ("1".equals(form.get("deny")) || channel.contains("forbidden")) {
            replyError(ctx, req, HttpResponseStatus.FORBIDDEN, "forbidden");
            return;
        }
        if (!SOCKET_ID.matcher(socketId).matches()) {
            replyError(ctx, req, HttpResponseStatus.BAD_REQUEST, "Invalid socket id: " + socketId);
            return;
        }
        if (!ChannelNames.isValid(channel)) {
            replyError(ctx, req, HttpResponseStatus.BAD_REQUEST, "Invalid channel name: " + channel);
            return;
        }
        ObjectNode answer = Json.object();
        ChannelKind kind = ChannelNames.kindOf(channel);
        if (kind == ChannelKind.PRESENCE) {
            String userId = form.getOrDefault("user_id", "user-" + socketId);
            ObjectNode channelData = Json.object();
            channelData.put("user_id", userId);
            channelData.putObject("user_info").put("name", "User " + socketId);
            String channelDataText = Json.write(channelData);
            answer.put("auth", engine.signer().signPresence(socketId, channel, channelDataText));
            answer.put("channel_data", channelDataText);
        } else {
            answer.put("auth", engine.signer().signChannel(socketId, channel));
            if (kind == ChannelKind.PRIVATE_ENCRYPTED) {
                answer.put("shared_secret", Base64.getEncoder().encodeToString(engine.sharedSecret(channel)));
            }
        }
        reply(ctx, req, HttpResponseStatus.OK, "application/json", Json.write(answer), true);
    }

    private void userAuth(ChannelHandlerContext ctx, FullHttpRequest req, Map<String, String> form) {
        String socketId = form.get("socket_id");
        if (socketId == null) {
            replyError(ctx, req, HttpResponseStatus.BAD_REQUEST, "socket_id is required");
            return;
        }
        if ("1".equals(form.get("deny"))) {
            replyError(ctx, req, HttpResponseStatus.FORBIDDEN, "forbidden");
            return;
        }
        if (!SOCKET_ID.matcher(socketId).matches()) {
            replyError(ctx, req, HttpResponseStatus.BAD_REQUEST, "Invalid socket id: " + socketId);
            return;
        }
        String id = form.getOrDefault("user_id", "user-" + socketId);
        ObjectNode user = Json.object();
        user.put("id", id);
        user.put("name", "User " + id);
        String watchlist = form.get("watchlist");
        if (watchlist != null && !watchlist.isEmpty()) {
            var ids = user.putArray("watchlist");
            List.of(watchlist.split(",")).forEach(ids::add);
        }
        String userData = Json.write(user);
        ObjectNode answer = Json.object();
        answer.put("auth", engine.signer().signUser(socketId, userData));
        answer.put("user_data", userData);
        reply(ctx, req, HttpResponseStatus.OK, "application/json", Json.write(answer), true);
    }

    private static void replyError(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String error) {
        ObjectNode body = Json.object();
        body.put("error", error);
        reply(ctx, req, status, "application/json", Json.write(body), true);
    }

    private static void reply(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type,
            String body, boolean keepAliveAllowed) {
        FullHttpResponse response = new DefaultFullHttpResponse(req.protocolVersion(), status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type + "; charset=utf-8");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        boolean keepAlive = keepAliveAllowed && HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException) && !(cause instanceof SSLException) && !(cause instanceof DecoderException)) {
            LOG.warn("internal error, closing the connection", cause);
        } else {
            LOG.debug("closing after {}", cause.toString());
        }
        ctx.close();
    }
}
