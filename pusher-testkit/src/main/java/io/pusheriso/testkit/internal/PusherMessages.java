package io.pusheriso.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.pusheriso.protocol.PusherEvents;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server does with one Pusher message from a client, and the checks made when a connection opens. Shared by
 * the WebSocket side and the HTTP fallback sessions, so that both follow exactly the same rules.
 *
 * <p>Stateless; thread-safe (the state lives in the {@link Hub}).
 */
final class PusherMessages {
    private static final Logger LOG = LoggerFactory.getLogger(PusherMessages.class);

    private PusherMessages() {
    }

    /**
     * Checks the app key and protocol version of a new connection; on failure sends Pusher's error and closes it.
     *
     * @param protocol the {@code protocol} query parameter values, or null
     * @return true when the connection may be registered
     */
    static boolean admit(Engine engine, Conn conn, String key, List<String> protocol) {
        if (!key.equals(engine.config().appKey())) {
            conn.send(Json.error(null, 4001, "App key " + key + " does not exist."));
            conn.close(4001, "App key does not exist");
            return false;
        }
        if (protocol != null && !protocol.isEmpty() && !isSupported(protocol.get(0))) {
            conn.send(Json.error(null, 4007, "Unsupported protocol version " + protocol.get(0) + "; this server speaks 5 to 7."));
            conn.close(4007, "Unsupported protocol version");
            return false;
        }
        return true;
    }

    private static boolean isSupported(String protocol) {
        try {
            int version = Integer.parseInt(protocol);
            return version >= 5 && version <= 7;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Handles one message of a registered connection. */
    static void handle(Engine engine, Conn conn, String text) {
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
}
