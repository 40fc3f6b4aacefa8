package io.pusheriso.transport.httpclient.internal;

import io.pusheriso.protocol.Utf8;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Not for public use, may change at any time. Reads the body of an {@code xhr_streaming} or {@code
 * xhr} response incrementally, in whatever chunks it arrives, and reports its frames: one frame per
 * {@code \n}-terminated line, typed by its first character ({@code o} open, {@code h} heartbeat,
 * {@code a[...]} messages, {@code m"..."} one message, {@code c[code,"reason"]} close).
 *
 * <p>Memory is bounded whatever the input: the elements of an {@code a} array are decoded one at a
 * time and delivered as soon as each ends, each limited to {@code maxMessageBytes} (UTF-8, after
 * unescaping), so that a server may batch many messages on one line; every other line, and the
 * structure between two messages, is limited to {@code maxLineBytes}. Passing a limit, or anything
 * that is not the framing, throws an {@link XhrProtocolException} that says what and where; the
 * parser then stays failed. Empty lines are ignored.
 *
 * <p>A pure state machine with no I/O: the result does not depend on how the input is split. Not
 * thread-safe: one parser reads one response, on one thread at a time.
 */
public final class XhrFrameParser {

  /** Receives the frames, synchronously, in order. */
  public interface Handler {
    /** An {@code o} frame; {@code hostname} is its payload's {@code hostname}, or null. */
    void onOpenFrame(String hostname);

    /** An {@code h} frame. */
    void onHeartbeat();

    /**
     * One message of an {@code a} or {@code m} frame, unescaped, as valid UTF-8 between the buffer's
     * position and limit. The buffer (and the array behind it) is only valid during this call: copy
     * what must be kept.
     */
    void onMessage(ByteBuffer utf8);

    /** A {@code c} frame; {@code reason} is empty when the frame has none. */
    void onCloseFrame(int code, String reason);
  }

  private enum State {
    LINE_START,
    CONTROL_LINE,
    HEARTBEAT_LINE,
    ARRAY_OPEN,
    ARRAY_FIRST,
    ARRAY_NEXT,
    ARRAY_AFTER_VALUE,
    SINGLE_VALUE,
    STRING,
    STRING_ESCAPE,
    STRING_UNICODE,
    LINE_TAIL,
    FAILED
  }

  private static final int SMALL_BUFFER = 256;
  private static final int KEEP_BUFFER = 64 * 1024;
  private static final int SCRATCH_BYTES = 8 * 1024;

  // Bytes of a message that the fast scan copies as they are: printable ASCII other than '"' and
  // '\\' (PLAIN), and every byte of a multi-byte UTF-8 sequence (HIGH: the message is then validated
  // as UTF-8 when it ends). Everything else goes through the state machine.
  private static final byte SPECIAL = 0;
  private static final byte PLAIN = 1;
  private static final byte HIGH = 2;
  private static final byte[] CLASS = new byte[256];

  static {
    for (int c = 0x20; c < 0x80; c++) {
      CLASS[c] = PLAIN;
    }
    for (int c = 0x80; c < 0x100; c++) {
      CLASS[c] = HIGH;
    }
    CLASS['"'] = SPECIAL;
    CLASS['\\'] = SPECIAL;
  }

  private final int maxMessageBytes;
  private final int maxLineBytes;
  private final Handler handler;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  private State state = State.LINE_START;
  private char frameType;
  private boolean inArray;
  // Bytes of the current control line, or of structure since the last message of an a/m line.
  private int lineBytes;
  private long lineNumber = 1;
  private byte[] buffer = new byte[SMALL_BUFFER];
  private int length;
  private int unicodeDigits;
  private int unicodeValue;
  private int pendingHighSurrogate = -1;
  // A byte >= 0x80 came from the input into the current message (escapes always produce valid UTF-8).
  private boolean nonAscii;
  private XhrProtocolException failure;
  // Reused views handed to the handler, so that delivering a message allocates nothing.
  private ByteBuffer bufferView;
  private byte[] inputViewArray;
  private ByteBuffer inputView;
  private byte[] scratch;

  /**
   * A parser for one response.
   *
   * @param maxMessageBytes the largest message, in UTF-8 bytes after unescaping
   * @param maxLineBytes the longest {@code o}, {@code h} or {@code c} line, and the most structure
   *     (whitespace, brackets, commas) allowed between two messages
   * @param handler receives the frames
   */
  public XhrFrameParser(int maxMessageBytes, int maxLineBytes, Handler handler) {
    if (maxMessageBytes <= 0 || maxLineBytes <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (handler == null) {
      throw new NullPointerException("handler");
    }
    this.maxMessageBytes = maxMessageBytes;
    this.maxLineBytes = maxLineBytes;
    this.handler = handler;
  }

  /** True between frames: everything fed so far ended with a complete line. */
  public boolean atLineStart() {
    return state == State.LINE_START;
  }

  /**
   * Reads all of {@code data}, calling the handler for each complete frame (and for each message of
   * an {@code a} frame as soon as it is complete).
   *
   * @throws XhrProtocolException if the data breaks the framing or a limit; every later call throws
   *     the same exception
   */
  public void feed(ByteBuffer data) {
    if (failure != null) {
      throw failure;
    }
    try {
      if (data.hasArray()) {
        int base = data.arrayOffset();
        int from = base + data.position();
        int to = base + data.limit();
        data.position(data.limit());
        run(data.array(), from, to);
      } else {
        // Direct or read-only input: parse it from a reused heap copy, a slice at a time.
        if (scratch == null) {
          scratch = new byte[SCRATCH_BYTES];
        }
        while (data.hasRemaining()) {
          int n = Math.min(data.remaining(), scratch.length);
          data.get(scratch, 0, n);
          run(scratch, 0, n);
        }
      }
    } catch (XhrProtocolException e) {
      failure = e;
      state = State.FAILED;
      throw e;
    }
  }

  /** {@link #feed(ByteBuffer)} for a byte array. */
  public void feed(byte[] data) {
    feed(ByteBuffer.wrap(data));
  }

  private void run(byte[] a, int from, int to) {
    int i = from;
    while (i < to) {
      if (state == State.STRING) {
        i = string(a, i, to);
        if (i == to) {
          return;
        }
      }
      step(a[i]);
      i++;
    }
  }

  /**
   * The fast path inside a message: copies plain bytes and the common {@code \"} and {@code \\}
   * escapes in a tight loop, and delivers a message that lies whole in {@code a} without escapes
   * straight from the input. Returns the index of the first byte left for the state machine.
   */
  private int string(byte[] a, int from, int to) {
    int i = from;
    if (length == 0 && pendingHighSurrogate < 0) {
      boolean high = false;
      int c;
      while (i < to && (c = CLASS[a[i] & 0xff]) != SPECIAL) {
        high |= c == HIGH;
        i++;
      }
      if (i - from > maxMessageBytes) {
        throw tooLarge();
      }
      if (i < to && a[i] == '"') {
        nonAscii = high;
        deliverInput(a, from, i);
        return i + 1;
      }
      nonAscii = high;
      ensureCapacity(i - from);
      System.arraycopy(a, from, buffer, 0, i - from);
      length = i - from;
    }
    if (pendingHighSurrogate >= 0) {
      return i;
    }
    byte[] buf = buffer;
    int len = length;
    int max = maxMessageBytes;
    boolean high = false;
    try {
      while (i < to) {
        byte b = a[i];
        int c = CLASS[b & 0xff];
        if (c == SPECIAL) {
          if (b != '\\' || i + 1 >= to) {
            break;
          }
          b = a[i + 1];
          if (b != '"' && b != '\\') {
            break;
          }
          i++;
        } else {
          high |= c == HIGH;
        }
        if (len >= max) {
          throw tooLarge();
        }
        if (len == buf.length) {
          length = len;
          ensureCapacity(len + 1);
          buf = buffer;
        }
        buf[len++] = b;
        i++;
      }
    } finally {
      length = len;
      nonAscii |= high;
    }
    return i;
  }

  private void step(byte b) {
    if (b == '\n' && inValue()) {
      throw protocol("the line ended before the end of its '" + frameType + "' frame");
    }
    switch (state) {
      case LINE_START:
        lineStart(b);
        break;
      case CONTROL_LINE:
        if (b == '\n') {
          endControlLine();
        } else {
          countLineByte();
          append(b);
        }
        break;
      case HEARTBEAT_LINE:
        if (b == '\n') {
          newLine();
          handler.onHeartbeat();
        } else {
          countLineByte();
        }
        break;
      case ARRAY_OPEN:
        if (!whitespace(b)) {
          if (b != '[') {
            throw protocol("an 'a' frame must hold a JSON array, found " + describe(b));
          }
          state = State.ARRAY_FIRST;
        }
        countLineByte();
        break;
      case ARRAY_FIRST:
        countLineByte();
        if (b == ']') {
          state = State.LINE_TAIL;
        } else {
          value(b);
        }
        break;
      case ARRAY_NEXT:
        countLineByte();
        value(b);
        break;
      case ARRAY_AFTER_VALUE:
        countLineByte();
        if (b == ',') {
          state = State.ARRAY_NEXT;
        } else if (b == ']') {
          state = State.LINE_TAIL;
        } else if (!whitespace(b)) {
          throw protocol("expected ',' or ']' in an 'a' frame, found " + describe(b));
        }
        break;
      case SINGLE_VALUE:
        countLineByte();
        value(b);
        break;
      case STRING:
        stringByte(b);
        break;
      case STRING_ESCAPE:
        escape(b);
        break;
      case STRING_UNICODE:
        unicodeDigit(b);
        break;
      case LINE_TAIL:
        if (b == '\n') {
          newLine();
        } else if (whitespace(b)) {
          countLineByte();
        } else {
          throw protocol("unexpected " + describe(b) + " after the end of an '" + frameType + "' frame");
        }
        break;
      default:
        throw new IllegalStateException("parser failed");
    }
  }

  private boolean inValue() {
    switch (state) {
      case ARRAY_OPEN:
      case ARRAY_FIRST:
      case ARRAY_NEXT:
      case ARRAY_AFTER_VALUE:
      case SINGLE_VALUE:
      case STRING:
      case STRING_ESCAPE:
      case STRING_UNICODE:
        return true;
      default:
        return false;
    }
  }

  private void lineStart(byte b) {
    lineBytes = 0;
    length = 0;
    switch (b) {
      case '\n':
        lineNumber++;
        break;
      case 'o':
      case 'c':
        frameType = (char) b;
        state = State.CONTROL_LINE;
        break;
      case 'h':
        frameType = 'h';
        state = State.HEARTBEAT_LINE;
        break;
      case 'a':
        frameType = 'a';
        inArray = true;
        state = State.ARRAY_OPEN;
        break;
      case 'm':
        frameType = 'm';
        inArray = false;
        state = State.SINGLE_VALUE;
        break;
      default:
        throw protocol("unknown frame type " + describe(b) + " (expected o, h, a, m or c)");
    }
  }

  /** Whitespace, or the opening quote of a message; anything else is an error. */
  private void value(byte b) {
    if (whitespace(b)) {
      return;
    }
    if (b != '"') {
      throw protocol(
          "the messages of an '"
              + frameType
              + "' frame must be JSON strings, found "
              + describe(b));
    }
    length = 0;
    nonAscii = false;
    state = State.STRING;
  }

  private void stringByte(byte b) {
    if (b == '"') {
      flushHighSurrogate();
      deliverBuffer();
    } else if (b == '\\') {
      state = State.STRING_ESCAPE;
    } else if ((b & 0xff) < 0x20) {
      throw protocol(
          b == '\n'
              ? "the line ended inside a message of an '" + frameType + "' frame"
              : "a raw control character " + describe(b) + " inside a message");
    } else {
      flushHighSurrogate();
      nonAscii |= b < 0;
      appendMessageByte(b);
    }
  }

  private void escape(byte b) {
    state = State.STRING;
    char plain;
    switch (b) {
      case '"':
      case '\\':
      case '/':
        plain = (char) b;
        break;
      case 'b':
        plain = '\b';
        break;
      case 'f':
        plain = '\f';
        break;
      case 'n':
        plain = '\n';
        break;
      case 'r':
        plain = '\r';
        break;
      case 't':
        plain = '\t';
        break;
      case 'u':
        state = State.STRING_UNICODE;
        unicodeDigits = 0;
        unicodeValue = 0;
        return;
      default:
        throw protocol("bad escape \\" + (char) (b & 0xff) + " inside a message");
    }
    flushHighSurrogate();
    appendMessageByte((byte) plain);
  }

  private void unicodeDigit(byte b) {
    int digit = Character.digit((char) (b & 0xff), 16);
    if (digit < 0) {
      throw protocol("bad hex digit " + describe(b) + " in a \\u escape");
    }
    unicodeValue = unicodeValue * 16 + digit;
    if (++unicodeDigits < 4) {
      return;
    }
    state = State.STRING;
    int unit = unicodeValue;
    if (Character.isLowSurrogate((char) unit) && pendingHighSurrogate >= 0) {
      int codePoint = Character.toCodePoint((char) pendingHighSurrogate, (char) unit);
      pendingHighSurrogate = -1;
      appendCodePoint(codePoint);
      return;
    }
    flushHighSurrogate();
    if (Character.isHighSurrogate((char) unit)) {
      pendingHighSurrogate = unit;
    } else if (Character.isLowSurrogate((char) unit)) {
      appendCodePoint(0xFFFD);
    } else {
      appendCodePoint(unit);
    }
  }

  /** A high surrogate not followed by its low half cannot be UTF-8: it becomes U+FFFD. */
  private void flushHighSurrogate() {
    if (pendingHighSurrogate >= 0) {
      pendingHighSurrogate = -1;
      appendCodePoint(0xFFFD);
    }
  }

  private void appendCodePoint(int cp) {
    if (cp < 0x80) {
      appendMessageByte((byte) cp);
    } else if (cp < 0x800) {
      appendMessageByte((byte) (0xC0 | (cp >> 6)));
      appendMessageByte((byte) (0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      appendMessageByte((byte) (0xE0 | (cp >> 12)));
      appendMessageByte((byte) (0x80 | ((cp >> 6) & 0x3F)));
      appendMessageByte((byte) (0x80 | (cp & 0x3F)));
    } else {
      appendMessageByte((byte) (0xF0 | (cp >> 18)));
      appendMessageByte((byte) (0x80 | ((cp >> 12) & 0x3F)));
      appendMessageByte((byte) (0x80 | ((cp >> 6) & 0x3F)));
      appendMessageByte((byte) (0x80 | (cp & 0x3F)));
    }
  }

  private void appendMessageByte(byte b) {
    if (length >= maxMessageBytes) {
      throw tooLarge();
    }
    append(b);
  }

  private XhrProtocolException tooLarge() {
    return new XhrProtocolException(
        "A message exceeded the maxFrameBytes limit of "
            + maxMessageBytes
            + " bytes (line "
            + lineNumber
            + ")",
        true);
  }

  private void append(byte b) {
    if (length == buffer.length) {
      ensureCapacity(length + 1);
    }
    buffer[length++] = b;
  }

  private void ensureCapacity(int needed) {
    if (needed <= buffer.length) {
      return;
    }
    long size = Math.max(SMALL_BUFFER, 2L * buffer.length);
    while (size < needed) {
      size *= 2;
    }
    byte[] bigger = new byte[(int) Math.min(Integer.MAX_VALUE - 8, size)];
    System.arraycopy(buffer, 0, bigger, 0, length);
    buffer = bigger;
  }

  /** The message ended in the unescaped buffer: hands it over, then empties the buffer. */
  private void deliverBuffer() {
    if (nonAscii && !Utf8.isWellFormed(buffer, 0, length)) {
      throw protocol("a message is not valid UTF-8");
    }
    if (bufferView == null || bufferView.array() != buffer) {
      bufferView = ByteBuffer.wrap(buffer);
    }
    bufferView.limit(length).position(0);
    endMessage();
    try {
      handler.onMessage(bufferView);
    } finally {
      releaseBuffer();
    }
  }

  /** The message is {@code a[from, to)} as it came, with no escapes: no copy. */
  private void deliverInput(byte[] a, int from, int to) {
    if (nonAscii && !Utf8.isWellFormed(a, from, to)) {
      throw protocol("a message is not valid UTF-8");
    }
    if (inputViewArray != a) {
      inputViewArray = a;
      inputView = ByteBuffer.wrap(a);
    }
    inputView.limit(to).position(from);
    endMessage();
    handler.onMessage(inputView);
  }

  private void endMessage() {
    nonAscii = false;
    lineBytes = 0;
    state = inArray ? State.ARRAY_AFTER_VALUE : State.LINE_TAIL;
  }

  private void releaseBuffer() {
    length = 0;
    if (buffer.length > KEEP_BUFFER) {
      // One large message must not pin its buffer for the life of the connection.
      buffer = new byte[SMALL_BUFFER];
    }
  }

  private void countLineByte() {
    if (++lineBytes > maxLineBytes) {
      String what =
          state == State.CONTROL_LINE || state == State.HEARTBEAT_LINE
              ? "An '" + frameType + "' line"
              : "The framing between two messages of an '" + frameType + "' line";
      throw new XhrProtocolException(
          what
              + " exceeded the limit of "
              + maxLineBytes
              + " bytes without a newline (line "
              + lineNumber
              + ")",
          true);
    }
  }

  private void endControlLine() {
    String payload;
    try {
      payload = utf8.decode(ByteBuffer.wrap(buffer, 0, length)).toString().trim();
    } catch (CharacterCodingException e) {
      throw protocol("an '" + frameType + "' frame is not valid UTF-8");
    }
    releaseBuffer();
    if (frameType == 'o') {
      String hostname = hostnameOf(payload);
      newLine();
      handler.onOpenFrame(hostname);
    } else {
      Object[] close = closeOf(payload);
      newLine();
      handler.onCloseFrame((Integer) close[0], (String) close[1]);
    }
  }

  private String hostnameOf(String payload) {
    if (payload.isEmpty()) {
      return null;
    }
    Object parsed = parseJson(payload);
    if (parsed instanceof Map<?, ?>) {
      Object hostname = ((Map<?, ?>) parsed).get("hostname");
      if (hostname instanceof String && !((String) hostname).isEmpty()) {
        return (String) hostname;
      }
      if (hostname != null && hostname != MiniJson.NULL && !(hostname instanceof String)) {
        throw protocol("the hostname of an 'o' frame must be a string: " + abbreviate(payload));
      }
    }
    return null;
  }

  private Object[] closeOf(String payload) {
    Object parsed = payload.isEmpty() ? List.of() : parseJson(payload);
    if (!(parsed instanceof List<?>) || ((List<?>) parsed).isEmpty()) {
      throw protocol("a 'c' frame must be [code, \"reason\"], was " + abbreviate(payload));
    }
    List<?> list = (List<?>) parsed;
    Object code = list.get(0);
    if (!(code instanceof Double)
        || (Double) code != Math.rint((Double) code)
        || (Double) code < 0
        || (Double) code > 65535) {
      throw protocol("the code of a 'c' frame must be an integer, was " + abbreviate(payload));
    }
    String reason = "";
    if (list.size() > 1 && list.get(1) instanceof String) {
      reason = (String) list.get(1);
    } else if (list.size() > 1 && list.get(1) != MiniJson.NULL) {
      throw protocol("the reason of a 'c' frame must be a string, was " + abbreviate(payload));
    }
    return new Object[] {((Double) code).intValue(), reason};
  }

  private Object parseJson(String payload) {
    try {
      return MiniJson.parse(payload);
    } catch (IllegalArgumentException e) {
      throw protocol(
          "malformed JSON in an '" + frameType + "' frame (" + e.getMessage() + "): " + abbreviate(payload));
    }
  }

  private void newLine() {
    state = State.LINE_START;
    lineNumber++;
  }

  private static boolean whitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\r';
  }

  private XhrProtocolException protocol(String what) {
    return new XhrProtocolException(
        "Malformed xhr response, line " + lineNumber + ": " + what, false);
  }

  private static String describe(byte b) {
    int c = b & 0xff;
    if (c >= 0x21 && c < 0x7f) {
      return "'" + (char) c + "'";
    }
    return String.format("byte 0x%02x", c);
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }
}
