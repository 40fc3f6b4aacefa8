package io.pusheriso;

import java.util.Optional;

/**
 * The server sent something this client cannot accept: a malformed or oversized frame, a
 * handshake without a socket id, an encrypted event that does not decrypt.
 *
 * <p>For a frame that could not be decoded, {@link #rawFrame()} holds the text the server sent (as
 * pusher-js's {@code MessageParseError} carries it in {@code data}), cut to its first {@value
 * #RAW_FRAME_LIMIT} characters. It is what came over the wire, never anything the client holds
 * (no secret of the client's can be in it), and it is kept out of the message and {@link
 * #toString()}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public class PusherProtocolException extends PusherException {
  private static final long serialVersionUID = 1L;

  /** The most characters of a frame kept by {@link #rawFrame()}. */
  public static final int RAW_FRAME_LIMIT = 1024;

  private final String rawFrame;

  /** Creates an exception with a message. */
  public PusherProtocolException(String message) {
    super(message);
    this.rawFrame = null;
  }

  /** Creates an exception with a message and the cause. */
  public PusherProtocolException(String message, Throwable cause) {
    super(message, cause);
    this.rawFrame = null;
  }

  /**
   * Creates an exception for a frame that could not be decoded.
   *
   * @param rawFrame the text the server sent, or {@code null}; only its first {@value
   *     #RAW_FRAME_LIMIT} characters are kept
   */
  public PusherProtocolException(String message, String rawFrame, Throwable cause) {
    super(message, cause);
    this.rawFrame = truncate(rawFrame);
  }

  /**
   * The frame the server sent that could not be decoded, cut to its first {@value
   * #RAW_FRAME_LIMIT} characters; empty when the error is not about one undecodable frame.
   */
  public Optional<String> rawFrame() {
    return Optional.ofNullable(rawFrame);
  }

  private static String truncate(String text) {
    if (text == null || text.length() <= RAW_FRAME_LIMIT) {
      return text;
    }
    int end = RAW_FRAME_LIMIT;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--; // never keep half of a character
    }
    return text.substring(0, end);
  }
}
