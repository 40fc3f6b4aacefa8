package io.pusheriso.protocol;

import java.util.Arrays;
import java.util.Base64;

/**
 * The data of an event on a {@code private-encrypted-} channel:
 * {@code {"nonce":"<base64, 24 bytes>","ciphertext":"<base64>"}} (NaCl secretbox).
 * Immutable (arrays are copied in and out); thread-safe. {@link #toString()} shows lengths only.
 *
 * @param nonce the 24-byte nonce
 * @param ciphertext the ciphertext, including its 16-byte Poly1305 tag
 * @since 0.1.0
 */
public record EncryptedPayload(byte[] nonce, byte[] ciphertext) {
    /** The secretbox nonce length. */
    public static final int NONCE_BYTES = 24;
    /** The secretbox authenticator length: the shortest possible ciphertext. */
    public static final int MAC_BYTES = 16;
    private static final String WHAT = "encrypted event data";

    /**
     * Checks the lengths and copies the arrays.
     *
     * @param nonce the 24-byte nonce
     * @param ciphertext the ciphertext, at least 16 bytes
     * @throws ProtocolException if an array is null, the nonce is not 24 bytes, or the ciphertext is shorter than 16 bytes
     */
    public EncryptedPayload {
        if (nonce == null || nonce.length != NONCE_BYTES) {
            throw new ProtocolException(WHAT + ": \"nonce\" must be " + NONCE_BYTES + " bytes (found "
                    + (nonce == null ? "none" : nonce.length + " bytes") + ")");
        }
        if (ciphertext == null || ciphertext.length < MAC_BYTES) {
            throw new ProtocolException(WHAT + ": \"ciphertext\" must be at least " + MAC_BYTES + " bytes (found "
                    + (ciphertext == null ? "none" : ciphertext.length + " bytes") + ")");
        }
        nonce = nonce.clone();
        ciphertext = ciphertext.clone();
    }

    /** @return a copy of the nonce */
    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /** @return a copy of the ciphertext */
    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /**
     * Reads the view from a frame.
     *
     * @param frame the frame
     * @return the view
     * @throws ProtocolException if the data is missing or malformed, a field is missing, not a
     *     string or not base64, or has the wrong length
     */
    public static EncryptedPayload from(PusherFrame frame) {
        return JsonData.parse(WHAT, JsonData.dataOf(frame, WHAT), in -> {
            in.startObject(null);
            byte[] nonce = null;
            byte[] ciphertext = null;
            for (String field; (field = in.nextField()) != null; ) {
                switch (field) {
                    case "nonce":
                        nonce = base64(field, in.string(field));
                        break;
                    case "ciphertext":
                        ciphertext = base64(field, in.string(field));
                        break;
                    default:
                        in.skip();
                }
            }
            if (nonce == null) {
                throw in.missing("nonce");
            }
            if (ciphertext == null) {
                throw in.missing("ciphertext");
            }
            return new EncryptedPayload(nonce, ciphertext);
        });
    }

    private static byte[] base64(String field, String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(WHAT + ": \"" + field + "\" is not valid base64", e);
        }
    }

    /** Equal when both arrays have equal contents. */
    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptedPayload && Arrays.equals(nonce, ((EncryptedPayload) o).nonce)
                && Arrays.equals(ciphertext, ((EncryptedPayload) o).ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(nonce) + Arrays.hashCode(ciphertext);
    }

    /** Shows the lengths only. */
    @Override
    public String toString() {
        return "EncryptedPayload[nonce=" + nonce.length + " bytes, ciphertext=" + ciphertext.length + " bytes]";
    }
}
