package io.pusheriso.protocol;

/**
 * A channel name that breaks the naming rules; the message says which rule and lists the allowed
 * characters. Immutable and thread-safe once thrown.
 *
 * @since 0.1.0
 */
public class InvalidChannelNameException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which rule the name breaks, and the allowed set
     */
    public InvalidChannelNameException(String message) {
        super(message);
    }
}
