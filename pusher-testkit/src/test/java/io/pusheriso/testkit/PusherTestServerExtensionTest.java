package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PusherTestServerExtensionTest {
    @RegisterExtension
    static final PusherTestServerExtension SERVER =
            new PusherTestServerExtension(PusherTestServer.builder().appKey("ext-key"));

    static PusherTestServer first;

    @Test
    @Order(1)
    void startsTheServerWithTheBuilderSettingsAndLeavesAFaultOn() {
        first = SERVER.server();
        assertThat(first.appKey()).isEqualTo("ext-key");
        SERVER.server().faults().stopAnsweringPings(true);
    }

    @Test
    @Order(2)
    void resetsFaultsBeforeEachTestAndKeepsTheSameServer() {
        assertThat(SERVER.server()).isSameAs(first);
        try (WsClient client = WsClient.connected(SERVER.server().wsUri())) {
            client.sync();
        }
    }

    @Test
    void serverOutsideTheLifecycleFailsClearly() {
        PusherTestServerExtension unused = new PusherTestServerExtension();
        assertThatThrownBy(unused::server).isInstanceOf(IllegalStateException.class).hasMessageContaining("static");
    }

    @Nested
    class Inner {
        @Test
        void nestedClassesShareTheServer() {
            assertThat(SERVER.server().appKey()).isEqualTo("ext-key");
            try (WsClient client = WsClient.connected(SERVER.server().wsUri())) {
                assertThat(client.socketId()).isNotEmpty();
            }
        }
    }
}
