package io.pusheriso.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TypedViewsTest {

    /** A frame whose data is the given JSON as a (double-encoded) string, as most servers send it. */
    private static PusherFrame str(String event, String json) {
        return Frames.decode(FrameCodec.unsubscribe("x").replace("pusher:unsubscribe", event)
                .replaceFirst("\\{\"channel\":\"x\"}", java.util.regex.Matcher.quoteReplacement(PusherFrame.of("e", null, json, null).rawData())));
    }

    /** A frame whose data is the given JSON as an object. */
    private static PusherFrame obj(String event, String json) {
        return Frames.decode("{\"event\":\"" + event + "\",\"data\":" + json + "}");
    }

    /** Applies the view to both encodings and asserts they agree. */
    private static <T> T both(String event, String json, Function<PusherFrame, T> view) {
        T a = view.apply(str(event, json));
        T b = view.apply(obj(event, json));
        assertThat(a).isEqualTo(b);
        return a;
    }

    private static void rejected(String json, Function<PusherFrame, ?> view, String... parts) {
        for (PusherFrame f : List.of(str("e", json), PusherFrame.of("e", null, json, null))) {
            var a = assertThatThrownBy(() -> view.apply(f)).isInstanceOf(ProtocolException.class);
            for (String p : parts) {
                a.hasMessageContaining(p);
            }
        }
    }

    @Test
    void connectionEstablished() {
        assertThat(both("pusher:connection_established", "{\"socket_id\":\"123.456\",\"activity_timeout\":120}", ConnectionEstablished::from))
                .isEqualTo(new ConnectionEstablished("123.456", 120));
        assertThat(both("e", "{\"activity_timeout\":0,\"extra\":{\"a\":[1]},\"socket_id\":\"1.2\"}", ConnectionEstablished::from))
                .isEqualTo(new ConnectionEstablished("1.2", 0));
        rejected("{\"socket_id\":\"1.2\"}", ConnectionEstablished::from, "pusher:connection_established", "\"activity_timeout\" is missing");
        rejected("{\"activity_timeout\":120}", ConnectionEstablished::from, "\"socket_id\" is missing");
        rejected("{\"socket_id\":\"\",\"activity_timeout\":120}", ConnectionEstablished::from, "\"socket_id\" must not be empty");
        rejected("{\"socket_id\":1.2,\"activity_timeout\":120}", ConnectionEstablished::from, "\"socket_id\" must be a string");
        rejected("{\"socket_id\":\"1.2\",\"activity_timeout\":\"120\"}", ConnectionEstablished::from, "\"activity_timeout\" must be an integer");
        rejected("{\"socket_id\":\"1.2\",\"activity_timeout\":1.5}", ConnectionEstablished::from, "\"activity_timeout\" must be an integer");
        rejected("{\"socket_id\":\"1.2\",\"activity_timeout\":99999999999}", ConnectionEstablished::from, "\"activity_timeout\" must be an integer");
        rejected("{\"socket_id\":\"1.2\",\"activity_timeout\":-1}", ConnectionEstablished::from, "must not be negative");
        rejected("[1]", ConnectionEstablished::from, "data must be a JSON object (found an array)");
        rejected("not json", ConnectionEstablished::from, "malformed JSON");
        rejected("{\"socket_id\":\"1.2\",\"activity_timeout\":1}x", ConnectionEstablished::from, "malformed JSON");
        rejected("{\"socket_id\":\"1.2\",\"activity_timeout\":1} {}", ConnectionEstablished::from, "unexpected data after the JSON value");
        rejected("{\"socket_id\":\"1.2\",\"socket_id\":\"1.3\",\"activity_timeout\":1}", ConnectionEstablished::from, "malformed JSON", "socket_id");
        rejected("", ConnectionEstablished::from, "empty JSON");
        assertThatThrownBy(() -> ConnectionEstablished.from(PusherFrame.of("e", null, null, null)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("has no data");
        assertThatThrownBy(() -> ConnectionEstablished.from(null)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void pusherError() {
        assertThat(both("pusher:error", "{\"code\":4001,\"message\":\"App key x not in this cluster\"}", PusherError::from))
                .isEqualTo(new PusherError(4001, "App key x not in this cluster"));
        assertThat(both("e", "{\"code\":null,\"message\":null}", PusherError::from)).isEqualTo(new PusherError(null, ""));
        assertThat(both("e", "{}", PusherError::from)).isEqualTo(new PusherError(null, ""));
        assertThat(PusherError.from(PusherFrame.of("pusher:error", null, null, null))).isEqualTo(new PusherError(null, ""));
        assertThat(PusherError.from(PusherFrame.of("pusher:error", null, "plain text", null))).isEqualTo(new PusherError(null, "plain text"));
        assertThat(new PusherError(1, null).message()).isEmpty();
        rejected("{\"code\":\"4001\"}", PusherError::from, "pusher:error", "\"code\" must be an integer");
        rejected("{\"code\":4001,\"message\":{}}", PusherError::from, "\"message\" must be a string");
        rejected("{\"code\":", PusherError::from, "malformed JSON");
    }

    @Test
    void presenceSnapshot() {
        PresenceSnapshot p = both("pusher_internal:subscription_succeeded",
                "{\"presence\":{\"ids\":[\"u1\",2],\"hash\":{\"u1\":{\"name\":\"Ann\", \"tags\": [1, {\"x\":\"}\"}]},\"2\":null},\"count\":2}}",
                PresenceSnapshot::from);
        assertThat(p.ids()).containsExactly("u1", "2");
        assertThat(p.infoJsonById()).containsExactly(Map.entry("u1", "{\"name\":\"Ann\", \"tags\": [1, {\"x\":\"}\"}]}"), Map.entry("2", "null"));
        assertThat(p.count()).isEqualTo(2);

        PresenceSnapshot noIds = both("e", "{\"presence\":{\"hash\":{\"b\":\"str\",\"a\":42}}}", PresenceSnapshot::from);
        assertThat(noIds.ids()).containsExactly("b", "a");
        assertThat(noIds.infoJsonById()).containsExactly(Map.entry("b", "\"str\""), Map.entry("a", "42"));
        assertThat(noIds.count()).isEqualTo(2);

        PresenceSnapshot noHash = both("e", "{\"presence\":{\"ids\":[\"a\"],\"count\":1}}", PresenceSnapshot::from);
        assertThat(noHash.infoJsonById()).containsExactly(Map.entry("a", "null"));

        PresenceSnapshot extra = both("e", "{\"presence\":{\"ids\":[\"a\"],\"hash\":{\"b\":{}},\"count\":2}}", PresenceSnapshot::from);
        assertThat(extra.infoJsonById()).containsExactly(Map.entry("a", "null"), Map.entry("b", "{}"));
        assertThat(both("e", "{\"presence\":{}}", PresenceSnapshot::from)).isEqualTo(new PresenceSnapshot(List.of(), Map.of(), 0));
        assertThatThrownBy(() -> p.ids().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.infoJsonById().clear()).isInstanceOf(UnsupportedOperationException.class);

        rejected("{}", PresenceSnapshot::from, "\"presence\" is missing");
        rejected("{\"presence\":[]}", PresenceSnapshot::from, "\"presence\" must be an object");
        rejected("{\"presence\":{\"ids\":{}}}", PresenceSnapshot::from, "\"presence.ids\" must be an array");
        rejected("{\"presence\":{\"ids\":[true]}}", PresenceSnapshot::from, "\"presence.ids[0]\" must be a string or an integer");
        rejected("{\"presence\":{\"hash\":[]}}", PresenceSnapshot::from, "\"presence.hash\" must be an object");
        rejected("{\"presence\":{\"count\":\"2\"}}", PresenceSnapshot::from, "\"presence.count\" must be an integer");
    }

    @Test
    void memberChange() {
        assertThat(both("pusher_internal:member_added", "{\"user_id\":\"u1\",\"user_info\":{\"name\":\"é\"}}", MemberChange::from))
                .isEqualTo(new MemberChange("u1", "{\"name\":\"é\"}"));
        assertThat(both("pusher_internal:member_removed", "{\"user_id\":42}", MemberChange::from)).isEqualTo(new MemberChange("42", null));
        assertThat(both("e", "{\"user_id\":\"u\",\"user_info\":\"text\"}", MemberChange::from)).isEqualTo(new MemberChange("u", "\"text\""));
        rejected("{\"user_info\":{}}", MemberChange::from, "\"user_id\" is missing");
        rejected("{\"user_id\":{}}", MemberChange::from, "\"user_id\" must be a string or an integer (found an object)");
        rejected("{\"user_id\":1.5}", MemberChange::from, "\"user_id\" must be a string or an integer (found a decimal number)");
    }

    @Test
    void memberChangeCommonAndUnusualShapesReadAlike() {
        // The common shapes are read without Jackson; everything else must give Jackson's answer.
        assertThat(both("e", " { \"user_info\" : { \"a\" : 1 , \"b\" : [\"x\"] } , \"user_id\" : -7 } ", MemberChange::from))
                .isEqualTo(new MemberChange("-7", "{ \"a\" : 1 , \"b\" : [\"x\"] }"));
        assertThat(both("e", "{\"user_id\":\"u\",\"user_info\":{\"a\":{\"b\":null}}}", MemberChange::from))
                .isEqualTo(new MemberChange("u", "{\"a\":{\"b\":null}}"));
        assertThat(both("e", "{\"user_id\":\"u\",\"user_info\":{}}", MemberChange::from)).isEqualTo(new MemberChange("u", "{}"));
        assertThat(both("e", "{\"user_id\":\"\\u0041\",\"user_info\":{\"k\\n\":true}}", MemberChange::from))
                .isEqualTo(new MemberChange("A", "{\"k\\n\":true}"));
        assertThat(both("e", "{\"user_id\":\"u\",\"extra\":[1],\"user_info\":null}", MemberChange::from))
                .isEqualTo(new MemberChange("u", "null"));
        assertThat(both("e", "{\"user_id\":\"u\",\"user_info\":{\"ab\":1,\"a\":2,\"abc\":3}}", MemberChange::from))
                .isEqualTo(new MemberChange("u", "{\"ab\":1,\"a\":2,\"abc\":3}"));
        rejected("{\"user_id\":\"u\",\"user_info\":{\"a\":1,\"b\":2,\"a\":3}}", MemberChange::from, "malformed JSON", "Duplicate field 'a'");
        rejected("{\"user_id\":\"u\",\"user_id\":\"v\"}", MemberChange::from, "malformed JSON", "user_id");
        rejected("{\"user_id\":\"u\",\"user_info\":{\"a\":1}}x", MemberChange::from, "malformed JSON");
        rejected("{\"user_id\":\"u\",\"user_info\":{\"a\":01}}", MemberChange::from, "malformed JSON");
        rejected("{\"user_id\":\"u\",\"user_info\":{\"a\":1,}}", MemberChange::from, "malformed JSON");
        rejected("{\"user_id\":\"u\" \"user_info\":{}}", MemberChange::from, "malformed JSON");
        rejected("{\"user_id\":1e3}", MemberChange::from, "\"user_id\" must be a string or an integer");
    }

    @Test
    void subscriptionCount() {
        assertThat(both("pusher_internal:subscription_count", "{\"subscription_count\":7}", SubscriptionCount::from))
                .isEqualTo(new SubscriptionCount(7));
        rejected("{}", SubscriptionCount::from, "\"subscription_count\" is missing");
        rejected("{\"subscription_count\":\"7\"}", SubscriptionCount::from, "\"subscription_count\" must be an integer in the int range (found a string)");
        rejected("{\"subscription_count\":-7}", SubscriptionCount::from, "must not be negative");
        rejected("{\"subscription_count\":null}", SubscriptionCount::from, "(found null)");
    }

    @Test
    void subscriptionErrorInEveryShape() {
        // soketi sends an object:
        assertThat(both("pusher:subscription_error", "{\"type\":\"AuthError\",\"error\":\"The connection is unauthorized.\",\"status\":401}",
                SubscriptionError::from)).isEqualTo(new SubscriptionError("AuthError", "The connection is unauthorized.", 401));
        assertThat(both("e", "{\"type\":\"LimitReached\",\"error\":\"too long\",\"status\":4009}", SubscriptionError::from).status())
                .isEqualTo(4009);
        assertThat(both("e", "{\"error\":\"x\"}", SubscriptionError::from)).isEqualTo(new SubscriptionError(null, "x", null));
        assertThat(SubscriptionError.from(PusherFrame.of("e", "private-a", "Forbidden", null)))
                .isEqualTo(new SubscriptionError(null, "Forbidden", null));
        assertThat(SubscriptionError.from(obj("e", "[1,2]"))).isEqualTo(new SubscriptionError(null, "[1,2]", null));
        assertThat(SubscriptionError.from(obj("e", "403"))).isEqualTo(new SubscriptionError(null, "403", null));
        assertThat(SubscriptionError.from(PusherFrame.of("e", null, null, null))).isEqualTo(new SubscriptionError(null, null, null));
        rejected("{\"type\":1}", SubscriptionError::from, "pusher:subscription_error", "\"type\" must be a string");
        rejected("{\"status\":\"401\"}", SubscriptionError::from, "\"status\" must be an integer");
        rejected("{\"error\":", SubscriptionError::from, "malformed JSON");
    }

    @Test
    void signinSuccess() {
        String userData = "{\"id\":\"12345\",\"name\":\"é\"}";
        PusherFrame f = str("pusher:signin_success", "{\"user_data\":" + PusherFrame.of("e", null, userData, null).rawData() + "}");
        assertThat(SigninSuccess.from(f)).isEqualTo(new SigninSuccess(userData, "12345"));
        assertThat(SigninSuccess.from(obj("e", "{\"user_data\":{\"id\":\"7\"}}"))).isEqualTo(new SigninSuccess("{\"id\":\"7\"}", "7"));
        rejected("{}", SigninSuccess::from, "\"user_data\" is missing");
        rejected("{\"user_data\":null}", SigninSuccess::from, "\"user_data\" is missing");
        rejected("{\"user_data\":5}", SigninSuccess::from, "\"user_data\" must be a string");
        rejected("{\"user_data\":\"{\\\"name\\\":\\\"x\\\"}\"}", SigninSuccess::from, "user_data", "\"id\" is missing");
        rejected("{\"user_data\":\"{\\\"id\\\":12345}\"}", SigninSuccess::from, "\"id\" must be a string");
        rejected("{\"user_data\":\"{\\\"id\\\":\\\"\\\"}\"}", SigninSuccess::from, "\"id\" must not be empty");
        rejected("{\"user_data\":\"{bad\"}", SigninSuccess::from, "user_data: malformed JSON");
    }

    @Test
    void watchlistEvents() {
        WatchlistEvents w = both("pusher_internal:watchlist_events",
                "{\"events\":[{\"name\":\"online\",\"user_ids\":[\"a\",\"b\"]},{\"name\":\"offline\",\"user_ids\":[3]}]}", WatchlistEvents::from);
        assertThat(w.changes()).containsExactly(new WatchlistEvents.Change("online", List.of("a", "b")),
                new WatchlistEvents.Change("offline", List.of("3")));
        assertThat(both("e", "{\"events\":[]}", WatchlistEvents::from).changes()).isEmpty();
        rejected("{}", WatchlistEvents::from, "\"events\" is missing");
        rejected("{\"events\":{}}", WatchlistEvents::from, "\"events\" must be an array");
        rejected("{\"events\":[1]}", WatchlistEvents::from, "\"events[0]\" must be an object");
        rejected("{\"events\":[{\"user_ids\":[]}]}", WatchlistEvents::from, "\"events[0].name\" is missing");
        rejected("{\"events\":[{\"name\":\"online\"}]}", WatchlistEvents::from, "\"events[0].user_ids\" is missing");
        rejected("{\"events\":[{\"name\":\"online\",\"user_ids\":[null]}]}", WatchlistEvents::from, "\"events[0].user_ids[0]\"");
    }

    @Test
    void encryptedPayload() {
        byte[] nonce = new byte[24];
        byte[] box = new byte[40];
        for (int i = 0; i < box.length; i++) {
            box[i] = (byte) (i * 7);
            if (i < 24) {
                nonce[i] = (byte) (255 - i);
            }
        }
        Base64.Encoder b64 = Base64.getEncoder();
        String json = "{\"nonce\":\"" + b64.encodeToString(nonce) + "\",\"ciphertext\":\"" + b64.encodeToString(box) + "\"}";
        EncryptedPayload p = both("my-event", json, EncryptedPayload::from);
        assertThat(p.nonce()).isEqualTo(nonce);
        assertThat(p.ciphertext()).isEqualTo(box);
        assertThat(p.toString()).isEqualTo("EncryptedPayload[nonce=24 bytes, ciphertext=40 bytes]");
        p.nonce()[0] = 1;
        assertThat(p.nonce()).isEqualTo(nonce);
        assertThat(p).isEqualTo(new EncryptedPayload(nonce, box)).hasSameHashCodeAs(new EncryptedPayload(nonce, box));
        assertThat(p).isNotEqualTo(new EncryptedPayload(nonce, new byte[16]));

        rejected("{\"ciphertext\":\"" + b64.encodeToString(box) + "\"}", EncryptedPayload::from, "\"nonce\" is missing");
        rejected("{\"nonce\":\"" + b64.encodeToString(nonce) + "\"}", EncryptedPayload::from, "\"ciphertext\" is missing");
        rejected("{\"nonce\":\"" + b64.encodeToString(new byte[23]) + "\",\"ciphertext\":\"" + b64.encodeToString(box) + "\"}",
                EncryptedPayload::from, "\"nonce\" must be 24 bytes (found 23 bytes)");
        rejected("{\"nonce\":\"" + b64.encodeToString(nonce) + "\",\"ciphertext\":\"" + b64.encodeToString(new byte[15]) + "\"}",
                EncryptedPayload::from, "\"ciphertext\" must be at least 16 bytes (found 15 bytes)");
        rejected("{\"nonce\":\"%%%\",\"ciphertext\":\"" + b64.encodeToString(box) + "\"}", EncryptedPayload::from, "\"nonce\" is not valid base64");
        rejected("{\"nonce\":24,\"ciphertext\":\"\"}", EncryptedPayload::from, "\"nonce\" must be a string");
        assertThatThrownBy(() -> new EncryptedPayload(null, box)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new EncryptedPayload(nonce, null)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void channelDataAndUserData() {
        assertThat(ChannelData.parse("{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Pusher\"}}"))
                .isEqualTo(new ChannelData("10", "{\"name\":\"Mr. Pusher\"}"));
        assertThat(ChannelData.parse("{\"user_id\":\"u\"}")).isEqualTo(new ChannelData("u", null));
        assertThatThrownBy(() -> ChannelData.parse("{\"user_info\":{}}")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("channel_data").hasMessageContaining("\"user_id\" is missing");
        assertThatThrownBy(() -> ChannelData.parse("{\"user_id\":\"\"}")).isInstanceOf(ProtocolException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> ChannelData.parse("{\"user_id\":true}")).isInstanceOf(ProtocolException.class).hasMessageContaining("\"user_id\"");
        assertThatThrownBy(() -> ChannelData.parse(null)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> ChannelData.parse("[]")).isInstanceOf(ProtocolException.class).hasMessageContaining("must be a JSON object");

        assertThat(UserData.parse("{\"id\":\"12345\",\"watchlist\":[\"a\"]}")).isEqualTo(new UserData("12345"));
        assertThatThrownBy(() -> UserData.parse("{\"id\":12345}")).isInstanceOf(ProtocolException.class).hasMessageContaining("\"id\" must be a string");
        assertThatThrownBy(() -> UserData.parse("{\"id\":\"\"}")).isInstanceOf(ProtocolException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> UserData.parse("{}")).isInstanceOf(ProtocolException.class).hasMessageContaining("\"id\" is missing");
        assertThatThrownBy(() -> UserData.parse("{\"id\":\"a\"")).isInstanceOf(ProtocolException.class).hasMessageContaining("malformed JSON");
    }

    @Test
    void deeplyNestedDataIsAProtocolErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        String json = "{\"user_id\":\"u\",\"user_info\":" + deep + "}";
        PusherFrame f = obj("pusher_internal:member_added", json);
        assertThatThrownBy(() -> MemberChange.from(f)).isInstanceOf(ProtocolException.class).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> ChannelData.parse(json)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> PresenceSnapshot.from(obj("e", "{\"presence\":{\"hash\":{\"a\":" + deep + "}}}")))
                .isInstanceOf(ProtocolException.class);
    }
}
