package io.pusheriso.testkit.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of a connection after the handshake: the Pusher messages a client sends.
 *
 * <p>Confined to its channel's event loop; one instance per connection.
 */
final class WsHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(WsHandler.class);

    private final Engine engine;
    private final WsConn conn;
    private boolean registered;

    WsHandler(Engine engine, WsConn conn) {
        this.engine = engine;
        this.conn = conn;
    }

    /** The handshake is done: check the app key and protocol, then greet and register the connection. */
    void opened(QueryStringDecoder uri) {
        String key = uri.path().substring("/app/".length());
        if (!PusherMessages.admit(engine, conn, key, uri.parameters().get("protocol"))) {
            return;
        }
        if (!conn.channel.isActive()) {
            return;
        }
        registered = true;
        engine.hub().add(conn);
        FaultState faults = engine.faults();
        if (faults.halfOpen()) {
            conn.syncFreeze(faults::halfOpen);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (conn.frozen()) {
            return;
        }
        if (frame instanceof TextWebSocketFrame) {
            String text = ((TextWebSocketFrame) frame).text();
            conn.record(text);
            if (registered) {
                PusherMessages.handle(engine, conn, text);
            }
        } else if (frame instanceof PingWebSocketFrame) {
            if (!engine.faults().ignoringPings()) {
                conn.write(new PongWebSocketFrame(frame.content().retain()));
            }
        } else if (frame instanceof CloseWebSocketFrame) {
            if (conn.closing()) {
                ctx.close();
            } else {
                CloseWebSocketFrame close = (CloseWebSocketFrame) frame;
                int code = close.statusCode();
                conn.closeAfter(code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, ""));
            }
        }
        // Binary and pong frames carry nothing for the Pusher protocol.
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (registered) {
            engine.hub().remove(conn);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof CorruptedWebSocketFrameException) {
            LOG.debug("{}: closing after {}", conn, cause.toString());
            ctx.close();
        } else {
            // A bug in the test server itself: make it visible and tell the client, as a real server would (1011).
            LOG.warn("{}: internal error, closing with 1011", conn, cause);
            conn.close(1011, "Internal server error");
        }
    }
}
