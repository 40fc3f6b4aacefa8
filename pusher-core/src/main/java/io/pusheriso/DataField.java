package io.pusheriso;

import java.nio.ByteBuffer;

/**
 * Tells whether a decoded frame's {@code data} field was there (as JSON {@code null}) or absent:
 * the protocol's frame reports both as "no data", but pusher-js hands {@code null} and {@code
 * undefined} to listeners. Only asked about frames without data, which are rare, so the second
 * look at the text costs nothing on the usual path.
 *
 * <p>Stateless and thread-safe.
 */
final class DataField {

  private DataField() {}

  /** Whether the top-level object in {@code json} (already known to be valid) has a "data" key. */
  static boolean present(String json) {
    return present((CharSequence) json);
  }

  /** The same for UTF-8 bytes between the buffer's position and limit; the buffer is not moved. */
  static boolean present(ByteBuffer utf8) {
    // Every byte of a multi-byte UTF-8 sequence is >= 0x80, so reading bytes as chars keeps the
    // JSON structure, and no such byte can take part in the ASCII name "data".
    int base = utf8.position();
    int length = utf8.remaining();
    return present(
        new CharSequence() {
          @Override
          public int length() {
            return length;
          }

          @Override
          public char charAt(int index) {
            return (char) (utf8.get(base + index) & 0xff);
          }

          @Override
          public CharSequence subSequence(int start, int end) {
            throw new UnsupportedOperationException();
          }
        });
  }

  private static boolean present(CharSequence s) {
    int n = s.length();
    int depth = 0;
    boolean keyNext = false;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '{' -> {
          depth++;
          keyNext = depth == 1;
        }
        case '[' -> depth++;
        case '}', ']' -> depth--;
        case ',' -> keyNext = depth == 1;
        case '"' -> {
          int end = endOfString(s, i + 1);
          if (keyNext && isData(s, i + 1, end)) {
            return true;
          }
          keyNext = false;
          i = end;
        }
        default -> {
          // whitespace, ':', literals and numbers carry no structure
        }
      }
    }
    return false;
  }

  /** The index of the quote that ends the string whose content starts at {@code from}. */
  private static int endOfString(CharSequence s, int from) {
    int i = from;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '"') {
        return i;
      } else {
        i++;
      }
    }
    return s.length();
  }

  /** Whether the key between {@code from} and {@code to} is "data", escapes resolved. */
  private static boolean isData(CharSequence s, int from, int to) {
    StringBuilder key = new StringBuilder(4);
    for (int i = from; i < to && key.length() <= 4; i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < to) {
        char e = s.charAt(++i);
        if (e == 'u' && i + 4 < to) {
          int v = 0;
          for (int k = 1; k <= 4; k++) {
            v = v * 16 + Character.digit(s.charAt(i + k), 16);
          }
          key.append((char) v);
          i += 4;
        } else {
          key.append(
              switch (e) {
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                default -> e;
              });
        }
      } else {
        key.append(c);
      }
    }
    return key.length() == 4 && "data".contentEquals(key);
  }
}
