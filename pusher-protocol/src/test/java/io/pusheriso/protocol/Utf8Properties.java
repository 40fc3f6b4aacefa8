package io.pusheriso.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** The shared UTF-8 check accepts exactly what the JDK's reporting decoder accepts. */
class Utf8Properties {

    @Property(tries = 3000)
    void isWellFormed_agreesWithTheJdkDecoder(@ForAll("bytes") byte[] bytes) {
        assertThat(Utf8.isWellFormed(bytes, 0, bytes.length)).isEqualTo(jdkAccepts(bytes));
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        // Mostly bytes near the UTF-8 boundaries, so that the interesting sequences are common.
        Arbitrary<Byte> interesting =
                Arbitraries.of(
                        (byte) 0x41, (byte) 0x7F, (byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F,
                        (byte) 0xA0, (byte) 0xBF, (byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xDF,
                        (byte) 0xE0, (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5,
                        (byte) 0xFF);
        return Arbitraries.frequencyOf(Tuple.of(3, interesting), Tuple.of(1, Arbitraries.bytes()))
                .array(byte[].class)
                .ofMaxSize(12);
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
