package io.pusheriso.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pusheriso.JsonVectors;
import io.pusheriso.PusherProtocolException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private static final List<Map<String, String>> VECTORS =
      JsonVectors.load(SecretBoxTest.class, "secretbox-vectors.json");

  private static byte[] b64(String text) {
    return Base64.getDecoder().decode(text);
  }

  @Test
  void isAvailable_withBouncyCastleOnTheClassPath_isTrue() {
    assertThat(SecretBox.isAvailable()).isTrue();
  }

  @Test
  void open_everyTweetnaclVector_givesThePlaintext() {
    assertThat(VECTORS).hasSize(38);
    for (Map<String, String> vector : VECTORS) {
      byte[] plaintext =
          SecretBox.open(b64(vector.get("key")), b64(vector.get("nonce")), b64(vector.get("ciphertext")));

      assertThat(plaintext).as(vector.get("ciphertext")).isEqualTo(b64(vector.get("plaintext")));
    }
  }

  @Test
  void open_anyFlippedTagOrCiphertextByte_isRefused() {
    for (Map<String, String> vector : VECTORS) {
      byte[] key = b64(vector.get("key"));
      byte[] nonce = b64(vector.get("nonce"));
      byte[] boxed = b64(vector.get("ciphertext"));
      // Every byte of boxes up to 1 KiB; in the 4 and 10 KiB ones, the tag, both ends and a stride
      // through the middle, to keep the test fast.
      boolean every = boxed.length <= 1100;
      for (int i = 0; i < boxed.length; i++) {
        if (every || i < 64 || i >= boxed.length - 64 || i % 61 == 0) {
          byte[] tampered = boxed.clone();
          tampered[i] ^= (byte) (1 << (i % 8));
          assertThatThrownBy(() -> SecretBox.open(key, nonce, tampered))
              .as("byte %d of a %d-byte box", i, boxed.length)
              .isInstanceOf(DecryptionException.class)
              .hasMessageContaining("tag does not match");
        }
      }
    }
  }

  @Test
  void open_anyFlippedKeyOrNonceByte_isRefused() {
    for (Map<String, String> vector : VECTORS) {
      byte[] key = b64(vector.get("key"));
      byte[] nonce = b64(vector.get("nonce"));
      byte[] boxed = b64(vector.get("ciphertext"));
      for (int i = 0; i < key.length; i++) {
        byte[] wrongKey = key.clone();
        wrongKey[i] ^= (byte) 0x80;
        assertThatThrownBy(() -> SecretBox.open(wrongKey, nonce, boxed))
            .isInstanceOf(DecryptionException.class);
      }
      for (int i = 0; i < nonce.length; i++) {
        byte[] wrongNonce = nonce.clone();
        wrongNonce[i] ^= 0x01;
        assertThatThrownBy(() -> SecretBox.open(key, wrongNonce, boxed))
            .isInstanceOf(DecryptionException.class);
      }
    }
  }

  @Test
  void open_wrongLengths_areRefusedWithoutLeakingTheKey() {
    byte[] key = new byte[32];
    byte[] nonce = new byte[24];
    byte[] boxed = new byte[16];

    assertThatThrownBy(() -> SecretBox.open(new byte[31], nonce, boxed))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("key must be 32 bytes, was 31");
    assertThatThrownBy(() -> SecretBox.open(new byte[33], nonce, boxed))
        .isInstanceOf(DecryptionException.class);
    assertThatThrownBy(() -> SecretBox.open(key, new byte[23], boxed))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("nonce must be 24 bytes");
    assertThatThrownBy(() -> SecretBox.open(key, nonce, new byte[15]))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("16-byte tag");
  }

  @Test
  void decryptionException_isAPusherProtocolException() {
    assertThat(new DecryptionException("x")).isInstanceOf(PusherProtocolException.class);
  }

  @Test
  void isAvailable_withoutBouncyCastle_isFalseAndOpenSaysWhatToAdd() throws Exception {
    // Loads this module's classes again through a loader that cannot see Bouncy Castle.
    URL classes = SecretBox.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      Class<?> isolated = loader.loadClass(SecretBox.class.getName());
      assertThat(isolated).isNotSameAs(SecretBox.class);

      assertThat(isolated.getMethod("isAvailable").invoke(null)).isEqualTo(false);

      Method open = isolated.getMethod("open", byte[].class, byte[].class, byte[].class);
      assertThatThrownBy(() -> open.invoke(null, new byte[32], new byte[24], new byte[16]))
          .isInstanceOf(InvocationTargetException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("org.bouncycastle:bcprov-jdk18on");
    }
  }
}
