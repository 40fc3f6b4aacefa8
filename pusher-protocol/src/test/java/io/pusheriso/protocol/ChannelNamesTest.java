package io.pusheriso.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelNamesTest {

    @ParameterizedTest
    @CsvSource({
        "my-channel, PUBLIC, false",
        "cache-x, PUBLIC, true",
        "private, PUBLIC, false",
        "privatex, PUBLIC, false",
        "presence, PUBLIC, false",
        "private-x, PRIVATE, false",
        "private-cache-x, PRIVATE, true",
        "private-encrypted, PRIVATE, false",
        "private-encryptedx, PRIVATE, false",
        "presence-x, PRESENCE, false",
        "presence-cache-x, PRESENCE, true",
        "private-encrypted-x, PRIVATE_ENCRYPTED, false",
        "private-encrypted-cache-x, PRIVATE_ENCRYPTED, true",
        "#server-to-user-42, SERVER_TO_USER, false",
        "#server-to-user, PUBLIC, false",
        "Private-x, PUBLIC, false",
        "x-private-y, PUBLIC, false",
        "x-cache-y, PUBLIC, false",
        "presence-private-x, PRESENCE, false",
    })
    void kindAndCacheFollowThePrefix(String name, ChannelKind kind, boolean cache) {
        assertThat(ChannelNames.kindOf(name)).isEqualTo(kind);
        assertThat(ChannelNames.isCache(name)).isEqualTo(cache);
    }

    @Test
    void kindsKnowAuthorizationAndClientEvents() {
        assertThat(ChannelKind.PUBLIC.requiresAuthorization()).isFalse();
        assertThat(ChannelKind.PRIVATE.requiresAuthorization()).isTrue();
        assertThat(ChannelKind.PRESENCE.requiresAuthorization()).isTrue();
        assertThat(ChannelKind.PRIVATE_ENCRYPTED.requiresAuthorization()).isTrue();
        assertThat(ChannelKind.SERVER_TO_USER.requiresAuthorization()).isFalse();
        assertThat(ChannelKind.PUBLIC.allowsClientEvents()).isFalse();
        assertThat(ChannelKind.PRIVATE.allowsClientEvents()).isTrue();
        assertThat(ChannelKind.PRESENCE.allowsClientEvents()).isTrue();
        assertThat(ChannelKind.PRIVATE_ENCRYPTED.allowsClientEvents()).isFalse();
        assertThat(ChannelKind.SERVER_TO_USER.allowsClientEvents()).isFalse();
    }

    @Test
    void nullHasNoKindAndIsNoCache() {
        assertThatThrownBy(() -> ChannelNames.kindOf(null)).isInstanceOf(InvalidChannelNameException.class);
        assertThat(ChannelNames.isCache(null)).isFalse();
    }

    @Test
    void lengthLimitIs164Characters() {
        String max = "private-" + "a".repeat(ChannelNames.MAX_LENGTH - 8);
        assertThat(max).hasSize(164);
        assertThat(ChannelNames.isValid(max)).isTrue();
        ChannelNames.validate(max);
        String over = max + "b";
        assertThat(ChannelNames.isValid(over)).isFalse();
        assertThatThrownBy(() -> ChannelNames.validate(over)).isInstanceOf(InvalidChannelNameException.class)
                .hasMessageContaining("165 characters").hasMessageContaining("at most 164");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "_", "-", "=", "@", ",", ".", ";", "abcXYZ019_-=@,.;",
        "presence-cache-a@b.c", "private-encrypted-cache-x;y", "cache-=", "private-a,b"})
    void acceptsEveryAllowedCharacter(String name) {
        assertThat(ChannelNames.isValid(name)).isTrue();
        ChannelNames.validate(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a/b", "a:b", "a#b", "a!b", "a?b", "a*b", "a+b", "a\"b", "a'b", "a\\b", "a\tb",
        "a\nb", "a%b", "a&b", "a(b", "a[b", "a{b", "a|b", "a~b", "a^b", "a$b", "a<b", "é", "a\u0000b", "日本", "😀"})
    void rejectsForbiddenCharactersNamingThemAndTheAllowedSet(String name) {
        assertThat(ChannelNames.isValid(name)).isFalse();
        assertThatThrownBy(() -> ChannelNames.validate(name)).isInstanceOf(InvalidChannelNameException.class)
                .hasMessageContaining("U+").hasMessageContaining("allowed characters are A-Z, a-z, 0-9 and _ - = @ , . ;");
    }

    @Test
    void rejectsNullEmptyAndHashPrefixed() {
        assertThatThrownBy(() -> ChannelNames.validate(null)).isInstanceOf(InvalidChannelNameException.class).hasMessageContaining("null");
        assertThatThrownBy(() -> ChannelNames.validate("")).isInstanceOf(InvalidChannelNameException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> ChannelNames.validate("#server-to-user-1")).isInstanceOf(InvalidChannelNameException.class)
                .hasMessageContaining("reserved for server-to-user channels");
        assertThat(ChannelNames.isValid(null)).isFalse();
        assertThat(ChannelNames.isValid("")).isFalse();
        assertThat(ChannelNames.isValid("#x")).isFalse();
    }

    @Test
    void invalidChannelNameIsAnIllegalArgument() {
        assertThat(new InvalidChannelNameException("m")).isInstanceOf(IllegalArgumentException.class).hasMessage("m");
    }
}
