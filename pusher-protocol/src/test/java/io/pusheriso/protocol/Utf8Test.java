package io.pusheriso.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The transports' shared UTF-8 check, against the JDK's reporting decoder. */
class Utf8Test {

    /** The JDK's decoder, reporting every malformed input: the reference for well-formed UTF-8. */
    private static boolean jdkSaysUtf8(byte[] bytes) {
      try {
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes));
        return true;
      } catch (CharacterCodingException e) {
        return false;
      }
    }

    @Test
    void isWellFormed_agreesWithTheJdkDecoder_onEdgeCases() {
      byte[][] cases = {
        {},
        {'a'},
        {(byte) 0xC3, (byte) 0xA9},
        {(byte) 0xC3},
        {(byte) 0xC3, 0x28},
        {(byte) 0xC0, (byte) 0x80}, // overlong NUL
        {(byte) 0xC1, (byte) 0xBF}, // overlong
        {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong 3-byte
        {(byte) 0xE0, (byte) 0xA0, (byte) 0x80}, // U+0800
        {(byte) 0xED, (byte) 0x9F, (byte) 0xBF}, // U+D7FF
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // surrogate
        {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}, // U+FFFF
        {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, // overlong 4-byte
        {(byte) 0xF0, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // U+10000
        {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, // U+10FFFF
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xFF},
        {(byte) 0x80},
        {'{', (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, '}'},
        "12345678€".getBytes(StandardCharsets.UTF_8),
        "1234567€8".getBytes(StandardCharsets.UTF_8),
        "1234567😀".getBytes(StandardCharsets.UTF_8),
        "abcdefgh😀".substring(0, 9).getBytes(StandardCharsets.UTF_8),
      };
      for (byte[] c : cases) {
        assertThat(Utf8.isWellFormed(c, 0, c.length))
            .as("%s", java.util.Arrays.toString(c))
            .isEqualTo(jdkSaysUtf8(c));
      }
      // A sequence cut short by the end of the message, after a full ASCII word.
      byte[] cut = "abcdefgh€".getBytes(StandardCharsets.UTF_8);
      assertThat(Utf8.isWellFormed(cut, 0, cut.length - 1)).isFalse();
    }

    @Test
    void isWellFormed_agreesWithTheJdkDecoder_onRandomMostlyAsciiAndMultiByteInput() {
      Random random = new Random(20261127L);
      String[] pieces = {"a", "Zz", "{\"event\":", "é", "€", "😀", "ß", "\u0000", "\u07FF", "\uFFFD"};
      for (int n = 0; n < 20_000; n++) {
        StringBuilder sb = new StringBuilder();
        int parts = random.nextInt(40);
        for (int k = 0; k < parts; k++) {
          sb.append(pieces[random.nextInt(pieces.length)]);
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0 && random.nextInt(3) == 0) {
          // Corrupt one byte: sometimes still valid, mostly not; the JDK decides.
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        assertThat(Utf8.isWellFormed(bytes, 0, bytes.length))
            .as("%s", java.util.Arrays.toString(bytes))
            .isEqualTo(jdkSaysUtf8(bytes));
      }
    }

    @Test
    void rangeOutsideTheArray_isRefused() {
        assertThatThrownBy(() -> Utf8.isWellFormed(new byte[4], 2, 5)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
