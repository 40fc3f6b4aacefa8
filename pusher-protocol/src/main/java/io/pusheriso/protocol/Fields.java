package io.pusheriso.protocol;

/** Recognises the envelope's member names without allocating. Stateless; thread-safe. */
final class Fields {
    static final int OTHER = 0;
    static final int EVENT = 1;
    static final int CHANNEL = 2;
    static final int DATA = 3;
    static final int USER_ID = 4;

    private Fields() {}

    static int of(byte[] b, int start, int end) {
        switch (end - start) {
            case 4:
                return b[start] == 'd' && b[start + 1] == 'a' && b[start + 2] == 't' && b[start + 3] == 'a' ? DATA : OTHER;
            case 5:
                return b[start] == 'e' && b[start + 1] == 'v' && b[start + 2] == 'e' && b[start + 3] == 'n'
                        && b[start + 4] == 't' ? EVENT : OTHER;
            case 7:
                if (b[start] == 'c') {
                    return b[start + 1] == 'h' && b[start + 2] == 'a' && b[start + 3] == 'n' && b[start + 4] == 'n'
                            && b[start + 5] == 'e' && b[start + 6] == 'l' ? CHANNEL : OTHER;
                }
                return b[start] == 'u' && b[start + 1] == 's' && b[start + 2] == 'e' && b[start + 3] == 'r'
                        && b[start + 4] == '_' && b[start + 5] == 'i' && b[start + 6] == 'd' ? USER_ID : OTHER;
            default:
                return OTHER;
        }
    }

    static int of(java.nio.ByteBuffer b, int start, int end) {
        switch (end - start) {
            case 4:
                return b.get(start) == 'd' && b.get(start + 1) == 'a' && b.get(start + 2) == 't' && b.get(start + 3) == 'a'
                        ? DATA : OTHER;
            case 5:
                return b.get(start) == 'e' && b.get(start + 1) == 'v' && b.get(start + 2) == 'e' && b.get(start + 3) == 'n'
                        && b.get(start + 4) == 't' ? EVENT : OTHER;
            case 7:
                if (b.get(start) == 'c') {
                    return b.get(start + 1) == 'h' && b.get(start + 2) == 'a' && b.get(start + 3) == 'n'
                            && b.get(start + 4) == 'n' && b.get(start + 5) == 'e' && b.get(start + 6) == 'l' ? CHANNEL : OTHER;
                }
                return b.get(start) == 'u' && b.get(start + 1) == 's' && b.get(start + 2) == 'e' && b.get(start + 3) == 'r'
                        && b.get(start + 4) == '_' && b.get(start + 5) == 'i' && b.get(start + 6) == 'd' ? USER_ID : OTHER;
            default:
                return OTHER;
        }
    }

    static int of(String s, int start, int end) {
        switch (end - start) {
            case 4:
                return s.startsWith("data", start) ? DATA : OTHER;
            case 5:
                return s.startsWith("event", start) ? EVENT : OTHER;
            case 7:
                return s.startsWith("channel", start) ? CHANNEL : s.startsWith("user_id", start) ? USER_ID : OTHER;
            default:
                return OTHER;
        }
    }

    static int of(String name) {
        return of(name, 0, name.length());
    }
}
