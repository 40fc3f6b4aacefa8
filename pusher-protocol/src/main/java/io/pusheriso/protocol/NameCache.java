package io.pusheriso.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Canonical instances of short names (event and channel names), so that decoding the same names
 * frame after frame does not allocate a new {@code String} each time, whichever entry point
 * (bytes, buffer or text) decoded them.
 *
 * <p>A fixed-size, direct-mapped table: a slot holds the last name that hashed to it, with its
 * bytes when it is ASCII, so that a byte lookup is one vectorised {@code Arrays.equals} rather than
 * a {@code charAt} per byte. Thread-safe without locks because a slot only ever holds a complete,
 * immutable {@code Entry} (safely published by its final fields; its bytes are never written after
 * construction); a lost race merely costs one allocation. Memory is bounded by {@link #SLOTS}
 * names of at most {@link #MAX_NAME_LENGTH} characters.
 */
final class NameCache {
    static final int MAX_NAME_LENGTH = 64;
    private static final int SLOTS = 1024;
    private static final long MIX = 0x9E3779B97F4A7C15L;
    private static final VarHandle ARRAY_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** A name, with its bytes when it is all ASCII (null otherwise: no byte lookup can match it). */
    private static final class Entry {
        final String name;
        final byte[] bytes;

        Entry(String name, byte[] bytes) {
            this.name = name;
            this.bytes = bytes;
        }
    }

    private static final Entry[] TABLE = new Entry[SLOTS];
    /**
     * The protocol's own event names, in a table that is filled once and never written again, so
     * that a flood of other names can never evict them: open addressing, at most a quarter full.
     */
    private static final Entry[] KNOWN = new Entry[128];

    static {
        for (String name : PusherEvents.ALL) {
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            int i = bytesHash(bytes, 0, bytes.length) & (KNOWN.length - 1);
            while (KNOWN[i] != null) {
                i = (i + 1) & (KNOWN.length - 1);
            }
            KNOWN[i] = new Entry(name, bytes);
        }
    }

    private NameCache() {}

    /**
     * A hash of a name from its length and at most three 8-byte little-endian words (first, last,
     * middle). A serial {@code 31 * h + b} chain costs a multiply latency per byte, a sixth of the
     * envelope decode. Names that differ only outside those words share a slot: that costs a
     * re-allocation when they alternate, never a wrong answer. The three entry points compute the
     * same hash for the same ASCII name, so they share canonical instances.
     */
    private static int mix(long first, long last, long middle, int len) {
        long x = first;
        if (len >= Long.BYTES) {
            x = x * MIX ^ last;
            if (len > 2 * Long.BYTES) {
                x = x * MIX ^ middle;
            }
        }
        x = (x + len) * MIX;
        return (int) (x >>> 32) ^ (int) x;
    }

    private static int middle(int start, int len) {
        return start + (len >>> 1) - Long.BYTES / 2;
    }

    static int bytesHash(byte[] b, int start, int end) {
        int len = end - start;
        if (len < Long.BYTES) {
            long x = 0;
            for (int i = end - 1; i >= start; i--) {
                x = (x << 8) | (b[i] & 0xFF);
            }
            return mix(x, 0, 0, len);
        }
        long middle = len > 2 * Long.BYTES ? (long) ARRAY_LONGS.get(b, middle(start, len)) : 0;
        return mix((long) ARRAY_LONGS.get(b, start), (long) ARRAY_LONGS.get(b, end - Long.BYTES), middle, len);
    }

    private static int bufferHash(ByteBuffer b, int start, int end) {
        int len = end - start;
        if (len < Long.BYTES) {
            long x = 0;
            for (int i = end - 1; i >= start; i--) {
                x = (x << 8) | (b.get(i) & 0xFF);
            }
            return mix(x, 0, 0, len);
        }
        long middle = len > 2 * Long.BYTES ? (long) BUFFER_LONGS.get(b, middle(start, len)) : 0;
        return mix((long) BUFFER_LONGS.get(b, start), (long) BUFFER_LONGS.get(b, end - Long.BYTES), middle, len);
    }

    /** The little-endian word of the low bytes of {@code s[start..start+n)}: the byte hash for ASCII text. */
    private static long word(String s, int start, int n) {
        long x = 0;
        for (int i = start + n - 1; i >= start; i--) {
            x = (x << 8) | (s.charAt(i) & 0xFF);
        }
        return x;
    }

    private static int charsHash(String s, int start, int end) {
        int len = end - start;
        if (len < Long.BYTES) {
            return mix(word(s, start, len), 0, 0, len);
        }
        long middle = len > 2 * Long.BYTES ? word(s, middle(start, len), Long.BYTES) : 0;
        return mix(word(s, start, Long.BYTES), word(s, end - Long.BYTES, Long.BYTES), middle, len);
    }

    /** Returns the name held by {@code b[start..end)}, all ASCII without escapes. */
    static String ascii(byte[] b, int start, int end) {
        int len = end - start;
        if (len > MAX_NAME_LENGTH) {
            return new String(b, start, len, StandardCharsets.ISO_8859_1);
        }
        int h = bytesHash(b, start, end);
        for (int k = h & (KNOWN.length - 1); KNOWN[k] != null; k = (k + 1) & (KNOWN.length - 1)) {
            byte[] known = KNOWN[k].bytes;
            if (known.length == len && Arrays.equals(known, 0, len, b, start, end)) {
                return KNOWN[k].name;
            }
        }
        int slot = h & (SLOTS - 1);
        Entry cached = TABLE[slot];
        if (cached != null) {
            byte[] bytes = cached.bytes;
            if (bytes != null && bytes.length == len && Arrays.equals(bytes, 0, len, b, start, end)) {
                return cached.name;
            }
        }
        byte[] copy = Arrays.copyOfRange(b, start, end);
        String name = new String(copy, StandardCharsets.ISO_8859_1);
        TABLE[slot] = new Entry(name, copy);
        return name;
    }

    /** Returns the name held by {@code b[start..end)}, all ASCII without escapes; absolute gets only. */
    static String ascii(ByteBuffer b, int start, int end) {
        int len = end - start;
        if (len > MAX_NAME_LENGTH) {
            byte[] copy = new byte[len];
            b.get(start, copy);
            return new String(copy, StandardCharsets.ISO_8859_1);
        }
        int h = bufferHash(b, start, end);
        for (int k = h & (KNOWN.length - 1); KNOWN[k] != null; k = (k + 1) & (KNOWN.length - 1)) {
            if (matches(KNOWN[k].bytes, b, start, len)) {
                return KNOWN[k].name;
            }
        }
        int slot = h & (SLOTS - 1);
        Entry cached = TABLE[slot];
        if (cached != null && matches(cached.bytes, b, start, len)) {
            return cached.name;
        }
        byte[] copy = new byte[len];
        b.get(start, copy);
        String name = new String(copy, StandardCharsets.ISO_8859_1);
        TABLE[slot] = new Entry(name, copy);
        return name;
    }

    private static boolean matches(byte[] bytes, ByteBuffer b, int start, int len) {
        if (bytes == null || bytes.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (bytes[i] != b.get(start + i)) {
                return false;
            }
        }
        return true;
    }

    /** Returns the name held by {@code s[start..end)}, without escapes. */
    static String chars(String s, int start, int end) {
        int len = end - start;
        if (len > MAX_NAME_LENGTH) {
            return s.substring(start, end);
        }
        int h = charsHash(s, start, end);
        for (int k = h & (KNOWN.length - 1); KNOWN[k] != null; k = (k + 1) & (KNOWN.length - 1)) {
            String known = KNOWN[k].name;
            if (known.length() == len && known.regionMatches(0, s, start, len)) {
                return known;
            }
        }
        int slot = h & (SLOTS - 1);
        Entry cached = TABLE[slot];
        if (cached != null && cached.name.length() == len && cached.name.regionMatches(0, s, start, len)) {
            return cached.name;
        }
        String name = s.substring(start, end);
        TABLE[slot] = new Entry(name, asciiBytes(name));
        return name;
    }

    private static byte[] asciiBytes(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return null;
            }
        }
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}
