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

  /** Most frames one lane task delivers before it lets the lane's other tasks run. */
  private static final int BATCH = 64;

  private final ClientCore core;
  private final ConnectionStrategy.Attempt attempt;
  /** Waiting frames: a {@link PusherFrame} for the common case, else a {@link Received}. */
  private final Queue<Object> received = new ConcurrentLinkedQueue<>();
  /** Whether a {@link #drain} task is queued on or running in the lane. */
  private final AtomicBoolean drainPosted = new AtomicBoolean();
  /** One task for every burst, so a frame costs the lane no task object of its own. */
  private final Runnable drain = this::drain;
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
    Object r;
    try {
      PusherFrame frame = FrameCodec.decode(utf8);
      r = frame.hasData() || !DataField.present(utf8) ? frame : new Received(frame, true, null, null);
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
    Object r;
    try {
      PusherFrame frame = FrameCodec.decode(text);
      r = frame.hasData() || !DataField.present(text) ? frame : new Received(frame, true, null, null);
    } catch (ProtocolException e) {
      r = new Received(null, false, e, text.substring(0, Math.min(text.length(), RAW_BYTES)));
    }
    enqueue(r);
  }

  /**
   * Transport thread: queues a frame for the lane, or drops the connection when too many wait. Only
   * the frame that finds no drain posted posts one: a burst costs one lane task (and at most one
   * wake-up of the lane's thread), not one per frame.
   */
  private void enqueue(Object r) {
    if (!core.reserveFrame()) {
      overflow();
      return;
    }
    received.add(r);
    if (drainPosted.compareAndSet(false, true)) {
      core.lane().execute(drain);
    }
  }

  /**
   * Lane: delivers the waiting frames in order. After {@link #BATCH} frames it goes back to the end
   * of the lane, so a busy connection does not starve the client's other lane work; {@link
   * #onClose} and {@link #onError} deliver what still waits first, so no frame is seen after the end
   * of its transport.
   */
  private void drain() {
    for (int i = 0; i < BATCH; i++) {
      if (!deliverNext()) {
        drainPosted.set(false);
        // A frame queued after the failed poll saw the flag still set and posted nothing: take it.
        if (received.isEmpty() || !drainPosted.compareAndSet(false, true)) {
          return;
        }
      }
    }
    core.lane().execute(drain);
  }

  /** Lane: delivers every frame still waiting (before the end of the transport is reported). */
  private void deliverWaiting() {
    while (deliverNext()) {
      // each call delivers one frame
    }
  }

  /** Lane: hands the oldest waiting frame to the core; false when none waits (as after an overflow). */
  private boolean deliverNext() {
    Object o = received.poll();
    if (o == null) {
      return false;
    }
    core.releaseFrame();
    if (o instanceof PusherFrame frame) {
      core.linkFrame(this, frame, false);
    } else {
      Received r = (Received) o;
      if (r.frame != null) {
        core.linkFrame(this, r.frame, r.nullData);
      } else {
        core.linkMalformed(this, r.error, r.raw);
      }
    }
    return true;
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
    core.lane().execute(
        () -> {
          deliverWaiting();
          core.linkClosed(this, code, reason == null ? "" : reason);
        });
  }

  @Override
  public void onError(Transport t, Throwable error) {
    core.lane().execute(
        () -> {
          deliverWaiting();
          core.linkFailed(this, error);
        });
  }

  @Override
  public String toString() {
    return "Link[" + attempt.transport + "]";
  }
}
