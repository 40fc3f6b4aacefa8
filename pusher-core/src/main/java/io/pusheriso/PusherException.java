package io.pusheriso;

/**
 * The root of every error this client reports. Unchecked: configuration errors are thrown at once,
 * asynchronous failures reach error listeners or fail a {@link java.util.concurrent.CompletionStage}.
 *
 * <p>Messages never contain secrets (app secret, shared secret, auth signatures). Instances are
 * immutable and thread-safe.
 */
public class PusherException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what went wrong and how to fix it. */
  public PusherException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the cause. */
  public PusherException(String message, Throwable cause) {
    super(message, cause);
  }
}
