package io.pusheriso.protocol;

import static io.pusheriso.protocol.Frames.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecDecodeTest {
    private static final String PUBLIC_FRAME = "{\"event\":\"order-updated\",\"channel\":\"orders-eu-west-1\","
            + "\"data\":\"{\\\"id\\\":\\\"ord_8f2c1a\\\",\\\"status\\\":\\\"shipped\\\",\\\"total\\\":129.5,"
            + "\\\"items\\\":[{\\\"sku\\\":\\\"A-1\\\",\\\"qty\\\":2}],\\\"note\\\":\\\"gate 4\\\"}\"}";

    @Test
    void decodesATypicalDoubleEncodedFrame() {
        PusherFrame f = decode(PUBLIC_FRAME);
        assertThat(f.event()).isEqualTo("order-updated");
        assertThat(f.channel()).isEqualTo("orders-eu-west-1");
        assertThat(f.userId()).isNull();
        assertThat(f.hasData()).isTrue();
        assertThat(f.isDataString()).isTrue();
        assertThat(f.data()).isEqualTo("{\"id\":\"ord_8f2c1a\",\"status\":\"shipped\",\"total\":129.5,"
                + "\"items\":[{\"sku\":\"A-1\",\"qty\":2}],\"note\":\"gate 4\"}");
        assertThat(f.rawData()).startsWith("\"{\\\"id\\\"").endsWith("4\\\"}\"");
        assertThat(f.data()).isSameAs(f.data());
        assertThat(f.toString()).isEqualTo("PusherFrame{event=order-updated, channel=orders-eu-west-1}");
    }

    static List<String> permutations(List<String> members) {
        List<String> out = new ArrayList<>();
        permute(new ArrayList<>(members), 0, out);
        return out;
    }

    private static void permute(List<String> m, int k, List<String> out) {
        if (k == m.size()) {
            out.add("{" + String.join(",", m) + "}");
            return;
        }
        for (int i = k; i < m.size(); i++) {
            java.util.Collections.swap(m, k, i);
            permute(m, k + 1, out);
            java.util.Collections.swap(m, k, i);
        }
    }

    @Test
    void fieldOrderDoesNotMatter() {
        List<String> frames = permutations(List.of("\"event\":\"e\"", "\"channel\":\"c\"", "\"data\":{\"a\":[1,{\"b\":null}]}",
                "\"user_id\":\"u\"", "\"extra\":{\"event\":\"not-me\",\"data\":\"x\"}"));
        assertThat(frames).hasSize(120);
        for (String json : frames) {
            PusherFrame f = decode(json);
            assertThat(f.event()).isEqualTo("e");
            assertThat(f.channel()).isEqualTo("c");
            assertThat(f.userId()).isEqualTo("u");
            assertThat(f.isDataString()).isFalse();
            assertThat(f.data()).isEqualTo("{\"a\":[1,{\"b\":null}]}");
        }
    }

    @Test
    void optionalFieldsMayBeAbsentOrNull() {
        for (String json : List.of("{\"event\":\"e\"}", "{\"event\":\"e\",\"channel\":null,\"data\":null,\"user_id\":null}",
                " \r\n\t{ \"event\" : \"e\" } \n")) {
            PusherFrame f = decode(json);
            assertThat(f.event()).isEqualTo("e");
            assertThat(f.channel()).isNull();
            assertThat(f.userId()).isNull();
            assertThat(f.hasData()).isFalse();
            assertThat(f.isDataString()).isFalse();
            assertThat(f.data()).isNull();
            assertThat(f.rawData()).isNull();
            assertThat(f.toString()).isEqualTo("PusherFrame{event=e}");
        }
    }

    @Test
    void dataKeepsItsJsonTextWhenNotAString() {
        String[][] cases = {
            {"{\"x\": [1, 2.5e-3, true]}", "{\"x\": [1, 2.5e-3, true]}"},
            {"[1,\"two\",{}]", "[1,\"two\",{}]"},
            {"-12.75E+2", "-12.75E+2"},
            {"0", "0"},
            {"true", "true"},
            {"false", "false"},
            {"{}", "{}"},
            {"[]", "[]"},
        };
        for (String[] c : cases) {
            PusherFrame f = decode("{\"event\":\"e\",\"data\":" + c[0] + "}");
            assertThat(f.hasData()).isTrue();
            assertThat(f.isDataString()).isFalse();
            assertThat(f.data()).isEqualTo(c[1]);
            assertThat(f.rawData()).isEqualTo(c[1]);
        }
    }

    @Test
    void stringDataIsUnescapedAndRawDataKeepsTheWireText() {
        PusherFrame f = decode("{\"event\":\"e\",\"data\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20ac\\ud83d\\ude00\"}");
        assertThat(f.isDataString()).isTrue();
        assertThat(f.data()).isEqualTo("a\"b\\c/d\b\f\n\r\tAé€😀");
        assertThat(f.rawData()).isEqualTo("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20ac\\ud83d\\ude00\"");
        assertThat(decode("{\"event\":\"e\",\"data\":\"\"}").data()).isEmpty();
        assertThat(decode("{\"event\":\"e\",\"data\":\"\"}").hasData()).isTrue();
        assertThat(decode("{\"event\":\"e\",\"data\":\"null\"}").data()).isEqualTo("null");
    }

    @Test
    void nonAsciiSurvivesInDataAndNames() {
        PusherFrame f = decode("{\"event\":\"évènement-😀\",\"channel\":\"канал\",\"user_id\":\"用户\",\"data\":\"{\\\"t\\\":\\\"日本語 😀 é\\\"}\"}");
        assertThat(f.event()).isEqualTo("évènement-😀");
        assertThat(f.channel()).isEqualTo("канал");
        assertThat(f.userId()).isEqualTo("用户");
        assertThat(f.data()).isEqualTo("{\"t\":\"日本語 😀 é\"}");
        PusherFrame o = decode("{\"event\":\"e\",\"data\":{\"t\":\"日本語 😀\"}}");
        assertThat(o.data()).isEqualTo("{\"t\":\"日本語 😀\"}");
    }

    @Test
    void escapedNamesAndKeysAreUnescaped() {
        PusherFrame f = decode("{\"\\u0065vent\":\"a\\u002db\",\"ch\\u0061nnel\":\"\\u00e9\\ud83d\\ude00\",\"user\\u005fid\":\"\\\"q\\\"\"}");
        assertThat(f.event()).isEqualTo("a-b");
        assertThat(f.channel()).isEqualTo("é😀");
        assertThat(f.userId()).isEqualTo("\"q\"");
    }

    @Test
    void loneSurrogateEscapesAreKept() {
        PusherFrame f = decode("{\"event\":\"e\",\"data\":\"x\\ud800y\\udc00\"}");
        assertThat(f.data()).isEqualTo("x\ud800y\udc00");
    }

    @Test
    void userIdMayBeAStringOrANumberKeptAsText() {
        assertThat(decode("{\"event\":\"e\",\"user_id\":\"abc\"}").userId()).isEqualTo("abc");
        assertThat(decode("{\"event\":\"e\",\"user_id\":10}").userId()).isEqualTo("10");
        assertThat(decode("{\"event\":\"e\",\"user_id\":-1.5e3}").userId()).isEqualTo("-1.5e3");
        assertThat(decode("{\"event\":\"e\",\"user_id\":12345678901234567890}").userId()).isEqualTo("12345678901234567890");
    }

    @Test
    void unknownMembersOfEveryShapeAreSkipped() {
        PusherFrame f = decode("{\"a\":\"s\\\"}{[\",\"b\":{\"c\":[[[{\"d\":\"]}\"}]]],\"e\":{}},\"f\":[],\"g\":-0.0,"
                + "\"h\":true,\"i\":false,\"j\":null,\"k\":[1,[2,[3]],{\"l\":[]}],\"event\":\"x\"}");
        assertThat(f.event()).isEqualTo("x");
        assertThat(f.hasData()).isFalse();
    }

    @Test
    void deepNestingInDataAndUnknownMembersDoesNotOverflowTheStack() {
        int depth = 200_000;
        String nested = "[".repeat(depth) + "{\"a\":" + "{\"b\":".repeat(100) + "1" + "}".repeat(100) + "}" + "]".repeat(depth);
        PusherFrame f = decode("{\"event\":\"e\",\"deep\":" + nested + ",\"data\":" + nested + "}");
        assertThat(f.rawData()).hasSize(nested.length());
        Frames.assertRejected("{\"event\":\"e\",\"data\":" + nested.substring(0, nested.length() - 1) + "}",
                "expected ',' or ']' in an array");
    }

    @Test
    void framesFarBeyondTheTransportLimitStillDecode() {
        // The codec enforces no size limit (transports do); a 4 MiB payload must simply work.
        String big = "x\\u00e9".repeat(4 * FrameCodec.DEFAULT_MAX_FRAME_BYTES / 7);
        PusherFrame f = decode("{\"event\":\"e\",\"data\":\"" + big + "\"}");
        assertThat(f.data()).hasSize(big.length() / 7 * 2).startsWith("xé");
    }

    @Test
    void frequentNamesAreCanonicalised() {
        byte[] a = PUBLIC_FRAME.getBytes(StandardCharsets.UTF_8);
        PusherFrame first = FrameCodec.decode(a);
        PusherFrame second = FrameCodec.decode(a.clone());
        PusherFrame fromText = FrameCodec.decode(PUBLIC_FRAME);
        assertThat(second.event()).isSameAs(first.event()).isSameAs(fromText.event());
        assertThat(second.channel()).isSameAs(first.channel()).isSameAs(fromText.channel());
        PusherFrame ping = FrameCodec.decode("{\"event\":\"pusher:ping\",\"data\":{}}".getBytes(StandardCharsets.UTF_8));
        assertThat(ping.event()).isSameAs(PusherEvents.PING);
    }

    @Test
    void protocolNamesStayCanonicalWhateverOtherNamesArrive() {
        for (int i = 0; i < 20_000; i++) {
            FrameCodec.decode(("{\"event\":\"e" + i + "\",\"channel\":\"c" + i + "\"}").getBytes(StandardCharsets.UTF_8));
            FrameCodec.decode("{\"event\":\"x" + i + "\"}");
        }
        for (String name : PusherEvents.ALL) {
            String frame = "{\"event\":\"" + name + "\"}";
            assertThat(FrameCodec.decode(frame.getBytes(StandardCharsets.UTF_8)).event()).isSameAs(name);
            assertThat(FrameCodec.decode(frame).event()).isSameAs(name);
        }
    }

    @Test
    void longAndNonAsciiNamesAreDecodedCorrectlyOutsideTheCache() {
        String longName = "n".repeat(NameCache.MAX_NAME_LENGTH + 1);
        PusherFrame f = decode("{\"event\":\"" + longName + "\",\"channel\":\"" + longName + "é\"}");
        assertThat(f.event()).isEqualTo(longName);
        assertThat(f.channel()).isEqualTo(longName + "é");
    }

    @Test
    void theCallersBufferMayBeReusedAfterDecoding() {
        byte[] buffer = PUBLIC_FRAME.getBytes(StandardCharsets.UTF_8);
        PusherFrame f = FrameCodec.decode(buffer);
        String expected = decode(PUBLIC_FRAME).data();
        java.util.Arrays.fill(buffer, (byte) 'x');
        assertThat(f.data()).isEqualTo(expected);
        assertThat(f.event()).isEqualTo("order-updated");

        ByteBuffer direct = ByteBuffer.allocateDirect(buffer.length).put(PUBLIC_FRAME.getBytes(StandardCharsets.UTF_8)).flip();
        PusherFrame g = FrameCodec.decode(direct);
        direct.clear();
        while (direct.hasRemaining()) {
            direct.put((byte) 'y');
        }
        assertThat(g.data()).isEqualTo(expected);
    }

    @Test
    void nullInputsAreProtocolErrors() {
        assertThatThrownBy(() -> FrameCodec.decode((byte[]) null)).isInstanceOf(ProtocolException.class).hasMessageContaining("null");
        assertThatThrownBy(() -> FrameCodec.decode((byte[]) null, 0, 0)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> FrameCodec.decode((ByteBuffer) null)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> FrameCodec.decode((CharSequence) null)).isInstanceOf(ProtocolException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 11})
    void aRangeOutsideTheArrayIsAnIllegalArgument(int offset) {
        assertThatThrownBy(() -> FrameCodec.decode(new byte[10], offset, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside an array of 10 bytes");
        assertThatThrownBy(() -> FrameCodec.decode(new byte[10], 5, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameCodec.decode(new byte[10], 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameCodec.decode(new byte[10], Integer.MAX_VALUE, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalityFollowsTheDecodedContent() {
        PusherFrame a = decode("{\"event\":\"e\",\"channel\":\"c\",\"data\":\"\\u0041\"}");
        PusherFrame b = decode("{\"channel\":\"c\",\"data\":\"A\",\"event\":\"e\"}");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(decode("{\"event\":\"e\",\"channel\":\"c\",\"data\":\"B\"}"));
        assertThat(a).isNotEqualTo(decode("{\"event\":\"e\",\"channel\":\"d\",\"data\":\"A\"}"));
        assertThat(a).isNotEqualTo(decode("{\"event\":\"f\",\"channel\":\"c\",\"data\":\"A\"}"));
        assertThat(a).isNotEqualTo(decode("{\"event\":\"e\",\"channel\":\"c\",\"data\":\"A\",\"user_id\":\"1\"}"));
        assertThat(decode("{\"event\":\"e\",\"data\":\"1\"}")).isNotEqualTo(decode("{\"event\":\"e\",\"data\":1}"));
        assertThat(a).isNotEqualTo("e").isNotEqualTo(null);
        assertThat(PusherFrame.of("e", "c", "A", null)).isEqualTo(a);
    }
}
