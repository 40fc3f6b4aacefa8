package io.pusheriso.protocol;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientEventsTest {

    @ParameterizedTest
    @ValueSource(strings = {"private-a", "private-cache-a", "presence-a", "presence-cache-a"})
    void acceptsPrivateAndPresenceChannels(String channel) {
        assertThatCode(() -> ClientEvents.validate(channel, "client-typing", "{}")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"typing", "Client-typing", "client", "pusher:ping", "xclient-a", ""})
    void requiresTheClientPrefix(String event) {
        assertThatThrownBy(() -> ClientEvents.validate("private-a", event, "{}"))
                .isInstanceOf(InvalidClientEventException.class).hasMessageContaining("must start with 'client-'");
    }

    @Test
    void refusesNullEventChannelAndData() {
        assertThatThrownBy(() -> ClientEvents.validate("private-a", null, "{}")).isInstanceOf(InvalidClientEventException.class);
        assertThatThrownBy(() -> ClientEvents.validate(null, "client-a", "{}")).isInstanceOf(InvalidClientEventException.class)
                .hasMessageContaining("needs a channel");
        assertThatThrownBy(() -> ClientEvents.validate("private-a", "client-a", null)).isInstanceOf(InvalidClientEventException.class)
                .hasMessageContaining("needs data");
    }

    @ParameterizedTest
    @ValueSource(strings = {"public", "cache-a", "private", "presence"})
    void refusesPublicChannels(String channel) {
        assertThatThrownBy(() -> ClientEvents.validate(channel, "client-a", "{}"))
                .isInstanceOf(InvalidClientEventException.class).hasMessageContaining("is public");
    }

    @ParameterizedTest
    @ValueSource(strings = {"private-encrypted-a", "private-encrypted-cache-a"})
    void refusesEncryptedChannelsSayingWhy(String channel) {
        assertThatThrownBy(() -> ClientEvents.validate(channel, "client-a", "{}"))
                .isInstanceOf(InvalidClientEventException.class).hasMessageContaining("not supported on encrypted channel");
    }

    @Test
    void refusesServerToUserChannels() {
        assertThatThrownBy(() -> ClientEvents.validate("#server-to-user-1", "client-a", "{}"))
                .isInstanceOf(InvalidClientEventException.class).hasMessageContaining("server-to-user");
    }

    @Test
    void dataLimitIsTenKilobytesOfUtf8() {
        String ascii = "\"" + "a".repeat(10 * 1024 - 2) + "\"";
        assertThatCode(() -> ClientEvents.validate("private-a", "client-a", ascii)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ClientEvents.validate("private-a", "client-a", ascii + " "))
                .isInstanceOf(InvalidClientEventException.class).hasMessageContaining("10241 bytes").hasMessageContaining("at most 10240");
    }

    @Test
    void dataLimitCountsBytesNotChars() {
        // 'é' is 2 bytes, '€' 3, '😀' 4 (2 chars): each string is under 10240 chars but over 10240 bytes.
        String twoByte = "\"" + "é".repeat(5119) + "\"";   // 2 + 10238 = 10240 bytes
        assertThatCode(() -> ClientEvents.validate("presence-a", "client-a", twoByte)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ClientEvents.validate("presence-a", "client-a", twoByte + "a"))
                .isInstanceOf(InvalidClientEventException.class).hasMessageContaining("10241 bytes");
        String threeByte = "\"" + "€".repeat(3412) + "\"";  // 2 + 10236 = 10238 bytes, 3414 chars
        assertThatCode(() -> ClientEvents.validate("presence-a", "client-a", threeByte)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ClientEvents.validate("presence-a", "client-a", threeByte + "€"))
                .isInstanceOf(InvalidClientEventException.class).hasMessageContaining("10241 bytes");
        String fourByte = "\"" + "😀".repeat(2559) + "\"";  // 2 + 10236 = 10238 bytes
        assertThatCode(() -> ClientEvents.validate("presence-a", "client-a", fourByte + "ab")).doesNotThrowAnyException();
        assertThatThrownBy(() -> ClientEvents.validate("presence-a", "client-a", fourByte + "😀"))
                .isInstanceOf(InvalidClientEventException.class).hasMessageContaining("10242 bytes");
    }

    @Test
    void utf8LengthMatchesTheJdkEncoder() {
        for (String s : new String[] {"", "a", "é", "€", "😀", "a\ud800b", "\udc00", "日本語", "\u007f\u0080\u07ff\u0800\uffff"}) {
            org.assertj.core.api.Assertions.assertThat(ClientEvents.utf8Length(s))
                    .isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }
}
