package io.pusheriso.testkit.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Not for public use, may change at any time. NaCl {@code crypto_secretbox} (XSalsa20-Poly1305) as tweetnacl's
 * {@code nacl.secretbox}: the output is the 16-byte Poly1305 tag followed by the ciphertext.
 *
 * <p>Composed from Bouncy Castle's raw primitives because the JDK has no XSalsa20: the first 32 bytes of the
 * XSalsa20 keystream are the one-time Poly1305 key, the rest encrypts the message. Stateless; thread-safe.
 */
public final class SecretBox {
    /** Key length in bytes. */
    public static final int KEY_BYTES = 32;
    /** Nonce length in bytes. */
    public static final int NONCE_BYTES = 24;
    /** Tag length in bytes. */
    public static final int TAG_BYTES = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretBox() {
    }

    /** @return 24 fresh random bytes, a nonce that is never reused in practice */
    public static byte[] randomNonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /**
     * Encrypts and authenticates.
     *
     * @param key 32 bytes
     * @param nonce 24 bytes
     * @param plaintext the message
     * @return tag (16 bytes) followed by the ciphertext
     * @throws IllegalArgumentException on a wrong key or nonce length
     */
    public static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
        XSalsa20Engine stream = stream(key, nonce);
        byte[] macKey = keystream(stream);
        byte[] out = new byte[TAG_BYTES + plaintext.length];
        stream.processBytes(plaintext, 0, plaintext.length, out, TAG_BYTES);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(macKey));
        mac.update(out, TAG_BYTES, plaintext.length);
        mac.doFinal(out, 0);
        return out;
    }

    /**
     * Verifies and decrypts.
     *
     * @param key 32 bytes
     * @param nonce 24 bytes
     * @param box tag followed by ciphertext, as {@link #seal} makes it
     * @return the plaintext
     * @throws IllegalArgumentException on wrong lengths or when the box does not authenticate
     */
    public static byte[] open(byte[] key, byte[] nonce, byte[] box) {
        if (box.length < TAG_BYTES) {
            throw new IllegalArgumentException("secretbox too short: " + box.length + " bytes, the tag alone is 16");
        }
        XSalsa20Engine stream = stream(key, nonce);
        byte[] macKey = keystream(stream);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(macKey));
        mac.update(box, TAG_BYTES, box.length - TAG_BYTES);
        byte[] tag = new byte[TAG_BYTES];
        mac.doFinal(tag, 0);
        if (!MessageDigest.isEqual(tag, Arrays.copyOf(box, TAG_BYTES))) {
            throw new IllegalArgumentException("secretbox does not authenticate (wrong key, nonce or a modified message)");
        }
        byte[] plaintext = new byte[box.length - TAG_BYTES];
        stream.processBytes(box, TAG_BYTES, plaintext.length, plaintext, 0);
        return plaintext;
    }

    private static XSalsa20Engine stream(byte[] key, byte[] nonce) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("secretbox key must be 32 bytes");
        }
        if (nonce == null || nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("secretbox nonce must be 24 bytes");
        }
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return engine;
    }

    private static byte[] keystream(XSalsa20Engine stream) {
        byte[] first = new byte[32];
        stream.processBytes(new byte[32], 0, 32, first, 0);
        return first;
    }
}
