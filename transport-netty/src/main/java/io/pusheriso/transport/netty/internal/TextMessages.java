package io.pusheriso.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.pusheriso.protocol.Utf8;
import java.nio.ByteBuffer;

/**
 * Not for public use, may change at any time.
 *
 * <p>Turns the payload of a text message into the heap {@link ByteBuffer} handed to the listener,
 * checking on the way that it is UTF-8 (RFC 6455 8.1).
 *
 * <p>The bytes are copied into a scratch array of the event loop thread and validated there with
 * {@link Utf8}, a word at a time while they are ASCII: one memory copy per message instead of a new {@code
 * ByteBuffer} view (which Netty's pooled buffers create per message) and a second byte-by-byte
 * pass (Netty's {@code Utf8FrameValidator}). The listener may use the buffer only during its call
 * (the {@code TransportListener} contract), so the next message can reuse the array. The array
 * belongs to the thread, not the connection: idle connections hold none.
 *
 * <p>Thread-safety: confined to the calling thread; {@link #borrow} and {@link #giveBack} must be
 * paired on it.
 */
final class TextMessages {

  /** Messages up to this size reuse the thread's array; larger ones get an array of their own. */
  static final int MAX_SCRATCH_BYTES = 64 * 1024;

  private static final int MIN_SCRATCH_BYTES = 4 * 1024;

  private static final FastThreadLocal<TextMessages> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected TextMessages initialValue() {
          return new TextMessages();
        }
      };

  private byte[] array = new byte[0];
  private ByteBuffer view = ByteBuffer.wrap(array);
  // A listener that (against its contract) makes this thread read another message while it still
  // holds the first must not see the first one's bytes change: it gets an array of its own.
  private boolean lent;

  private TextMessages() {}

  /**
   * The readable bytes of {@code content} in a heap buffer (position 0, limit = length), or null
   * if they are not UTF-8. Pair every non-null result with {@link #giveBack} once the listener has
   * returned.
   */
  static ByteBuffer borrow(ByteBuf content) {
    int length = content.readableBytes();
    TextMessages scratch = length <= MAX_SCRATCH_BYTES ? SCRATCH.get() : null;
    byte[] bytes;
    ByteBuffer buffer;
    if (scratch != null && !scratch.lent) {
      if (scratch.array.length < length) {
        scratch.array =
            new byte[Math.max(MIN_SCRATCH_BYTES, Integer.highestOneBit(length - 1) << 1)];
        scratch.view = ByteBuffer.wrap(scratch.array);
      }
      bytes = scratch.array;
      buffer = scratch.view;
      buffer.clear();
    } else {
      bytes = new byte[length];
      buffer = ByteBuffer.wrap(bytes);
      scratch = null;
    }
    content.getBytes(content.readerIndex(), bytes, 0, length);
    if (!Utf8.isWellFormed(bytes, 0, length)) {
      return null;
    }
    buffer.limit(length);
    if (scratch != null) {
      scratch.lent = true;
    }
    return buffer;
  }

  /** Ends the loan of {@code buffer} (from {@link #borrow}) on this thread. */
  static void giveBack(ByteBuffer buffer) {
    TextMessages scratch = SCRATCH.getIfExists();
    if (scratch != null && scratch.view == buffer) {
      scratch.lent = false;
    }
  }
}
