package io.pusheriso.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SockJS-style endpoints of Pusher's HTTP fallback under {@code /pusher/app/KEY/<server>/<session>/}:
 * {@code xhr_streaming}, {@code xhr} (polling) and {@code xhr_send}, answered as sockjs-node 0.3 answers them (the
 * server the project's real peers run on port 6002), with the fault switches applied.
 *
 * <p>Thread-safe: the session table is concurrent; each request is handled on its channel's event loop and each
 * session on its own loop.
 */
final class XhrEndpoints {
    static final String PREFIX = "/pusher/app/";
    private static final Pattern PATH =
            Pattern.compile("\\A/pusher/app/([^/]+)/([^/.]+)/([^/.]+)/(xhr|xhr_streaming|xhr_send)/?\\z");
    /** sockjs-node opens every streaming response with 2048 'h' and a newline, to get past buffering proxies. */
    private static final String PRELUDE = "h".repeat(2048) + "\n";
    /** The content types sockjs-node's xhr_send reads (anything else is "Payload expected."). */
    private static final Set<String> SEND_TYPES =
            Set.of("text/plain", "T", "application/json", "application/xml", "", "text/xml");
    private static final String NOT_FOUND = "404 Error: Page not found\n";
    private static final String NO_CACHE = "no-store, no-cache, no-transform, must-revalidate, max-age=0";

    private final Engine engine;
    private final ConcurrentMap<String, XhrSession> sessions = new ConcurrentHashMap<>();

    /** One request, copied out of Netty's buffers so that it can wait for a fault to pass. */
    private record Req(HttpVersion version, boolean keepAlive, String origin, String key, String session, String op,
            byte[] body, String contentType, List<String> protocol) {
    }

    XhrEndpoints(Engine engine) {
        this.engine = engine;
    }

    /** Handles a request whose path starts with {@link #PREFIX}; on the channel's event loop. */
    void handle(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, ReadGate gate) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        Matcher m = PATH.matcher(uri.path());
        if (!m.matches()) {
            reply(ctx, req.protocolVersion(), keepAlive, origin, HttpResponseStatus.NOT_FOUND, NOT_FOUND);
            return;
        }
        if (req.method().equals(HttpMethod.OPTIONS)) {
            FullHttpResponse res = response(req.protocolVersion(), HttpResponseStatus.NO_CONTENT, "", origin);
            res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "OPTIONS, POST");
            res.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "31536000");
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=31536000");
            String requested = req.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
            if (requested != null) {
                res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested);
            }
            send(ctx, res, keepAlive);
            return;
        }
        if (!req.method().equals(HttpMethod.POST)) {
            FullHttpResponse res = response(req.protocolVersion(), HttpResponseStatus.METHOD_NOT_ALLOWED, "", origin);
            res.headers().set(HttpHeaderNames.ALLOW, "OPTIONS, POST");
            send(ctx, res, keepAlive);
            return;
        }
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        int semicolon = type.indexOf(';');
        Req r = new Req(req.protocolVersion(), keepAlive, origin, m.group(1), m.group(3), m.group(4),
                ByteBufUtil.getBytes(req.content()), (semicolon < 0 ? type : type.substring(0, semicolon)).trim(),
                uri.parameters().get("protocol"));
        boolean held = engine.faults().holdIfHalfOpen(() -> {
            try {
                ctx.executor().execute(() -> {
                    gate.set(false);
                    if (ctx.channel().isActive()) {
                        dispatch(ctx, r);
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
        dispatch(ctx, r);
    }

    private void dispatch(ChannelHandlerContext ctx, Req r) {
        if (r.op().equals("xhr_send")) {
            xhrSend(ctx, r);
        } else {
            receive(ctx, r);
        }
    }

    private void xhrSend(ChannelHandlerContext ctx, Req r) {
        if (!SEND_TYPES.contains(r.contentType()) || r.body().length == 0) {
            reply(ctx, r.version(), r.keepAlive(), r.origin(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "Payload expected.");
            return;
        }
        JsonNode payload = Json.parse(new String(r.body(), StandardCharsets.UTF_8));
        if (payload.isMissingNode()) {
            reply(ctx, r.version(), r.keepAlive(), r.origin(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "Broken JSON encoding.");
            return;
        }
        if (!payload.isArray()) {
            reply(ctx, r.version(), r.keepAlive(), r.origin(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "Payload expected.");
            return;
        }
        XhrSession session = sessions.get(r.session());
        if (session == null) {
            reply(ctx, r.version(), r.keepAlive(), r.origin(), HttpResponseStatus.NOT_FOUND, NOT_FOUND);
            return;
        }
        List<String> messages = new ArrayList<>(payload.size());
        for (JsonNode element : payload) {
            // sockjs-node hands each element on as it is; a non-string is kept as its JSON text.
            messages.add(element.isTextual() ? element.asText() : Json.write(element));
        }
        session.received(messages, () -> {
            FullHttpResponse res = response(r.version(), HttpResponseStatus.NO_CONTENT, "", r.origin());
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
            send(ctx, res, r.keepAlive());
        });
    }

    private void receive(ChannelHandlerContext ctx, Req r) {
        if (!sessions.containsKey(r.session())) {
            FaultState faults = engine.faults();
            if (faults.refusesTransport(r.op().equals("xhr") ? "xhr_polling" : "xhr_streaming")) {
                reply(ctx, r.version(), r.keepAlive(), r.origin(), HttpResponseStatus.NOT_FOUND, NOT_FOUND);
                return;
            }
            if (faults.refusing()) {
                ctx.close();
                return;
            }
            Duration delay = faults.handshakeDelay();
            if (!delay.isZero()) {
                try {
                    ctx.executor().schedule(() -> {
                        if (ctx.channel().isActive()) {
                            startReceive(ctx, r);
                        }
                    }, delay.toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    ctx.close();
                }
                return;
            }
        }
        startReceive(ctx, r);
    }

    private void startReceive(ChannelHandlerContext ctx, Req r) {
        boolean streaming = r.op().equals("xhr_streaming");
        boolean chunked = r.version().equals(HttpVersion.HTTP_1_1);
        boolean keepAlive = r.keepAlive() && chunked;
        HttpResponse head = new DefaultHttpResponse(r.version(), HttpResponseStatus.OK);
        HttpHeaders headers = head.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "application/javascript; charset=UTF-8");
        headers.set(HttpHeaderNames.CACHE_CONTROL, NO_CACHE);
        cors(headers, r.origin());
        if (chunked) {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        HttpUtil.setKeepAlive(head, keepAlive);
        ctx.write(head);
        if (streaming) {
            ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer(PRELUDE, StandardCharsets.US_ASCII)));
        }
        ctx.flush();
        sessionFor(r.session(), r.key(), r.protocol()).register(new XhrSession.Receiver(ctx.channel(), streaming, keepAlive));
    }

    /** The live session with that id, made (connecting) when there is none. */
    XhrSession sessionFor(String id, String key, List<String> protocol) {
        return sessions.computeIfAbsent(id, k -> new XhrSession(engine, this, k, key, protocol, engine.nextLoop()));
    }

    /** Forgets an ended session; a later receiving request with its id starts a new one, as in sockjs-node. */
    void forget(XhrSession session) {
        sessions.remove(session.sessionId, session);
    }

    private static void cors(HttpHeaders headers, String origin) {
        if (origin == null) {
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        } else {
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        headers.set(HttpHeaderNames.VARY, "Origin");
    }

    private static FullHttpResponse response(HttpVersion version, HttpResponseStatus status, String body, String origin) {
        FullHttpResponse res = new DefaultFullHttpResponse(version, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, NO_CACHE);
        cors(res.headers(), origin);
        if (!body.isEmpty()) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        }
        HttpUtil.setContentLength(res, res.content().readableBytes());
        return res;
    }

    private static void reply(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, String origin,
            HttpResponseStatus status, String body) {
        send(ctx, response(version, status, body, origin), keepAlive);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
        HttpUtil.setKeepAlive(res, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
