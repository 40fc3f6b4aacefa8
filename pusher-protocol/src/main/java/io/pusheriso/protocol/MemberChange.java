package io.pusheriso.protocol;

/**
 * The data of {@code pusher_internal:member_added} ({@code {"user_id":"1","user_info":{..}}}) and
 * {@code pusher_internal:member_removed} ({@code {"user_id":"1"}}). Immutable; thread-safe.
 *
 * @param userId the member's id; a numeric id becomes its text
 * @param userInfoJson the member's {@code user_info} as raw JSON text, or null when absent (removals)
 * @since 0.1.0
 */
public record MemberChange(String userId, String userInfoJson) {
    private static final String WHAT = "presence member change";

    /**
     * Reads the view from a frame.
     *
     * @param frame the frame
     * @return the view
     * @throws ProtocolException if the data is missing, malformed, or lacks a string or integer {@code user_id}
     */
    public static MemberChange from(PusherFrame frame) {
        String data = JsonData.dataOf(frame, WHAT);
        MemberChange quick = Quick.read(data);
        return quick != null ? quick : JsonData.parse(WHAT, data, in -> {
            in.startObject(null);
            String userId = null;
            String info = null;
            for (String field; (field = in.nextField()) != null; ) {
                switch (field) {
                    case "user_id":
                        userId = in.id(field);
                        break;
                    case "user_info":
                        info = in.rawValue();
                        break;
                    default:
                        in.skip();
                }
            }
            if (userId == null) {
                throw in.missing("user_id");
            }
            return new MemberChange(userId, info);
        });
    }

    /**
     * The common shapes read without a Jackson parser (which costs ≈ 500 bytes to create, per
     * member change): {@code user_id} a string without escapes or an integer, {@code user_info}
     * absent, or a flat object of at most {@link #MAX_KEYS} distinct, unescaped keys and scalar
     * values, no other field. Anything else, valid or not, returns null and goes to the Jackson
     * path, which gives the same result or the usual error; so this path accepts nothing Jackson
     * would refuse (for instance duplicate keys).
     */
    private static final class Quick {
        private static final int MAX_KEYS = 16;
        private static final int MAX_LENGTH = 1 << 16;
        private static final int MAX_NUMBER = 100;

        private Quick() {
        }

        static MemberChange read(String s) {
            int n = s.length();
            if (n > MAX_LENGTH) {
                return null;
            }
            try {
                int p = CharScanner.ws(s, 0, n);
                if (p >= n || s.charAt(p) != '{') {
                    return null;
                }
                String userId = null;
                String info = null;
                boolean sawInfo = false;
                p = CharScanner.ws(s, p + 1, n);
                for (;;) {
                    if (p >= n || s.charAt(p) != '"') {
                        return null;
                    }
                    long r = CharScanner.scanString(s, p, n, 0);
                    int nameEnd = (int) r;
                    if ((r >>> 32) != 0) {
                        return null;
                    }
                    int q = CharScanner.ws(s, nameEnd, n);
                    if (q >= n || s.charAt(q) != ':') {
                        return null;
                    }
                    q = CharScanner.ws(s, q + 1, n);
                    if (q >= n) {
                        return null;
                    }
                    int nameLength = nameEnd - p - 2;
                    if (nameLength == 7 && s.startsWith("user_id", p + 1) && userId == null) {
                        char c = s.charAt(q);
                        if (c == '"') {
                            long v = CharScanner.scanString(s, q, n, 0);
                            if ((v >>> 32) != 0) {
                                return null;
                            }
                            p = (int) v;
                            userId = s.substring(q + 1, p - 1);
                        } else if (c == '-' || (c >= '0' && c <= '9')) {
                            p = CharScanner.skipValue(s, q, n, 0);
                            if (p - q > MAX_NUMBER || !integer(s, q, p)) {
                                return null;
                            }
                            userId = s.substring(q, p);
                        } else {
                            return null;
                        }
                    } else if (nameLength == 9 && s.startsWith("user_info", p + 1) && !sawInfo) {
                        sawInfo = true;
                        if (s.charAt(q) != '{') {
                            return null;
                        }
                        p = flatObject(s, q, n);
                        if (p < 0) {
                            return null;
                        }
                        info = s.substring(q, p);
                    } else {
                        return null;
                    }
                    p = CharScanner.ws(s, p, n);
                    if (p >= n) {
                        return null;
                    }
                    if (s.charAt(p) == '}') {
                        break;
                    }
                    if (s.charAt(p) != ',') {
                        return null;
                    }
                    p = CharScanner.ws(s, p + 1, n);
                }
                if (userId == null || CharScanner.ws(s, p + 1, n) != n) {
                    return null;
                }
                return new MemberChange(userId, info);
            } catch (ProtocolException e) {
                return null;
            }
        }

        private static boolean integer(String s, int from, int to) {
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c == '.' || c == 'e' || c == 'E') {
                    return false;
                }
            }
            return true;
        }

        /**
         * The end of the flat object at {@code p} (past its brace), or -1 if it is not one: a
         * nested container, an escaped or repeated key, too many keys or a long number.
         */
        private static int flatObject(String s, int p, int n) {
            int[] keys = null;
            int count = 0;
            p = CharScanner.ws(s, p + 1, n);
            if (p < n && s.charAt(p) == '}') {
                return p + 1;
            }
            for (;;) {
                if (p >= n || s.charAt(p) != '"') {
                    return -1;
                }
                long r = CharScanner.scanString(s, p, n, 0);
                if ((r >>> 32) != 0 || count == MAX_KEYS) {
                    return -1;
                }
                int keyEnd = (int) r;
                for (int k = 0; k < count; k++) {
                    int other = keys[k];
                    int length = keyEnd - p;
                    if (s.regionMatches(other, s, p, length) && s.charAt(other + length - 1) == '"') {
                        return -1;
                    }
                }
                if (keys == null) {
                    keys = new int[MAX_KEYS];
                }
                keys[count++] = p;
                int q = CharScanner.ws(s, keyEnd, n);
                if (q >= n || s.charAt(q) != ':') {
                    return -1;
                }
                q = CharScanner.ws(s, q + 1, n);
                if (q >= n) {
                    return -1;
                }
                char c = s.charAt(q);
                if (c == '{' || c == '[') {
                    return -1;
                }
                p = CharScanner.skipValue(s, q, n, 0);
                if (c != '"' && p - q > MAX_NUMBER) {
                    return -1;
                }
                p = CharScanner.ws(s, p, n);
                if (p >= n) {
                    return -1;
                }
                if (s.charAt(p) == '}') {
                    return p + 1;
                }
                if (s.charAt(p) != ',') {
                    return -1;
                }
                p = CharScanner.ws(s, p + 1, n);
            }
        }
    }
}
