package io.pusheriso.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading helpers for the typed views: a strict Jackson streaming parser over the data text,
 * with failures turned into {@link ProtocolException}s that name the view and the field.
 * The factory is shared (Jackson factories are thread-safe); parsers are per call.
 */
final class JsonData {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    /** The body of a view: reads the value the parser is positioned on. */
    @FunctionalInterface
    interface Body<T> {
        T read(JsonData in) throws IOException;
    }

    final String what;
    final String text;
    final JsonParser parser;

    private JsonData(String what, String text, JsonParser parser) {
        this.what = what;
        this.text = text;
        this.parser = parser;
    }

    /** The frame's data text; a frame without data is a ProtocolException. */
    static String dataOf(PusherFrame frame, String what) {
        if (frame == null) {
            throw new ProtocolException(what + ": no frame (null)");
        }
        String data = frame.data();
        if (data == null) {
            throw new ProtocolException(what + ": the frame has no data");
        }
        return data;
    }

    /**
     * Parses {@code text} as exactly one JSON value, positions on its first token and runs the
     * body, then checks nothing follows.
     */
    static <T> T parse(String what, String text, Body<T> body) {
        if (text == null) {
            throw new ProtocolException(what + ": no JSON (null)");
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonData in = new JsonData(what, text, p);
            if (p.nextToken() == null) {
                throw new ProtocolException(what + ": empty JSON");
            }
            T result = body.read(in);
            if (p.nextToken() != null) {
                throw new ProtocolException(what + ": unexpected data after the JSON value");
            }
            return result;
        } catch (JsonProcessingException e) {
            throw new ProtocolException(what + ": malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ProtocolException(what + ": unreadable JSON: " + e.getMessage(), e);
        }
    }

    /** Whether {@code text} is, after JSON whitespace, a JSON object (without validating it). */
    static boolean looksLikeObject(String text) {
        int i = CharScanner.ws(text, 0, text.length());
        return i < text.length() && text.charAt(i) == '{';
    }

    ProtocolException wrong(String field, String expected) {
        return new ProtocolException(what + ": \"" + field + "\" must be " + expected + " (found "
                + describe(parser.currentToken()) + ")");
    }

    ProtocolException missing(String field) {
        return new ProtocolException(what + ": required field \"" + field + "\" is missing");
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        switch (t) {
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT: return "an integer";
            case VALUE_NUMBER_FLOAT: return "a decimal number";
            case VALUE_TRUE: case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            default: return t.toString();
        }
    }

    /** Requires the current token to start an object (the data itself when field is null). */
    void startObject(String field) {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw field == null
                    ? new ProtocolException(what + ": data must be a JSON object (found " + describe(parser.currentToken()) + ")")
                    : wrong(field, "an object");
        }
    }

    /** Advances to the next field of the current object; returns its name (value token current) or null at the end. */
    String nextField() throws IOException {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.END_OBJECT) {
            return null;
        }
        String name = parser.currentName();
        parser.nextToken();
        return name;
    }

    void skip() throws IOException {
        parser.skipChildren();
    }

    boolean isNull() {
        return parser.currentToken() == JsonToken.VALUE_NULL;
    }

    String string(String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw wrong(field, "a string");
        }
        return parser.getText();
    }

    String stringOrNull(String field) throws IOException {
        return isNull() ? null : string(field);
    }

    /** A string, or an integer kept as its text (user ids). */
    String id(String field) throws IOException {
        JsonToken t = parser.currentToken();
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT) {
            throw wrong(field, "a string or an integer");
        }
        return parser.getText();
    }

    int integer(String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
            throw wrong(field, "an integer in the int range");
        }
        return parser.getIntValue();
    }

    int nonNegative(String field) throws IOException {
        int value = integer(field);
        if (value < 0) {
            throw new ProtocolException(what + ": \"" + field + "\" must not be negative (found " + value + ")");
        }
        return value;
    }

    Integer integerOrNull(String field) throws IOException {
        return isNull() ? null : integer(field);
    }

    List<String> ids(String field) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw wrong(field, "an array");
        }
        List<String> ids = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            ids.add(id(field + "[" + ids.size() + "]"));
        }
        return ids;
    }

    /** The current value as JSON text: containers exactly as written, scalars re-encoded compactly. */
    String rawValue() throws IOException {
        JsonToken t = parser.currentToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            int start = Math.toIntExact(parser.currentTokenLocation().getCharOffset());
            parser.skipChildren();
            int end = Math.toIntExact(parser.currentTokenLocation().getCharOffset()) + 1;
            return text.substring(start, end);
        }
        if (t == JsonToken.VALUE_STRING) {
            StringBuilder sb = new StringBuilder();
            Json.quote(sb, parser.getText());
            return sb.toString();
        }
        return parser.getText();
    }
}
