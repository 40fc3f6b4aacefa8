package io.pusheriso;

/**
 * The connection failed or was closed: a transport error, a close code from the server, or a
 * {@code pusher:error}. {@link #code()} is the Pusher error or WebSocket close code, or -1 when
 * there is none.
 *
 * <p>Instances are immutable and thread-safe.
 */
public class PusherConnectionException extends PusherException {
  private static final long serialVersionUID = 1L;

  private final int code;

  /** Creates an exception for {@code code} (-1 for none). */
  public PusherConnectionException(int code, String message) {
    super(message);
    this.code = code;
  }

  /** Creates an exception for {@code code} (-1 for none) with its cause. */
  public PusherConnectionException(int code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The Pusher error code or WebSocket close code, or -1 when there is none. */
  public int code() {
    return code;
  }
}
