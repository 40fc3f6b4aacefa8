package io.pusheriso.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.WithNull;

class FrameCodecProperties {
    private static final JsonFactory JSON = new JsonFactory();

    /** Reads a flat JSON object of strings with an independent parser (Jackson), to check our encoders. */
    private static Map<String, String> flatObject(String json) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
                out.put(name, p.getText());
            }
            assertThat(p.nextToken()).isNull();
        }
        return out;
    }

    /** The text a transport would deliver: our frames travel as UTF-8, so decode from bytes and from text alike. */
    private static PusherFrame viaBytesAndText(String frame) {
        PusherFrame fromText = FrameCodec.decode(frame);
        PusherFrame fromBytes = FrameCodec.decode(frame.getBytes(StandardCharsets.UTF_8));
        assertThat(fromBytes).isEqualTo(fromText);
        return fromText;
    }

    @Property(tries = 300)
    void subscribeRoundTrips(@ForAll String channel, @ForAll @WithNull(0.3) String auth, @ForAll @WithNull(0.3) String channelData)
            throws IOException {
        PusherFrame f = viaBytesAndText(FrameCodec.subscribe(channel, auth, channelData));
        assertThat(f.event()).isEqualTo(PusherEvents.SUBSCRIBE);
        Map<String, String> data = flatObject(f.data());
        assertThat(data.get("channel")).isEqualTo(channel);
        assertThat(data.get("auth")).isEqualTo(auth);
        assertThat(data.get("channel_data")).isEqualTo(channelData);
        assertThat(data).hasSize(1 + (auth == null ? 0 : 1) + (channelData == null ? 0 : 1));
    }

    @Property(tries = 300)
    void unsubscribeRoundTrips(@ForAll String channel) throws IOException {
        PusherFrame f = viaBytesAndText(FrameCodec.unsubscribe(channel));
        assertThat(f.event()).isEqualTo(PusherEvents.UNSUBSCRIBE);
        assertThat(flatObject(f.data())).containsExactly(Map.entry("channel", channel));
    }

    @Property(tries = 300)
    void signinRoundTrips(@ForAll String auth, @ForAll String userData) throws IOException {
        PusherFrame f = viaBytesAndText(FrameCodec.signin(auth, userData));
        assertThat(f.event()).isEqualTo(PusherEvents.SIGNIN);
        assertThat(flatObject(f.data())).containsExactly(Map.entry("auth", auth), Map.entry("user_data", userData));
    }

    @Property(tries = 300)
    void clientEventRoundTrips(@ForAll String channel, @ForAll String event, @ForAll String payload) {
        String dataJson = PusherFrame.of("x", null, payload, null).rawData();
        PusherFrame f = viaBytesAndText(FrameCodec.clientEvent(channel, event, dataJson));
        assertThat(f.event()).isEqualTo(event);
        assertThat(f.channel()).isEqualTo(channel);
        assertThat(f.isDataString()).isTrue();
        assertThat(f.data()).isEqualTo(payload);
        assertThat(f.rawData()).isEqualTo(dataJson);
    }

    @Provide
    Arbitrary<String> frames() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> member = Arbitraries.oneOf(
                text.map(s -> "\"channel\":" + PusherFrame.of("x", null, s, null).rawData()),
                text.map(s -> "\"data\":" + PusherFrame.of("x", null, s, null).rawData()),
                Arbitraries.integers().map(i -> "\"user_id\":" + i),
                Arbitraries.of("\"data\":{\"a\":[1,2,{\"b\":null}]}", "\"data\":null", "\"x\":[\"]\"]", "\"data\":-0.5e7",
                        "\"channel\":null", "\"u\":{}", "\"user_id\":\"é\""));
        Arbitrary<String> ws = Arbitraries.of("", " ", "\n", "\t ", "\r\n");
        return Combinators.combine(text, member.list().ofMaxSize(4), ws, Arbitraries.integers().between(0, 4))
                .as((event, members, space, at) -> {
                    java.util.List<String> all = new java.util.ArrayList<>(members);
                    all.add(Math.min(at, all.size()), "\"event\":" + PusherFrame.of("x", null, event, null).rawData());
                    return space + "{" + String.join("," + space, all) + "}" + space;
                });
    }

    @Property(tries = 1000)
    void decodingTextAndBytesAgree(@ForAll("frames") String frame) {
        outcomesAgree(frame);
    }

    @Property(tries = 1000)
    void decodingArbitraryTextAndItsBytesAgree(@ForAll String junk) {
        Assume.that(!hasLoneSurrogate(junk));
        outcomesAgree(junk);
        outcomesAgree("{\"event\":" + junk + "}");
    }

    private static void outcomesAgree(String frame) {
        byte[] utf8 = frame.getBytes(StandardCharsets.UTF_8);
        Object fromText = outcome(() -> FrameCodec.decode(frame));
        assertThat(outcome(() -> FrameCodec.decode(utf8))).isEqualTo(fromText);
        assertThat(outcome(() -> FrameCodec.decode(ByteBuffer.allocateDirect(utf8.length).put(utf8).flip()))).isEqualTo(fromText);
    }

    private static Object outcome(java.util.function.Supplier<PusherFrame> decode) {
        try {
            PusherFrame f = decode.get();
            return java.util.Arrays.asList(f.event(), f.channel(), f.userId(), f.hasData(), f.isDataString(), f.data(), f.rawData());
        } catch (ProtocolException e) {
            return "rejected";
        }
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
