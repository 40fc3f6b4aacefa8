package io.pusheriso.protocol;

/**
 * A client event that breaks the rules (name prefix, channel kind, data size); the message says
 * which rule and why. Immutable and thread-safe once thrown.
 *
 * @since 0.1.0
 */
public class InvalidClientEventException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which rule the event breaks, and why
     */
    public InvalidClientEventException(String message) {
        super(message);
    }
}
