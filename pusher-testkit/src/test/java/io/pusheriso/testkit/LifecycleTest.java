package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private static Set<Thread> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pusher-testkit-") && t.isAlive())
                .collect(Collectors.toSet());
    }

    @Test
    void closedServerLeavesNoThreadBehind() {
        Set<Thread> before = serverThreads();
        PusherTestServer server = PusherTestServer.start();
        try (WsClient client = WsClient.connected(server.wsUri())) {
            client.subscribe("x", null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "x");
            assertThat(serverThreads()).hasSizeGreaterThan(before.size());
            server.close();
            assertThat(client.awaitClose()).isNotNull();
        }
        Set<Thread> after = serverThreads();
        after.removeAll(before);
        assertThat(after).as("threads of the closed server").isEmpty();
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFailsClearly() {
        PusherTestServer server = PusherTestServer.start();
        server.close();
        server.close();
        assertThatThrownBy(() -> server.trigger("c", "e", "{}")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> server.sendToUser("u", "e", "{}")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builderRejectsBadSettings() {
        assertThatThrownBy(() -> PusherTestServer.builder().appKey("has space")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PusherTestServer.builder().appSecret("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PusherTestServer.builder().activityTimeoutSeconds(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PusherTestServer.builder().encryptionMasterKeyBase64("AAAA"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> PusherTestServer.builder().encryptionMasterKeyBase64("!!!"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PusherTestServer.builder().cacheTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PusherTestServer.builder().maxFrameBytes(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badTriggersFailWithIllegalArgument() {
        try (PusherTestServer server = PusherTestServer.start()) {
            assertThatThrownBy(() -> server.trigger(null, "e", "{}")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.trigger("bad name", "e", "{}")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.trigger("c", "", "{}")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.trigger("c", "e", null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.sendToUser("", "e", "{}")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void settingsAreVisibleAndSecretsStayOutOfToString() {
        String key = "bXktMzItYnl0ZS1lbmNyeXB0aW9uLW1hc3Rlci1rZXk=";
        try (PusherTestServer server = PusherTestServer.builder().appId("id1").appKey("key1").appSecret("s3cr3t-value")
                .encryptionMasterKeyBase64(key).start()) {
            assertThat(server.appId()).isEqualTo("id1");
            assertThat(server.appKey()).isEqualTo("key1");
            assertThat(server.appSecret()).isEqualTo("s3cr3t-value");
            assertThat(server.encryptionMasterKeyBase64()).isEqualTo(key);
            assertThat(server.host()).isEqualTo("127.0.0.1");
            assertThat(server.port()).isNotEqualTo(server.tlsPort());
            assertThat(server.wsUri().toString()).isEqualTo("ws://127.0.0.1:" + server.port()
                    + "/app/key1?protocol=7&client=java&version=test&flash=false");
            assertThat(server.wssUri().toString()).startsWith("wss://127.0.0.1:" + server.tlsPort() + "/app/key1?");
            assertThat(server.toString()).doesNotContain("s3cr3t").doesNotContain(key);
        }
    }

    @Test
    void oversizedMessagesCloseWith1009() {
        try (PusherTestServer server = PusherTestServer.builder().maxFrameBytes(2048).start();
                WsClient client = WsClient.connected(server.wsUri())) {
            client.send("{\"event\":\"x\",\"data\":\"" + "y".repeat(4096) + "\"}");
            assertThat(client.awaitClose()).isEqualTo(1009);
        }
    }
}
