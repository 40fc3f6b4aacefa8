package io.pusheriso.transport.httpclient.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Not for public use, may change at any time. The little JSON the xhr framing needs besides message
 * arrays: reading the short payloads of {@code o} and {@code c} lines, and quoting the messages of
 * an {@code xhr_send} body. The module depends on no JSON library, and these shapes are too small
 * to justify one.
 *
 * <p>Stateless and thread-safe.
 */
public final class MiniJson {
  /** The JSON {@code null}, distinct from "absent" in maps and lists. */
  public static final Object NULL = new Object();

  private static final int MAX_DEPTH = 32;

  private MiniJson() {}

  /**
   * Parses one JSON value: a String, a Double, a Boolean, {@link #NULL}, a List or a Map.
   *
   * @throws IllegalArgumentException with the position of the problem when {@code text} is not one
   *     JSON value, or nests deeper than 32 levels
   */
  public static Object parse(String text) {
    Reader reader = new Reader(text);
    reader.skipWhitespace();
    Object value = reader.value(0);
    reader.skipWhitespace();
    if (reader.pos != text.length()) {
      throw reader.error("unexpected text after the value");
    }
    return value;
  }

  /** Appends {@code text} as a JSON string literal, quotes included. */
  public static void quote(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          // U+2028 and U+2029 are valid in JSON but break JavaScript string literals on servers
          // that eval; escaping them costs nothing.
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  private static final class Reader {
    private final String text;
    private int pos;

    Reader(String text) {
      this.text = text;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at offset " + pos);
    }

    void skipWhitespace() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
          return;
        }
        pos++;
      }
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
      }
      if (pos >= text.length()) {
        throw error("expected a JSON value but the text ended");
      }
      char c = text.charAt(pos);
      switch (c) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", NULL);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    private Object literal(String word, Object value) {
      if (!text.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return value;
    }

    private Double number() {
      int start = pos;
      if (text.charAt(pos) == '-') {
        pos++;
      }
      int digits = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == digits) {
        throw error("expected a digit");
      }
      if (pos < text.length() && text.charAt(pos) == '.') {
        pos++;
        int fraction = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
        if (pos == fraction) {
          throw error("expected a digit after '.'");
        }
      }
      if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
        pos++;
        if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
          pos++;
        }
        int exponent = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
        if (pos == exponent) {
          throw error("expected a digit in the exponent");
        }
      }
      return Double.valueOf(text.substring(start, pos));
    }

    private String string() {
      pos++; // the opening quote
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= text.length()) {
          throw error("unterminated string");
        }
        char c = text.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          throw error("control character in a string");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (pos >= text.length()) {
          throw error("unterminated escape");
        }
        char e = text.charAt(pos++);
        switch (e) {
          case '"':
          case '\\':
          case '/':
            sb.append(e);
            break;
          case 'b':
            sb.append('\b');
            break;
          case 'f':
            sb.append('\f');
            break;
          case 'n':
            sb.append('\n');
            break;
          case 'r':
            sb.append('\r');
            break;
          case 't':
            sb.append('\t');
            break;
          case 'u':
            if (pos + 4 > text.length()) {
              throw error("short \\u escape");
            }
            int code = 0;
            for (int i = 0; i < 4; i++) {
              int digit = Character.digit(text.charAt(pos++), 16);
              if (digit < 0) {
                throw error("bad hex digit in a \\u escape");
              }
              code = code * 16 + digit;
            }
            sb.append((char) code);
            break;
          default:
            throw error("bad escape '\\" + e + "'");
        }
      }
    }

    private List<Object> array(int depth) {
      pos++;
      List<Object> list = new ArrayList<>();
      skipWhitespace();
      if (pos < text.length() && text.charAt(pos) == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipWhitespace();
        list.add(value(depth + 1));
        skipWhitespace();
        if (pos >= text.length()) {
          throw error("unterminated array");
        }
        char c = text.charAt(pos++);
        if (c == ']') {
          return list;
        }
        if (c != ',') {
          throw error("expected ',' or ']'");
        }
      }
    }

    private Map<String, Object> object(int depth) {
      pos++;
      Map<String, Object> map = new LinkedHashMap<>();
      skipWhitespace();
      if (pos < text.length() && text.charAt(pos) == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipWhitespace();
        if (pos >= text.length() || text.charAt(pos) != '"') {
          throw error("expected a member name");
        }
        String name = string();
        skipWhitespace();
        if (pos >= text.length() || text.charAt(pos) != ':') {
          throw error("expected ':'");
        }
        pos++;
        skipWhitespace();
        map.put(name, value(depth + 1));
        skipWhitespace();
        if (pos >= text.length()) {
          throw error("unterminated object");
        }
        char c = text.charAt(pos++);
        if (c == '}') {
          return map;
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }
  }
}
