package io.pusheriso.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Not for public use, may change at any time.
 *
 * <p>Turns the payload of a text message into the heap {@link ByteBuffer} handed to the listener,
 * checking on the way that it is UTF-8 (RFC 6455 8.1).
 *
 * <p>The bytes are copied into a scratch array of the event loop thread and validated there, a
 * word at a time while they are ASCII: one memory copy per message instead of a new {@code
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

  private static final long NON_ASCII = 0x8080808080808080L;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
    if (!isUtf8(bytes, 0, length)) {
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

  /**
   * Whether {@code bytes[from, to)} is well-formed UTF-8 (RFC 3629: no overlong forms, no
   * surrogates, nothing above U+10FFFF). ASCII runs are checked eight bytes at a time.
   */
  static boolean isUtf8(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      if (i + 8 <= to) {
        if ((((long) LONGS.get(bytes, i)) & NON_ASCII) == 0) {
          i += 8;
          continue;
        }
      }
      int c = bytes[i];
      if (c >= 0) {
        i++;
        continue;
      }
      i = sequence(bytes, i, to);
      if (i < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks the multi-byte sequence whose lead byte is at {@code i}; returns the index after it,
   * or -1 if it is not well-formed (Unicode 15, table 3-7).
   */
  private static int sequence(byte[] bytes, int i, int to) {
    int c = bytes[i] & 0xFF;
    int n;
    int lo = 0x80;
    int hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) {
        lo = 0xA0;
      } else if (c == 0xED) {
        hi = 0x9F;
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) {
        lo = 0x90;
      } else if (c == 0xF4) {
        hi = 0x8F;
      }
    } else {
      return -1;
    }
    if (i + n >= to) {
      return -1;
    }
    for (int k = 1; k <= n; k++) {
      int d = bytes[i + k] & 0xFF;
      if (d < lo || d > hi) {
        return -1;
      }
      lo = 0x80;
      hi = 0xBF;
    }
    return i + n + 1;
  }
}
