package io.pusheriso.transport.jetty.internal;

import io.pusheriso.PusherConnectionException;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not for public use, may change at any time. One WebSocket connection: the {@link Transport}
 * handed to the core and the Jetty {@link Session.Listener} of its session.
 *
 * <p>Thread-safe. Jetty calls the listener methods from its I/O threads; they are turned into
 * {@link TransportListener} calls through a {@link SerialLane}, so those are serialized, never
 * reentrant, and end with exactly one terminal call.
 */
public final class JettyTransport implements Transport, Session.Listener.AutoDemanding {
  private static final Logger LOG = LoggerFactory.getLogger(JettyTransport.class);

  private enum State {
    CONNECTING,
    OPEN,
    CLOSING,
    DONE
  }

  private final URI uri;
  private final Duration connectTimeout;
  private final int maxFrameBytes;
  private final Duration idleTimeout;
  private final Duration closeTimeout;
  private final TransportListener listener;
  private final Executor executor;
  private final Consumer<JettyTransport> onTerminated;
  private final SerialLane lane = new SerialLane();
  private final Callback sendCallback;

  private final Object lock = new Object();
  // Guarded by lock.
  private State state = State.CONNECTING;
  private Session session;
  private CompletableFuture<Session> connecting;
  private Scheduler.Task connectTimer;
  private int closeCode;
  private String closeReason;
  // Written under lock; read without it by send(), which must not block.
  private volatile Session openSession;
  private final Object pongLock = new Object();
  // Guarded by pongLock: a pong is being written; the payload of the latest ping not answered.
  private boolean pongInFlight;
  private ByteBuffer pendingPong;
  // Confined to the lane: set by the terminal call, after which nothing more reaches the listener.
  private boolean ended;

  JettyTransport(
      TransportRequest request,
      TransportListener listener,
      Duration idleTimeout,
      Duration closeTimeout,
      Executor executor,
      Consumer<JettyTransport> onTerminated) {
    this.uri = request.uri();
    this.connectTimeout = request.connectTimeout();
    this.maxFrameBytes = request.maxFrameBytes();
    this.listener = listener;
    this.idleTimeout = idleTimeout;
    this.closeTimeout = closeTimeout;
    this.executor = executor;
    this.onTerminated = onTerminated;
    this.sendCallback =
        Callback.from(
            () -> {},
            failure ->
                LOG.debug(
                    "A message to {} was not sent; the close or error follows", uri, failure));
  }

  /** Remembers the handshake in progress and arms the connect timeout. */
  void connecting(CompletableFuture<Session> future, Scheduler scheduler) {
    boolean abandon;
    synchronized (lock) {
      abandon = state == State.DONE;
      if (state == State.CONNECTING) {
        connecting = future;
        connectTimer =
            scheduler.schedule(
                this::connectTimedOut, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      // Otherwise OPEN or CLOSING: Jetty opened the session on its thread before connect()
      // returned here, and there is nothing left to time out.
    }
    if (abandon) {
      // Closed (or timed out) while connect() was still running.
      future.cancel(true);
      return;
    }
    future.whenComplete(
        (openedSession, failure) -> {
          if (failure != null) {
            failedBeforeOpen(failure);
          }
        });
  }

  /** The handshake could not be started or failed. */
  void failedBeforeOpen(Throwable failure) {
    synchronized (lock) {
      if (state != State.CONNECTING) {
        return;
      }
      terminateLocked();
    }
    PusherConnectionException error = Failures.describe(uri, failure, connectTimeout);
    lane.executeOn(executor, end(() -> listener.onError(this, error)));
  }

  private void connectTimedOut() {
    CompletableFuture<Session> future;
    synchronized (lock) {
      if (state != State.CONNECTING) {
        return;
      }
      future = connecting;
      terminateLocked();
    }
    if (future != null) {
      // Aborts the upgrade request; a session that opens anyway is disconnected in onWebSocketOpen.
      future.cancel(true);
    }
    lane.execute(end(() -> listener.onError(this, Failures.timedOut(uri, connectTimeout, null))));
  }

  @Override
  public TransportKind kind() {
    return TransportKind.WEBSOCKET;
  }

  @Override
  public boolean send(String text) {
    Objects.requireNonNull(text, "text");
    Session current = openSession;
    if (current == null || !current.isOpen()) {
      return false;
    }
    current.sendText(text, sendCallback);
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Before the connection opens, this abandons the handshake and reports {@code onClose} with
   * this code and reason. Once open, the listener hears {@code onClose} when the server answers the
   * close frame, or after the close timeout with this code and reason.
   *
   * @throws IllegalArgumentException if {@code code} may not be sent in a close frame (RFC 6455
   *     7.4: 1000-1003, 1007-1014 or 3000-4999)
   */
  @Override
  public void close(int code, String reason) {
    if (!sendable(code)) {
      throw new IllegalArgumentException(
          "Close code " + code + " cannot be sent in a close frame; use 1000 or 3000-4999");
    }
    String why = reason == null ? "" : reason;
    Session toClose;
    CompletableFuture<Session> toAbort = null;
    synchronized (lock) {
      switch (state) {
        case CONNECTING:
          toAbort = connecting;
          terminateLocked();
          toClose = null;
          break;
        case OPEN:
          state = State.CLOSING;
          closeCode = code;
          closeReason = why;
          openSession = null;
          toClose = session;
          break;
        default:
          return;
      }
    }
    if (toClose == null) {
      if (toAbort != null) {
        toAbort.cancel(true);
      }
      lane.executeOn(executor, end(() -> listener.onClose(this, code, why)));
      return;
    }
    // A server that never answers the close frame would otherwise hold the connection forever
    // (the idle timeout is off while open): Jetty drops it after this timeout.
    toClose.setIdleTimeout(closeTimeout);
    toClose.close(
        code,
        why,
        Callback.from(
            () -> {}, failure -> LOG.debug("Sending the close frame to {} failed", uri, failure)));
  }

  /** RFC 6455 section 7.4: the codes an endpoint may put in a close frame. */
  private static boolean sendable(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }

  /** The factory is closing: close like {@link #close} with 1001, and give up on the handshake. */
  void shutdown() {
    close(StatusCode.SHUTDOWN, "Transport factory closed");
  }

  /** After the Jetty client stopped: report the end if Jetty did not. */
  void abandon() {
    int code;
    String reason;
    synchronized (lock) {
      if (state == State.DONE) {
        return;
      }
      code = state == State.CLOSING ? closeCode : StatusCode.SHUTDOWN;
      reason = state == State.CLOSING ? closeReason : "Transport factory closed";
      terminateLocked();
    }
    lane.execute(end(() -> listener.onClose(this, code, reason)));
  }

  @Override
  public void onWebSocketOpen(Session opened) {
    boolean keep;
    synchronized (lock) {
      keep = state == State.CONNECTING;
      if (keep) {
        // Configure before the first frame is read: demand starts after this method returns.
        opened.setMaxTextMessageSize(maxFrameBytes);
        opened.setMaxBinaryMessageSize(maxFrameBytes);
        // Refuse a frame whose header announces more than the limit at once: with Jetty's default
        // auto-fragmentation it would be read piece by piece, and a server that announces a huge
        // frame and stalls would hold the connection until the Pusher ping timed out.
        opened.setMaxFrameSize(maxFrameBytes);
        opened.setAutoFragment(false);
        opened.setIdleTimeout(idleTimeout);
        state = State.OPEN;
        session = opened;
        openSession = opened;
        cancelConnectTimerLocked();
      }
    }
    if (!keep) {
      // close() or the connect timeout already ended this transport: nobody wants this session.
      opened.disconnect();
      return;
    }
    lane.execute(event(() -> listener.onOpen(this)));
  }

  @Override
  public void onWebSocketText(String message) {
    lane.execute(event(() -> listener.onMessage(this, message)));
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    // Pusher sends only text, and the listener takes text messages only: like a pong, a binary
    // message merely shows the connection is alive (as in the Netty transport).
    callback.succeed();
    activity();
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    // Implementing this method turns off Jetty's automatic pong, so answer here.
    ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
    copy.put(payload.duplicate()).flip();
    boolean sendNow;
    synchronized (pongLock) {
      // RFC 6455 5.5.3: while a pong is still waiting to be written (the server does not read),
      // answer only the most recent ping once it is: a ping flood cannot pile pongs up here.
      sendNow = !pongInFlight;
      if (sendNow) {
        pongInFlight = true;
      } else {
        pendingPong = copy;
      }
    }
    if (sendNow) {
      sendPong(copy);
    }
    activity();
  }

  private void sendPong(ByteBuffer payload) {
    Session current = openSession;
    if (current == null) {
      synchronized (pongLock) {
        pongInFlight = false;
        pendingPong = null;
      }
      return;
    }
    current.sendPong(payload, Callback.from(this::pongWritten, failure -> pongWritten()));
  }

  /** The pong in flight was written (or failed): send the latest ping's pong, if one came. */
  private void pongWritten() {
    ByteBuffer next;
    synchronized (pongLock) {
      next = pendingPong;
      pendingPong = null;
      pongInFlight = next != null;
    }
    if (next != null) {
      sendPong(next);
    }
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    activity();
  }

  private void activity() {
    lane.execute(event(() -> listener.onActivity(this)));
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    State before;
    int code;
    String reason;
    synchronized (lock) {
      before = state;
      if (before == State.DONE) {
        return;
      }
      code = closeCode;
      reason = closeReason;
      terminateLocked();
    }
    if (before == State.CONNECTING) {
      PusherConnectionException error = Failures.describe(uri, cause, connectTimeout);
      lane.execute(end(() -> listener.onError(this, error)));
    } else if (before == State.CLOSING) {
      // The caller asked to close; how the connection then ended (close timeout, reset) does not
      // change that it is closed.
      lane.execute(end(() -> listener.onClose(this, code, reason)));
    } else if (cause instanceof MessageTooLargeException) {
      String why = "A message exceeded the maxFrameBytes limit of " + maxFrameBytes + " bytes";
      lane.execute(end(() -> listener.onClose(this, StatusCode.MESSAGE_TOO_LARGE, why)));
    } else {
      PusherConnectionException error = Failures.describe(uri, cause, connectTimeout);
      lane.execute(end(() -> listener.onError(this, error)));
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    callback.succeed();
    synchronized (lock) {
      if (state == State.DONE) {
        return;
      }
      terminateLocked();
    }
    String why = reason == null ? "" : reason;
    lane.execute(end(() -> listener.onClose(this, statusCode, why)));
  }

  /** A non-terminal call, dropped once the terminal one ran. */
  private Runnable event(Runnable call) {
    return () -> {
      if (!ended) {
        call.run();
      }
    };
  }

  /** The terminal call: runs once, and only if no other terminal call ran before it. */
  private Runnable end(Runnable call) {
    return () -> {
      if (!ended) {
        ended = true;
        call.run();
      }
    };
  }

  private void terminateLocked() {
    state = State.DONE;
    openSession = null;
    cancelConnectTimerLocked();
    onTerminated.accept(this);
  }

  private void cancelConnectTimerLocked() {
    if (connectTimer != null) {
      connectTimer.cancel();
      connectTimer = null;
    }
  }

  @Override
  public String toString() {
    State current;
    synchronized (lock) {
      current = state;
    }
    return "JettyTransport{"
        + uri.getScheme()
        + "://"
        + uri.getHost()
        + ":"
        + uri.getPort()
        + ", "
        + current
        + "}";
  }
}
