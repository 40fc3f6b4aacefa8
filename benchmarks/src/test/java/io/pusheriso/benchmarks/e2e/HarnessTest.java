package io.pusheriso.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pusheriso.benchmarks.Frames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fast correctness checks of the end-to-end harness: every frame the server floods is counted, exactly once. */
class HarnessTest {

    private static BenchServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = new BenchServer(1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void parsesTheIntendedTimeFromDataAndFromRawFrames() {
        assertThat(Sink.parseT("{\"t\":1234567,\"pad\":\"x\"}")).isEqualTo(1234567L);
        String raw = "{\"event\":\"order-updated\",\"channel\":\"c\",\"data\":\"{\\\"t\\\":987654321,\\\"pad\\\":\\\"x\\\"}\"}";
        assertThat(Sink.parseT(raw)).isEqualTo(987654321L);
        assertThat(Sink.parseT(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8))).isEqualTo(987654321L);
        // "event": ends in t": but is not the t field; frames without t are not timestamped.
        assertThat(Sink.parseT("{\"event\":\"pusher:connection_established\",\"data\":\"{}\"}")).isEqualTo(-1L);
    }

    @Test
    void xhrLinesCarryTheFrameAsAJsonStringInAnArray() throws Exception {
        byte[] frame = Frames.load("public");
        String line = BenchServer.xhrLine(new String(frame, StandardCharsets.UTF_8));
        assertThat(line).startsWith("a[").endsWith("]\n");
        String[] decoded = new ObjectMapper().readValue(line.substring(1), String[].class);
        assertThat(decoded).containsExactly(new String(frame, StandardCharsets.UTF_8));
        ByteBuf lines = BenchServer.encodeXhrLines(frame, 3);
        assertThat(lines.readableBytes()).isEqualTo(3 * line.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void rawNettyClientCountsEveryFloodedFrame() throws Exception {
        assertCountsEveryFrame("raw-netty");
    }

    @Test
    void pusherIsoOverNettyDeliversEveryFloodedFrameToItsListener() throws Exception {
        assertCountsEveryFrame("ours-netty");
    }

    private static void assertCountsEveryFrame(String kindName) throws Exception {
        ByteBuf chunk = BenchServer.encodeFrames(Frames.load("public"), 64);
        try (Clients.Kind kind = Clients.byName(kindName)) {
            Sink sink = new Sink();
            Clients.Conn conn = kind.open(server.port(), List.of(BenchServer.CHANNEL), sink, Clients.Mode.COUNT,
                    () -> {});
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().size() == 1);
                sink.expect(64 * 20);
                server.flood(server.connections().get(0), chunk, 20).get(10, TimeUnit.SECONDS);
                assertThat(sink.await(10, TimeUnit.SECONDS)).isPositive();
                assertThat(sink.count()).isEqualTo(64 * 20);
            } finally {
                conn.close();
            }
            // the next test expects one connection again: wait for this one to go
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().isEmpty());
        }
    }
}
