package io.pusheriso.protocol;

/**
 * Channel name rules: at most {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9_\-=@,.;]},
 * and the prefixes that give a channel its {@link ChannelKind kind}. Static methods; thread-safe.
 *
 * @since 0.1.0
 */
public final class ChannelNames {
    /** The longest channel name Pusher accepts, in characters. */
    public static final int MAX_LENGTH = 164;

    static final String PRIVATE_PREFIX = "private-";
    static final String PRIVATE_ENCRYPTED_PREFIX = "private-encrypted-";
    static final String PRESENCE_PREFIX = "presence-";
    static final String SERVER_TO_USER_PREFIX = "#server-to-user-";
    private static final String ALLOWED = "allowed characters are A-Z, a-z, 0-9 and _ - = @ , . ;";

    private ChannelNames() {}

    /**
     * Tells a channel's kind from its name's prefix.
     *
     * @param name the channel name; not null
     * @return {@code PRIVATE_ENCRYPTED} for {@code private-encrypted-} (including
     *     {@code private-encrypted-cache-}), {@code PRIVATE} for other {@code private-} names,
     *     {@code PRESENCE} for {@code presence-}, {@code SERVER_TO_USER} for
     *     {@code #server-to-user-}, otherwise {@code PUBLIC}
     * @throws InvalidChannelNameException if {@code name} is null
     */
    public static ChannelKind kindOf(String name) {
        if (name == null) {
            throw new InvalidChannelNameException("Channel name must not be null");
        }
        if (name.startsWith(PRIVATE_PREFIX)) {
            return name.startsWith(PRIVATE_ENCRYPTED_PREFIX) ? ChannelKind.PRIVATE_ENCRYPTED : ChannelKind.PRIVATE;
        }
        if (name.startsWith(PRESENCE_PREFIX)) {
            return ChannelKind.PRESENCE;
        }
        if (name.startsWith(SERVER_TO_USER_PREFIX)) {
            return ChannelKind.SERVER_TO_USER;
        }
        return ChannelKind.PUBLIC;
    }

    /**
     * Tells whether a channel is a cache channel (the server replays its last event on subscription).
     *
     * @param name the channel name (null gives false)
     * @return whether it starts with {@code cache-}, {@code private-cache-}, {@code presence-cache-}
     *     or {@code private-encrypted-cache-}
     */
    public static boolean isCache(String name) {
        return name != null && (name.startsWith("cache-") || name.startsWith("private-cache-")
                || name.startsWith("presence-cache-") || name.startsWith("private-encrypted-cache-"));
    }

    /**
     * Checks a name a user wants to subscribe to.
     *
     * @param name the channel name
     * @throws InvalidChannelNameException if it is null or empty, longer than {@value #MAX_LENGTH}
     *     characters, starts with {@code #} (reserved for the server-to-user channels the client
     *     subscribes to itself), or holds a character outside {@code [A-Za-z0-9_\-=@,.;]}
     */
    public static void validate(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new InvalidChannelNameException(problem);
        }
    }

    /**
     * Tells whether {@link #validate} would accept a name.
     *
     * @param name the channel name
     * @return whether the name is valid
     */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    private static String problem(String name) {
        if (name == null) {
            return "Channel name must not be null";
        }
        if (name.isEmpty()) {
            return "Channel name must not be empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "Channel name is " + name.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        }
        if (name.charAt(0) == '#') {
            return "Channel name '" + name + "' starts with '#', which is reserved for server-to-user channels"
                    + " (the client subscribes to its own after sign-in); " + ALLOWED;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!allowed(c)) {
                return "Channel name '" + name + "' contains " + (c >= 0x20 && c < 0x7F ? "'" + c + "'" : "")
                        + String.format(" (U+%04X) at index %d; ", (int) c, i) + ALLOWED;
            }
        }
        return null;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '=' || c == '@' || c == ',' || c == '.' || c == ';';
    }
}
