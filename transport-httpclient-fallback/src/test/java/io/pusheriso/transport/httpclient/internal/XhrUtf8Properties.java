package io.pusheriso.transport.httpclient.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The parser refuses raw message bytes exactly when the JDK's reporting decoder does. */
class XhrUtf8Properties {

  @Property(tries = 500)
  void rawBytesInAMessage_failExactlyWhenTheyAreNotUtf8(@ForAll("bytes") byte[] bytes) {
    // Only bytes the framing passes through unchanged: no quote, backslash or control byte.
    byte[] body = new byte[bytes.length];
    int n = 0;
    for (byte b : bytes) {
      if (b < 0 || (b >= 0x20 && b != '"' && b != '\\')) {
        body[n++] = b;
      }
    }
    byte[] message = java.util.Arrays.copyOf(body, n);
    ByteBuffer line = ByteBuffer.allocate(n + 5);
    line.put(new byte[] {'a', '[', '"'}).put(message).put(new byte[] {'"', ']'});
    XhrFrameParserTest.Frames frames = new XhrFrameParserTest.Frames();
    XhrFrameParser parser = new XhrFrameParser(1 << 16, 4096, frames);
    boolean accepted;
    try {
      parser.feed(line.array());
      accepted = true;
    } catch (XhrProtocolException e) {
      assertThat(e).hasMessageContaining("not valid UTF-8");
      accepted = false;
    }
    assertThat(accepted).isEqualTo(jdkAccepts(message));
    if (accepted) {
      assertThat(frames.frames).containsExactly("msg:" + new String(message, StandardCharsets.UTF_8));
    }
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    // Mostly bytes near the UTF-8 boundaries, so that the interesting sequences are common.
    Arbitrary<Byte> interesting =
        Arbitraries.of(
            (byte) 0x41, (byte) 0x7F, (byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F,
            (byte) 0xA0, (byte) 0xBF, (byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xDF,
            (byte) 0xE0, (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5,
            (byte) 0xFF);
    Arbitrary<Byte> any = Arbitraries.bytes();
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, interesting), net.jqwik.api.Tuple.of(1, any))
        .array(byte[].class)
        .ofMaxSize(12);
  }

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
