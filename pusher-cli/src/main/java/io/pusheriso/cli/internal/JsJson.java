package io.pusheriso.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pusheriso.PusherEvent;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON read and written the way JavaScript's {@code JSON.parse} and {@code JSON.stringify} do, so
 * that a transcript line printed here is byte for byte the one the reference client (pusher-js on
 * Node) prints for the same data: numbers are doubles written in JavaScript's shortest form ({@code
 * 1}, not {@code 1.0}; {@code 1e+21}), keys that are array indices come first in ascending order,
 * strings escape only what {@code JSON.stringify} escapes (with lower-case hexadecimal digits).
 *
 * <p>Stateless and thread-safe.
 */
final class JsJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final long MAX_ARRAY_INDEX = 4_294_967_294L;

  private JsJson() {}

  /** A new, empty object whose keys keep their insertion order. */
  static ObjectNode object() {
    return NODES.objectNode();
  }

  /** The value of {@code text} as {@code JSON.parse} reads it; empty when it is not one JSON value. */
  static Optional<JsonNode> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      JsonNode node = MAPPER.readTree(text);
      return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /**
   * An event's data as pusher-js hands it to listeners: a string is parsed as JSON when it is JSON
   * and kept as a string otherwise; any other value is taken as it is; {@code null} when the event
   * has none (the field is then left out, as {@code JSON.stringify} leaves out {@code undefined}).
   */
  static JsonNode eventData(PusherEvent event) {
    if (!event.hasData()) {
      return null;
    }
    if (event.isDataString()) {
      String data = event.data();
      return parse(data).orElseGet(() -> TextNode.valueOf(data));
    }
    return parse(event.rawData()).orElseGet(() -> TextNode.valueOf(event.rawData()));
  }

  /** {@code JSON.stringify(value)}. */
  static String stringify(JsonNode value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  /** {@code String(value)} for a JSON value used as a property key (numbers as JavaScript prints them). */
  static String propertyKey(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isNumber()) {
      return number(value.doubleValue());
    }
    return value.isNull() ? "null" : stringify(value);
  }

  private static void write(JsonNode value, StringBuilder out) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      out.append("null");
    } else if (value.isTextual()) {
      quote(value.textValue(), out);
    } else if (value.isNumber()) {
      out.append(number(value.doubleValue()));
    } else if (value.isBoolean()) {
      out.append(value.booleanValue());
    } else if (value.isArray()) {
      out.append('[');
      for (int i = 0; i < value.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(value.get(i), out);
      }
      out.append(']');
    } else if (value.isObject()) {
      writeObject(value, out);
    } else {
      quote(value.asText(), out);
    }
  }

  private static void writeObject(JsonNode object, StringBuilder out) {
    // JavaScript objects list integer-like keys first, ascending, then the others in insertion order.
    List<Map.Entry<String, JsonNode>> indices = new ArrayList<>();
    List<Map.Entry<String, JsonNode>> others = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      (isArrayIndex(e.getKey()) ? indices : others).add(e);
    }
    indices.sort((a, b) -> Long.compare(Long.parseLong(a.getKey()), Long.parseLong(b.getKey())));
    out.append('{');
    boolean first = true;
    for (List<Map.Entry<String, JsonNode>> group : List.of(indices, others)) {
      for (Map.Entry<String, JsonNode> e : group) {
        if (!first) {
          out.append(',');
        }
        first = false;
        quote(e.getKey(), out);
        out.append(':');
        write(e.getValue(), out);
      }
    }
    out.append('}');
  }

  static boolean isArrayIndex(String key) {
    int n = key.length();
    if (n == 0 || n > 10 || (n > 1 && key.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return Long.parseLong(key) <= MAX_ARRAY_INDEX;
  }

  /** {@code JSON.stringify} of a string: only quotes, backslashes, controls and lone surrogates are escaped. */
  static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          boolean loneSurrogate =
              Character.isHighSurrogate(c)
                  ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                  : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
          if (c < 0x20 || loneSurrogate) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** JavaScript's {@code Number.prototype.toString()} for a double (ECMA-262 Number::toString). */
  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "null";
    }
    if (d == 0) {
      return "0";
    }
    double abs = Math.abs(d);
    String sign = d < 0 ? "-" : "";
    if (abs < 1e15 && abs == Math.rint(abs)) {
      return sign + (long) abs;
    }
    // The fewest significant digits that still read back as the same double.
    BigDecimal exact = new BigDecimal(abs);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == abs) {
        shortest = r;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String s = shortest.unscaledValue().toString();
    int k = s.length();
    int n = k - shortest.scale();
    StringBuilder out = new StringBuilder(sign);
    if (k <= n && n <= 21) {
      out.append(s).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(s, 0, n).append('.').append(s, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(s);
    } else {
      int e = n - 1;
      out.append(s.charAt(0));
      if (k > 1) {
        out.append('.').append(s, 1, k);
      }
      out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return out.toString();
  }
}
