package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FaultsTest {
    @RegisterExtension
    static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

    private static PusherTestServer server() {
        return SERVER.server();
    }

    @Test
    void dropAllConnectionsClosesWithoutACloseFrame() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            server().faults().dropAllConnections();
            int code = client.awaitClose();
            // The JDK reports a TCP close without a close frame as an error or as 1006, never as a code we sent.
            assertThat(code).isIn(-1, 1006);
            await().atMost(WsClient.WAIT).until(() -> server().connectionCount() == 0);
        }
    }

    @Test
    void closeAllSendsTheCode() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            server().faults().closeAll(4200, "reconnect now");
            assertThat(client.awaitClose()).isEqualTo(4200);
            assertThat(client.closeReason()).isEqualTo("reconnect now");
        }
    }

    @Test
    void closeAllRejectsCodesAFrameCannotCarry() {
        assertThatThrownBy(() -> server().faults().closeAll(1006, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1006");
    }

    @Test
    void sendRawDeliversAnyText() {
        try (WsClient a = WsClient.connected(server().wsUri()); WsClient b = WsClient.connected(server().wsUri())) {
            server().faults().sendRaw(a.socketId(), "{not json");
            a.awaitMessage(m -> m.isTextual() && m.asText().equals("{not json"));
            server().faults().sendRawToAll("{\"event\":\"raw\"}");
            a.awaitEvent("raw", null);
            b.awaitEvent("raw", null);
            assertThat(b.messages).doesNotContain("{not json");
        }
        assertThatThrownBy(() -> server().faults().sendRaw("0.0", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void halfOpenStopsReadingAndWritingUntilLifted() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            client.subscribe("ho", null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "ho");
            String socketId = client.socketId();
            int framesBefore = server().framesReceivedFrom(socketId).size();

            server().faults().halfOpen(true);
            server().trigger("ho", "lost", "{}");
            client.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            // A new connection's handshake is held too, while the old one stays open (no FIN).
            var pending = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(server().wsUri(), new java.net.http.WebSocket.Listener() { });
            await().during(Duration.ofMillis(300)).atMost(WsClient.WAIT)
                    .until(() -> !client.isTerminated() && !pending.isDone() && client.events("pusher:pong").isEmpty());
            assertThat(server().framesReceivedFrom(socketId)).hasSize(framesBefore);
            assertThat(client.events("lost")).isEmpty();

            server().faults().halfOpen(false);
            pending.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join().abort();
            // Frames read after the fault: the ping sent meanwhile is answered now; the event sent meanwhile stayed lost.
            client.awaitEvent("pusher:pong", null);
            server().trigger("ho", "after", "{}");
            client.awaitEvent("after", "ho");
            assertThat(client.events("lost")).isEmpty();
        }
    }

    @Test
    void refusedConnectionsAreAcceptedThenClosed() throws Exception {
        server().faults().refuseNewConnections(true);
        assertThatThrownBy(() -> WsClient.connect(server().wsUri())).isInstanceOf(CompletionException.class);
        try (Socket raw = new Socket("127.0.0.1", server().port())) {
            raw.setSoTimeout(5000);
            assertThat(raw.getInputStream().read()).as("accepted, then closed: EOF").isEqualTo(-1);
        }
        server().faults().refuseNewConnections(false);
        try (WsClient ok = WsClient.connected(server().wsUri())) {
            assertThat(ok.socketId()).isNotEmpty();
        }
    }

    @Test
    void delayedHandshakesTakeAtLeastTheDelay() {
        server().faults().delayNewConnections(Duration.ofMillis(400));
        long start = System.nanoTime();
        try (WsClient client = WsClient.connected(server().wsUri())) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(client.socketId()).isNotEmpty();
        }
        server().faults().delayNewConnections(Duration.ZERO);
        assertThatThrownBy(() -> server().faults().delayNewConnections(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stoppedPingsGoUnanswered() {
        try (WsClient client = WsClient.connected(server().wsUri())) {
            server().faults().stopAnsweringPings(true);
            client.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            client.subscribe("after-ping", null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "after-ping");
            assertThat(client.events("pusher:pong")).isEmpty();
            client.sendPingFrame();
            client.subscribe("after-ping-frame", null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "after-ping-frame");
            assertThat(client.pongFrames()).as("WebSocket ping frames go unanswered too").isZero();
            server().faults().stopAnsweringPings(false);
            client.sync();
            client.sendPingFrame();
            await().atMost(WsClient.WAIT).until(() -> client.pongFrames() == 1);
        }
    }

    @Test
    void resetTurnsEverythingOff() {
        server().faults().refuseNewConnections(true);
        server().faults().stopAnsweringPings(true);
        server().faults().delayNewConnections(Duration.ofSeconds(30));
        server().faults().halfOpen(true);
        server().faults().reset();
        try (WsClient client = WsClient.connected(server().wsUri())) {
            client.sync();
        }
        HttpResponse<String> r = Http.postForm(server().authEndpoint(), Map.of("socket_id", "1.1", "channel_name", "private-x"));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void faultsDoNotBreakTheHttpApi() {
        server().faults().halfOpen(true);
        try {
            HttpResponse<String> r = Http.postEvents(server(), server().appSecret(),
                    "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"{}\"}");
            assertThat(r.statusCode()).isEqualTo(200);
        } finally {
            server().faults().halfOpen(false);
        }
    }
}
