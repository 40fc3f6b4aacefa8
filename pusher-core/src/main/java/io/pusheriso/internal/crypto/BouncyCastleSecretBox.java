package io.pusheriso.internal.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The only class that names Bouncy Castle types, so that {@link SecretBox} loads, and answers
 * {@link SecretBox#isAvailable()}, when Bouncy Castle is absent. Stateless and thread-safe.
 */
final class BouncyCastleSecretBox {

  private static final int POLY_KEY_BYTES = 32;

  private BouncyCastleSecretBox() {}

  /** Forces the Bouncy Castle classes to load and link; throws a LinkageError when they cannot. */
  static boolean link() {
    return new XSalsa20Engine().getAlgorithmName() != null
        && new Poly1305().getMacSize() == SecretBox.TAG_BYTES;
  }

  /** Lengths are checked by the caller. */
  static byte[] open(byte[] key, byte[] nonce, byte[] boxed) {
    XSalsa20Engine stream = new XSalsa20Engine();
    stream.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
    // crypto_secretbox: the first 32 keystream bytes are the one-time Poly1305 key; the message is
    // XORed with the keystream from byte 32 on. XORing zeros yields the keystream itself.
    byte[] polyKey = new byte[POLY_KEY_BYTES];
    stream.processBytes(polyKey, 0, POLY_KEY_BYTES, polyKey, 0);
    int messageLength = boxed.length - SecretBox.TAG_BYTES;
    byte[] tag = new byte[SecretBox.TAG_BYTES];
    try {
      Poly1305 mac = new Poly1305();
      mac.init(new KeyParameter(polyKey));
      mac.update(boxed, SecretBox.TAG_BYTES, messageLength);
      mac.doFinal(tag, 0);
    } finally {
      Arrays.fill(polyKey, (byte) 0);
    }
    int difference = 0;
    for (int i = 0; i < SecretBox.TAG_BYTES; i++) {
      difference |= tag[i] ^ boxed[i];
    }
    if (difference != 0) {
      throw new DecryptionException(
          "secretbox tag does not match: the message was altered or the key (shared secret) is"
              + " not this channel's");
    }
    byte[] plaintext = new byte[messageLength];
    stream.processBytes(boxed, SecretBox.TAG_BYTES, messageLength, plaintext, 0);
    return plaintext;
  }
}
