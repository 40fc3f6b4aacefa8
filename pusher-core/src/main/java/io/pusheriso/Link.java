package io.pusheriso;

import io.pusheriso.protocol.FrameCodec;
import io.pusheriso.protocol.ProtocolException;
import io.pusheriso.protocol.PusherFrame;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import java.nio.ByteBuffer;

/**
 * One transport, from the attempt to open it until it closes: the listener the core gives to a
 * {@link io.pusheriso.spi.TransportFactory}. Frames are decoded here, on the transport's I/O
 * thread (the codec copies what it keeps), and everything is handed to the event lane, where the
 * core checks whether this link is still the one it uses, or still an attempt of the search.
 *
 * <p>The listener methods may be called from any thread (serialized per transport, as the SPI
 * promises); the other methods run on the event lane.
 */
final class Link implements TransportListener {

  private final ClientCore core;
  private final ConnectionStrategy.Attempt attempt;
  private volatile Transport transport;
  private boolean abandoned;
  private long openedAt = -1;

  Link(ClientCore core, ConnectionStrategy.Attempt attempt) {
    this.core = core;
    this.attempt = attempt;
  }

  TransportKind kind() {
    return attempt.transport.kind;
  }

  /** The pusher-js name of this transport ({@code ws}, {@code wss}, {@code xhr_streaming}...). */
  String transportName() {
    return attempt.transport.name;
  }

  ConnectionStrategy.Attempt attempt() {
    return attempt;
  }

  /** Lane: remembers what {@code open} returned. */
  void attach(Transport t) {
    if (t != null && transport == null) {
      transport = t;
    }
  }

  /** Lane: sends on the open transport; false when it is gone. */
  boolean send(String text) {
    Transport t = transport;
    return t != null && t.send(text);
  }

  /** Lane: gives this link up (a lost race, a timeout, a disconnect); closes it if it opened. */
  void abandon(int code, String reason) {
    abandoned = true;
    Transport t = transport;
    if (t != null) {
      t.close(code, reason);
    }
  }

  /** Whether the client itself closed or gave up this link. */
  boolean abandoned() {
    return abandoned;
  }

  /** Lane: records when the transport opened (the first call wins). */
  void markOpened(long now) {
    if (openedAt < 0) {
      openedAt = now;
    }
  }

  boolean opened() {
    return openedAt >= 0;
  }

  /**
   * Lane: the transport ended without the client asking; a connection that had opened reports its
   * lifespan to its transport's score.
   *
   * @param code the close code, or -1 for an error
   */
  void ended(int code, long now) {
    ConnectionStrategy.TransportManager manager = attempt.transport.manager;
    if (openedAt >= 0 && !abandoned && manager != null) {
      manager.closed(code, now - openedAt);
    }
  }

  /** The ping delay that young deaths of this transport set, or 0. */
  long pingDelayMillis() {
    ConnectionStrategy.TransportManager manager = attempt.transport.manager;
    return manager == null ? 0 : manager.pingDelayMillis();
  }

  @Override
  public void onOpen(Transport t) {
    attach(t);
    core.lane().execute(() -> core.linkOpened(this));
  }

  @Override
  public void onMessage(Transport t, ByteBuffer utf8) {
    PusherFrame frame;
    try {
      frame = FrameCodec.decode(utf8);
    } catch (ProtocolException e) {
      core.lane().execute(() -> core.linkMalformed(this, e));
      return;
    }
    core.lane().execute(() -> core.linkFrame(this, frame));
  }

  @Override
  public void onMessage(Transport t, String text) {
    PusherFrame frame;
    try {
      frame = FrameCodec.decode(text);
    } catch (ProtocolException e) {
      core.lane().execute(() -> core.linkMalformed(this, e));
      return;
    }
    core.lane().execute(() -> core.linkFrame(this, frame));
  }

  @Override
  public void onActivity(Transport t) {
    core.lane().execute(() -> core.linkActivity(this));
  }

  @Override
  public void onClose(Transport t, int code, String reason) {
    core.lane().execute(() -> core.linkClosed(this, code, reason == null ? "" : reason));
  }

  @Override
  public void onError(Transport t, Throwable error) {
    String reason = error == null ? "unknown error" : String.valueOf(error.getMessage());
    core.lane().execute(() -> core.linkFailed(this, error == null ? null : error.getClass().getSimpleName() + ": " + reason));
  }

  @Override
  public String toString() {
    return "Link[" + attempt.transport + "]";
  }
}
