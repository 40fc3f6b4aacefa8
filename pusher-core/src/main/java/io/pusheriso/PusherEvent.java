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
 * <p>Data sent as JSON {@code null} ({@code {"event":"e","data":null}}) is data: {@link #hasData()}
 * is {@code true} and {@link #data()} and {@link #rawData()} are the text {@code null}, as they are
 * {@code 42} for the number 42; pusher-js hands such listeners {@code null}. Without a {@code data}
 * field ({@code {"event":"e"}}) {@link #hasData()} is {@code false} and both are {@code null}
 * (pusher-js: {@code undefined}).
 *
 * <p>{@link #toString()} shows the event and channel names only: data may hold secrets. Instances
 * are immutable and thread-safe.
 */
public final class PusherEvent {

  private static final String JSON_NULL = "null";

  private final PusherFrame frame;
  /** The frame's data was JSON null, which the frame itself reports as no data. */
  private final boolean nullData;

  private PusherEvent(PusherFrame frame, boolean nullData) {
    this.frame = frame;
    this.nullData = nullData && !frame.hasData();
  }

  /** Wraps a decoded frame. */
  static PusherEvent of(PusherFrame frame) {
    return of(frame, false);
  }

  /** Wraps a decoded frame whose {@code data} was JSON {@code null} when {@code nullData}. */
  static PusherEvent of(PusherFrame frame, boolean nullData) {
    return new PusherEvent(Objects.requireNonNull(frame, "frame"), nullData);
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

  /** Whether the event has a {@code data} field, JSON {@code null} included. */
  public boolean hasData() {
    return nullData || frame.hasData();
  }

  /**
   * The data: the string's value when the server sent a JSON string (usually JSON text itself),
   * otherwise the JSON text of the value ({@code "null"} for JSON null); {@code null} when there is
   * no {@code data} field. Decoded on first call.
   */
  public String data() {
    return nullData ? JSON_NULL : frame.data();
  }

  /**
   * The data exactly as it appeared on the wire (JSON text, quotes included, {@code "null"} for
   * JSON null), or {@code null} when there is no {@code data} field.
   */
  public String rawData() {
    return nullData ? JSON_NULL : frame.rawData();
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
