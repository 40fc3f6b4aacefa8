package io.pusheriso.transport.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextMessagesTest {

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
  void isUtf8_agreesWithTheJdkDecoder_onEdgeCases() {
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
      assertThat(TextMessages.isUtf8(c, 0, c.length))
          .as("%s", java.util.Arrays.toString(c))
          .isEqualTo(jdkSaysUtf8(c));
    }
    // A sequence cut short by the end of the message, after a full ASCII word.
    byte[] cut = "abcdefgh€".getBytes(StandardCharsets.UTF_8);
    assertThat(TextMessages.isUtf8(cut, 0, cut.length - 1)).isFalse();
  }

  @Test
  void isUtf8_agreesWithTheJdkDecoder_onRandomMostlyAsciiAndMultiByteInput() {
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
      assertThat(TextMessages.isUtf8(bytes, 0, bytes.length))
          .as("%s", java.util.Arrays.toString(bytes))
          .isEqualTo(jdkSaysUtf8(bytes));
    }
  }

  @Test
  void borrow_copiesTheReadableBytes_andReusesTheThreadsArrayOnceGivenBack() {
    ByteBuf first = Unpooled.copiedBuffer("xx{\"event\":\"a\"}", StandardCharsets.UTF_8);
    first.skipBytes(2);
    ByteBuffer a = TextMessages.borrow(first);
    assertThat(StandardCharsets.UTF_8.decode(a.duplicate()).toString()).isEqualTo("{\"event\":\"a\"}");
    // Still lent: a message read meanwhile on this thread must not overwrite it.
    ByteBuf nested = Unpooled.copiedBuffer("nested", StandardCharsets.UTF_8);
    ByteBuffer b = TextMessages.borrow(nested);
    assertThat(b).isNotSameAs(a);
    assertThat(StandardCharsets.UTF_8.decode(a.duplicate()).toString()).isEqualTo("{\"event\":\"a\"}");
    TextMessages.giveBack(b);
    TextMessages.giveBack(a);

    ByteBuf second = Unpooled.copiedBuffer("é", StandardCharsets.UTF_8);
    ByteBuffer c = TextMessages.borrow(second);
    assertThat(c).isSameAs(a);
    assertThat(c.position()).isZero();
    assertThat(c.remaining()).isEqualTo(2);
    TextMessages.giveBack(c);
    first.release();
    nested.release();
    second.release();
  }

  @Test
  void borrow_readsAReassembledMessage_andRejectsASequenceSplitBadlyAcrossFragments() {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    CompositeByteBuf whole = Unpooled.compositeBuffer();
    whole.addComponent(true, Unpooled.wrappedBuffer(new byte[] {'a', euro[0]}));
    whole.addComponent(true, Unpooled.wrappedBuffer(new byte[] {euro[1], euro[2], 'b'}));
    ByteBuffer ok = TextMessages.borrow(whole);
    assertThat(StandardCharsets.UTF_8.decode(ok.duplicate()).toString()).isEqualTo("a€b");
    TextMessages.giveBack(ok);
    whole.release();

    CompositeByteBuf broken = Unpooled.compositeBuffer();
    broken.addComponent(true, Unpooled.wrappedBuffer(new byte[] {'a', euro[0]}));
    broken.addComponent(true, Unpooled.wrappedBuffer(new byte[] {'b'}));
    assertThat(TextMessages.borrow(broken)).isNull();
    broken.release();
  }

  @Test
  void borrow_givesMessagesOverTheScratchLimitAnArrayOfTheirOwn() {
    byte[] big = new byte[TextMessages.MAX_SCRATCH_BYTES + 1];
    java.util.Arrays.fill(big, (byte) 'x');
    big[big.length - 1] = (byte) 0xC3; // a lead byte with nothing after it
    ByteBuf bad = Unpooled.wrappedBuffer(big);
    assertThat(TextMessages.borrow(bad)).isNull();
    big[big.length - 1] = 'y';
    ByteBuffer ok = TextMessages.borrow(bad);
    assertThat(ok.remaining()).isEqualTo(big.length);
    assertThat(ok.get(big.length - 1)).isEqualTo((byte) 'y');
    TextMessages.giveBack(ok);
    bad.release();
  }
}
