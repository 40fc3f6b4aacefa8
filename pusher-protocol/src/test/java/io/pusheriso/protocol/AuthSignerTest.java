package io.pusheriso.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AuthSignerTest {
    // The worked examples of the Pusher documentation (channels/library_auth_reference/auth-signatures).
    private static final String HEX_E_ACUTE = "00be24e3d684a91bfaf2a0bab3c9abc91aafc668563220e6fc59f872bf90a200";
    private static final AuthSigner DOCS = new AuthSigner("278d425bdf160c739803", "7ad3773142a6692b25b8");

    @Test
    void signsThePrivateChannelExampleOfTheDocs() {
        assertThat(DOCS.signChannel("1234.1234", "private-foobar"))
                .isEqualTo("278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4");
    }

    @Test
    void signsThePresenceChannelExampleOfTheDocs() {
        // The published example's user is "Mr. Pusher"; the digest below belongs to that text only.
        assertThat(DOCS.signPresence("1234.1234", "presence-foobar", "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Pusher\"}}"))
                .isEqualTo("278d425bdf160c739803:afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c");
        assertThat(DOCS.signPresence("1234.1234", "presence-foobar", "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}"))
                .isEqualTo("278d425bdf160c739803:31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80");
    }

    @Test
    void signsTheUserAuthenticationExampleOfTheDocs() {
        assertThat(DOCS.signUser("1234.1234", "{\"id\":\"12345\"}"))
                .isEqualTo("278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba");
    }

    @Test
    void hmacIsLowercaseHexOfTheStringToSign() {
        assertThat(DOCS.hmacSha256Hex("1234.1234:private-foobar"))
                .isEqualTo("58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4");
        // RFC 4231 test case 2: key "Jefe".
        assertThat(new AuthSigner("k", "Jefe").hmacSha256Hex("what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    static Stream<Map<String, String>> vectors() throws IOException {
        List<Map<String, String>> vectors = new ArrayList<>();
        try (InputStream in = AuthSignerTest.class.getResourceAsStream("/auth-signature-vectors.json");
                JsonParser p = new JsonFactory().createParser(in)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("vectors")) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        Map<String, String> v = new LinkedHashMap<>();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            p.nextToken();
                            v.put(name, p.getText());
                        }
                        vectors.add(v);
                    }
                }
            }
        }
        assertThat(vectors).hasSize(50);
        return vectors.stream();
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void reproducesEveryVectorOfTheOfficialServerSdk(Map<String, String> v) {
        AuthSigner signer = new AuthSigner(v.get("key"), v.get("secret"));
        String auth;
        String stringToSign;
        if (v.get("kind").equals("user")) {
            auth = signer.signUser(v.get("socket_id"), v.get("user_data"));
            stringToSign = v.get("socket_id") + "::user::" + v.get("user_data");
        } else if (v.containsKey("channel_data")) {
            auth = signer.signPresence(v.get("socket_id"), v.get("channel"), v.get("channel_data"));
            stringToSign = v.get("socket_id") + ":" + v.get("channel") + ":" + v.get("channel_data");
        } else {
            auth = signer.signChannel(v.get("socket_id"), v.get("channel"));
            stringToSign = v.get("socket_id") + ":" + v.get("channel");
        }
        assertThat(auth).isEqualTo(v.get("auth"));
        assertThat(signer.verify(v.get("auth"), stringToSign)).isTrue();
    }

    @Test
    void verifyRejectsAnythingButTheExactAuth() {
        String good = "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4";
        String toSign = "1234.1234:private-foobar";
        assertThat(DOCS.verify(good, toSign)).isTrue();
        assertThat(DOCS.verify(good.replace("c3a4", "c3a5"), toSign)).isFalse();
        assertThat(DOCS.verify(good.toUpperCase(java.util.Locale.ROOT), toSign)).isFalse();
        assertThat(DOCS.verify("otherkey" + good.substring(20), toSign)).isFalse();
        assertThat(DOCS.verify(good.substring(21), toSign)).isFalse();
        assertThat(DOCS.verify(good, "1234.1234:private-foobaz")).isFalse();
        assertThat(DOCS.verify(null, toSign)).isFalse();
        assertThat(DOCS.verify("", toSign)).isFalse();
    }

    @Test
    void signsNonAsciiAsUtf8() {
        // Vectors include non-ASCII user data; this pins the encoding independently of them.
        AuthSigner signer = new AuthSigner("k", "s");
        // HMAC-SHA256(key "s", UTF-8 bytes C3 A9), computed independently with Python's hmac module.
        assertThat(signer.hmacSha256Hex("é")).isEqualTo(HEX_E_ACUTE).isNotEqualTo(signer.hmacSha256Hex("\u00c3\u00a9"));
        assertThat(signer.hmacSha256Hex("x")).hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(DOCS.toString()).contains("278d425bdf160c739803").doesNotContain("7ad3773142a6692b25b8");
        assertThat(DOCS.appKey()).isEqualTo("278d425bdf160c739803");
    }

    @Test
    void rejectsMissingArguments() {
        assertThatThrownBy(() -> new AuthSigner(null, "s")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appKey");
        assertThatThrownBy(() -> new AuthSigner("k", "")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appSecret");
        assertThatThrownBy(() -> DOCS.signChannel(null, "private-a")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("socketId");
        assertThatThrownBy(() -> DOCS.signChannel("1.1", null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel");
        assertThatThrownBy(() -> DOCS.signPresence("1.1", "presence-a", null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channelData");
        assertThatThrownBy(() -> DOCS.signUser("1.1", null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userData");
        assertThatThrownBy(() -> DOCS.hmacSha256Hex(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DOCS.verify("a", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
