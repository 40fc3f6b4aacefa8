package io.pusheriso.protocol;

/**
 * Wire data that is malformed, truncated, oversized or of the wrong shape.
 *
 * <p>Every decoding entry point of this package reports bad input with this exception (or a
 * subclass), never with a {@code NullPointerException}, {@code ClassCastException} or
 * {@code IndexOutOfBoundsException}. Messages name the field or the offset at fault and never
 * contain secrets. Instances are immutable and thread-safe once thrown.
 *
 * <p>Failures of the frame decoder itself carry no stack trace: the message pinpoints the offset
 * in the input, which is what explains them, and a peer sending garbage must not be able to make
 * each rejected frame cost a stack walk.
 *
 * @since 0.1.0
 */
public class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that says what was wrong.
     *
     * @param message what was wrong, and where
     */
    public ProtocolException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the lower-level failure that revealed the problem.
     *
     * @param message what was wrong, and where
     * @param cause the underlying failure
     */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A decoder failure: no stack trace (see the class comment). */
    static ProtocolException decoding(String message) {
        return new ProtocolException(message, false);
    }

    private ProtocolException(String message, boolean writableStackTrace) {
        super(message, null, true, writableStackTrace);
    }
}
