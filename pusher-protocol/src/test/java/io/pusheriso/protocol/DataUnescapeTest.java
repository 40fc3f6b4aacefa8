package io.pusheriso.protocol;

import static io.pusheriso.protocol.Frames.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lazy {@code data()} decode of a string value: every escape, every UTF-8 length, and where the Latin-1 buffer gives way. */
class DataUnescapeTest {

    private static String dataOf(String dataJson) {
        String frame = "{\"event\":\"e\",\"data\":" + dataJson + "}";
        byte[] utf8 = frame.getBytes(StandardCharsets.UTF_8);
        String fromBytes = FrameCodec.decode(utf8).data();
        assertThat(FrameCodec.decode(ByteBuffer.wrap(utf8)).data()).isEqualTo(fromBytes);
        assertThat(FrameCodec.decode(frame).data()).isEqualTo(fromBytes);
        return fromBytes;
    }

    @Test
    void resolvesEverySimpleEscape() {
        assertThat(dataOf("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"")).isEqualTo("a\"b\\c/d\be\ff\ng\rh\ti");
    }

    @Test
    void resolvesUnicodeEscapesOfEveryWidth() {
        assertThat(dataOf("\"\\u0000\"")).isEqualTo("\u0000");
        assertThat(dataOf("\"x\\u0000y\"")).isEqualTo("x\u0000y");
        assertThat(dataOf("\"\\u0041\\u00e9\\u00FF\"")).isEqualTo("A\u00e9\u00ff");
        assertThat(dataOf("\"\\u0100\"")).isEqualTo("\u0100");
        assertThat(dataOf("\"\\u20aC\"")).isEqualTo("\u20ac");
        assertThat(dataOf("\"\\uFFFF\"")).isEqualTo("\uffff");
    }

    @Test
    void escapedSurrogatesBecomeTheUnitsTheyName() {
        assertThat(dataOf("\"\\uD83D\\uDE00\"")).isEqualTo("\uD83D\uDE00").isEqualTo(new String(Character.toChars(0x1F600)));
        assertThat(dataOf("\"a\\uD800b\"")).isEqualTo("a\uD800b");
        assertThat(dataOf("\"\\uDC00\\uD800\"")).isEqualTo("\uDC00\uD800");
        assertThat(dataOf("\"\u00e9\\uDE00\"")).isEqualTo("\u00e9\uDE00");
    }

    @Test
    void decodesRawUtf8OfEveryLength() {
        assertThat(dataOf("\"caf\u00e9 \u00ff\"")).isEqualTo("caf\u00e9 \u00ff");
        assertThat(dataOf("\"\u0100\u07ff\"")).isEqualTo("\u0100\u07ff");
        assertThat(dataOf("\"\u0800\u20ac\uffff\"")).isEqualTo("\u0800\u20ac\uffff");
        String emoji = new String(Character.toChars(0x1F600)) + new String(Character.toChars(0x10FFFF));
        assertThat(dataOf("\"" + emoji + "\"")).isEqualTo(emoji);
    }

    @Test
    void keepsTheLatin1PrefixWhenAWiderCharacterAppearsLate() {
        String prefix = "{\\\"k\\\":\\\"caf\u00e9\\u00e9\\n\\\"}";
        String decodedPrefix = "{\"k\":\"caf\u00e9\u00e9\n\"}";
        assertThat(dataOf("\"" + prefix + "\u2603\\\"\\u2603" + "\u00e9\"")).isEqualTo(decodedPrefix + "\u2603\"\u2603\u00e9");
        assertThat(dataOf("\"" + prefix + "\\u0101x\"")).isEqualTo(decodedPrefix + "\u0101x");
        assertThat(dataOf("\"" + prefix + new String(Character.toChars(0x1F600)) + "\"")).isEqualTo(decodedPrefix + new String(Character.toChars(0x1F600)));
    }

    @Test
    void plainAndEmptyStrings() {
        assertThat(dataOf("\"\"")).isEmpty();
        assertThat(dataOf("\"plain ascii\"")).isEqualTo("plain ascii");
        assertThat(dataOf("\"\\\\\"")).isEqualTo("\\");
    }

    @Test
    void everyBmpCharacterRoundTripsRawAndEscaped() {
        StringBuilder raw = new StringBuilder();
        StringBuilder escaped = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int c = 0; c <= 0xFFFF; c++) {
            expected.append((char) c);
            escaped.append(String.format("\\u%04x", c));
            if (c < 0x20 || c == '"' || c == '\\') {
                raw.append(String.format("\\u%04X", c));
            } else if (Character.isSurrogate((char) c)) {
                raw.append(String.format("\\u%04X", c));
            } else {
                raw.append((char) c);
            }
        }
        assertThat(dataOf("\"" + raw + "\"")).isEqualTo(expected.toString());
        assertThat(dataOf("\"" + escaped + "\"")).isEqualTo(expected.toString());
    }

    @Property(tries = 500)
    void anyStringRoundTripsThroughAnEncodedFrame(@ForAll String data) {
        StringBuilder sb = new StringBuilder();
        Json.quote(sb, data);
        assertThat(dataOf(sb.toString())).isEqualTo(data);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{'event':'e','data':'a\\xb'}|invalid escape sequence",
        "{'event':'e','data':'a\\Ub'}|invalid escape sequence",
        "{'event':'e','data':'a\\u12G4'}|invalid \\u escape",
        "{'event':'e','data':'\\u00'}|invalid \\u escape",
        "{'event':'e','data':'\\u00e|unexpected end of input",
        "{'event':'e','data':'\\u00e9|unterminated string",
        "{'event':'e','data':'\\|unexpected end of input",
        "{'event':'e','data':'a\\'}|unterminated string",
    })
    void invalidEscapesAreStillRejected(String input, String message) {
        assertRejected(input.replace('\'', '"'), message);
    }

    @Test
    void rawControlCharactersAreStillRejected() {
        assertRejected("{\"event\":\"e\",\"data\":\"a\u0000b\"}", "control character");
        assertRejected("{\"event\":\"e\",\"data\":\"a\nb\"}", "control character");
    }
}
