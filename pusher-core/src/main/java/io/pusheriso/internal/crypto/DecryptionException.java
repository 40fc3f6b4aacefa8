package io.pusheriso.internal.crypto;

import io.pusheriso.PusherProtocolException;

/**
 * Internal: not for public use, may change at any time.
 *
 * <p>An encrypted payload did not open: wrong key, nonce or ciphertext length, or a Poly1305 tag
 * that does not match (a tampered message or a stale shared secret). The message never contains
 * key material or plaintext.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class DecryptionException extends PusherProtocolException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says which check failed. */
  public DecryptionException(String message) {
    super(message);
  }
}
