package io.pusheriso.spi;

import java.nio.ByteBuffer;

/**
 * Receives what happens on one {@link Transport}, in the manner of
 * {@link java.net.http.WebSocket.Listener}.
 *
 * <ul>
 *   <li>Calls for one transport are serialized and never reentrant.
 *   <li>{@link #onOpen} is called at most once, before any message.
 *   <li>{@link #onClose} and {@link #onError} are terminal: exactly one of them is called, once,
 *       and nothing is called after it.
 *   <li>Calls may come from a transport's I/O thread: implementations (the core) must return
 *       quickly and never block.
 * </ul>
 */
public interface TransportListener {

  /** The connection is open and ready for {@link Transport#send}. */
  void onOpen(Transport transport);

  /**
   * One complete text message as UTF-8 bytes, between the buffer's position and limit. The buffer
   * is only valid during this call: copy what must be kept.
   */
  void onMessage(Transport transport, ByteBuffer utf8);

  /** One complete text message, for transports that already hold it as a string. */
  void onMessage(Transport transport, String text);

  /**
   * Something arrived that is not a message but shows the connection is alive (an HTTP heartbeat
   * line, a WebSocket pong frame).
   */
  default void onActivity(Transport transport) {}

  /**
   * Terminal: the connection closed with this code and reason (a WebSocket close code, or a code
   * the transport chose: 1006 for an abnormal end, 1009 for a message over the size limit).
   */
  void onClose(Transport transport, int code, String reason);

  /** Terminal: the connection failed (could not connect, TLS refused, I/O error). */
  void onError(Transport transport, Throwable error);
}
