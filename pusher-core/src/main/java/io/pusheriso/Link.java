package io.pusheriso;

import io.pusheriso.protocol.FrameCodec;
import io.pusheriso.protocol.ProtocolException;
import io.pusheriso.protocol.PusherFrame;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One transport, from the attempt to open it until it closes: the listener the core gives to a
 * {@link io.pusheriso.spi.TransportFactory}. Frames are decoded here, on the transport's I/O
 * thread (the codec copies what it keeps), and everything is handed to the event lane, where the
 * core checks whether this link is still the one it uses, or still an attempt of the search.
 *
 * <p>Received frames wait in this link's own queue, counted against the client's {@link
 * PusherOptions#maxPendingEvents()}: the SPI has no way to slow a transport down, so when the
 * listeners fall that far behind, the link drops the frames still waiting (freeing them at once),
 * ignores what else arrives, closes its transport and tells the core, which reconnects.
 *
 * <p>The listener methods may be called from any thread (serialized per transport, as the SPI
 * promises); the other methods run on the event lane.
 */
final class Link implements TransportListener {

  /** The most UTF-8 bytes read to show an undecodable frame (enough for its first 1,024 chars). */
  private static final int RAW_BYTES = 4 * PusherProtocolException.RAW_FRAME_LIMIT;

  private final ClientCore core;
  private final ConnectionStrategy.Attempt attempt;
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean activityPosted = new AtomicBoolean();
  private volatile Transport transport;
  private volatile boolean overflowed;
  private boolean abandoned;
  private long openedAt = -1;

  Link(ClientCore core, ConnectionStrategy.Attempt attempt) {
    this.core = core;
    this.attempt = attempt;
  }

  /** A frame waiting for the lane: decoded (with whether its data was JSON null) or not. */
  private record Received(PusherFrame frame, boolean nullData, ProtocolException error, String raw) {}

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
    if (overflowed) {
      return;
    }
    Received r;
    try {
      PusherFrame frame = FrameCodec.decode(utf8);
      r = new Received(frame, !frame.hasData() && DataField.present(utf8), null, null);
    } catch (ProtocolException e) {
      ByteBuffer head = utf8.duplicate();
      head.limit(head.position() + Math.min(head.remaining(), RAW_BYTES));
      r = new Received(null, false, e, StandardCharsets.UTF_8.decode(head).toString());
    }
    enqueue(r);
  }

  @Override
  public void onMessage(Transport t, String text) {
    if (overflowed) {
      return;
    }
    Received r;
    try {
      PusherFrame frame = FrameCodec.decode(text);
      r = new Received(frame, !frame.hasData() && DataField.present(text), null, null);
    } catch (ProtocolException e) {
      r = new Received(null, false, e, text.substring(0, Math.min(text.length(), RAW_BYTES)));
    }
    enqueue(r);
  }

  /** Transport thread: queues a frame for the lane, or drops the connection when too many wait. */
  private void enqueue(Received r) {
    if (!core.reserveFrame()) {
      overflow();
      return;
    }
    received.add(r);
    core.lane().execute(this::deliverNext);
  }

  /** Lane: hands the oldest waiting frame to the core (none left after an overflow). */
  private void deliverNext() {
    Received r = received.poll();
    if (r == null) {
      return;
    }
    core.releaseFrame();
    if (r.frame != null) {
      core.linkFrame(this, r.frame, r.nullData);
    } else {
      core.linkMalformed(this, r.error, r.raw);
    }
  }

  /** Transport thread: the listeners are too far behind; drop the waiting frames and the connection. */
  private void overflow() {
    overflowed = true;
    int dropped = 0;
    while (received.poll() != null) {
      core.releaseFrame();
      dropped++;
    }
    int droppedFrames = dropped;
    core.lane().execute(() -> core.linkOverflowed(this, droppedFrames));
    Transport t = transport;
    if (t != null) {
      t.close(1000, "client listeners fell behind (maxPendingEvents)");
    }
  }

  /** Whether this link dropped its connection because its frames were not taken in time. */
  boolean overflowed() {
    return overflowed;
  }

  @Override
  public void onActivity(Transport t) {
    // One pending notice is enough: a flood of heartbeats must not fill the lane.
    if (activityPosted.compareAndSet(false, true)) {
      core.lane().execute(
          () -> {
            activityPosted.set(false);
            core.linkActivity(this);
          });
    }
  }

  @Override
  public void onClose(Transport t, int code, String reason) {
    core.lane().execute(() -> core.linkClosed(this, code, reason == null ? "" : reason));
  }

  @Override
  public void onError(Transport t, Throwable error) {
    core.lane().execute(() -> core.linkFailed(this, error));
  }

  @Override
  public String toString() {
    return "Link[" + attempt.transport + "]";
  }
}
