package io.pusheriso.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NameCacheTest {

    private static String viaBytes(String name) {
        byte[] padded = ("xx" + name + "yy").getBytes(StandardCharsets.ISO_8859_1);
        return NameCache.ascii(padded, 2, padded.length - 2);
    }

    @Test
    void returnsTheProtocolsOwnConstants() {
        for (String known : PusherEvents.ALL) {
            assertThat(viaBytes(known)).isSameAs(known);
            byte[] b = known.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(NameCache.ascii(ByteBuffer.wrap(b), 0, b.length)).isSameAs(known);
            assertThat(NameCache.chars("[" + known + "]", 1, known.length() + 1)).isSameAs(known);
        }
    }

    @Test
    void returnsTheSameInstanceForARepeatedName() {
        String first = viaBytes("private-orders-42");
        assertThat(first).isEqualTo("private-orders-42");
        assertThat(viaBytes("private-orders-42")).isSameAs(first);
    }

    @Test
    void decodesEveryLengthExactly() {
        StringBuilder name = new StringBuilder();
        for (int len = 0; len <= NameCache.MAX_NAME_LENGTH + 3; len++) {
            String s = name.toString();
            assertThat(viaBytes(s)).isEqualTo(s);
            assertThat(viaBytes(s)).isEqualTo(s);
            name.append((char) ('!' + (len * 7) % 90));
        }
    }

    @Test
    void namesThatShareAHashStayDistinct() {
        // 30 bytes: the hash reads bytes 0-7, 11-18 and 22-29, so these differ only where it does not look.
        String a = "aaaaaaaaXaaaaaaaaaaaaaaaaaaaaa";
        String b = "aaaaaaaaYaaaaaaaaaaaaaaaaaaaaa";
        byte[] ab = a.getBytes(StandardCharsets.ISO_8859_1);
        byte[] bb = b.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(NameCache.bytesHash(ab, 0, ab.length)).isEqualTo(NameCache.bytesHash(bb, 0, bb.length));
        for (int round = 0; round < 3; round++) {
            assertThat(viaBytes(a)).isEqualTo(a);
            assertThat(viaBytes(b)).isEqualTo(b);
        }
        // Same leading and trailing words, different lengths.
        assertThat(viaBytes("abcdefgh12345678")).isEqualTo("abcdefgh12345678");
        assertThat(viaBytes("abcdefgh_12345678")).isEqualTo("abcdefgh_12345678");
        assertThat(viaBytes("abcdefgh12345678")).isEqualTo("abcdefgh12345678");
    }

    @Test
    void textAndBytesThatShareASlotStayDistinct() {
        // The text hash reads each char's low byte: U+0141 hashes as 'A', but must never match it.
        String text = "name-\u0141";
        byte[] ascii = "name-A".getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 3; round++) {
            assertThat(NameCache.chars(text, 0, text.length())).isEqualTo(text);
            assertThat(NameCache.ascii(ascii, 0, ascii.length)).isEqualTo("name-A");
            assertThat(NameCache.ascii(ByteBuffer.wrap(ascii), 0, ascii.length)).isEqualTo("name-A");
            assertThat(NameCache.chars(text, 0, text.length())).isEqualTo(text);
        }
    }

    @Test
    void everyEntryPointSharesTheCanonicalInstance() {
        for (int len : new int[] {1, 7, 8, 9, 16, 17, 33, NameCache.MAX_NAME_LENGTH}) {
            String name = "private-shared-0123456789abcdefghijklmnopqrstuvwxyz-0123456789ABCDEF".substring(0, len);
            byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
            String fromBytes = NameCache.ascii(b, 0, b.length);
            ByteBuffer direct = ByteBuffer.allocateDirect(b.length + 3).position(3);
            direct.put(b);
            assertThat(NameCache.ascii(direct, 3, 3 + b.length)).isSameAs(fromBytes);
            assertThat(NameCache.ascii(ByteBuffer.wrap(b).order(java.nio.ByteOrder.BIG_ENDIAN), 0, b.length)).isSameAs(fromBytes);
            assertThat(NameCache.chars("\"" + name + "\"", 1, len + 1)).isSameAs(fromBytes);
        }
    }

    @Test
    void aFloodOfNamesNeverEvictsTheKnownOnes() {
        for (int i = 0; i < 5_000; i++) {
            String name = "client-flood-" + i;
            assertThat(viaBytes(name)).isEqualTo(name);
        }
        for (String known : PusherEvents.ALL) {
            assertThat(viaBytes(known)).isSameAs(known);
        }
    }

    @Test
    void framesCarryTheCachedNames() {
        byte[] frame = "{\"event\":\"pusher:ping\",\"channel\":\"presence-room\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        PusherFrame f = FrameCodec.decode(frame);
        assertThat(f.event()).isSameAs(PusherEvents.PING);
        assertThat(FrameCodec.decode(frame).channel()).isEqualTo("presence-room").isSameAs(f.channel());
    }
}
