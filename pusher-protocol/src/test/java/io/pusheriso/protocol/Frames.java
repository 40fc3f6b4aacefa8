package io.pusheriso.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;

/** Test helper: decodes through every entry point and checks they agree. */
final class Frames {
    private Frames() {}

    /** Every decode entry point applied to the same frame, in a fixed order. */
    static List<PusherFrame> decodeAllWays(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        List<PusherFrame> frames = new ArrayList<>();
        frames.add(FrameCodec.decode(json));
        frames.add(FrameCodec.decode(new StringBuilder("xx").append(json).delete(0, 2)));
        frames.add(FrameCodec.decode(utf8));
        byte[] padded = new byte[utf8.length + 7];
        java.util.Arrays.fill(padded, (byte) '}');
        System.arraycopy(utf8, 0, padded, 3, utf8.length);
        frames.add(FrameCodec.decode(padded, 3, utf8.length));

        ByteBuffer heap = ByteBuffer.wrap(padded, 3, utf8.length);
        frames.add(decodeKeepingPosition(heap));
        ByteBuffer slice = ByteBuffer.wrap(padded).position(2).slice().position(1).limit(1 + utf8.length);
        frames.add(decodeKeepingPosition(slice));
        frames.add(decodeKeepingPosition(heap.asReadOnlyBuffer()));
        ByteBuffer direct = ByteBuffer.allocateDirect(padded.length);
        direct.put(padded).position(3).limit(3 + utf8.length);
        frames.add(decodeKeepingPosition(direct));
        return frames;
    }

    private static PusherFrame decodeKeepingPosition(ByteBuffer buffer) {
        int position = buffer.position();
        int limit = buffer.limit();
        PusherFrame frame = FrameCodec.decode(buffer);
        assertThat(buffer.position()).isEqualTo(position);
        assertThat(buffer.limit()).isEqualTo(limit);
        return frame;
    }

    /** Decodes every way, asserts all results are equal in every observable, returns one. */
    static PusherFrame decode(String json) {
        List<PusherFrame> frames = decodeAllWays(json);
        PusherFrame first = frames.get(0);
        for (PusherFrame f : frames) {
            assertThat(f).isEqualTo(first).hasSameHashCodeAs(first);
            assertThat(f.event()).isEqualTo(first.event());
            assertThat(f.channel()).isEqualTo(first.channel());
            assertThat(f.userId()).isEqualTo(first.userId());
            assertThat(f.hasData()).isEqualTo(first.hasData());
            assertThat(f.isDataString()).isEqualTo(first.isDataString());
            assertThat(f.data()).isEqualTo(first.data());
            assertThat(f.rawData()).isEqualTo(first.rawData());
        }
        return first;
    }

    /** Asserts every entry point rejects the frame with a ProtocolException whose message contains all parts. */
    static void assertRejected(String json, String... messageParts) {
        assertRejected(json.getBytes(StandardCharsets.UTF_8), messageParts);
        AbstractThrowableAssert<?, ?> a = assertThatThrownBy(() -> FrameCodec.decode(json)).isInstanceOf(ProtocolException.class);
        for (String part : messageParts) {
            a.hasMessageContaining(part);
        }
    }

    /** Asserts every byte entry point rejects the bytes with a ProtocolException whose message contains all parts. */
    static void assertRejected(byte[] utf8, String... messageParts) {
        byte[] padded = new byte[utf8.length + 4];
        System.arraycopy(utf8, 0, padded, 2, utf8.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(utf8.length).put(utf8).flip();
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = List.of(
                () -> FrameCodec.decode(utf8),
                () -> FrameCodec.decode(padded, 2, utf8.length),
                () -> FrameCodec.decode(ByteBuffer.wrap(padded, 2, utf8.length)),
                () -> FrameCodec.decode(direct));
        for (var call : calls) {
            AbstractThrowableAssert<?, ?> a = assertThatThrownBy(call).isInstanceOf(ProtocolException.class);
            for (String part : messageParts) {
                a.hasMessageContaining(part);
            }
        }
    }
}
