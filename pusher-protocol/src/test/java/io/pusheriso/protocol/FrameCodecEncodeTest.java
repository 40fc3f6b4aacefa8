package io.pusheriso.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecEncodeTest {

    @Test
    void subscribeIsCompactAndOmitsAbsentFields() {
        assertThat(FrameCodec.subscribe("my-channel", null, null))
                .isEqualTo("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"my-channel\"}}");
        assertThat(FrameCodec.subscribe("private-a", "k:sig", null))
                .isEqualTo("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-a\",\"auth\":\"k:sig\"}}");
        assertThat(FrameCodec.subscribe("presence-a", "k:sig", "{\"user_id\":\"1\",\"user_info\":{\"n\":\"é\"}}"))
                .isEqualTo("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-a\",\"auth\":\"k:sig\","
                        + "\"channel_data\":\"{\\\"user_id\\\":\\\"1\\\",\\\"user_info\\\":{\\\"n\\\":\\\"é\\\"}}\"}}");
    }

    @Test
    void subscribeDecodesBackToItsParts() {
        PusherFrame f = Frames.decode(FrameCodec.subscribe("presence-a", "k:sig", "{\"user_id\":10}"));
        assertThat(f.event()).isEqualTo(PusherEvents.SUBSCRIBE);
        assertThat(f.channel()).isNull();
        assertThat(f.isDataString()).isFalse();
        assertThat(ChannelData.parse("{\"user_id\":10}").userId()).isEqualTo("10");
        assertThat(f.data()).isEqualTo("{\"channel\":\"presence-a\",\"auth\":\"k:sig\",\"channel_data\":\"{\\\"user_id\\\":10}\"}");
    }

    @Test
    void otherControlFrames() {
        assertThat(FrameCodec.unsubscribe("private-a"))
                .isEqualTo("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"private-a\"}}");
        assertThat(FrameCodec.ping()).isEqualTo("{\"event\":\"pusher:ping\",\"data\":{}}");
        assertThat(FrameCodec.pong()).isEqualTo("{\"event\":\"pusher:pong\",\"data\":{}}");
        assertThat(FrameCodec.signin("k:sig", "{\"id\":\"12345\"}"))
                .isEqualTo("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"k:sig\",\"user_data\":\"{\\\"id\\\":\\\"12345\\\"}\"}}");
        assertThat(Frames.decode(FrameCodec.ping()).event()).isSameAs(PusherEvents.PING);
    }

    @Test
    void escapesEverythingJsonRequires() {
        String nasty = "q\"b\\s/\b\f\n\r\t\u0000\u001f\u007f\u2028\u2029é😀";
        String frame = FrameCodec.unsubscribe(nasty);
        assertThat(frame).isEqualTo("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":"
                + "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\\u2028\\u2029é😀\"}}");
        assertThat(frame.chars().filter(c -> c < 0x20)).isEmpty();
    }

    @Test
    void loneSurrogatesAreEscapedSoTheyRoundTripThroughUtf8() {
        String frame = FrameCodec.signin("a\ud800", "\udc00b\ud83d");
        assertThat(frame).contains("a\\ud800").contains("\\udc00b\\ud83d");
        PusherFrame f = Frames.decode(frame);
        assertThat(f.data()).isEqualTo("{\"auth\":\"a\\ud800\",\"user_data\":\"\\udc00b\\ud83d\"}");
    }

    @Test
    void clientEventEmbedsDataAsAJsonValue() {
        assertThat(FrameCodec.clientEvent("private-a", "client-typing", "{\"who\":\"é\"}"))
                .isEqualTo("{\"event\":\"client-typing\",\"channel\":\"private-a\",\"data\":{\"who\":\"é\"}}");
        assertThat(FrameCodec.clientEvent("private-a", "client-x", " \n[1, 2]\t"))
                .isEqualTo("{\"event\":\"client-x\",\"channel\":\"private-a\",\"data\":[1, 2]}");
        assertThat(FrameCodec.clientEvent("private-a", "client-x", "\"text\""))
                .isEqualTo("{\"event\":\"client-x\",\"channel\":\"private-a\",\"data\":\"text\"}");
        PusherFrame f = Frames.decode(FrameCodec.clientEvent("presence-a", "client-x", "-1.5e2"));
        assertThat(f.channel()).isEqualTo("presence-a");
        assertThat(f.data()).isEqualTo("-1.5e2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"a\":}", "[1,]", "{} {}", "1 2", "undefined", "{'a':1}", "\"\u0001\"",
        "NaN", "01", "\u00a0{}", "{}\u000b", "tru", "\"abc"})
    void clientEventRefusesDataThatIsNotExactlyOneJsonValue(String data) {
        assertThatThrownBy(() -> FrameCodec.clientEvent("private-a", "client-x", data))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("Malformed JSON");
    }

    @Test
    void encodersRefuseNullArguments() {
        assertThatThrownBy(() -> FrameCodec.subscribe(null, null, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel");
        assertThatThrownBy(() -> FrameCodec.unsubscribe(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameCodec.signin(null, "{}")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auth");
        assertThatThrownBy(() -> FrameCodec.signin("a", null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userData");
        assertThatThrownBy(() -> FrameCodec.clientEvent(null, "client-a", "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameCodec.clientEvent("private-a", null, "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameCodec.clientEvent("private-a", "client-a", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void frameFactories() {
        PusherFrame s = PusherFrame.of("e", "c", "{\"a\":\"é\\n\"}", "u");
        assertThat(s.isDataString()).isTrue();
        assertThat(s.data()).isEqualTo("{\"a\":\"é\\n\"}");
        assertThat(s.rawData()).isEqualTo("\"{\\\"a\\\":\\\"é\\\\n\\\"}\"");
        assertThat(Frames.decode("{\"event\":\"e\",\"channel\":\"c\",\"user_id\":\"u\",\"data\":" + s.rawData() + "}")).isEqualTo(s);

        PusherFrame none = PusherFrame.of("e", null, null, null);
        assertThat(none.hasData()).isFalse();
        assertThat(none.data()).isNull();
        assertThat(none.rawData()).isNull();

        PusherFrame j = PusherFrame.ofJsonData("e", "c", " {\"a\": 1} ", null);
        assertThat(j.isDataString()).isFalse();
        assertThat(j.hasData()).isTrue();
        assertThat(j.data()).isEqualTo("{\"a\": 1}");
        assertThat(j.rawData()).isEqualTo("{\"a\": 1}");
        assertThat(j).isEqualTo(FrameCodec.decode("{\"event\":\"e\",\"channel\":\"c\",\"data\":{\"a\": 1}}"));

        PusherFrame js = PusherFrame.ofJsonData("e", null, "\"x\\u0041\"", null);
        assertThat(js.isDataString()).isTrue();
        assertThat(js.data()).isEqualTo("xA");
        assertThat(PusherFrame.ofJsonData("e", null, "null", null).hasData()).isFalse();
        assertThat(PusherFrame.ofJsonData("e", null, null, null).hasData()).isFalse();
        assertThatThrownBy(() -> PusherFrame.ofJsonData("e", null, "{", null)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> PusherFrame.of(null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PusherFrame.ofJsonData(null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverShowsData() {
        PusherFrame f = PusherFrame.of("pusher:subscribe", "private-a", "{\"auth\":\"key:secret-signature\"}", "u1");
        assertThat(f.toString()).contains("pusher:subscribe").contains("private-a").doesNotContain("secret-signature");
        assertThat(FrameCodec.decode(FrameCodec.subscribe("private-a", "key:secret-signature", null)).toString())
                .doesNotContain("secret-signature");
    }
}
