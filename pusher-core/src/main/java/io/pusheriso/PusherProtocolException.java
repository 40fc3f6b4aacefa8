package io.pusheriso;

/**
 * The server sent something this client cannot accept: a malformed or oversized frame, a
 * handshake without a socket id, an encrypted event that does not decrypt.
 *
 * <p>Instances are immutable and thread-safe.
 */
public class PusherProtocolException extends PusherException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public PusherProtocolException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the cause. */
  public PusherProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
