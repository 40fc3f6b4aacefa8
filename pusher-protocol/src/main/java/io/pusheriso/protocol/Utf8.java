package io.pusheriso.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The UTF-8 check every transport makes on the text it receives (RFC 6455 8.1 for WebSocket text
 * messages; the same rule for the messages of the HTTP fallback), in one place so that they all
 * accept exactly the same bytes. Static methods; thread-safe.
 *
 * @since 0.1.0
 */
public final class Utf8 {
    private static final long NON_ASCII = 0x8080808080808080L;

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Utf8() {}

    /**
     * Whether {@code bytes[from, to)} is well-formed UTF-8 (RFC 3629: no overlong forms, no
     * surrogates, nothing above U+10FFFF): exactly what the JDK's reporting UTF-8 decoder accepts.
     * ASCII runs are checked eight bytes at a time, since Pusher frames are mostly ASCII.
     *
     * @param bytes the bytes; not null
     * @param from the first index checked
     * @param to the index after the last one checked
     * @return true when the range is well-formed UTF-8 (an empty range is)
     * @throws IndexOutOfBoundsException if the range is not within {@code bytes}
     */
    public static boolean isWellFormed(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        int i = from;
        while (i < to) {
            if (i + 8 <= to && (((long) LONGS.get(bytes, i)) & NON_ASCII) == 0) {
                i += 8;
                continue;
            }
            if (bytes[i] >= 0) {
                i++;
                continue;
            }
            i = afterSequence(bytes, i, to);
            if (i < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks the multi-byte sequence whose lead byte is at {@code i}; returns the index after it,
     * or -1 if it is not well-formed (Unicode 15, table 3-7).
     */
    private static int afterSequence(byte[] bytes, int i, int to) {
        int c = bytes[i] & 0xFF;
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
            return -1;
        }
        if (i + n >= to) {
            return -1;
        }
        for (int k = 1; k <= n; k++) {
            int d = bytes[i + k] & 0xFF;
            if (d < lo || d > hi) {
                return -1;
            }
            lo = 0x80;
            hi = 0xBF;
        }
        return i + n + 1;
    }
}
