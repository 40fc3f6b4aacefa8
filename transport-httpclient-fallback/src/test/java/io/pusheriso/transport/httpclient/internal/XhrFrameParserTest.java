package io.pusheriso.transport.httpclient.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XhrFrameParserTest {

  /** Records frames as short strings: open:host, h, msg:text, close:code:reason. */
  static final class Frames implements XhrFrameParser.Handler {
    final List<String> frames = new ArrayList<>();

    @Override
    public void onOpenFrame(String hostname) {
      frames.add("open:" + hostname);
    }

    @Override
    public void onHeartbeat() {
      frames.add("h");
    }

    @Override
    public void onMessage(ByteBuffer utf8) {
      // The parser promises valid UTF-8; a strict decode checks that promise.
      try {
        frames.add("msg:" + StandardCharsets.UTF_8.newDecoder().decode(utf8));
      } catch (CharacterCodingException e) {
        throw new AssertionError("the parser delivered invalid UTF-8", e);
      }
    }

    @Override
    public void onCloseFrame(int code, String reason) {
      frames.add("close:" + code + ":" + reason);
    }
  }

  private final Frames frames = new Frames();

  private XhrFrameParser parser(int maxMessage, int maxLine) {
    return new XhrFrameParser(maxMessage, maxLine, frames);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void sockjsSession_prelude_open_messages_heartbeat_close() {
    XhrFrameParser p = parser(1 << 20, 4096);

    p.feed(utf8("h".repeat(2048) + "\n"));
    p.feed(utf8("o\n"));
    p.feed(utf8("a[\"{\\\"event\\\":\\\"pusher:connection_established\\\"}\",\"two\"]\n"));
    p.feed(utf8("h\n"));
    p.feed(utf8("m\"single\"\n"));
    p.feed(utf8("c[3000,\"Go away!\"]\n"));

    assertThat(frames.frames)
        .containsExactly(
            "h",
            "open:null",
            "msg:{\"event\":\"pusher:connection_established\"}",
            "msg:two",
            "h",
            "msg:single",
            "close:3000:Go away!");
    assertThat(p.atLineStart()).isTrue();
  }

  @Test
  void openFrame_withHostname_reportsIt() {
    parser(1000, 4096).feed(utf8("o{\"hostname\":\"ws-eu.example.com\"}\n"));
    assertThat(frames.frames).containsExactly("open:ws-eu.example.com");
  }

  @Test
  void escapes_unicode_surrogatePairs_andRawUtf8_decoded() {
    parser(1000, 4096)
        .feed(
            utf8(
                "a[\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83c\\udf89 raw \u00e9\u4e2d\ud83c\udf89\"]\n"));
    assertThat(frames.frames)
        .containsExactly("msg:q\" b\\ s/ \b\f\n\r\t \u00e9 \ud83c\udf89 raw \u00e9\u4e2d\ud83c\udf89");
  }

  @Test
  void loneSurrogates_becomeReplacementCharacters() {
    parser(1000, 4096).feed(utf8("a[\"\\ud83c x \\udf89\"]\n"));
    assertThat(frames.frames).containsExactly("msg:\ufffd x \ufffd");
  }

  @Test
  void whitespaceInsideFrames_andEmptyArray_andCrLf_andEmptyLine_accepted() {
    parser(1000, 4096).feed(utf8("\na [ \"x\" , \"y\" ] \r\na[]\r\n\nc[1000]\n"));
    assertThat(frames.frames).containsExactly("msg:x", "msg:y", "close:1000:");
  }

  @Test
  void messageOverTheLimit_failsNamingTheLimit_evenWithoutANewline() {
    XhrFrameParser p = parser(10, 4096);
    p.feed(utf8("a[\"0123456789\","));
    assertThat(frames.frames).containsExactly("msg:0123456789");

    assertThatThrownBy(() -> p.feed(utf8("\"0123456789A")))
        .isInstanceOf(XhrProtocolException.class)
        .hasMessageContaining("maxFrameBytes limit of 10 bytes")
        .matches(e -> ((XhrProtocolException) e).limitExceeded());
  }

  @Test
  void manySmallMessagesOnOneLine_passEvenWhenTheLineIsFarOverTheLimits() {
    XhrFrameParser p = parser(16, 64);
    StringBuilder line = new StringBuilder("a[");
    for (int i = 0; i < 1000; i++) {
      line.append(i == 0 ? "" : ",").append("\"m").append(i).append('"');
    }
    p.feed(utf8(line.append("]\n").toString()));
    assertThat(frames.frames).hasSize(1000).startsWith("msg:m0").endsWith("msg:m999");
  }

  @Test
  void endlessHeartbeatOrControlLine_failsAtTheLineLimit() {
    XhrFrameParser heartbeat = parser(1000, 4096);
    assertThatThrownBy(() -> heartbeat.feed(utf8("h".repeat(5000))))
        .isInstanceOf(XhrProtocolException.class)
        .hasMessageContaining("limit of 4096 bytes without a newline");
    XhrFrameParser open = new XhrFrameParser(1000, 100, new Frames());
    assertThatThrownBy(() -> open.feed(utf8("o{\"hostname\":\"" + "x".repeat(200))))
        .hasMessageContaining("limit of 100 bytes");
  }

  @Test
  void endlessWhitespaceBetweenMessages_failsAtTheLineLimit() {
    XhrFrameParser p = parser(1000, 100);
    assertThatThrownBy(() -> p.feed(utf8("a[\"x\"," + " ".repeat(200))))
        .isInstanceOf(XhrProtocolException.class)
        .hasMessageContaining("limit of 100 bytes");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x\n",
        " a[]\n",
        "a{}\n",
        "a[1]\n",
        "a[\"x\"\n",
        "a[\"x\" \"y\"]\n",
        "a[\"x\"] junk\n",
        "a[\"bad \\q escape\"]\n",
        "a[\"bad \\u12G4 hex\"]\n",
        "a[\"raw \t tab\"]\n",
        "m\n",
        "mnull\n",
        "o{\"hostname\":\n",
        "o{\"hostname\":42}\n",
        "c\n",
        "c[\"code\",\"reason\"]\n",
        "c[1000.5]\n",
        "c[1000,7]\n",
        "c{}\n"
      })
  void garbage_failsWithAClearProtocolError(String input) {
    XhrFrameParser p = parser(1000, 4096);
    assertThatThrownBy(() -> p.feed(utf8(input)))
        .isInstanceOf(XhrProtocolException.class)
        .hasMessageStartingWith("Malformed xhr response, line 1: ")
        .matches(e -> !((XhrProtocolException) e).limitExceeded());
    // Once failed, the parser stays failed with the same error.
    assertThatThrownBy(() -> p.feed(utf8("o\n"))).isInstanceOf(XhrProtocolException.class);
  }

  @Test
  void directAndReadOnlyInput_parseLikeHeapInput() {
    String body =
        "o\na[\"plain\",\"q\\\" \\\\ \\u00e9\",\"raw \u00e9\u4e2d\"]\n"
            + "a[\"" + "x".repeat(20_000) + "\"]\n";
    byte[] bytes = utf8(body);
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
    direct.put(bytes).flip();
    parser(1 << 16, 4096).feed(direct);
    parser(1 << 16, 4096).feed(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
    assertThat(direct.hasRemaining()).isFalse();

    Frames heap = new Frames();
    new XhrFrameParser(1 << 16, 4096, heap).feed(bytes);
    assertThat(heap.frames)
        .containsExactly("open:null", "msg:plain", "msg:q\" \\ \u00e9", "msg:raw \u00e9\u4e2d",
            "msg:" + "x".repeat(20_000));
    assertThat(frames.frames).containsExactlyElementsOf(
        java.util.stream.Stream.concat(heap.frames.stream(), heap.frames.stream()).toList());
  }

  @Test
  void feed_consumesTheWholeBuffer_andRespectsItsOffset() {
    byte[] bytes = utf8("XXa[\"one\",\"t\\\"wo\"]\nYY");
    ByteBuffer slice = ByteBuffer.wrap(bytes, 2, bytes.length - 4).slice();
    parser(1000, 4096).feed(slice);
    assertThat(slice.hasRemaining()).isFalse();
    assertThat(frames.frames).containsExactly("msg:one", "msg:t\"wo");
  }

  @Test
  void unescapedMessageOverTheLimit_failsWhetherOrNotItEndsInTheSameChunk() {
    assertThatThrownBy(() -> parser(10, 4096).feed(utf8("a[\"0123456789A\"]\n")))
        .isInstanceOf(XhrProtocolException.class)
        .hasMessageContaining("maxFrameBytes limit of 10");
    assertThatThrownBy(() -> parser(10, 4096).feed(utf8("a[\"0123456789A")))
        .hasMessageContaining("maxFrameBytes limit of 10");
    parser(10, 4096).feed(utf8("a[\"0123456789\",\"012345678\\\"\"]\n"));
    assertThat(frames.frames).containsExactly("msg:0123456789", "msg:012345678\"");
  }

  @Test
  void longEscapedMessages_growTheBuffer_upToExactlyTheLimit() {
    String unescaped = "ab\"c\\".repeat(1000); // 5,000 bytes
    String escaped = "ab\\\"c\\\\".repeat(1000);
    byte[] line = utf8("a[\"" + escaped + "\",\"" + escaped + "\"]\n");
    XhrFrameParser p = parser(5000, 4096);
    for (int i = 0; i < line.length; i += 777) {
      p.feed(ByteBuffer.wrap(line, i, Math.min(777, line.length - i)));
    }
    p.feed(line);
    assertThat(frames.frames).containsOnly("msg:" + unescaped).hasSize(4);
    assertThatThrownBy(() -> parser(4999, 4096).feed(line))
        .hasMessageContaining("maxFrameBytes limit of 4999");
  }

  @Test
  void invalidUtf8InAMessage_isAProtocolError() {
    XhrFrameParser p = parser(1000, 4096);
    byte[] input = {'a', '[', '"', (byte) 0xC3, (byte) 0x28, '"', ']', '\n'};
    assertThatThrownBy(() -> p.feed(input)).hasMessageContaining("not valid UTF-8");
  }

  @Test
  void deeplyNestedJsonInAnOpenFrame_isRefusedNotAStackOverflow() {
    XhrFrameParser p = parser(1000, 65536);
    assertThatThrownBy(() -> p.feed(utf8("o" + "[".repeat(10_000) + "\n")))
        .isInstanceOf(XhrProtocolException.class)
        .hasMessageContaining("nested deeper");
  }

  @Test
  void partialLine_isNotAtLineStart_untilItsNewline() {
    XhrFrameParser p = parser(1000, 4096);
    p.feed(utf8("a[\"half"));
    assertThat(p.atLineStart()).isFalse();
    assertThat(frames.frames).isEmpty();
    p.feed(utf8("\"]"));
    assertThat(frames.frames).containsExactly("msg:half");
    assertThat(p.atLineStart()).isFalse();
    p.feed(utf8("\n"));
    assertThat(p.atLineStart()).isTrue();
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new XhrFrameParser(0, 10, frames))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
