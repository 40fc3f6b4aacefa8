package io.pusheriso.transport.httpclient.internal;

/**
 * Not for public use, may change at any time. A response body that does not follow the xhr framing
 * (an unknown frame type, malformed JSON), or that passes a size limit.
 *
 * <p>Immutable and thread-safe.
 */
public final class XhrProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean limitExceeded;

  XhrProtocolException(String message, boolean limitExceeded) {
    super(message);
    this.limitExceeded = limitExceeded;
  }

  /** True when a message or line passed its size limit (the transport closes with 1009). */
  public boolean limitExceeded() {
    return limitExceeded;
  }
}
