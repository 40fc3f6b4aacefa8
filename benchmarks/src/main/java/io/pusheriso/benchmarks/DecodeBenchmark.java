package io.pusheriso.benchmarks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pusher.client.channel.PusherEvent;
import io.pusheriso.protocol.FrameCodec;
import io.pusheriso.protocol.PusherFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * M1 of reference/performance.md: decoding one frame's envelope ({@code event}, {@code channel}, {@code user_id}),
 * with the peers measured in the same run on the same bytes.
 *
 * <ul>
 *   <li>{@code ours}: {@link FrameCodec#decode(byte[])}, then the three envelope fields; {@code data} stays lazy.
 *   <li>{@code ours_withData}: the same, and {@code data()} is read too (unescaped to a {@code String}).
 *   <li>{@code ours_string}: {@link FrameCodec#decode(CharSequence)} from a {@code String}, the like-for-like row
 *       for {@code pjc}, which starts from a {@code String} (its WebSocket library decodes the UTF-8 before).
 *   <li>{@code pjc}: pusher-java-client 2.4.4 as shipped, {@code PusherEvent.fromJson(String)} and its getters.
 *   <li>{@code jackson}: Jackson databind into a record with a shared {@code ObjectMapper}; it decodes
 *       {@code data} eagerly, so compare it with {@code ours_withData} as well.
 *   <li>{@code floor_scan}: one branchy pass over the bytes (counting quotes), the least any parser must do.
 *   <li>{@code floor_newString}: {@code new String(bytes, UTF_8)}, the first step of every String-based client.
 * </ul>
 *
 * <p>Thread-safety: JMH state; one instance per trial, used by one benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 6, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class DecodeBenchmark {

    /** What Jackson databind decodes into: the four envelope fields. */
    public record Envelope(
            @JsonProperty("event") String event,
            @JsonProperty("channel") String channel,
            @JsonProperty("data") String data,
            @JsonProperty("user_id") String userId) {}

    /** Shared and configured once, as any sensible Jackson user would. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The fixture, by id (see {@link Frames#ALL}). */
    @Param({"public", "presence_added", "encrypted", "large", "connection_established", "presence_snapshot"})
    public String fixture;

    private byte[] bytes;
    private String text;

    /** Loads the frame once and checks that every decoder reads the same envelope from it. */
    @Setup(Level.Trial)
    public void load() {
        bytes = Frames.load(fixture);
        text = new String(bytes, StandardCharsets.UTF_8);
        crossCheck();
    }

    /** Ours, from the wire bytes; {@code data} is not touched (it is decoded lazily). */
    @Benchmark
    public void ours(Blackhole bh) {
        PusherFrame frame = FrameCodec.decode(bytes);
        bh.consume(frame.event());
        bh.consume(frame.channel());
        bh.consume(frame.userId());
    }

    /** Ours, from the wire bytes, and the {@code data} string as well. */
    @Benchmark
    public void ours_withData(Blackhole bh) {
        PusherFrame frame = FrameCodec.decode(bytes);
        bh.consume(frame.event());
        bh.consume(frame.channel());
        bh.consume(frame.userId());
        bh.consume(frame.data());
    }

    /** Ours, from a {@code String}: the same input pusher-java-client gets. */
    @Benchmark
    public void ours_string(Blackhole bh) {
        PusherFrame frame = FrameCodec.decode(text);
        bh.consume(frame.event());
        bh.consume(frame.channel());
        bh.consume(frame.userId());
    }

    /** pusher-java-client 2.4.4 as shipped: a new Gson and a JsonObject tree per message. */
    @Benchmark
    public void pjc(Blackhole bh) {
        PusherEvent event = PusherEvent.fromJson(text);
        bh.consume(event.getEventName());
        bh.consume(event.getChannelName());
        bh.consume(event.getUserId());
    }

    /** Jackson databind into a record, with a shared mapper. */
    @Benchmark
    public void jackson(Blackhole bh) throws IOException {
        Envelope envelope = MAPPER.readValue(bytes, Envelope.class);
        bh.consume(envelope.event());
        bh.consume(envelope.channel());
        bh.consume(envelope.userId());
        bh.consume(envelope.data());
    }

    /** The floor: one pass over every byte with a branch per byte, as any scanner needs. */
    @Benchmark
    public int floor_scan() {
        int quotes = 0;
        for (byte b : bytes) {
            if (b == '"') {
                quotes++;
            }
        }
        return quotes;
    }

    /** The other floor: UTF-8 to a String, which String-based clients pay before parsing. */
    @Benchmark
    public String floor_newString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void crossCheck() {
        PusherFrame ours = FrameCodec.decode(bytes);
        PusherFrame oursFromText = FrameCodec.decode(text);
        PusherEvent pjc = PusherEvent.fromJson(text);
        Envelope jackson;
        try {
            jackson = MAPPER.readValue(bytes, Envelope.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Jackson cannot read fixture " + fixture, e);
        }
        same("event", ours.event(), oursFromText.event(), pjc.getEventName(), jackson.event());
        same("channel", ours.channel(), oursFromText.channel(), pjc.getChannelName(), jackson.channel());
        same("user_id", ours.userId(), oursFromText.userId(), pjc.getUserId(), jackson.userId());
        same("data", ours.data(), oursFromText.data(), pjc.getData(), jackson.data());
    }

    private void same(String field, String ours, String oursFromText, String pjc, String jackson) {
        if (!Objects.equals(ours, jackson) || !Objects.equals(oursFromText, jackson) || !Objects.equals(pjc, jackson)) {
            throw new IllegalStateException("decoders disagree on '" + field + "' of fixture " + fixture
                    + ": ours(byte[])=" + clip(ours) + ", ours(String)=" + clip(oursFromText) + ", pjc=" + clip(pjc)
                    + ", jackson=" + clip(jackson));
        }
    }

    private static String clip(String s) {
        return s == null || s.length() <= 120 ? s : s.substring(0, 120) + "...(" + s.length() + " chars)";
    }
}
