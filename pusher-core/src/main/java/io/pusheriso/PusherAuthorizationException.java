package io.pusheriso;

/**
 * Channel authorization or user authentication failed: the endpoint refused (HTTP status in
 * {@link #status()}), answered something that is not a valid authorization, could not be reached,
 * or did not answer in time.
 *
 * <p>Custom {@link io.pusheriso.spi.ChannelAuthorizer}s fail their stage with this exception to
 * report a status. Instances are immutable and thread-safe.
 */
public class PusherAuthorizationException extends PusherException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /** Creates an exception without an HTTP status. */
  public PusherAuthorizationException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
  }

  /** Creates an exception for an HTTP answer with {@code status}. */
  public PusherAuthorizationException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status of the endpoint's answer, or -1 when there was no answer. */
  public int status() {
    return status;
  }
}
