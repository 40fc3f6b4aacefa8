package io.pusheriso;

import io.pusheriso.protocol.PusherFrame;
import java.util.Objects;
import java.util.Optional;

/**
 * One event delivered to a listener: its name, channel, data and, for client events on presence
 * channels, the sender's user id.
 *
 * <p>The data is kept as the server sent it and decoded on first use. Most server events carry
 * their data as a JSON string holding JSON ("double encoding"): {@link #data()} is then the inner
 * JSON text, ready for any JSON library. Events of encrypted channels arrive here already
 * decrypted.
 *
 * <p>{@link #toString()} shows the event and channel names only: data may hold secrets. Instances
 * are immutable and thread-safe.
 */
public final class PusherEvent {

  private final PusherFrame frame;

  private PusherEvent(PusherFrame frame) {
    this.frame = frame;
  }

  /** Wraps a decoded frame. */
  static PusherEvent of(PusherFrame frame) {
    return new PusherEvent(Objects.requireNonNull(frame, "frame"));
  }

  /** The event name, for example {@code my-event} or {@code pusher:subscription_succeeded}. */
  public String eventName() {
    return frame.event();
  }

  /** The channel, or {@code null} for connection- and user-level events. */
  public String channelName() {
    return frame.channel();
  }

  /** The sender of a client event on a presence channel, or {@code null}. */
  public String userId() {
    return frame.userId();
  }

  /** The sender as an {@link Optional}. */
  public Optional<String> user() {
    return Optional.ofNullable(frame.userId());
  }

  /** Whether the event carries data. */
  public boolean hasData() {
    return frame.hasData();
  }

  /**
   * The data: the string's value when the server sent a JSON string (usually JSON text itself),
   * otherwise the JSON text of the value; {@code null} when there is none. Decoded on first call.
   */
  public String data() {
    return frame.data();
  }

  /** The data exactly as it appeared on the wire (JSON text, quotes included), or {@code null}. */
  public String rawData() {
    return frame.rawData();
  }

  /** Whether the data was sent as a JSON string (the usual double-encoded form). */
  public boolean isDataString() {
    return frame.isDataString();
  }

  @Override
  public String toString() {
    return "PusherEvent[event=" + frame.event() + ", channel=" + frame.channel() + "]";
  }
}
