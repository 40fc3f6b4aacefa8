package io.pusheriso.spi;

/**
 * One connection to a Pusher server, opened by a {@link TransportFactory}.
 *
 * <p>All methods are thread-safe and non-blocking.
 */
public interface Transport {

  /** The kind of this connection. */
  TransportKind kind();

  /**
   * Queues one text message (an encoded Pusher frame) for sending, in order with earlier ones.
   *
   * @return {@code false}, without sending, when the transport is not open or is closing; the
   *     message is then dropped and the caller relies on the listener's close or error callback
   */
  boolean send(String text);

  /**
   * Starts a clean close with the given WebSocket close code and reason. Idempotent: later calls
   * do nothing. The listener receives exactly one terminal callback.
   */
  void close(int code, String reason);
}
