package io.pusheriso.internal.crypto;

import java.util.Objects;

/**
 * Internal: not for public use, may change at any time.
 *
 * <p>Opens NaCl {@code crypto_secretbox} boxes (XSalsa20-Poly1305), as tweetnacl's
 * {@code nacl.secretbox.open} does for pusher-js's {@code private-encrypted-} channels. A box is the
 * 16-byte Poly1305 tag followed by the ciphertext; the tag is checked, in constant time, before
 * anything is decrypted.
 *
 * <p>The primitives come from Bouncy Castle, an optional dependency: {@link #isAvailable()} tells
 * whether it is present, and never fails when it is not. This class is stateless and thread-safe.
 */
public final class SecretBox {

  /** Length of a secretbox key in bytes. */
  public static final int KEY_BYTES = 32;

  /** Length of a secretbox nonce in bytes. */
  public static final int NONCE_BYTES = 24;

  /** Length of the Poly1305 tag that starts every box. */
  public static final int TAG_BYTES = 16;

  private static final boolean AVAILABLE = probe();

  private SecretBox() {}

  /**
   * True when Bouncy Castle's XSalsa20 and Poly1305 classes can be loaded and used from this module.
   */
  public static boolean isAvailable() {
    return AVAILABLE;
  }

  /**
   * Verifies and decrypts {@code boxed} (tag || ciphertext).
   *
   * @param key32 the 32-byte key (an encrypted channel's decoded {@code shared_secret})
   * @param nonce24 the 24-byte nonce sent with the message
   * @param boxed the 16-byte tag followed by the ciphertext
   * @return the plaintext, {@code boxed.length - 16} bytes
   * @throws DecryptionException on a wrong key, nonce or box length, or a tag that does not match
   * @throws IllegalStateException when Bouncy Castle is not available
   */
  public static byte[] open(byte[] key32, byte[] nonce24, byte[] boxed) {
    Objects.requireNonNull(key32, "key32");
    Objects.requireNonNull(nonce24, "nonce24");
    Objects.requireNonNull(boxed, "boxed");
    if (key32.length != KEY_BYTES) {
      throw new DecryptionException(
          "secretbox key must be " + KEY_BYTES + " bytes, was " + key32.length);
    }
    if (nonce24.length != NONCE_BYTES) {
      throw new DecryptionException(
          "secretbox nonce must be " + NONCE_BYTES + " bytes, was " + nonce24.length);
    }
    if (boxed.length < TAG_BYTES) {
      throw new DecryptionException(
          "secretbox ciphertext must hold at least the " + TAG_BYTES + "-byte tag, was "
              + boxed.length + " bytes");
    }
    requireAvailable();
    return BouncyCastleSecretBox.open(key32, nonce24, boxed);
  }

  private static void requireAvailable() {
    if (!AVAILABLE) {
      throw new IllegalStateException(
          "private-encrypted- channels need Bouncy Castle: add org.bouncycastle:bcprov-jdk18on to"
              + " the application's dependencies (and 'requires org.bouncycastle.provider' on the"
              + " module path)");
    }
  }

  private static boolean probe() {
    try {
      // Touching the holder links the Bouncy Castle classes; when they are missing, or not readable
      // from this module, that fails here with a LinkageError instead of at the first message.
      return BouncyCastleSecretBox.link();
    } catch (LinkageError absent) {
      return false;
    }
  }
}
