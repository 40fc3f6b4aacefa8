package io.pusheriso.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.pusheriso.protocol.PusherEvents;
import java.io.IOException;
import java.util.List;
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
    private final Conn conn;
    private boolean registered;

    WsHandler(Engine engine, Conn conn) {
        this.engine = engine;
        this.conn = conn;
    }

    /** The handshake is done: check the app key and protocol, then greet and register the connection. */
    void opened(QueryStringDecoder uri) {
        String key = uri.path().substring("/app/".length());
        if (!key.equals(engine.config().appKey())) {
            conn.send(Json.error(null, 4001, "App key " + key + " does not exist."));
            conn.close(4001, "App key does not exist");
            return;
        }
        List<String> protocol = uri.parameters().get("protocol");
        if (protocol != null && !protocol.isEmpty() && !isSupported(protocol.get(0))) {
            conn.send(Json.error(null, 4007, "Unsupported protocol version " + protocol.get(0) + "; this server speaks 5 to 7."));
            conn.close(4007, "Unsupported protocol version");
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

    private static boolean isSupported(String protocol) {
        try {
            int version = Integer.parseInt(protocol);
            return version >= 5 && version <= 7;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (conn.frozen()) {
            return;
        }
        if (frame instanceof TextWebSocketFrame) {
            String text = ((TextWebSocketFrame) frame).text();
            synchronized (conn.received) {
                conn.received.add(text);
            }
            if (registered) {
                onMessage(text);
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

    private void onMessage(String text) {
        JsonNode message = Json.parse(text);
        JsonNode event = message.path("event");
        if (!message.isObject() || !event.isTextual()) {
            LOG.debug("{}: not a Pusher message, ignored", conn);
            return;
        }
        Hub hub = engine.hub();
        String name = event.asText();
        switch (name) {
            case PusherEvents.PING:
                if (!engine.faults().ignoringPings()) {
                    conn.send(Json.frame(PusherEvents.PONG, null, Json.object()));
                }
                break;
            case PusherEvents.PONG:
                break;
            case PusherEvents.SUBSCRIBE:
                hub.subscribe(conn, Json.objectOrJsonString(message.get("data")));
                break;
            case PusherEvents.UNSUBSCRIBE:
                hub.unsubscribe(conn, Json.objectOrJsonString(message.get("data")));
                break;
            case PusherEvents.SIGNIN:
                if (hub.signin(conn, Json.objectOrJsonString(message.get("data"))) == Hub.Signin.REJECTED) {
                    conn.close(4009, "Connection not authorized");
                }
                break;
            default:
                if (name.startsWith(PusherEvents.CLIENT_EVENT_PREFIX)) {
                    hub.clientEvent(conn, message);
                } else {
                    LOG.debug("{}: event {} has no handler, ignored", conn, name);
                }
        }
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
