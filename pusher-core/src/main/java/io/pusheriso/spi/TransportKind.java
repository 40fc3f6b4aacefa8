package io.pusheriso.spi;

/**
 * The kinds of connection the Pusher protocol runs over, with their pusher-js wire names.
 *
 * <p>Instances are immutable and thread-safe.
 */
public enum TransportKind {
  /** A WebSocket ({@code ws} or {@code wss}): the preferred transport. */
  WEBSOCKET("ws"),
  /** The HTTP fallback that reads one long streaming response ({@code xhr_streaming}). */
  XHR_STREAMING("xhr_streaming"),
  /** The HTTP fallback that polls with one request per batch of messages ({@code xhr_polling}). */
  XHR_POLLING("xhr_polling");

  private final String wireName;

  TransportKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name pusher-js uses for this transport in {@code enabledTransports}. */
  public String wireName() {
    return wireName;
  }

  /**
   * Looks a kind up by its pusher-js name ({@code ws}, {@code wss}, {@code xhr_streaming},
   * {@code xhr_polling}).
   *
   * @throws IllegalArgumentException for any other name, listing the valid ones
   */
  public static TransportKind fromWireName(String name) {
    if ("wss".equals(name)) {
      return WEBSOCKET;
    }
    for (TransportKind kind : values()) {
      if (kind.wireName.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "Unknown transport '" + name + "': use one of ws, wss, xhr_streaming, xhr_polling");
  }
}
