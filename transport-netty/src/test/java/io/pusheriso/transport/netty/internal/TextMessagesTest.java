package io.pusheriso.transport.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextMessagesTest {

  @Test
  void borrow_copiesTheReadableBytes_andReusesTheThreadsArrayOnceGivenBack() {
    ByteBuf first = Unpooled.copiedBuffer("xx{\"event\":\"a\"}", StandardCharsets.UTF_8);
    first.skipBytes(2);
    ByteBuffer a = TextMessages.borrow(first);
    assertThat(StandardCharsets.UTF_8.decode(a.duplicate()).toString()).isEqualTo("{\"event\":\"a\"}");
    // Still lent: a message read meanwhile on this thread must not overwrite it.
    ByteBuf nested = Unpooled.copiedBuffer("nested", StandardCharsets.UTF_8);
    ByteBuffer b = TextMessages.borrow(nested);
    assertThat(b).isNotSameAs(a);
    assertThat(StandardCharsets.UTF_8.decode(a.duplicate()).toString()).isEqualTo("{\"event\":\"a\"}");
    TextMessages.giveBack(b);
    TextMessages.giveBack(a);

    ByteBuf second = Unpooled.copiedBuffer("é", StandardCharsets.UTF_8);
    ByteBuffer c = TextMessages.borrow(second);
    assertThat(c).isSameAs(a);
    assertThat(c.position()).isZero();
    assertThat(c.remaining()).isEqualTo(2);
    TextMessages.giveBack(c);
    first.release();
    nested.release();
    second.release();
  }

  @Test
  void borrow_readsAReassembledMessage_andRejectsASequenceSplitBadlyAcrossFragments() {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    CompositeByteBuf whole = Unpooled.compositeBuffer();
    whole.addComponent(true, Unpooled.wrappedBuffer(new byte[] {'a', euro[0]}));
    whole.addComponent(true, Unpooled.wrappedBuffer(new byte[] {euro[1], euro[2], 'b'}));
    ByteBuffer ok = TextMessages.borrow(whole);
    assertThat(StandardCharsets.UTF_8.decode(ok.duplicate()).toString()).isEqualTo("a€b");
    TextMessages.giveBack(ok);
    whole.release();

    CompositeByteBuf broken = Unpooled.compositeBuffer();
    broken.addComponent(true, Unpooled.wrappedBuffer(new byte[] {'a', euro[0]}));
    broken.addComponent(true, Unpooled.wrappedBuffer(new byte[] {'b'}));
    assertThat(TextMessages.borrow(broken)).isNull();
    broken.release();
  }

  @Test
  void borrow_givesMessagesOverTheScratchLimitAnArrayOfTheirOwn() {
    byte[] big = new byte[TextMessages.MAX_SCRATCH_BYTES + 1];
    java.util.Arrays.fill(big, (byte) 'x');
    big[big.length - 1] = (byte) 0xC3; // a lead byte with nothing after it
    ByteBuf bad = Unpooled.wrappedBuffer(big);
    assertThat(TextMessages.borrow(bad)).isNull();
    big[big.length - 1] = 'y';
    ByteBuffer ok = TextMessages.borrow(bad);
    assertThat(ok.remaining()).isEqualTo(big.length);
    assertThat(ok.get(big.length - 1)).isEqualTo((byte) 'y');
    TextMessages.giveBack(ok);
    bad.release();
  }
}
