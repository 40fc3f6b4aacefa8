package io.pusheriso.transport.httpclient.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The parser's output depends only on the bytes, never on how they are split into chunks. */
class XhrFrameParserProperties {

  @Property(tries = 200)
  void anySplitGivesTheSameFrames(
      @ForAll("streams") List<String> lines, @ForAll("cuts") List<Integer> cuts) {
    byte[] body = String.join("", lines).getBytes(StandardCharsets.UTF_8);

    List<String> whole = parse(List.of(body));
    List<String> chunked = parse(split(body, cuts));

    assertThat(chunked).isEqualTo(whole);
  }

  @Property(tries = 200)
  void messagesQuotedAsSendBodiesComeBackUnchanged(@ForAll("messages") List<String> messages) {
    StringBuilder line = new StringBuilder("a[");
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      MiniJson.quote(messages.get(i), line);
    }
    line.append("]\n");
    byte[] body = line.toString().getBytes(StandardCharsets.UTF_8);
    List<String> expected = new ArrayList<>();
    for (String m : messages) {
      expected.add("msg:" + m);
    }
    expected.add("atLineStart:true");

    assertThat(parse(split(body, List.of(1, 7, 3, 50, 2)))).isEqualTo(expected);
  }

  @Provide
  Arbitrary<List<String>> streams() {
    Arbitrary<String> message = message().map(XhrFrameParserProperties::quoted);
    Arbitrary<String> array =
        message.list().ofMaxSize(4).map(l -> "a[" + String.join(" ,", l) + "]\n");
    Arbitrary<String> line =
        Arbitraries.oneOf(
            Arbitraries.just("o\n"),
            Arbitraries.just("o{\"hostname\":\"h.example\"}\n"),
            Arbitraries.integers().between(1, 3000).map(n -> "h".repeat(n) + "\n"),
            array,
            message.map(m -> "m" + m + "\n"),
            Combinators.combine(Arbitraries.integers().between(1000, 4999), message())
                .as((code, reason) -> "c[" + code + "," + quoted(reason) + "]\n"),
            Arbitraries.just("\n"),
            // Garbage too: the failure must be the same whatever the split.
            Arbitraries.strings().ofMaxLength(5).map(s -> s + "\n"));
    return line.list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<String>> messages() {
    return message().list().ofMaxSize(5);
  }

  /** Any text a Java string can carry as valid UTF-16 (no lone surrogates). */
  private static Arbitrary<String> message() {
    return Arbitraries.strings().all().ofMaxLength(40).filter(XhrFrameParserProperties::validSurrogates);
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(1, 64).list().ofMaxSize(20);
  }

  private static boolean validSurrogates(String s) {
    return s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
  }

  private static String quoted(String s) {
    StringBuilder sb = new StringBuilder();
    MiniJson.quote(s, sb);
    return sb.toString();
  }

  private static List<byte[]> split(byte[] body, List<Integer> cuts) {
    List<byte[]> chunks = new ArrayList<>();
    int pos = 0;
    int i = 0;
    while (pos < body.length) {
      int size = cuts.isEmpty() ? body.length : cuts.get(i++ % cuts.size());
      int end = Math.min(body.length, pos + size);
      ByteArrayOutputStream chunk = new ByteArrayOutputStream();
      chunk.write(body, pos, end - pos);
      chunks.add(chunk.toByteArray());
      pos = end;
    }
    return chunks;
  }

  /** The frames, and the failure message if any, as one list. */
  private static List<String> parse(List<byte[]> chunks) {
    XhrFrameParserTest.Frames frames = new XhrFrameParserTest.Frames();
    XhrFrameParser parser = new XhrFrameParser(1000, 4096, frames);
    try {
      for (byte[] chunk : chunks) {
        parser.feed(chunk);
      }
    } catch (XhrProtocolException e) {
      frames.frames.add("error:" + e.getMessage());
    }
    frames.frames.add("atLineStart:" + parser.atLineStart());
    return frames.frames;
  }
}
