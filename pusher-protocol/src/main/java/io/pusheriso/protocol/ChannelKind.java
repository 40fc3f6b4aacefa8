package io.pusheriso.protocol;

/**
 * The kinds of channel, told apart by the name's prefix (see {@link ChannelNames#kindOf}).
 * Immutable; thread-safe.
 *
 * @since 0.1.0
 */
public enum ChannelKind {
    /** Any name without one of the prefixes below; no authorization. */
    PUBLIC,
    /** {@code private-} (including {@code private-cache-}): authorized subscription. */
    PRIVATE,
    /** {@code presence-} (including {@code presence-cache-}): authorized, with member tracking. */
    PRESENCE,
    /** {@code private-encrypted-} (including {@code private-encrypted-cache-}): authorized, end-to-end encrypted. */
    PRIVATE_ENCRYPTED,
    /** {@code #server-to-user-}: the signed-in user's own channel, subscribed by the client itself. */
    SERVER_TO_USER;

    /** @return whether subscribing needs an authorization: private, presence and private-encrypted channels */
    public boolean requiresAuthorization() {
        return this == PRIVATE || this == PRESENCE || this == PRIVATE_ENCRYPTED;
    }

    /** @return whether clients may trigger events on it: private and presence channels (not encrypted ones) */
    public boolean allowsClientEvents() {
        return this == PRIVATE || this == PRESENCE;
    }
}
