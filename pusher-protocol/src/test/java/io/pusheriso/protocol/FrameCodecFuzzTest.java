package io.pusheriso.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Feeds random and mutated frames to every decoding entry point and typed view: only success or
 * a ProtocolException may come out (never an NPE, ClassCastException, IndexOutOfBounds or
 * StackOverflowError).
 */
class FrameCodecFuzzTest {
    private static final int ITERATIONS = 100_000;

    private static final List<String> FIXTURES = List.of(
            "{\"event\":\"order-updated\",\"channel\":\"orders-eu-west-1\",\"data\":\"{\\\"id\\\":\\\"ord_1\\\",\\\"total\\\":12.5,\\\"items\\\":[1,2]}\"}",
            "{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"123.456\\\",\\\"activity_timeout\\\":120}\"}",
            "{\"event\":\"pusher:error\",\"data\":{\"code\":4001,\"message\":\"App key not in cluster\"}}",
            "{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"presence-x\",\"data\":\"{\\\"presence\\\":{\\\"ids\\\":[\\\"1\\\",2],\\\"hash\\\":{\\\"1\\\":{\\\"n\\\":\\\"é\\\"},\\\"2\\\":null},\\\"count\\\":2}}\"}",
            "{\"event\":\"pusher_internal:member_added\",\"channel\":\"presence-x\",\"data\":{\"user_id\":3,\"user_info\":{\"a\":[true,false,null]}}}",
            "{\"event\":\"pusher_internal:subscription_count\",\"channel\":\"c\",\"data\":{\"subscription_count\":5}}",
            "{\"event\":\"pusher:subscription_error\",\"channel\":\"private-a\",\"data\":{\"type\":\"AuthError\",\"error\":\"no\",\"status\":401}}",
            "{\"event\":\"pusher:signin_success\",\"data\":{\"user_data\":\"{\\\"id\\\":\\\"12345\\\"}\"}}",
            "{\"event\":\"pusher_internal:watchlist_events\",\"data\":{\"events\":[{\"name\":\"online\",\"user_ids\":[\"a\",1]}]}}",
            "{\"event\":\"secret\",\"channel\":\"private-encrypted-x\",\"data\":\"{\\\"nonce\\\":\\\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\\",\\\"ciphertext\\\":\\\"AAAAAAAAAAAAAAAAAAAAAA==\\\"}\"}",
            "{\"event\":\"e\",\"user_id\":\"u\",\"data\":\"\\u00e9\\ud83d\\ude00\\n\\\\\",\"x\":[[[{\"y\":-1.5e-3}]]]}",
            " {\"channel\":null, \"event\":\"pusher:ping\" , \"data\":{}} ");

    private static final List<Function<PusherFrame, ?>> VIEWS = List.of(
            ConnectionEstablished::from, PusherError::from, PresenceSnapshot::from, MemberChange::from, SubscriptionCount::from,
            SubscriptionError::from, SigninSuccess::from, WatchlistEvents::from, EncryptedPayload::from,
            f -> ChannelData.parse(f.data()), f -> UserData.parse(f.data()));

    private static final byte[] INTERESTING = "{}[]\",:\\ntfu0123456789-+.eE \t\u00e9".getBytes(StandardCharsets.UTF_8);

    private final ByteBuffer direct = ByteBuffer.allocateDirect(64 * 1024);
    private int accepted;
    private int rejected;

    @Test
    void onlyProtocolExceptionsEverComeOut() {
        Random random = new Random(0x5EED_F00DL);
        List<byte[]> fixtures = FIXTURES.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        for (byte[] fixture : fixtures) {
            feed(fixture);
        }
        assertThat(accepted).isEqualTo(fixtures.size());
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = random.nextInt(20) == 0 ? randomBytes(random) : mutate(fixtures.get(random.nextInt(fixtures.size())), random);
            feed(input);
        }
        // Both outcomes must be well represented, or the fuzzer is not exploring.
        assertThat(accepted).isGreaterThan(ITERATIONS / 50);
        assertThat(rejected).isGreaterThan(ITERATIONS / 2);
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(64)];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) random.nextInt(256);
        }
        return b;
    }

    private static byte[] mutate(byte[] source, Random random) {
        byte[] b = source.clone();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0: // flip bits
                    b[at] ^= (byte) (1 << random.nextInt(8));
                    break;
                case 1: // replace with an interesting or random byte
                    b[at] = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) random.nextInt(256);
                    break;
                case 2: // truncate
                    b = java.util.Arrays.copyOf(b, at);
                    break;
                case 3: { // insert
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                    break;
                }
                case 4: { // delete
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    b = c;
                    break;
                }
                default: { // duplicate a slice
                    int len = Math.min(b.length - at, 1 + random.nextInt(12));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                    break;
                }
            }
        }
        return b;
    }

    private void feed(byte[] input) {
        PusherFrame a = attempt(() -> FrameCodec.decode(input));
        byte[] padded = new byte[input.length + 2];
        System.arraycopy(input, 0, padded, 1, input.length);
        padded[0] = '{';
        padded[padded.length - 1] = '"';
        PusherFrame b = attempt(() -> FrameCodec.decode(padded, 1, input.length));
        direct.clear();
        direct.put(input).flip();
        PusherFrame c = attempt(() -> FrameCodec.decode(direct));
        PusherFrame d = attempt(() -> FrameCodec.decode(ByteBuffer.wrap(padded, 1, input.length).slice()));
        // Plain checks in the hot loop (AssertJ per call would dominate the run time).
        if (direct.position() != 0 || !Objects.equals(b, a) || !Objects.equals(c, a) || !Objects.equals(d, a)) {
            fail("entry points disagree on " + Arrays.toString(input) + ": " + a + " " + b + " " + c + " " + d);
        }
        PusherFrame e = attempt(() -> FrameCodec.decode(new String(input, StandardCharsets.UTF_8)));
        if (a != null) {
            // Valid UTF-8 decodes to the same frame from text.
            if (!a.equals(e)) {
                fail("text and bytes disagree on " + Arrays.toString(input));
            }
            accepted++;
            exercise(a);
        } else {
            rejected++;
            if (e != null) {
                // Bytes that are not UTF-8 can still make valid text once decoded with replacement characters.
                exercise(e);
            }
        }
    }

    private static void exercise(PusherFrame f) {
        f.event();
        f.channel();
        f.userId();
        f.data();
        f.rawData();
        f.toString();
        f.hashCode();
        for (Function<PusherFrame, ?> view : VIEWS) {
            try {
                view.apply(f);
            } catch (ProtocolException expected) {
                if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                    fail("no message", expected);
                }
            }
        }
    }

    private static PusherFrame attempt(java.util.function.Supplier<PusherFrame> decode) {
        try {
            return decode.get();
        } catch (ProtocolException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                fail("no message", e);
            }
            return null;
        }
    }
}
