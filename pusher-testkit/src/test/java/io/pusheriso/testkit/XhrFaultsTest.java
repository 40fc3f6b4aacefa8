package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pusheriso.testkit.XhrClient.Mode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every fault of {@link PusherTestServer.Faults} on HTTP fallback sessions. */
class XhrFaultsTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(300);

    @RegisterExtension
    static final PusherTestServerExtension SERVER =
            new PusherTestServerExtension(PusherTestServer.builder().xhrHeartbeatInterval(HEARTBEAT));

    private static PusherTestServer server() {
        return SERVER.server();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void dropAllConnectionsCutsTheResponseAndForgetsTheSession(Mode mode) {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), mode)) {
            String socketId = client.socketId();
            // A poll that is open for sure: the answer to this ping was the last message.
            client.sync();
            server().faults().dropAllConnections();
            assertThat(client.awaitClose()).isEqualTo(1006);
            assertThat(client.frames('c')).isEmpty();
            await().atMost(XhrClient.WAIT).until(() -> !server().socketIds().contains(socketId));
            if (mode == Mode.STREAMING) {
                assertThat(client.closeReason()).isEqualTo("cut off");
                assertThat(client.sendBody("[]").status).isEqualTo(404);
            } else {
                // The poll in flight is cut; a poll that starts just after the drop opens a new session instead.
                assertThat(client.closeReason()).isIn("cut off", "Server lost session");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void closeAllSendsTheCodeAndReason(Mode mode) {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), mode)) {
            String socketId = client.socketId();
            client.subscribe("closing", null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "closing");
            server().faults().closeAll(4200, "reconnect now");
            assertThat(client.awaitClose()).isEqualTo(4200);
            assertThat(client.closeReason()).isEqualTo("reconnect now");
            assertThat(server().socketIds()).doesNotContain(socketId);
            assertThat(server().subscriberCount("closing")).isZero();
        }
    }

    @Test
    void sendRawReachesWsAndXhrAlike() {
        try (WsClient ws = WsClient.connected(server().wsUri());
                XhrClient xhr = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            server().faults().sendRawToAll("{\"event\":\"raw\"}");
            ws.awaitEvent("raw", null);
            xhr.awaitEvent("raw", null);
            server().faults().sendRaw(xhr.socketId(), "{not json");
            await().atMost(XhrClient.WAIT).until(() -> xhr.messages.contains("{not json"));
            assertThat(xhr.frames).contains("a[\"{not json\"]");
        }
    }

    @Test
    void sendRawHttpWritesVerbatim() {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            String socketId = client.socketId();
            server().faults().sendRawHttp(socketId, "zzz garbage\n");
            server().trigger("nothing", "x", "{}");
            server().faults().sendRaw(socketId, "after");
            await().atMost(XhrClient.WAIT).until(() -> client.messages.contains("after"));
            assertThat(client.frames).containsSubsequence("zzz garbage", "a[\"after\"]");
            server().faults().sendRawHttp(socketId, "o");
            server().faults().sendRawHttp(socketId, "{\"endless\":\"");
            await().atMost(XhrClient.WAIT).until(() -> client.current().partialLine().equals("o{\"endless\":\""));
        }
        try (WsClient ws = WsClient.connected(server().wsUri())) {
            assertThatThrownBy(() -> server().faults().sendRawHttp(ws.socketId(), "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WebSocket");
        }
        assertThatThrownBy(() -> server().faults().sendRawHttp("0.0", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void halfOpenHoldsRequestsAndWritesNothingUntilLifted() {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            client.subscribe("ho-xhr", null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "ho-xhr");
            String socketId = client.socketId();
            int framesBefore = server().framesReceivedFrom(socketId).size();

            server().faults().halfOpen(true);
            // One heartbeat may already be on its way when the fault starts.
            int heartbeats = client.frames('h').size() + 1;
            server().trigger("ho-xhr", "lost", "{}");
            CompletableFuture<HttpStream> ping = CompletableFuture.supplyAsync(
                    () -> client.sendBody("[\"{\\\"event\\\":\\\"pusher:ping\\\",\\\"data\\\":{}}\"]"));
            CompletableFuture<XhrClient> other = CompletableFuture.supplyAsync(
                    () -> XhrClient.connect(server().httpBaseUri(), Mode.STREAMING));
            await().during(HEARTBEAT.multipliedBy(3)).atMost(XhrClient.WAIT).until(() -> !ping.isDone() && !other.isDone()
                    && client.frames('h').size() <= heartbeats && client.messages.stream().noneMatch(m -> m.contains("lost")));
            assertThat(server().framesReceivedFrom(socketId)).hasSize(framesBefore);
            assertThat(client.isTerminated()).isFalse();

            server().faults().halfOpen(false);
            assertThat(ping.join().status).isEqualTo(204);
            client.awaitEvent("pusher:pong", null);
            try (XhrClient second = other.join()) {
                second.awaitEvent("pusher:connection_established", null);
            }
            await().atMost(XhrClient.WAIT).until(() -> client.frames('h').size() > heartbeats);
            assertThat(client.events("lost")).isEmpty();
        }
    }

    @Test
    void closeDuringHalfOpenCutsTheConnectionInsteadOfWritingTheCloseFrame() {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            String socketId = client.socketId();
            server().faults().halfOpen(true);
            server().faults().closeAll(4200, "unheard");
            assertThat(client.awaitClose()).isEqualTo(1006);
            assertThat(client.frames('c')).isEmpty();
            assertThat(server().socketIds()).doesNotContain(socketId);
        }
    }

    @Test
    void refuseNewConnectionsRefusesNewSessionsOnly() throws Exception {
        try (XhrClient open = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING);
                Socket kept = new Socket("127.0.0.1", server().port())) {
            server().faults().refuseNewConnections(true);
            // A connection accepted before: its request for a new session is answered by closing it.
            URI fresh = XhrClient.url(server().httpBaseUri(), XhrClient.newSessionPath(), "xhr_streaming");
            OutputStream out = kept.getOutputStream();
            out.write(("POST " + fresh.getRawPath() + "?" + fresh.getRawQuery() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = kept.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
            // A new TCP connection is closed at once.
            try (XhrClient refused = XhrClient.connect(server().httpBaseUri(), Mode.POLLING)) {
                assertThat(refused.awaitClose()).isIn(-1, 1006);
                assertThat(refused.frames('o')).isEmpty();
            }
            // The open session carries on (its sends travel on new connections, hence the lift first).
            server().faults().refuseNewConnections(false);
            open.sync();
            assertThat(open.isTerminated()).isFalse();
        }
    }

    @Test
    void delayNewConnectionsDelaysTheOpenFrame() {
        try (XhrClient open = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            server().faults().delayNewConnections(Duration.ofMillis(1500));
            long start = System.nanoTime();
            CompletableFuture<XhrClient> pending =
                    CompletableFuture.supplyAsync(() -> XhrClient.connect(server().httpBaseUri(), Mode.STREAMING));
            // Only new sessions wait: the open one answers meanwhile.
            open.sync();
            assertThat(pending).isNotDone();
            try (XhrClient client = pending.join()) {
                client.awaitEvent("pusher:connection_established", null);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1450));
                assertThat(client.frames('o')).hasSize(1);
            }
        }
    }

    @Test
    void stopAnsweringPingsLeavesHeartbeatsOn() {
        try (XhrClient client = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            server().faults().stopAnsweringPings(true);
            int heartbeats = client.frames('h').size();
            client.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            await().during(HEARTBEAT.multipliedBy(2)).atMost(XhrClient.WAIT)
                    .until(() -> client.events("pusher:pong").isEmpty());
            assertThat(client.frames('h').size()).isGreaterThan(heartbeats);
            server().faults().stopAnsweringPings(false);
            client.sync();
        }
    }

    @Test
    void refuseTransportMakesClientsFallBackAndTransportOfTellsWhichOneTheyUse() {
        try (WsClient ws = WsClient.connected(server().wsUri());
                XhrClient streaming = XhrClient.connected(server().httpBaseUri(), Mode.STREAMING)) {
            assertThat(server().transportOf(ws.socketId())).isEqualTo("ws");
            assertThat(server().transportOf(streaming.socketId())).isEqualTo("xhr_streaming");
            assertThat(server().transportOf("0.0")).isNull();

            server().faults().refuseTransport("ws", true);
            server().faults().refuseTransport("xhr_streaming", true);
            assertThatThrownBy(() -> WsClient.connect(server().wsUri())).hasStackTraceContaining("403");
            try (XhrClient refused = XhrClient.connect(server().httpBaseUri(), Mode.STREAMING)) {
                assertThat(refused.awaitClose()).isEqualTo(1006);
                assertThat(refused.closeReason()).isEqualTo("Connection interrupted (404)");
            }
            try (XhrClient polling = XhrClient.connected(server().httpBaseUri(), Mode.POLLING)) {
                assertThat(server().transportOf(polling.socketId())).isEqualTo("xhr_polling");
            }
            // Open connections carry on.
            ws.sync();
            streaming.sync();

            server().faults().refuseTransport("ws", false);
            WsClient.connected(server().wsUri()).close();
        }
        assertThatThrownBy(() -> server().faults().refuseTransport("xhr", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xhr_polling");
    }
}
