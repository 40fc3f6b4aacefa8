package io.pusheriso.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Coverage-guided fuzzing, with Jazzer, of every decoding entry point of {@link FrameCodec}, the lazy
 * data decoding and the typed views, and of the client-event encoder. The oracle: only a {@link
 * ProtocolException} with a message may come out (Jazzer reports any other throwable, an NPE,
 * ClassCastException, IndexOutOfBounds or StackOverflowError, as a finding), the byte, offset,
 * ByteBuffer (heap and direct) and text entry points agree, and an encoded client event decodes back
 * to what was encoded.
 *
 * <p>Two modes (jazzer-junit picks one from the {@code JAZZER_FUZZ} environment variable or system
 * property):
 *
 * <ul>
 *   <li>Regression (the default, so every build and CI): replays the inputs under {@code
 *       src/test/resources/io/pusheriso/protocol/FrameCodecJazzerFuzzTestInputs/<method>/} (the seed
 *       corpus, and every finding ever made, kept there as a regression input) and an empty input.
 *       Milliseconds.
 *   <li>Fuzzing, bounded by {@code maxDuration} (20 s): {@code mvn -B -o -pl pusher-protocol test
 *       -Dtest=FrameCodecJazzerFuzzTest#decodeAnyBytes -DJAZZER_FUZZ=1} (Jazzer fuzzes one test per
 *       run; the other is {@code #clientEventEncodesOrRefuses}). A finding is written as a new file
 *       into that method's inputs directory, so that every later regression run replays it; the
 *       corpus Jazzer grows goes to {@code .cifuzz-corpus/} in the module, not to be committed. The
 *       fuzzing JVM takes about 2 GB of memory.
 * </ul>
 */
class FrameCodecJazzerFuzzTest {

    private static final List<Function<PusherFrame, ?>> VIEWS =
            List.of(
                    ConnectionEstablished::from,
                    PusherError::from,
                    PresenceSnapshot::from,
                    MemberChange::from,
                    SubscriptionCount::from,
                    SubscriptionError::from,
                    SigninSuccess::from,
                    WatchlistEvents::from,
                    EncryptedPayload::from,
                    f -> ChannelData.parse(f.data()),
                    f -> UserData.parse(f.data()));

    @FuzzTest(maxDuration = "20s")
    void decodeAnyBytes(byte[] input) {
        PusherFrame fromBytes = attempt(() -> FrameCodec.decode(input));

        byte[] padded = new byte[input.length + 2];
        System.arraycopy(input, 0, padded, 1, input.length);
        padded[0] = '{';
        padded[padded.length - 1] = '"';
        PusherFrame fromSlice = attempt(() -> FrameCodec.decode(padded, 1, input.length));

        ByteBuffer direct = ByteBuffer.allocateDirect(input.length);
        direct.put(input).flip();
        PusherFrame fromDirect = attempt(() -> FrameCodec.decode(direct));
        if (direct.position() != 0) {
            throw new AssertionError("decode(ByteBuffer) moved the position");
        }
        PusherFrame fromHeap =
                attempt(() -> FrameCodec.decode(ByteBuffer.wrap(padded, 1, input.length).slice()));
        if (!Objects.equals(fromSlice, fromBytes)
                || !Objects.equals(fromDirect, fromBytes)
                || !Objects.equals(fromHeap, fromBytes)) {
            throw new AssertionError(
                    "entry points disagree on "
                            + Arrays.toString(input)
                            + ": "
                            + fromBytes
                            + " / "
                            + fromSlice
                            + " / "
                            + fromDirect
                            + " / "
                            + fromHeap);
        }

        String text = new String(input, StandardCharsets.UTF_8);
        PusherFrame fromText = attempt(() -> FrameCodec.decode(text));
        if (fromBytes != null && !fromBytes.equals(fromText)) {
            throw new AssertionError("bytes decode but text does not agree: " + Arrays.toString(input));
        }
        if (fromBytes != null) {
            exercise(fromBytes);
        } else if (fromText != null) {
            // Bytes that are not UTF-8 may still make valid text once decoded with replacements.
            exercise(fromText);
        }
    }

    /**
     * The encoder with a caller's JSON: {@link FrameCodec#clientEvent} either refuses {@code
     * dataJson} with a ProtocolException, or writes a frame that decodes back to the same event,
     * channel and data value.
     */
    @FuzzTest(maxDuration = "20s")
    void clientEventEncodesOrRefuses(FuzzedDataProvider in) {
        String channel = in.consumeString(40);
        String event = in.consumeString(40);
        String dataJson = in.consumeRemainingAsString();
        String frame;
        try {
            frame = FrameCodec.clientEvent(channel, event, dataJson);
        } catch (ProtocolException refused) {
            requireMessage(refused);
            return;
        }
        PusherFrame back;
        try {
            back = FrameCodec.decode(frame);
        } catch (ProtocolException e) {
            throw new AssertionError("clientEvent wrote a frame the codec cannot read: " + frame, e);
        }
        if (!back.event().equals(event)
                || !channel.equals(back.channel())
                || !dataJson.strip().equals(back.rawData())) {
            throw new AssertionError("round trip changed the frame: " + frame);
        }
        exercise(back);
    }

    private static void exercise(PusherFrame f) {
        Objects.requireNonNull(f.event(), "event");
        f.channel();
        f.userId();
        String data = f.data();
        String raw = f.rawData();
        if ((data == null) != (raw == null)) {
            throw new AssertionError("data and rawData disagree on presence: " + f);
        }
        if (f.hasData() && data == null) {
            throw new AssertionError("hasData but no data: " + f);
        }
        // toString never shows data (it may hold secrets); it does show the event and channel names.
        String names = f.event() + "\u0000" + f.channel();
        if (data != null
                && data.length() > 8
                && f.toString().contains(data)
                && !names.contains(data)) {
            throw new AssertionError("toString shows the data");
        }
        f.hashCode();
        for (Function<PusherFrame, ?> view : VIEWS) {
            try {
                Object v = view.apply(f);
                Objects.requireNonNull(v, "a view returned null");
                v.toString();
            } catch (ProtocolException expected) {
                requireMessage(expected);
            }
        }
    }

    private static PusherFrame attempt(java.util.function.Supplier<PusherFrame> decode) {
        try {
            return decode.get();
        } catch (ProtocolException e) {
            requireMessage(e);
            return null;
        }
    }

    private static void requireMessage(ProtocolException e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("a ProtocolException without a message", e);
        }
    }
}
