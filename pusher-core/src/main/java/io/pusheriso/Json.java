package io.pusheriso;

/**
 * The few bits of JSON text the client writes itself (synthesised error events). Static and
 * stateless.
 */
final class Json {

  private Json() {}

  /** {@code s} as a JSON string literal, or {@code null} for null. */
  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** {@code {"type":type,"error":error[,"status":status]}}; status is left out when negative. */
  static String error(String type, String error, int status) {
    return "{\"type\":"
        + quote(type)
        + ",\"error\":"
        + quote(error)
        + (status >= 0 ? ",\"status\":" + status : "")
        + "}";
  }
}
