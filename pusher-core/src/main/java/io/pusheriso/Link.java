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
 * core checks whether this link is still the one it uses.
 *
 * <p>The listener methods may be called from any thread (serialized per transport, as the SPI
 * promises); the other methods run on the event lane.
 */
final class Link implements TransportListener {

  private final ClientCore core;
  private final ConnectionStrategy.Loop loop;
  private final TransportKind kind;
  private volatile Transport transport;
  private boolean abandoned;

  Link(ClientCore core, ConnectionStrategy.Loop loop, TransportKind kind) {
    this.core = core;
    this.loop = loop;
    this.kind = kind;
  }

  TransportKind kind() {
    return kind;
  }

  ConnectionStrategy.Loop loop() {
    return loop;
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

  boolean abandoned() {
    return abandoned;
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
    return "Link[" + kind.wireName() + (loop != null && loop.tls() ? "/tls" : "") + "]";
  }
}
