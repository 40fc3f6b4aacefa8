package io.pusheriso.protocol;

/** Compact JSON output helpers. Stateless; thread-safe. */
final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /**
     * Appends {@code s} as a JSON string. Escapes quotes, backslashes, control characters,
     * U+2028/U+2029 (which break JavaScript string literals) and lone surrogates (so that a Java
     * string that is not valid UTF-16 still survives a trip through UTF-8 and back).
     */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        int run = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c < 0x2028) {
                continue;
            }
            String escape;
            if (c == '"') {
                escape = "\\\"";
            } else if (c == '\\') {
                escape = "\\\\";
            } else if (c == '\n') {
                escape = "\\n";
            } else if (c == '\r') {
                escape = "\\r";
            } else if (c == '\t') {
                escape = "\\t";
            } else if (c == '\b') {
                escape = "\\b";
            } else if (c == '\f') {
                escape = "\\f";
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                escape = null;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                escape = null;
            } else if (Character.isLowSurrogate(c)) {
                escape = null;
            } else {
                continue;
            }
            sb.append(s, run, i);
            if (escape != null) {
                sb.append(escape);
            } else {
                sb.append("\\u").append(HEX[c >>> 12]).append(HEX[(c >>> 8) & 0xF]).append(HEX[(c >>> 4) & 0xF]).append(HEX[c & 0xF]);
            }
            run = i + 1;
        }
        sb.append(s, run, n).append('"');
    }
}
