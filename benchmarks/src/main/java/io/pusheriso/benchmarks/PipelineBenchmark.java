package io.pusheriso.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.impl.ChannelImpl;
import com.pusher.client.crypto.nacl.SecretBoxOpener;
import io.pusheriso.PrivateChannel;
import io.pusheriso.protocol.FrameCodec;
import io.pusheriso.protocol.PusherFrame;
import io.pusheriso.protocol.state.ConnectionEffects;
import io.pusheriso.protocol.state.ConnectionSettings;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.protocol.state.ConnectionStateMachine;
import io.pusheriso.protocol.state.ConnectionTimer;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * M2-M8 of reference/performance.md: what one received (or sent) message costs past the envelope decode, with the
 * peers in the same run. "ours" is a whole pusher-iso {@code Pusher} fed through a direct transport
 * ({@link OursRig}: decode, state-machine bookkeeping, routing, listeners on the calling thread); "pjc" is
 * pusher-java-client 2.4.4's {@code WebSocketConnection.onMessage(String)} and the channel classes as shipped, with
 * only its event-thread hop made direct ({@link PjcRig}, a lower bound of pjc); "jackson" is a hand-written
 * Jackson-streaming client (parse the envelope, keep data as a String, look up channel and event in HashMaps).
 *
 * <p>Thread-safety: JMH state, one benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PipelineBenchmark {

    static final String ORDERS = "orders-eu-west-1";
    static final String PRESENCE = "presence-room-42";
    static final String ENCRYPTED = "private-encrypted-ticket-77";
    static final String FLEET = "private-fleet-ops";
    static final String CHAT = "private-chat-9";
    static final String CLIENT_DATA = "{\"user\":\"u-18427\",\"typing\":true,\"at\":1764268928000}";
    static final int MIX = 1000;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = new JsonFactory();

    byte[] f1;
    String f1Text;
    byte[] f2;
    String f2Text;
    byte[] f3;
    String f3Text;

    OursRig ours1;
    OursRig ours10;
    PjcRig pjc1;
    PjcRig pjc10;
    PjcRig.Counting pjcListener = new PjcRig.Counting();
    long oursEvents;

    PrivateChannel oursChat;
    com.pusher.client.channel.PrivateChannel pjcChat;
    ChannelImpl pjcOrders;

    // encrypted floors
    byte[] key;
    byte[] nonce;
    byte[] boxed;
    SecretBoxOpener tweetNacl;
    final XSalsa20Engine xsalsa = new XSalsa20Engine();
    final Poly1305 poly = new Poly1305();

    // state machine
    ConnectionStateMachine machine;
    PusherFrame f1Frame;
    long now = 1_000;
    MethodHandle pjcActivity;

    // the mix
    byte[][] mixBytes;
    String[] mixText;

    // jackson peer: channel -> event -> listeners
    final Map<String, Map<String, List<Consumer<String>>>> jacksonRoutes = new HashMap<>();
    long jacksonEvents;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        f1 = Frames.load("public");
        f1Text = new String(f1, StandardCharsets.UTF_8);
        f2 = Frames.load("presence_added");
        f2Text = new String(f2, StandardCharsets.UTF_8);
        f3 = Frames.load("encrypted");
        f3Text = new String(f3, StandardCharsets.UTF_8);

        ours1 = new OursRig();
        ours1.subscribe(ORDERS).bind("order-updated", e -> oursEvents++);
        ours1.subscribe(PRESENCE).bind("pusher:member_added", e -> oursEvents++);
        ours1.subscribe(ENCRYPTED).bind("chat-message", e -> oursEvents += e.data().length() > 0 ? 1 : 0);
        ours1.subscribe(FLEET).bind("manifest-updated", e -> oursEvents++);
        oursChat = (PrivateChannel) ours1.subscribe(CHAT);
        ours10 = new OursRig();
        io.pusheriso.Channel o10 = ours10.subscribe(ORDERS);
        for (int i = 0; i < 10; i++) {
            o10.bind("order-updated", e -> oursEvents++);
        }

        pjc1 = new PjcRig();
        pjcOrders = (ChannelImpl) pjc1.subscribe(ORDERS, pjcListener, "order-updated");
        pjc1.subscribe(PRESENCE, pjcListener);
        pjc1.subscribe(ENCRYPTED, pjcListener, "chat-message");
        pjc1.subscribe(FLEET, pjcListener, "manifest-updated");
        pjcChat = (com.pusher.client.channel.PrivateChannel) pjc1.subscribe(CHAT, pjcListener);
        pjc10 = new PjcRig();
        com.pusher.client.channel.Channel p10 = pjc10.subscribe(ORDERS, new PjcRig.Counting());
        for (int i = 0; i < 10; i++) {
            // pjc keeps listeners in a Set: 10 distinct listener objects.
            p10.bind("order-updated", new PjcRig.Counting());
        }

        // Encrypted floors: the F3 nonce and box, and the same key.
        key = Base64.getDecoder().decode(OursRig.SHARED_SECRET);
        JsonNode data = MAPPER.readTree(MAPPER.readTree(f3).get("data").asText());
        nonce = Base64.getDecoder().decode(data.get("nonce").asText());
        boxed = Base64.getDecoder().decode(data.get("ciphertext").asText());
        tweetNacl = new SecretBoxOpener(key.clone());

        // State machine alone, connected, fed a decoded frame.
        machine = new ConnectionStateMachine(ConnectionSettings.defaults(), new NoEffects());
        machine.connect(0);
        machine.transportOpened(1);
        machine.frameReceived(FrameCodec.decode(("{\"event\":\"pusher:connection_established\",\"data\":"
                + "\"{\\\"socket_id\\\":\\\"1.2\\\",\\\"activity_timeout\\\":120}\"}").getBytes(StandardCharsets.UTF_8)), 2);
        if (machine.state() != ConnectionState.CONNECTED) {
            throw new IllegalStateException("state machine not connected: " + machine.state());
        }
        f1Frame = FrameCodec.decode(f1);
        f1Frame.event();
        // pjc's per-message bookkeeping: WebSocketConnection.activityTimer.activity() (private; reached by reflection)
        Field timerField = pjc1.receiver.getClass().getDeclaredField("activityTimer");
        timerField.setAccessible(true);
        Object timer = timerField.get(pjc1.receiver);
        java.lang.reflect.Method activity = timer.getClass().getDeclaredMethod("activity");
        activity.setAccessible(true);
        pjcActivity = MethodHandles.lookup().unreflect(activity).bindTo(timer)
                .asType(MethodType.methodType(void.class));

        // The 1,000-frame mix (F5): 80 % F1, 10 % F2, 5 % F3, 2 % pong, 2 % subscription_count, 1 % F4.
        byte[] pong = "{\"event\":\"pusher:pong\",\"data\":\"{}\"}".getBytes(StandardCharsets.UTF_8);
        byte[] count = ("{\"event\":\"pusher_internal:subscription_count\",\"channel\":\"" + ORDERS
                + "\",\"data\":\"{\\\"subscription_count\\\":42}\"}").getBytes(StandardCharsets.UTF_8);
        byte[] large = Frames.load("large");
        List<byte[]> mix = new ArrayList<>();
        add(mix, f1, 800);
        add(mix, f2, 100);
        add(mix, f3, 50);
        add(mix, pong, 20);
        add(mix, count, 20);
        add(mix, large, 10);
        Collections.shuffle(mix, new Random(42));
        mixBytes = mix.toArray(new byte[0][]);
        mixText = new String[MIX];
        for (int i = 0; i < MIX; i++) {
            mixText[i] = new String(mixBytes[i], StandardCharsets.UTF_8);
        }
        for (String ch : List.of(ORDERS, PRESENCE, ENCRYPTED, FLEET)) {
            Map<String, List<Consumer<String>>> byEvent = new HashMap<>();
            for (String ev : List.of("order-updated", "pusher:member_added", "chat-message", "manifest-updated")) {
                byEvent.put(ev, List.of(d -> jacksonEvents++));
            }
            jacksonRoutes.put(ch, byEvent);
        }

        crossCheck();
    }

    private static void add(List<byte[]> mix, byte[] frame, int n) {
        for (int i = 0; i < n; i++) {
            mix.add(frame);
        }
    }

    /** Fails the trial unless every path really delivers (and decrypts) what it is fed. */
    private void crossCheck() throws Exception {
        long before = oursEvents;
        ours1.feed(f1);
        ours1.feed(f2);
        ours1.feed(f3);
        ours10.feed(f1);
        if (oursEvents - before != 13) {
            throw new IllegalStateException("ours delivered " + (oursEvents - before) + " events, expected 13");
        }
        long pBefore = pjcListener.events;
        pjc1.feed(f1Text);
        pjc1.feed(f2Text);
        pjc1.feed(f3Text);
        if (pjcListener.events - pBefore != 3) {
            throw new IllegalStateException("pjc delivered " + (pjcListener.events - pBefore) + ", expected 3");
        }
        String plain = secretboxOpenBc();
        String pjcPlain = tweetNacl.open(boxed, nonce);
        String[] oursPlain = new String[1];
        io.pusheriso.PusherEventListener probe = ours1.pusher().channel(ENCRYPTED).orElseThrow()
                .bind("chat-message", e -> oursPlain[0] = e.data());
        ours1.feed(f3);
        ours1.pusher().channel(ENCRYPTED).orElseThrow().unbind("chat-message", probe);
        if (!plain.equals(pjcPlain) || !plain.equals(oursPlain[0])) {
            throw new IllegalStateException("plaintexts differ: bc=" + plain + " pjc=" + pjcPlain + " ours="
                    + oursPlain[0]);
        }
        before = oursEvents;
        for (byte[] b : mixBytes) {
            ours1.feed(b);
        }
        long oursMix = oursEvents - before;
        pBefore = pjcListener.events;
        for (String t : mixText) {
            pjc1.feed(t);
        }
        long pjcMix = pjcListener.events - pBefore;
        long jBefore = jacksonEvents;
        mix_jackson();
        long jMix = jacksonEvents - jBefore;
        // 800 F1 + 100 member_added + 50 encrypted + 10 large
        if (oursMix != 960 || pjcMix != 960 || jMix != 960) {
            throw new IllegalStateException("mix delivered ours=" + oursMix + " pjc=" + pjcMix + " jackson=" + jMix
                    + ", expected 960 each");
        }
        ours1.clearSent();
        oursChat.trigger("client-typing", CLIENT_DATA);
        pjcChat.trigger("client-typing", CLIENT_DATA);
        if (ours1.sent.isEmpty() || pjc1.sent().size() < 1) {
            throw new IllegalStateException("client events were not sent");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ours1.close();
        ours10.close();
        pjc1.close();
        pjc10.close();
    }

    // ------------------------------------------------------------------ M2 lazy data

    /** Envelope only: {@code data} stays undecoded (lazy). */
    @Benchmark
    public void data_ours_unused(Blackhole bh) {
        PusherFrame f = FrameCodec.decode(f1);
        bh.consume(f.event());
        bh.consume(f.channel());
    }

    /** Envelope and the unescaped {@code data} string. */
    @Benchmark
    public String data_ours_used() {
        PusherFrame f = FrameCodec.decode(f1);
        return f.data();
    }

    /** pjc: parse (tree) and {@code getData()}. */
    @Benchmark
    public String data_pjc_getData() {
        return PusherEvent.fromJson(f1Text).getData();
    }

    /** pusher-js style, eager: a tree of the frame and a second parse of data into a tree (Jackson). */
    @Benchmark
    public JsonNode data_jackson_eagerTree() throws IOException {
        return MAPPER.readTree(MAPPER.readTree(f1).get("data").asText());
    }

    // ------------------------------------------------------------------ M6 dispatch (whole receive path)

    @Benchmark
    public void dispatch1_ours() {
        ours1.feed(f1);
    }

    @Benchmark
    public void dispatch1_pjc() {
        pjc1.feed(f1Text);
    }

    @Benchmark
    public void dispatch1_jackson() throws IOException {
        jacksonDispatch(f1);
    }

    @Benchmark
    public void dispatch10_ours() {
        ours10.feed(f1);
    }

    @Benchmark
    public void dispatch10_pjc() {
        pjc10.feed(f1Text);
    }

    // ------------------------------------------------------------------ M3 presence member_added

    @Benchmark
    public void presence_ours() {
        ours1.feed(f2);
    }

    @Benchmark
    public void presence_pjc() {
        pjc1.feed(f2Text);
    }

    // ------------------------------------------------------------------ M4 encrypted event

    @Benchmark
    public void encrypted_ours() {
        ours1.feed(f3);
    }

    @Benchmark
    public void encrypted_pjc() {
        pjc1.feed(f3Text);
    }

    /** The floor: secretbox open (XSalsa20 + Poly1305, Bouncy Castle, engines reused) and the UTF-8 String. */
    @Benchmark
    public String encrypted_floor_bcOpen() {
        return secretboxOpenBc();
    }

    /** pjc's TweetNaclFast open with a reused opener (pjc itself makes a new SecretBox per message). */
    @Benchmark
    public String encrypted_floor_tweetNaclOpen() {
        return tweetNacl.open(boxed, nonce);
    }

    private String secretboxOpenBc() {
        xsalsa.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] polyKey = new byte[32];
        xsalsa.processBytes(polyKey, 0, 32, polyKey, 0);
        poly.init(new KeyParameter(polyKey));
        poly.update(boxed, 16, boxed.length - 16);
        byte[] mac = new byte[16];
        poly.doFinal(mac, 0);
        if (!MessageDigest.isEqual(mac, java.util.Arrays.copyOf(boxed, 16))) {
            throw new IllegalStateException("bad tag");
        }
        byte[] out = new byte[boxed.length - 16];
        xsalsa.processBytes(boxed, 16, out.length, out, 0);
        return new String(out, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ M5 encoding

    @Benchmark
    public String encode_subscribe_ours() {
        return FrameCodec.subscribe(ORDERS, null, null);
    }

    @Benchmark
    public String encode_subscribe_pjc() {
        return pjcOrders.toSubscribeMessage();
    }

    @Benchmark
    public String encode_subscribe_jackson() throws IOException {
        return MAPPER.writeValueAsString(Map.of("event", "pusher:subscribe", "data", Map.of("channel", ORDERS)));
    }

    /** The codec alone: a client event with its data validated as one JSON value and embedded. */
    @Benchmark
    public String encode_clientEvent_ours() {
        return FrameCodec.clientEvent(CHAT, "client-typing", CLIENT_DATA);
    }

    /** The public API: {@code PrivateChannel.trigger} (checks, encode, send on the transport). */
    @Benchmark
    public void encode_clientEvent_ours_trigger() {
        oursChat.trigger("client-typing", CLIENT_DATA);
    }

    /** pjc's {@code PrivateChannelImpl.trigger} (checks, Gson encode, send on the connection). */
    @Benchmark
    public void encode_clientEvent_pjc_trigger() {
        pjcChat.trigger("client-typing", CLIENT_DATA);
    }

    @Benchmark
    public String encode_clientEvent_jackson() throws IOException {
        return MAPPER.writeValueAsString(Map.of("event", "client-typing", "channel", CHAT, "data",
                MAPPER.readTree(CLIENT_DATA)));
    }

    // ------------------------------------------------------------------ M7 per-message bookkeeping

    /** The state machine's work for one ordinary frame when connected (record activity, pass the frame on). */
    @Benchmark
    public void state_ours_frameReceived() {
        machine.frameReceived(f1Frame, now++);
    }

    /**
     * pjc's per-message bookkeeping: {@code ActivityTimer.activity()} cancels and reschedules its timer task. pjc's
     * timer executor keeps cancelled tasks queued until their delay (120 s) runs out, so millions of calls exhaust
     * the heap; the queue is purged every 65,536 calls (that amortised purge is included in the time).
     */
    @Benchmark
    public void state_pjc_activity() throws Throwable {
        pjcActivity.invokeExact();
        if ((++pjcActivityCalls & 0xFFFF) == 0) {
            pjc1.factory.timers.purge();
        }
    }

    long pjcActivityCalls;

    // ------------------------------------------------------------------ M8 the 1,000-frame mix (per frame)

    @Benchmark
    @OperationsPerInvocation(MIX)
    public void mix_ours() {
        for (byte[] b : mixBytes) {
            ours1.feed(b);
        }
    }

    @Benchmark
    @OperationsPerInvocation(MIX)
    public void mix_pjc() {
        for (String t : mixText) {
            pjc1.feed(t);
        }
    }

    /** Jackson streaming: parse the envelope (data as a String), route by channel and event; no crypto, no presence. */
    @Benchmark
    @OperationsPerInvocation(MIX)
    public void mix_jackson() throws IOException {
        for (byte[] b : mixBytes) {
            jacksonDispatch(b);
        }
    }

    private void jacksonDispatch(byte[] frame) throws IOException {
        String event = null;
        String channel = null;
        String data = null;
        try (JsonParser p = JSON.createParser(frame)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "event" -> event = p.getText();
                    case "channel" -> channel = p.getText();
                    case "data" -> data = p.getText();
                    default -> p.skipChildren();
                }
            }
        }
        if (channel == null) {
            return;
        }
        Map<String, List<Consumer<String>>> byEvent = jacksonRoutes.get(channel);
        if (byEvent == null) {
            return;
        }
        List<Consumer<String>> ls = byEvent.get(event.equals("pusher_internal:member_added") ? "pusher:member_added" : event);
        if (ls != null) {
            for (Consumer<String> l : ls) {
                l.accept(data);
            }
        }
    }

    /** Effects of the state machine benchmark: nothing to do. */
    static final class NoEffects implements ConnectionEffects {
        @Override
        public void openTransport(boolean tls) {}

        @Override
        public void closeTransport(int code, String reason) {}

        @Override
        public void send(String frame) {}

        @Override
        public void schedule(ConnectionTimer timer, long delayMillis) {}

        @Override
        public void cancel(ConnectionTimer timer) {}

        @Override
        public void stateChanged(ConnectionState previous, ConnectionState current) {}

        @Override
        public void connectingIn(long delayMillis) {}

        @Override
        public void connected(String socketId) {}

        @Override
        public void error(int code, String message) {}

        @Override
        public void message(PusherFrame frame) {}
    }
}
