package io.pusheriso;

import io.pusheriso.internal.crypto.DecryptionException;
import io.pusheriso.internal.crypto.SecretBox;
import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.EncryptedPayload;
import io.pusheriso.protocol.ProtocolException;
import io.pusheriso.protocol.PusherFrame;
import io.pusheriso.spi.ChannelAuthorization;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code private-encrypted-} channel: application events arrive as NaCl secretbox payloads
 * ({@code {"nonce":..,"ciphertext":..}}) and are decrypted with the channel's shared secret
 * before listeners see them; {@code pusher:} and {@code pusher_internal:} events pass through. A
 * payload that does not decrypt triggers one fresh authorization (the key may have rotated) and a
 * retry; if that fails too, the channel emits {@code pusher:decryption_error} with data {@code
 * {"event":..,"error":..}}. Client events are not possible on encrypted channels.
 *
 * <p>This is the only class that touches Bouncy Castle (through {@link SecretBox}); clients that
 * never subscribe to an encrypted channel never load it. The key is wiped when the channel is
 * disconnected or removed. Thread-safe like {@link ChannelImpl}.
 */
final class EncryptedChannelImpl extends ChannelImpl {

  /** The event an encrypted channel emits for an event it cannot decrypt. */
  static final String DECRYPTION_ERROR = "pusher:decryption_error";

  private static final Logger LOG = LoggerFactory.getLogger(EncryptedChannelImpl.class);

  private byte[] key;

  EncryptedChannelImpl(ClientCore core, String name, ChannelKind kind) {
    super(core, name, kind);
  }

  /** Throws when Bouncy Castle is missing, naming the artifact to add. */
  static void checkAvailable() {
    boolean available;
    try {
      available = SecretBox.isAvailable();
    } catch (LinkageError e) {
      // SecretBox itself may fail to link when its Bouncy Castle types are missing.
      available = false;
    }
    if (!available) {
      throw new PusherException(
          "private-encrypted- channels need Bouncy Castle: add org.bouncycastle:bcprov-jdk18on to the"
              + " class path or module path");
    }
  }

  @Override
  String accept(ChannelAuthorization auth) {
    byte[] fresh = decodeKey(auth.sharedSecret());
    if (fresh == null) {
      return "The authorization of encrypted channel '"
          + name
          + "' has no usable shared_secret (expected the base64 of 32 bytes)";
    }
    wipe();
    key = fresh;
    return null;
  }

  private static byte[] decodeKey(String sharedSecret) {
    if (sharedSecret == null) {
      return null;
    }
    try {
      byte[] k = Base64.getDecoder().decode(sharedSecret);
      return k.length == 32 ? k : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  void handleEvent(PusherFrame frame) {
    if (frame.event().startsWith("pusher:")) {
      super.handleEvent(frame);
      return;
    }
    if (key == null) {
      LOG.debug("Encrypted channel {}: event before the key arrived; dropped", name);
      return;
    }
    EncryptedPayload payload;
    try {
      payload = EncryptedPayload.from(frame);
    } catch (ProtocolException e) {
      decryptionFailed(frame, "not an encrypted payload: " + e.getMessage());
      return;
    }
    byte[] plain = open(key, payload);
    if (plain != null) {
      deliverPlain(frame, plain);
      return;
    }
    String sid = core.socketId();
    if (sid == null) {
      decryptionFailed(frame, "cannot decrypt and the connection is gone");
      return;
    }
    LOG.debug("Encrypted channel {}: cannot decrypt {}; fetching a fresh key", name, frame.event());
    core.authorizeChannel(
        name,
        sid,
        (auth, error) -> {
          if (!sid.equals(core.socketId())) {
            decryptionFailed(frame, "the connection changed while fetching a fresh key");
            return;
          }
          if (error != null) {
            decryptionFailed(frame, "re-authorization for a fresh key failed: " + error.getMessage());
            return;
          }
          String problem = accept(auth);
          byte[] retried = problem == null ? open(key, payload) : null;
          if (retried == null) {
            decryptionFailed(frame, problem != null ? problem : "cannot decrypt even with a fresh key");
          } else {
            deliverPlain(frame, retried);
          }
        });
  }

  private static byte[] open(byte[] key, EncryptedPayload payload) {
    if (key == null) {
      return null;
    }
    try {
      return SecretBox.open(key, payload.nonce(), payload.ciphertext());
    } catch (DecryptionException e) {
      return null;
    }
  }

  private void deliverPlain(PusherFrame frame, byte[] plain) {
    String text = new String(plain, StandardCharsets.UTF_8);
    deliver(PusherEvent.of(PusherFrame.of(frame.event(), name, text, frame.userId())));
  }

  private void decryptionFailed(PusherFrame frame, String why) {
    LOG.warn("Encrypted channel {}: dropping {}: {}", name, frame.event(), why);
    emitLocal(
        PusherFrame.ofJsonData(
            DECRYPTION_ERROR,
            name,
            "{\"event\":" + Json.quote(frame.event()) + ",\"error\":" + Json.quote(why) + "}",
            null));
  }

  private void wipe() {
    if (key != null) {
      Arrays.fill(key, (byte) 0);
      key = null;
    }
  }

  @Override
  void disconnected() {
    wipe();
    super.disconnected();
  }

  @Override
  void removed() {
    wipe();
    super.removed();
  }
}
