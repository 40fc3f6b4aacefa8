package io.pusheriso.protocol;

import java.util.Arrays;

/**
 * The strict, single-pass JSON scanner that decodes a frame envelope straight from text; the
 * twin of {@link ByteScanner}, for frames that arrive as strings (WebSocket text messages).
 *
 * <p>Only the envelope is materialised: {@code event}, {@code channel} and {@code user_id} become
 * strings (canonicalised through {@link NameCache}), {@code data} is validated and kept as a
 * substring of its raw text, every other member is validated and skipped. Nesting is skipped iteratively with
 * a bit stack, so depth is bounded by memory, never by the call stack. Stateless static methods;
 * thread-safe.
 */
final class CharScanner {
    private static final long ESCAPED = 1L << 32;

    private CharScanner() {}

    static PusherFrame decode(String s, int off, int len) {
        final int end = off + len;
        int p = ws(s, off, end);
        if (p >= end) {
            throw ProtocolException.decoding("Malformed JSON: empty input");
        }
        if (s.charAt(p) != '{') {
            throw error(s, off, p, "a frame must be a JSON object");
        }
        p = ws(s, p + 1, end);
        String event = null;
        String channel = null;
        String userId = null;
        boolean seenChannel = false;
        boolean seenUserId = false;
        boolean seenData = false;
        byte dataKind = PusherFrame.NO_DATA;
        int dataStart = 0;
        int dataEnd = 0;
        if (p < end && s.charAt(p) == '}') {
            p++;
        } else {
            for (;;) {
                if (p >= end) {
                    throw truncated(off, p);
                }
                if (s.charAt(p) != '"') {
                    throw error(s, off, p, "expected a field name");
                }
                long r = scanString(s, p, end, off);
                int keyEnd = (int) r;
                int field = (r & ESCAPED) == 0
                        ? Fields.of(s, p + 1, keyEnd - 1)
                        : Fields.of(unescape(s, p + 1, keyEnd - 1));
                p = ws(s, keyEnd, end);
                if (p >= end) {
                    throw truncated(off, p);
                }
                if (s.charAt(p) != ':') {
                    throw error(s, off, p, "expected ':' after a field name");
                }
                p = ws(s, p + 1, end);
                if (p >= end) {
                    throw truncated(off, p);
                }
                char c = s.charAt(p);
                switch (field) {
                    case Fields.EVENT:
                        if (event != null) {
                            throw error(s, off, p, "duplicate \"event\" field");
                        }
                        if (c != '"') {
                            throw error(s, off, p, "\"event\" must be a string");
                        }
                        r = scanString(s, p, end, off);
                        event = name(s, p, r);
                        p = (int) r;
                        break;
                    case Fields.CHANNEL:
                        if (seenChannel) {
                            throw error(s, off, p, "duplicate \"channel\" field");
                        }
                        seenChannel = true;
                        if (c == '"') {
                            r = scanString(s, p, end, off);
                            channel = name(s, p, r);
                            p = (int) r;
                        } else if (c == 'n') {
                            p = literal(s, p, end, off, "null");
                        } else {
                            throw error(s, off, p, "\"channel\" must be a string or null");
                        }
                        break;
                    case Fields.USER_ID:
                        if (seenUserId) {
                            throw error(s, off, p, "duplicate \"user_id\" field");
                        }
                        seenUserId = true;
                        if (c == '"') {
                            r = scanString(s, p, end, off);
                            userId = name(s, p, r);
                            p = (int) r;
                        } else if (c == 'n') {
                            p = literal(s, p, end, off, "null");
                        } else if (c == '-' || (c >= '0' && c <= '9')) {
                            int start = p;
                            p = number(s, p, end, off);
                            userId = s.substring(start, p);
                        } else {
                            throw error(s, off, p, "\"user_id\" must be a string, a number or null");
                        }
                        break;
                    case Fields.DATA:
                        if (seenData) {
                            throw error(s, off, p, "duplicate \"data\" field");
                        }
                        seenData = true;
                        dataStart = p;
                        if (c == 'n') {
                            p = literal(s, p, end, off, "null");
                        } else {
                            p = skipValue(s, p, end, off);
                            dataKind = c == '"' ? PusherFrame.STRING_DATA : PusherFrame.JSON_DATA;
                        }
                        dataEnd = p;
                        break;
                    default:
                        p = skipValue(s, p, end, off);
                        break;
                }
                p = ws(s, p, end);
                if (p >= end) {
                    throw truncated(off, p);
                }
                c = s.charAt(p);
                if (c == ',') {
                    p = ws(s, p + 1, end);
                } else if (c == '}') {
                    p++;
                    break;
                } else {
                    throw error(s, off, p, "expected ',' or '}' after a field");
                }
            }
        }
        p = ws(s, p, end);
        if (p < end) {
            throw error(s, off, p, "unexpected data after the end of the frame");
        }
        if (event == null) {
            throw ProtocolException.decoding("Malformed Pusher frame: no \"event\" field");
        }
        String data = dataKind == PusherFrame.NO_DATA ? null : s.substring(dataStart, dataEnd);
        return new PusherFrame(event, channel, userId, dataKind, data, dataKind == PusherFrame.JSON_DATA ? data : null);
    }

    /** Validates that {@code s[off..off+len)} is exactly one JSON value, surrounded by optional whitespace. */
    static void validateValue(String s, int off, int len) {
        int end = off + len;
        int p = ws(s, off, end);
        if (p >= end) {
            throw ProtocolException.decoding("Malformed JSON: empty input");
        }
        p = ws(s, skipValue(s, p, end, off), end);
        if (p < end) {
            throw error(s, off, p, "unexpected data after the JSON value");
        }
    }

    /**
     * Validates that {@code s} is exactly one JSON value (surrounding JSON whitespace allowed) and
     * returns it without that whitespace.
     */
    static String trimmedValue(String s) {
        try {
            validateValue(s, 0, s.length());
        } catch (ProtocolException e) {
            // Re-thrown with a stack trace: this is a caller's argument, not a peer's frame.
            throw new ProtocolException(e.getMessage());
        }
        int start = ws(s, 0, s.length());
        int end = s.length();
        while (end > start) {
            char c = s.charAt(end - 1);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            end--;
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    private static String name(String s, int quote, long r) {
        int end = (int) r - 1;
        if ((r & ESCAPED) == 0) {
            return NameCache.chars(s, quote + 1, end);
        }
        return unescape(s, quote + 1, end);
    }

    static int ws(String s, int p, int end) {
        if (p < end && s.charAt(p) > ' ') {
            return p;
        }
        while (p < end) {
            char c = s.charAt(p);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            p++;
        }
        return p;
    }

    private static int literal(String s, int p, int end, int base, String word) {
        int n = word.length();
        if (end - p < n) {
            throw truncatedOrBad(s, base, p, end, word);
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(p + i) != word.charAt(i)) {
                throw error(s, base, p + i, "invalid literal, expected '" + word + "'");
            }
        }
        return p + n;
    }

    private static ProtocolException truncatedOrBad(String s, int base, int p, int end, String word) {
        for (int i = p; i < end; i++) {
            if (s.charAt(i) != word.charAt(i - p)) {
                return error(s, base, i, "invalid literal, expected '" + word + "'");
            }
        }
        return truncated(base, end);
    }

    private static int number(String s, int p, int end, int base) {
        int i = p;
        if (s.charAt(i) == '-') {
            i++;
        }
        if (i >= end) {
            throw truncated(base, i);
        }
        char c = s.charAt(i);
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            i = digits(s, i + 1, end);
        } else {
            throw error(s, base, i, "invalid number");
        }
        if (i < end && s.charAt(i) == '.') {
            i++;
            if (i >= end || s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw i >= end ? truncated(base, i) : error(s, base, i, "invalid number: a digit must follow '.'");
            }
            i = digits(s, i, end);
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (i >= end || s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw i >= end ? truncated(base, i) : error(s, base, i, "invalid number: a digit must follow the exponent");
            }
            i = digits(s, i, end);
        }
        return i;
    }

    private static int digits(String s, int i, int end) {
        while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /**
     * Validates the string whose opening quote is at {@code p}. Returns the index just past the
     * closing quote, or-ed with the {@link #ESCAPED} flag.
     */
    static long scanString(String s, int p, int end, int base) {
        long flags = 0;
        int i = p + 1;
        for (;;) {
            char c;
            // The hot loop: anything but controls, quote and backslash passes with two compares.
            while (i < end && (c = s.charAt(i)) >= 0x20 && c != '"' && c != '\\') {
                i++;
            }
            if (i >= end) {
                throw ProtocolException.decoding("Malformed JSON at offset " + (p - base) + ": unterminated string");
            }
            c = s.charAt(i);
            if (c == '"') {
                return (i + 1) | flags;
            }
            if (c == '\\') {
                flags |= ESCAPED;
                i = escape(s, i, end, base);
            } else {
                throw error(s, base, i, "control character in a string (must be escaped)");
            }
        }
    }

    private static int escape(String s, int i, int end, int base) {
        if (i + 1 >= end) {
            throw truncated(base, i + 1);
        }
        char e = s.charAt(i + 1);
        if (e == '"') {
            return i + 2;
        }
        switch (e) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                return i + 2;
            case 'u':
                for (int k = i + 2; k < i + 6; k++) {
                    if (k >= end) {
                        throw truncated(base, k);
                    }
                    if (hex(s.charAt(k)) < 0) {
                        throw error(s, base, k, "invalid \\u escape: expected 4 hex digits");
                    }
                }
                return i + 6;
            default:
                throw error(s, base, i + 1, "invalid escape sequence in a string");
        }
    }

    static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Skips one JSON value starting at {@code p} (which must be {@code < end}); returns the index after it. */
    static int skipValue(String s, int p, int end, int base) {
        long bits = 0; // bit d set: the container at depth d (0-based) is an object
        long[] deep = null;
        int depth = 0;
        outer:
        for (;;) {
            if (p >= end) {
                throw truncated(base, p);
            }
            char c = s.charAt(p);
            if (c == '{' || c == '[') {
                boolean object = c == '{';
                if (depth < 64) {
                    bits = object ? bits | (1L << depth) : bits & ~(1L << depth);
                } else {
                    int d = depth - 64;
                    if (deep == null) {
                        deep = new long[4];
                    } else if ((d >>> 6) >= deep.length) {
                        deep = Arrays.copyOf(deep, deep.length * 2);
                    }
                    if (object) {
                        deep[d >>> 6] |= 1L << d;
                    } else {
                        deep[d >>> 6] &= ~(1L << d);
                    }
                }
                depth++;
                p = ws(s, p + 1, end);
                if (p >= end) {
                    throw truncated(base, p);
                }
                if (s.charAt(p) == (object ? '}' : ']')) {
                    p++;
                    depth--;
                } else {
                    if (object) {
                        p = key(s, p, end, base);
                    }
                    continue;
                }
            } else {
                p = skipScalar(s, p, end, base);
            }
            for (;;) {
                if (depth == 0) {
                    return p;
                }
                int d = depth - 1;
                boolean object = d < 64 ? (bits & (1L << d)) != 0 : (deep[(d - 64) >>> 6] & (1L << (d - 64))) != 0;
                p = ws(s, p, end);
                if (p >= end) {
                    throw truncated(base, p);
                }
                c = s.charAt(p);
                if (c == ',') {
                    p = ws(s, p + 1, end);
                    if (object) {
                        p = key(s, p, end, base);
                    }
                    continue outer;
                }
                if (c == (object ? '}' : ']')) {
                    p++;
                    depth--;
                    continue;
                }
                throw error(s, base, p, object ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array");
            }
        }
    }

    private static int key(String s, int p, int end, int base) {
        if (p >= end) {
            throw truncated(base, p);
        }
        if (s.charAt(p) != '"') {
            throw error(s, base, p, "expected a field name");
        }
        p = ws(s, (int) scanString(s, p, end, base), end);
        if (p >= end) {
            throw truncated(base, p);
        }
        if (s.charAt(p) != ':') {
            throw error(s, base, p, "expected ':' after a field name");
        }
        return ws(s, p + 1, end);
    }

    private static int skipScalar(String s, int p, int end, int base) {
        char c = s.charAt(p);
        switch (c) {
            case '"':
                return (int) scanString(s, p, end, base);
            case 't':
                return literal(s, p, end, base, "true");
            case 'f':
                return literal(s, p, end, base, "false");
            case 'n':
                return literal(s, p, end, base, "null");
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number(s, p, end, base);
                }
                throw error(s, base, p, "unexpected character, expected a JSON value");
        }
    }

    /** Decodes the (already validated) string content {@code s[start..end)}, resolving escapes. */
    static String unescape(String s, int start, int end) {
        int i = start;
        while (i < end && s.charAt(i) != '\\') {
            i++;
        }
        if (i == end) {
            return s.substring(start, end);
        }
        StringBuilder sb = new StringBuilder(end - start);
        int run = start;
        while (i < end) {
            if (s.charAt(i) != '\\') {
                i++;
                continue;
            }
            if (i > run) {
                sb.append(s, run, i);
            }
            char e = s.charAt(i + 1);
            switch (e) {
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    sb.append((char) ((hex(s.charAt(i + 2)) << 12) | (hex(s.charAt(i + 3)) << 8) | (hex(s.charAt(i + 4)) << 4) | hex(s.charAt(i + 5))));
                    i += 4;
                    break;
                default: sb.append(e); break;
            }
            i += 2;
            run = i;
        }
        if (end > run) {
            sb.append(s, run, end);
        }
        return sb.toString();
    }

    private static ProtocolException truncated(int base, int p) {
        return ProtocolException.decoding("Malformed JSON at offset " + (p - base)
                + ": unexpected end of input (truncated frame?)");
    }

    private static ProtocolException error(String s, int base, int p, String what) {
        char c = s.charAt(p);
        String found = c >= 0x20 && c < 0x7F ? "'" + c + "'" : "U+" + Integer.toHexString(0x10000 | c).substring(1).toUpperCase(java.util.Locale.ROOT);
        return ProtocolException.decoding("Malformed JSON at offset " + (p - base) + ": " + what + " (found " + found + ")");
    }
}
