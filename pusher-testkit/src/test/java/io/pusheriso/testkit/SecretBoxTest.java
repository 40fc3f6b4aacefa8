package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pusheriso.testkit.internal.SecretBox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    private static final Path VECTORS = Path.of("/work/shared/data/secretbox-vectors.json");

    @Test
    void sealMatchesEveryTweetnaclVectorAndOpensIt() throws Exception {
        JsonNode vectors = WsClient.JSON.readTree(Files.readString(VECTORS)).get("vectors");
        assertThat(vectors.size()).isGreaterThan(5);
        Base64.Decoder b64 = Base64.getDecoder();
        for (JsonNode v : vectors) {
            byte[] key = b64.decode(v.get("key").asText());
            byte[] nonce = b64.decode(v.get("nonce").asText());
            byte[] plaintext = b64.decode(v.get("plaintext").asText());
            byte[] expected = b64.decode(v.get("ciphertext").asText());
            assertThat(SecretBox.seal(key, nonce, plaintext)).as("vector %s", v).isEqualTo(expected);
            assertThat(SecretBox.open(key, nonce, expected)).isEqualTo(plaintext);
        }
    }

    @Test
    void openRejectsATamperedBoxAndBadLengths() {
        byte[] key = new byte[32];
        byte[] nonce = new byte[24];
        byte[] box = SecretBox.seal(key, nonce, "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        box[box.length - 1] ^= 1;
        assertThatThrownBy(() -> SecretBox.open(key, nonce, box)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.seal(new byte[31], nonce, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.seal(key, new byte[23], new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.open(key, nonce, new byte[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
