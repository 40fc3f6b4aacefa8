package io.pusheriso.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Not for public use, may change at any time. The server's own frame encoding and decoding, with Jackson databind.
 *
 * <p>Deliberately independent of the client codec in pusher-protocol, so that a bug there cannot hide behind the same
 * bug here. Stateless; thread-safe.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** @return a new empty object node */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Parses JSON text.
     *
     * @param text the text
     * @return the tree, or {@link MissingNode} when the text is not JSON
     */
    public static JsonNode parse(String text) {
        if (text == null) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null ? MissingNode.getInstance() : node;
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    /**
     * Writes a tree as compact JSON text.
     *
     * @param node the tree
     * @return its text
     */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialize", e);
        }
    }

    /**
     * A frame whose {@code data} is a JSON string (the double encoding Pusher uses for most events).
     *
     * @param event the event name
     * @param channel the channel, or null for connection-level events
     * @param data the data string, or null for none
     * @return the frame text
     */
    public static String frame(String event, String channel, String data) {
        ObjectNode frame = object();
        frame.put("event", event);
        if (channel != null) {
            frame.put("channel", channel);
        }
        if (data != null) {
            frame.put("data", data);
        }
        return write(frame);
    }

    /**
     * A frame whose {@code data} is a JSON value embedded as is.
     *
     * @param event the event name
     * @param channel the channel, or null
     * @param data the data value
     * @return the frame text
     */
    public static String frame(String event, String channel, JsonNode data) {
        ObjectNode frame = object();
        frame.put("event", event);
        if (channel != null) {
            frame.put("channel", channel);
        }
        frame.set("data", data);
        return write(frame);
    }

    /**
     * A {@code pusher:error} frame, data as an object {@code {code, message}} as Pusher and soketi send it.
     *
     * @param channel the channel the error is about, or null
     * @param code the Pusher error code
     * @param message the message
     * @return the frame text
     */
    public static String error(String channel, int code, String message) {
        ObjectNode data = object();
        data.put("code", code);
        data.put("message", message);
        return frame("pusher:error", channel, data);
    }

    /**
     * The text of a string-or-number JSON value, the way Pusher treats user ids.
     *
     * @param node the value
     * @return its text, or null when the node is missing, null, empty or not a scalar
     */
    public static String idText(JsonNode node) {
        if (node == null || !(node.isTextual() || node.isNumber())) {
            return null;
        }
        String text = node.asText();
        return text.isEmpty() ? null : text;
    }

    /**
     * A field that may arrive as an object or as a string holding JSON (clients differ), as an object node.
     *
     * @param node the value
     * @return the value as a tree; {@link MissingNode} when it is neither
     */
    public static JsonNode objectOrJsonString(JsonNode node) {
        if (node == null) {
            return MissingNode.getInstance();
        }
        if (node.isObject()) {
            return node;
        }
        if (node.isTextual()) {
            JsonNode parsed = parse(node.asText());
            return parsed.isObject() ? parsed : MissingNode.getInstance();
        }
        return MissingNode.getInstance();
    }
}
