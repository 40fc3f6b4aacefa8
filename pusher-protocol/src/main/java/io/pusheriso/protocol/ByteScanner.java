package io.pusheriso.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strict, single-pass JSON scanner that decodes a frame envelope straight from UTF-8 bytes.
 *
 * <p>Only the envelope is materialised: {@code event}, {@code channel} and {@code user_id} become
 * strings (canonicalised through {@link NameCache}), {@code data} is validated and copied out as
 * its raw bytes, every other member is validated and skipped. Nesting is skipped iteratively with
 * a bit stack, so depth is bounded by memory, never by the call stack. Stateless static methods;
 * thread-safe.
 */
final class ByteScanner {
    private static final long ESCAPED = 1L << 32;
    private static final long NON_ASCII = 1L << 33;
    private static final String HEX = "0123456789ABCDEF";

    /** Bytes that may appear in a string with no further check: ASCII except controls, quote and backslash. */
    static final boolean[] PLAIN = new boolean[256];

    static {
        for (int c = 0x20; c < 0x80; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
    }

    private ByteScanner() {}

    static PusherFrame decode(byte[] b, int off, int len) {
        final int end = off + len;
        int p = ws(b, off, end);
        if (p >= end) {
            throw ProtocolException.decoding("Malformed JSON: empty input");
        }
        if (b[p] != '{') {
            throw error(b, off, p, "a frame must be a JSON object");
        }
        p = ws(b, p + 1, end);
        String event = null;
        String channel = null;
        String userId = null;
        boolean seenChannel = false;
        boolean seenUserId = false;
        boolean seenData = false;
        byte dataKind = PusherFrame.NO_DATA;
        int dataStart = 0;
        int dataEnd = 0;
        if (p < end && b[p] == '}') {
            p++;
        } else {
            for (;;) {
                if (p >= end) {
                    throw truncated(off, p);
                }
                if (b[p] != '"') {
                    throw error(b, off, p, "expected a field name");
                }
                long r = scanString(b, p, end, off);
                int keyEnd = (int) r;
                int field = (r & ESCAPED) == 0
                        ? Fields.of(b, p + 1, keyEnd - 1)
                        : Fields.of(unescape(b, p + 1, keyEnd - 1));
                p = ws(b, keyEnd, end);
                if (p >= end) {
                    throw truncated(off, p);
                }
                if (b[p] != ':') {
                    throw error(b, off, p, "expected ':' after a field name");
                }
                p = ws(b, p + 1, end);
                if (p >= end) {
                    throw truncated(off, p);
                }
                byte c = b[p];
                switch (field) {
                    case Fields.EVENT:
                        if (event != null) {
                            throw error(b, off, p, "duplicate \"event\" field");
                        }
                        if (c != '"') {
                            throw error(b, off, p, "\"event\" must be a string");
                        }
                        r = scanString(b, p, end, off);
                        event = name(b, p, r);
                        p = (int) r;
                        break;
                    case Fields.CHANNEL:
                        if (seenChannel) {
                            throw error(b, off, p, "duplicate \"channel\" field");
                        }
                        seenChannel = true;
                        if (c == '"') {
                            r = scanString(b, p, end, off);
                            channel = name(b, p, r);
                            p = (int) r;
                        } else if (c == 'n') {
                            p = literal(b, p, end, off, "null");
                        } else {
                            throw error(b, off, p, "\"channel\" must be a string or null");
                        }
                        break;
                    case Fields.USER_ID:
                        if (seenUserId) {
                            throw error(b, off, p, "duplicate \"user_id\" field");
                        }
                        seenUserId = true;
                        if (c == '"') {
                            r = scanString(b, p, end, off);
                            userId = name(b, p, r);
                            p = (int) r;
                        } else if (c == 'n') {
                            p = literal(b, p, end, off, "null");
                        } else if (c == '-' || (c >= '0' && c <= '9')) {
                            int start = p;
                            p = number(b, p, end, off);
                            userId = new String(b, start, p - start, StandardCharsets.ISO_8859_1);
                        } else {
                            throw error(b, off, p, "\"user_id\" must be a string, a number or null");
                        }
                        break;
                    case Fields.DATA:
                        if (seenData) {
                            throw error(b, off, p, "duplicate \"data\" field");
                        }
                        seenData = true;
                        dataStart = p;
                        if (c == 'n') {
                            p = literal(b, p, end, off, "null");
                        } else {
                            p = skipValue(b, p, end, off);
                            dataKind = c == '"' ? PusherFrame.STRING_DATA : PusherFrame.JSON_DATA;
                        }
                        dataEnd = p;
                        break;
                    default:
                        p = skipValue(b, p, end, off);
                        break;
                }
                p = ws(b, p, end);
                if (p >= end) {
                    throw truncated(off, p);
                }
                c = b[p];
                if (c == ',') {
                    p = ws(b, p + 1, end);
                } else if (c == '}') {
                    p++;
                    break;
                } else {
                    throw error(b, off, p, "expected ',' or '}' after a field");
                }
            }
        }
        p = ws(b, p, end);
        if (p < end) {
            throw error(b, off, p, "unexpected data after the end of the frame");
        }
        if (event == null) {
            throw ProtocolException.decoding("Malformed Pusher frame: no \"event\" field");
        }
        byte[] data = dataKind == PusherFrame.NO_DATA ? null : Arrays.copyOfRange(b, dataStart, dataEnd);
        return new PusherFrame(event, channel, userId, dataKind, data);
    }

    /** Validates that {@code b[off..off+len)} is exactly one JSON value, surrounded by optional whitespace. */
    static void validateValue(byte[] b, int off, int len) {
        int end = off + len;
        int p = ws(b, off, end);
        if (p >= end) {
            throw ProtocolException.decoding("Malformed JSON: empty input");
        }
        p = ws(b, skipValue(b, p, end, off), end);
        if (p < end) {
            throw error(b, off, p, "unexpected data after the JSON value");
        }
    }

    private static String name(byte[] b, int quote, long r) {
        int end = (int) r - 1;
        if ((r & (ESCAPED | NON_ASCII)) == 0) {
            return NameCache.ascii(b, quote + 1, end);
        }
        return unescape(b, quote + 1, end);
    }

    static int ws(byte[] b, int p, int end) {
        if (p < end && b[p] > ' ') {
            return p;
        }
        while (p < end) {
            byte c = b[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            p++;
        }
        return p;
    }

    private static int literal(byte[] b, int p, int end, int base, String word) {
        int n = word.length();
        if (end - p < n) {
            throw truncatedOrBad(b, base, p, end, word);
        }
        for (int i = 0; i < n; i++) {
            if (b[p + i] != word.charAt(i)) {
                throw error(b, base, p + i, "invalid literal, expected '" + word + "'");
            }
        }
        return p + n;
    }

    private static ProtocolException truncatedOrBad(byte[] b, int base, int p, int end, String word) {
        for (int i = p; i < end; i++) {
            if (b[i] != word.charAt(i - p)) {
                return error(b, base, i, "invalid literal, expected '" + word + "'");
            }
        }
        return truncated(base, end);
    }

    private static int number(byte[] b, int p, int end, int base) {
        int i = p;
        if (b[i] == '-') {
            i++;
        }
        if (i >= end) {
            throw truncated(base, i);
        }
        byte c = b[i];
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            i = digits(b, i + 1, end);
        } else {
            throw error(b, base, i, "invalid number");
        }
        if (i < end && b[i] == '.') {
            i++;
            if (i >= end || b[i] < '0' || b[i] > '9') {
                throw i >= end ? truncated(base, i) : error(b, base, i, "invalid number: a digit must follow '.'");
            }
            i = digits(b, i, end);
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            if (i >= end || b[i] < '0' || b[i] > '9') {
                throw i >= end ? truncated(base, i) : error(b, base, i, "invalid number: a digit must follow the exponent");
            }
            i = digits(b, i, end);
        }
        return i;
    }

    private static int digits(byte[] b, int i, int end) {
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    /**
     * Validates the string whose opening quote is at {@code p}. Returns the index just past the
     * closing quote, or-ed with {@link #ESCAPED} and {@link #NON_ASCII} flags.
     */
    static long scanString(byte[] b, int p, int end, int base) {
        long flags = 0;
        int i = p + 1;
        for (;;) {
            // The hot loop: plain ASCII, one table load and one compare per byte.
            while (i < end && PLAIN[b[i] & 0xFF]) {
                i++;
            }
            if (i >= end) {
                throw ProtocolException.decoding("Malformed JSON at offset " + (p - base) + ": unterminated string");
            }
            int c = b[i];
            if (c == '"') {
                return (i + 1) | flags;
            }
            if (c == '\\') {
                flags |= ESCAPED;
                i = escape(b, i, end, base);
            } else if (c < 0) {
                flags |= NON_ASCII;
                i = utf8(b, i, end, base);
            } else {
                throw error(b, base, i, "control character in a string (must be escaped)");
            }
        }
    }

    private static int escape(byte[] b, int i, int end, int base) {
        if (i + 1 >= end) {
            throw truncated(base, i + 1);
        }
        byte e = b[i + 1];
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
                    if (hex(b[k]) < 0) {
                        throw error(b, base, k, "invalid \\u escape: expected 4 hex digits");
                    }
                }
                return i + 6;
            default:
                throw error(b, base, i + 1, "invalid escape sequence in a string");
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

    /** Validates one UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
    private static int utf8(byte[] b, int i, int end, int base) {
        int c = b[i] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0) {
                lo = 0xA0;
            } else if (c == 0xED) {
                hi = 0x9F;
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            throw error(b, base, i, "invalid UTF-8");
        }
        for (int k = 1; k <= n; k++) {
            if (i + k >= end) {
                throw truncated(base, i + k);
            }
            int d = b[i + k] & 0xFF;
            if (d < lo || d > hi) {
                throw error(b, base, i + k, "invalid UTF-8");
            }
            lo = 0x80;
            hi = 0xBF;
        }
        return i + n + 1;
    }

    /** Skips one JSON value starting at {@code p} (which must be {@code < end}); returns the index after it. */
    static int skipValue(byte[] b, int p, int end, int base) {
        long bits = 0; // bit d set: the container at depth d (0-based) is an object
        long[] deep = null;
        int depth = 0;
        outer:
        for (;;) {
            if (p >= end) {
                throw truncated(base, p);
            }
            byte c = b[p];
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
                p = ws(b, p + 1, end);
                if (p >= end) {
                    throw truncated(base, p);
                }
                if (b[p] == (object ? '}' : ']')) {
                    p++;
                    depth--;
                } else {
                    if (object) {
                        p = key(b, p, end, base);
                    }
                    continue;
                }
            } else {
                p = skipScalar(b, p, end, base);
            }
            for (;;) {
                if (depth == 0) {
                    return p;
                }
                int d = depth - 1;
                boolean object = d < 64 ? (bits & (1L << d)) != 0 : (deep[(d - 64) >>> 6] & (1L << (d - 64))) != 0;
                p = ws(b, p, end);
                if (p >= end) {
                    throw truncated(base, p);
                }
                c = b[p];
                if (c == ',') {
                    p = ws(b, p + 1, end);
                    if (object) {
                        p = key(b, p, end, base);
                    }
                    continue outer;
                }
                if (c == (object ? '}' : ']')) {
                    p++;
                    depth--;
                    continue;
                }
                throw error(b, base, p, object ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array");
            }
        }
    }

    private static int key(byte[] b, int p, int end, int base) {
        if (p >= end) {
            throw truncated(base, p);
        }
        if (b[p] != '"') {
            throw error(b, base, p, "expected a field name");
        }
        p = ws(b, (int) scanString(b, p, end, base), end);
        if (p >= end) {
            throw truncated(base, p);
        }
        if (b[p] != ':') {
            throw error(b, base, p, "expected ':' after a field name");
        }
        return ws(b, p + 1, end);
    }

    private static int skipScalar(byte[] b, int p, int end, int base) {
        byte c = b[p];
        switch (c) {
            case '"':
                return (int) scanString(b, p, end, base);
            case 't':
                return literal(b, p, end, base, "true");
            case 'f':
                return literal(b, p, end, base, "false");
            case 'n':
                return literal(b, p, end, base, "null");
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number(b, p, end, base);
                }
                throw error(b, base, p, "unexpected character, expected a JSON value");
        }
    }

    /**
     * Decodes the (already validated) string content {@code b[start..end)}, resolving escapes.
     *
     * <p>Into one buffer, then one {@code String}: Latin-1 bytes while every character fits (a
     * Latin-1 {@code String} is a plain copy), {@code char}s from the first one that does not.
     * Unescaped text is never longer than its escaped UTF-8 form, in bytes or in chars, so the
     * buffer is sized once. Escaped surrogates are copied as the UTF-16 units they name, paired or
     * not, as JSON defines them.
     */
    static String unescape(byte[] b, int start, int end) {
        int i = start;
        while (i < end && b[i] >= 0 && b[i] != '\\') {
            i++;
        }
        if (i == end) {
            return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        }
        byte[] out = new byte[end - start];
        int n = i - start;
        System.arraycopy(b, start, out, 0, n);
        while (i < end) {
            byte c = b[i];
            if (c >= 0 && c != '\\') {
                out[n++] = c;
                i++;
                continue;
            }
            int cp;
            int next;
            if (c == '\\') {
                byte e = b[i + 1];
                next = i + 2;
                switch (e) {
                    case 'b': cp = '\b'; break;
                    case 'f': cp = '\f'; break;
                    case 'n': cp = '\n'; break;
                    case 'r': cp = '\r'; break;
                    case 't': cp = '\t'; break;
                    case 'u':
                        cp = (hex(b[i + 2]) << 12) | (hex(b[i + 3]) << 8) | (hex(b[i + 4]) << 4) | hex(b[i + 5]);
                        next = i + 6;
                        break;
                    default: cp = e; break;
                }
            } else if ((c & 0xE0) == 0xC0) {
                cp = ((c & 0x1F) << 6) | (b[i + 1] & 0x3F);
                next = i + 2;
            } else {
                return unescapeChars(b, i, end, out, n);
            }
            if (cp > 0xFF) {
                return unescapeChars(b, i, end, out, n);
            }
            out[n++] = (byte) cp;
            i = next;
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** Continues {@link #unescape} at {@code b[i]} in UTF-16, after the Latin-1 text {@code latin1[0..n)}. */
    private static String unescapeChars(byte[] b, int i, int end, byte[] latin1, int n) {
        char[] out = new char[n + end - i];
        for (int k = 0; k < n; k++) {
            out[k] = (char) (latin1[k] & 0xFF);
        }
        while (i < end) {
            int c = b[i];
            if (c >= 0 && c != '\\') {
                out[n++] = (char) c;
                i++;
            } else if (c == '\\') {
                byte e = b[i + 1];
                i += 2;
                switch (e) {
                    case 'b': out[n++] = '\b'; break;
                    case 'f': out[n++] = '\f'; break;
                    case 'n': out[n++] = '\n'; break;
                    case 'r': out[n++] = '\r'; break;
                    case 't': out[n++] = '\t'; break;
                    case 'u':
                        out[n++] = (char) ((hex(b[i]) << 12) | (hex(b[i + 1]) << 8) | (hex(b[i + 2]) << 4) | hex(b[i + 3]));
                        i += 4;
                        break;
                    default: out[n++] = (char) e; break;
                }
            } else if ((c & 0xE0) == 0xC0) {
                out[n++] = (char) (((c & 0x1F) << 6) | (b[i + 1] & 0x3F));
                i += 2;
            } else if ((c & 0xF0) == 0xE0) {
                out[n++] = (char) (((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));
                i += 3;
            } else {
                int cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
                out[n++] = Character.highSurrogate(cp);
                out[n++] = Character.lowSurrogate(cp);
                i += 4;
            }
        }
        return new String(out, 0, n);
    }

    private static ProtocolException truncated(int base, int p) {
        return ProtocolException.decoding("Malformed JSON at offset " + (p - base)
                + ": unexpected end of input (truncated frame?)");
    }

    private static ProtocolException error(byte[] b, int base, int p, String what) {
        int c = b[p] & 0xFF;
        String found = c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : "byte 0x" + HEX.charAt(c >>> 4) + HEX.charAt(c & 0xF);
        return ProtocolException.decoding("Malformed JSON at offset " + (p - base) + ": " + what + " (found " + found + ")");
    }
}
