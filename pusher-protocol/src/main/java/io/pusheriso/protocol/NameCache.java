package io.pusheriso.protocol;

/**
 * Canonical instances of short ASCII names (event and channel names), so that decoding the same
 * names frame after frame does not allocate a new {@code String} each time.
 *
 * <p>A fixed-size, direct-mapped table of {@code String}s: a slot holds the last name that hashed
 * to it. Thread-safe without locks because a slot only ever holds a complete, immutable
 * {@code String} (safely published by its final fields); a lost race merely costs one allocation.
 * Memory is bounded by {@link #SLOTS} names of at most {@link #MAX_NAME_LENGTH} characters.
 */
final class NameCache {
    static final int MAX_NAME_LENGTH = 64;
    private static final int SLOTS = 1024;
    private static final String[] TABLE = new String[SLOTS];
    /**
     * The protocol's own event names, in a table that is filled once and never written again, so
     * that a flood of other names can never evict them: open addressing, at most a quarter full.
     */
    private static final String[] KNOWN = new String[128];

    static {
        for (String name : PusherEvents.ALL) {
            int i = slot(name.hashCode()) & (KNOWN.length - 1);
            while (KNOWN[i] != null) {
                i = (i + 1) & (KNOWN.length - 1);
            }
            KNOWN[i] = name;
        }
    }

    private NameCache() {}

    private static int slot(int hash) {
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }

    /** Returns the name held by {@code b[start..end)}, all ASCII without escapes. */
    static String ascii(byte[] b, int start, int end) {
        int len = end - start;
        if (len > MAX_NAME_LENGTH) {
            return new String(b, start, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + b[i];
        }
        int slot = slot(h);
        for (int k = slot & (KNOWN.length - 1); KNOWN[k] != null; k = (k + 1) & (KNOWN.length - 1)) {
            if (matches(KNOWN[k], h, b, start, len)) {
                return KNOWN[k];
            }
        }
        String cached = TABLE[slot];
        if (cached != null && matches(cached, h, b, start, len)) {
            return cached;
        }
        String name = new String(b, start, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        TABLE[slot] = name;
        return name;
    }

    /** Returns the name held by {@code b[start..end)}, all ASCII without escapes; absolute gets only. */
    static String ascii(java.nio.ByteBuffer b, int start, int end) {
        int len = end - start;
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + b.get(i);
        }
        if (len <= MAX_NAME_LENGTH) {
            int slot = slot(h);
            for (int k = slot & (KNOWN.length - 1); KNOWN[k] != null; k = (k + 1) & (KNOWN.length - 1)) {
                if (matches(KNOWN[k], h, b, start, len)) {
                    return KNOWN[k];
                }
            }
            String cached = TABLE[slot];
            if (cached != null && matches(cached, h, b, start, len)) {
                return cached;
            }
        }
        byte[] bytes = new byte[len];
        b.get(start, bytes);
        String name = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (len <= MAX_NAME_LENGTH) {
            TABLE[slot(h)] = name;
        }
        return name;
    }

    private static boolean matches(String name, int hash, java.nio.ByteBuffer b, int start, int len) {
        if (name.length() != len || name.hashCode() != hash) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (name.charAt(i) != b.get(start + i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(String name, int hash, byte[] b, int start, int len) {
        if (name.length() != len || name.hashCode() != hash) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (name.charAt(i) != b[start + i]) {
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
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + s.charAt(i);
        }
        int slot = slot(h);
        for (int k = slot & (KNOWN.length - 1); KNOWN[k] != null; k = (k + 1) & (KNOWN.length - 1)) {
            String known = KNOWN[k];
            if (known.length() == len && known.hashCode() == h && known.regionMatches(0, s, start, len)) {
                return known;
            }
        }
        String cached = TABLE[slot];
        if (cached != null && cached.length() == len && cached.hashCode() == h
                && cached.regionMatches(0, s, start, len)) {
            return cached;
        }
        String name = s.substring(start, end);
        TABLE[slot] = name;
        return name;
    }
}
