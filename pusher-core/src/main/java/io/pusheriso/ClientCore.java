package io.pusheriso;

import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.ChannelNames;
import io.pusheriso.protocol.FrameCodec;
import io.pusheriso.protocol.ProtocolException;
import io.pusheriso.protocol.PusherEvents;
import io.pusheriso.protocol.PusherFrame;
import io.pusheriso.protocol.ConnectionEstablished;
import io.pusheriso.protocol.state.CloseAction;
import io.pusheriso.protocol.state.ConnectionEffects;
import io.pusheriso.protocol.state.ConnectionSettings;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.protocol.state.ConnectionStateMachine;
import io.pusheriso.protocol.state.ConnectionTimer;
import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.spi.ChannelAuthorizationRequest;
import io.pusheriso.spi.ChannelAuthorizer;
import io.pusheriso.spi.Scheduler;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link Pusher}: drives the protocol's {@link ConnectionStateMachine} and owns
 * the channels, the user and the listeners of one client.
 *
 * <p>Threading: every field that is not volatile or concurrent is touched only on the event lane,
 * and so is the state machine. Public methods of the facade post to the lane; queries read
 * volatile snapshots. Transport callbacks arrive through {@link Link}, user callbacks run on the
 * lane, and nothing on the lane blocks (authorizers are asynchronous, timers go through the {@link
 * Scheduler}).
 */
final class ClientCore implements ConnectionEffects {

  private static final Logger LOG = LoggerFactory.getLogger(ClientCore.class);
  private static final Duration OWN_THREAD_KEEP_ALIVE = Duration.ofSeconds(2);
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private volatile PusherOptions options;
  private final String version;
  private final Scheduler scheduler;
  private final ThreadPoolExecutor ownExecutor;
  private final EventLane lane;
  private final TransportSelection transports;
  private final ConnectionStateMachine machine;
  private final ConnectionStrategy strategy;
  private final Map<ConnectionTimer, Scheduler.Cancellable> timers = new EnumMap<>(ConnectionTimer.class);

  private final ConcurrentHashMap<String, ChannelImpl> channels = new ConcurrentHashMap<>();
  private final ListenerRegistry global = new ListenerRegistry();
  private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
  private final UserImpl user;
  private final AtomicBoolean closed = new AtomicBoolean();

  private volatile ConnectionState state = ConnectionState.INITIALIZED;
  private volatile String socketId;
  private Link activeLink;

  /** Frames received and not yet taken by the lane, over every link (see {@link Link}). */
  private final AtomicInteger pendingFrames = new AtomicInteger();
  /** Lane: the frame being dispatched when its data was JSON null, else null. */
  private PusherFrame nullDataFrame;
  /** Lane: what the state machine's next error effect reports instead of its own text, or null. */
  private PusherException nextError;
  /** Lane: per transport, the signature of the last attempt failure reported in this outage. */
  private final Map<String, String> reportedFailures = new HashMap<>();

  ClientCore(PusherOptions options) {
    this.options = options;
    this.version = Endpoints.clientVersion();
    this.scheduler = options.scheduler().orElseGet(SystemScheduler::new);
    this.transports = TransportSelection.resolve(options);
    if (options.callbackExecutor().isPresent()) {
      this.ownExecutor = null;
      this.lane = new EventLane(options.callbackExecutor().get());
    } else {
      String threadName = "pusher-events-" + Integer.toHexString(System.identityHashCode(this));
      this.ownExecutor =
          new ThreadPoolExecutor(
              0,
              1,
              OWN_THREAD_KEEP_ALIVE.toMillis(),
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
              });
      this.lane = new EventLane(ownExecutor);
    }
    this.machine =
        new ConnectionStateMachine(
            new ConnectionSettings(
                options.tlsEnabled(),
                options.activityTimeout().toMillis(),
                options.pongTimeout().toMillis(),
                options.unavailableTimeout().toMillis()),
            this);
    this.strategy = new ConnectionStrategy(this);
    this.user = new UserImpl(this);
  }

  // ---------------------------------------------------------------- accessors (any thread)

  PusherOptions options() {
    return options;
  }

  String version() {
    return version;
  }

  EventLane lane() {
    return lane;
  }

  TransportSelection transports() {
    return transports;
  }

  ConnectionState state() {
    return state;
  }

  String socketId() {
    return socketId;
  }

  ListenerRegistry global() {
    return global;
  }

  UserImpl user() {
    return user;
  }

  Map<String, ChannelImpl> channels() {
    return channels;
  }

  List<ConnectionListener> connectionListeners() {
    return connectionListeners;
  }

  boolean isClosed() {
    return closed.get();
  }

  long now() {
    return scheduler.nowMillis();
  }

  // ---------------------------------------------------------------- public operations

  void connect() {
    ensureOpen();
    lane.execute(
        () -> {
          reportedFailures.clear();
          machine.connect(now());
        });
  }

  void disconnect() {
    if (closed.get()) {
      return;
    }
    lane.execute(() -> machine.disconnect(now()));
  }

  void reconfigure(PusherOptions newOptions) {
    ensureOpen();
    lane.execute(
        () -> {
          options = newOptions;
          strategy.forget();
          reportedFailures.clear();
          ConnectionState s = machine.state();
          if (s != ConnectionState.INITIALIZED && s != ConnectionState.DISCONNECTED) {
            machine.disconnect(now());
            machine.connect(now());
          }
        });
  }

  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    lane.execute(
        () -> {
          try {
            machine.disconnect(now());
          } catch (RuntimeException e) {
            LOG.debug("Disconnect on close failed", e);
          }
          strategy.abort();
          Link link = activeLink;
          activeLink = null;
          if (link != null) {
            link.abandon(1000, "client closed");
          }
          for (Scheduler.Cancellable c : timers.values()) {
            c.cancel();
          }
          timers.clear();
          for (ChannelImpl ch : channels.values()) {
            ch.removed();
          }
          channels.clear();
          transports.closeOwned();
          if (ownExecutor != null) {
            ownExecutor.shutdown();
          }
          done.countDown();
        });
    if (ownExecutor != null && !lane.inLane()) {
      try {
        done.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("This Pusher client is closed: create a new one");
    }
  }

  ChannelImpl subscribe(String name) {
    ChannelNames.validate(name);
    ensureOpen();
    ChannelKind kind = ChannelNames.kindOf(name);
    if (kind == ChannelKind.PRIVATE_ENCRYPTED) {
      EncryptedChannelImpl.checkAvailable();
    }
    ChannelImpl ch = channels.computeIfAbsent(name, n -> newChannel(n, kind));
    ch.renewFailedStage();
    lane.execute(() -> subscribeOnLane(ch));
    return ch;
  }

  private ChannelImpl newChannel(String name, ChannelKind kind) {
    return switch (kind) {
      case PRIVATE -> new PrivateChannelImpl(this, name, kind);
      case PRESENCE -> new PresenceChannelImpl(this, name, kind);
      case PRIVATE_ENCRYPTED -> new EncryptedChannelImpl(this, name, kind);
      default -> new ChannelImpl(this, name, kind);
    };
  }

  void unsubscribe(String name) {
    lane.execute(() -> unsubscribeOnLane(name));
  }

  // ---------------------------------------------------------------- lane: channels

  private void subscribeOnLane(ChannelImpl ch) {
    if (closed.get()) {
      return;
    }
    ChannelImpl existing = channels.putIfAbsent(ch.name(), ch);
    if (existing != null && existing != ch) {
      return;
    }
    ch.subscribeRequested();
  }

  void unsubscribeOnLane(String name) {
    ChannelImpl ch = channels.get(name);
    if (ch == null) {
      return;
    }
    if (ch.pending()) {
      ch.cancel();
      return;
    }
    channels.remove(name, ch);
    if (ch.isSubscribed() && socketId != null) {
      send(FrameCodec.unsubscribe(name));
    }
    ch.removed();
  }

  /** Lane: a cancelled subscription ended without success; forget the channel. */
  void forget(ChannelImpl ch) {
    if (channels.remove(ch.name(), ch)) {
      ch.removed();
    }
  }

  /** Lane: whether a subscription may be sent now. */
  boolean connectedOnLane() {
    return socketId != null && activeLink != null;
  }

  /** Lane: sends a frame on the current transport; drops it (logged) when there is none. */
  @Override
  public void send(String frame) {
    Link link = activeLink;
    if (link == null || !link.send(frame)) {
      LOG.debug("Not connected: a frame was dropped");
    }
  }

  /**
   * Any thread: sends a client event from the lane, after what is already queued, only if the
   * channel is still subscribed on the connection the caller saw ({@code socketIdAtCall}). The
   * caller checked that when it called; a disconnect, reconnect or unsubscribe queued before this
   * frame must not let it go out on another connection, before the channel's resubscription, or
   * after its unsubscription (pusher-js checks and sends in one step, so it never does).
   */
  void sendClientEvent(ChannelImpl channel, String socketIdAtCall, String frame, String what) {
    lane.execute(
        () -> {
          if (socketId == null || !socketId.equals(socketIdAtCall)) {
            LOG.warn("{} dropped: the connection closed before it could be sent", what);
            return;
          }
          if (channels.get(channel.name()) != channel || !channel.canTrigger()) {
            LOG.warn("{} dropped: the channel was unsubscribed before it could be sent", what);
            return;
          }
          send(frame);
        });
  }

  /**
   * Lane: asks the channel authorizer, with the options' timeout, and calls {@code onResult} on the
   * lane with either the authorization or the failure (a {@link PusherAuthorizationException}).
   */
  void authorizeChannel(
      String channel, String sid, BiConsumer<ChannelAuthorization, PusherAuthorizationException> onResult) {
    ChannelAuthorizer authorizer = options.channelAuthorizer().orElse(null);
    if (authorizer == null) {
      onResult.accept(
          null,
          new PusherAuthorizationException(
              "Channel '"
                  + channel
                  + "' needs authorization but no ChannelAuthorizer is configured: set"
                  + " PusherOptions.builder(..).channelAuthorizer(HttpChannelAuthorizer.builder(uri).build())",
              null));
      return;
    }
    callAsync(
        "authorization of channel '" + channel + "'",
        () -> authorizer.authorize(new ChannelAuthorizationRequest(sid, channel)),
        onResult);
  }

  /**
   * Lane: runs an asynchronous authorizer call with the options' timeout; {@code onResult} runs on
   * the lane exactly once.
   */
  <T> void callAsync(String what, Supplier<CompletionStage<T>> call, BiConsumer<T, PusherAuthorizationException> onResult) {
    AtomicBoolean finished = new AtomicBoolean();
    Duration timeout = options.authorizationTimeout();
    Scheduler.Cancellable timer =
        scheduleOnLane(
            () -> {
              if (finished.compareAndSet(false, true)) {
                onResult.accept(
                    null,
                    new PusherAuthorizationException(
                        what + " did not complete within " + timeout + " (authorizationTimeout)", null));
              }
            },
            timeout.toMillis());
    CompletionStage<T> stage;
    try {
      stage = call.get();
      if (stage == null) {
        throw new PusherException("the authorizer returned null instead of a CompletionStage");
      }
    } catch (RuntimeException e) {
      finished.set(true);
      timer.cancel();
      onResult.accept(null, toAuthorizationException(what, e));
      return;
    }
    stage.whenComplete(
        (value, error) ->
            lane.execute(
                () -> {
                  if (!finished.compareAndSet(false, true)) {
                    return;
                  }
                  timer.cancel();
                  if (error != null) {
                    onResult.accept(null, toAuthorizationException(what, error));
                  } else if (value == null) {
                    onResult.accept(
                        null, new PusherAuthorizationException(what + " completed with null", null));
                  } else {
                    onResult.accept(value, null);
                  }
                }));
  }

  private static PusherAuthorizationException toAuthorizationException(String what, Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof PusherAuthorizationException pae) {
      return pae;
    }
    return new PusherAuthorizationException(what + " failed: " + cause, cause);
  }

  /** Any thread: runs {@code task} on the lane after {@code delayMillis}. */
  Scheduler.Cancellable scheduleOnLane(Runnable task, long delayMillis) {
    return scheduler.schedule(() -> lane.execute(task), Duration.ofMillis(delayMillis));
  }

  // ---------------------------------------------------------------- lane: transport callbacks

  void linkOpened(Link link) {
    if (link == activeLink || link.abandoned()) {
      return;
    }
    link.markOpened(now());
    if (link.attempt().finished()) {
      link.abandon(1000, "connection attempt abandoned");
    }
  }

  /**
   * @param nullData whether the frame's {@code data} was JSON {@code null} (the frame itself says
   *     "no data" for both that and an absent field)
   */
  void linkFrame(Link link, PusherFrame frame, boolean nullData) {
    if (link == activeLink) {
      dispatch(frame, nullData, now());
    } else if (!link.attempt().finished()) {
      link.markOpened(now());
      link.attempt().handshake((core, t) -> core.handshakeFrame(link, frame, nullData, t));
    }
  }

  /** Lane: a frame to the state machine, which hands application frames back to {@link #message}. */
  private void dispatch(PusherFrame frame, boolean nullData, long t) {
    nullDataFrame = nullData ? frame : null;
    try {
      machine.frameReceived(frame, t);
    } finally {
      nullDataFrame = null;
    }
  }

  /** Lane: the event listeners see for {@code frame}, JSON null data told apart from none. */
  PusherEvent event(PusherFrame frame) {
    return PusherEvent.of(frame, frame == nullDataFrame);
  }

  /** @param raw the start of the undecodable text, for {@link PusherProtocolException#rawFrame()} */
  void linkMalformed(Link link, ProtocolException e, String raw) {
    if (link == activeLink) {
      machine.activity(now());
      LOG.warn("Ignoring a frame that cannot be decoded: {}", e.getMessage());
      notifyError(
          new PusherProtocolException("A frame from the server cannot be decoded: " + e.getMessage(), raw, e));
    } else if (!link.attempt().finished()) {
      link.markOpened(now());
      link.attempt().handshake((core, t) -> core.handshakeMalformed(link, e, raw, t));
    }
  }

  /**
   * Lane: {@code link} dropped its connection and {@code dropped} waiting frames because the
   * listeners fell {@link PusherOptions#maxPendingEvents()} frames behind. As after a clean close,
   * the client reconnects after 1 s.
   */
  void linkOverflowed(Link link, int dropped) {
    int max = options.maxPendingEvents();
    PusherConnectionException e =
        new PusherConnectionException(
            -1,
            "The listeners fell "
                + max
                + " frames behind the server (PusherOptions maxPendingEvents): the connection was"
                + " dropped with the "
                + dropped
                + " frames still waiting, and the client reconnects; events sent meanwhile are lost."
                + " Keep listeners quick (hand slow work to another thread) or raise maxPendingEvents");
    LOG.warn("{}: {}", link, e.getMessage());
    link.abandon(1000, "client listeners fell behind (maxPendingEvents)");
    if (link == activeLink) {
      activeLink = null;
      connectionLost();
      notifyError(e);
      machine.transportClosed(1000, "client listeners fell behind", now());
    } else if (!link.attempt().finished()) {
      notifyError(e);
      link.attempt().failed("too many frames waiting", null);
    }
  }

  /** Any thread: takes a place for one received frame; false when {@code maxPendingEvents} wait. */
  boolean reserveFrame() {
    if (pendingFrames.incrementAndGet() > options.maxPendingEvents()) {
      pendingFrames.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Any thread: a received frame was taken by the lane or dropped. */
  void releaseFrame() {
    pendingFrames.decrementAndGet();
  }

  /** How many received frames wait for the lane now. */
  int pendingFrames() {
    return pendingFrames.get();
  }

  /**
   * Lane: a connection attempt failed. Each transport's cause is reported once per outage: again
   * only when it changes, or after the client has connected (or been told to connect) since.
   * pusher-js reports every transport error; a client retrying an unreachable server for hours
   * would repeat the same error several times a minute, so the repeats go to the debug log.
   */
  void attemptFailed(String transport, PusherConnectionException e) {
    String signature = ConnectFailures.signature(e);
    if (signature.equals(reportedFailures.put(transport, signature))) {
      LOG.debug("{} failed again: {}", transport, e.getMessage());
      return;
    }
    LOG.debug("{} failed: {}", transport, e.getMessage());
    notifyError(e);
  }

  void linkActivity(Link link) {
    if (link == activeLink) {
      machine.activity(now());
    }
  }

  void linkClosed(Link link, int code, String reason) {
    link.ended(code, now());
    if (link == activeLink) {
      activeLink = null;
      connectionLost();
      LOG.debug("{} closed: {} {}", link, code, reason);
      machine.transportClosed(code, reason, now());
    } else if (link.opened() || ConnectionStateMachine.closeAction(code) != CloseAction.NONE) {
      // As in pusher-js's handshake, a close after opening is the attempt's outcome (its code
      // decides what happens next); so is a close whose code carries an action.
      link.attempt().handshake((core, t) -> core.handshakeClosed(link, code, reason, t));
    } else {
      link.attempt().closedBeforeOpen(code, reason);
    }
  }

  void linkFailed(Link link, Throwable error) {
    link.ended(-1, now());
    if (link == activeLink) {
      activeLink = null;
      connectionLost();
      String reason = error == null ? null : error.getClass().getSimpleName() + ": " + error.getMessage();
      LOG.debug("{} failed: {}", link, reason);
      machine.transportClosed(1006, reason == null ? "transport error" : reason, now());
    } else {
      link.attempt().failed(error);
    }
  }

  // ---------------------------------------------------------------- lane: the strategy's outcome

  /** Lane: a transport won the search; its first event now goes to the state machine. */
  void strategyWon(ConnectionStrategy.Outcome outcome) {
    Link link = outcome.link;
    LOG.debug("{} won", link);
    activeLink = link;
    reportedFailures.clear();
    long t = now();
    machine.transportOpened(t);
    outcome.event.replay(this, t);
  }

  /** Lane: the search gave up without a transport; the machine starts another at once. */
  void strategyFailed() {
    machine.transportFailed("no transport could connect", now());
  }

  void handshakeFrame(Link link, PusherFrame frame, boolean nullData, long t) {
    if (link == activeLink) {
      dispatch(withPingDelay(link, frame), nullData, t);
    }
  }

  void handshakeMalformed(Link link, ProtocolException e, String raw, long t) {
    if (link == activeLink) {
      activeLink = null;
      link.abandon(1000, "undecodable handshake");
      String message = "The server's first frame cannot be decoded: " + e.getMessage();
      nextError = new PusherProtocolException(message, raw, e);
      try {
        machine.transportFailed(message, t);
      } finally {
        nextError = null;
      }
    }
  }

  void handshakeClosed(Link link, int code, String reason, long t) {
    if (link == activeLink) {
      activeLink = null;
      machine.transportClosed(code, reason, t);
    }
  }

  /**
   * pusher-js lowers a connection's activity timeout to its transport's ping delay (set after
   * connections of that transport died young, see {@link ConnectionStrategy}). The state machine
   * takes the lower of its setting and the server's {@code activity_timeout}, so the handshake is
   * passed on with that value lowered to the ping delay.
   */
  private static PusherFrame withPingDelay(Link link, PusherFrame frame) {
    long pingDelay = link.pingDelayMillis();
    if (pingDelay <= 0 || !PusherEvents.CONNECTION_ESTABLISHED.equals(frame.event())) {
      return frame;
    }
    ConnectionEstablished established;
    try {
      established = ConnectionEstablished.from(frame);
    } catch (ProtocolException e) {
      return frame; // the machine reports it
    }
    long seconds = Math.max(1, (pingDelay + 999) / 1000);
    if (established.socketId() == null || seconds >= established.activityTimeoutSeconds()) {
      return frame;
    }
    LOG.debug("{}: pinging after {} s of silence, as its earlier connections died young", link, seconds);
    return PusherFrame.ofJsonData(
        frame.event(),
        null,
        "{\"socket_id\":" + Json.quote(established.socketId()) + ",\"activity_timeout\":" + seconds + "}",
        null);
  }

  // ---------------------------------------------------------------- ConnectionEffects (lane)

  @Override
  public void openTransport(boolean tls) {
    strategy.start(tls);
  }

  @Override
  public void closeTransport(int code, String reason) {
    strategy.abort();
    Link link = activeLink;
    activeLink = null;
    if (link != null) {
      link.abandon(code, reason);
    }
    connectionLost();
  }

  /**
   * Lane: the transport is gone. The machine may stay {@code connected} for the second before its
   * retry (as pusher-js), but channels and the user are no longer subscribed or signed in, and
   * {@link #socketId()} is empty, from now on.
   */
  private void connectionLost() {
    socketId = null;
    for (ChannelImpl ch : List.copyOf(channels.values())) {
      ch.disconnected();
    }
    user.disconnected();
  }

  @Override
  public void schedule(ConnectionTimer timer, long delayMillis) {
    cancel(timer);
    Scheduler.Cancellable[] self = new Scheduler.Cancellable[1];
    self[0] =
        scheduleOnLane(
            () -> {
              if (timers.get(timer) == self[0] && self[0] != null) {
                timers.remove(timer);
                machine.timerFired(timer, now());
              }
            },
            delayMillis);
    timers.put(timer, self[0]);
  }

  @Override
  public void cancel(ConnectionTimer timer) {
    Scheduler.Cancellable c = timers.remove(timer);
    if (c != null) {
      c.cancel();
    }
  }

  @Override
  public void stateChanged(ConnectionState previous, ConnectionState current) {
    state = current;
    if (current == ConnectionState.CONNECTED) {
      String sid = machine.socketId();
      if (sid != null) {
        socketId = sid;
      }
    } else {
      connectionLost();
    }
    LOG.debug("State {} -> {}", previous.wireName(), current.wireName());
    ConnectionStateChange change = new ConnectionStateChange(previous, current);
    notifyListeners(l -> l.onStateChange(change));
  }

  @Override
  public void connectingIn(long delayMillis) {
    Duration delay = Duration.ofMillis(delayMillis);
    notifyListeners(l -> l.onConnectingIn(delay));
  }

  @Override
  public void connected(String sid) {
    socketId = sid;
    for (ChannelImpl ch : List.copyOf(channels.values())) {
      ch.subscribeRequested();
    }
    user.connected();
  }

  @Override
  public void error(int code, String message) {
    PusherException e = nextError;
    nextError = null;
    notifyError(e != null ? e : new PusherConnectionException(code, message == null ? "" : message));
  }

  @Override
  public void message(PusherFrame frame) {
    String event = frame.event();
    String channel = frame.channel();
    if (PusherEvents.SIGNIN_SUCCESS.equals(event)) {
      user.signinSucceeded(frame);
      global.emit(event(frame));
      return;
    }
    if (PusherEvents.INTERNAL_WATCHLIST_EVENTS.equals(event)) {
      user.watchlist(frame);
      return;
    }
    if (channel != null && user.isServerToUserChannel(channel)) {
      user.userFrame(frame);
      if (!isInternal(event)) {
        global.emit(event(frame));
      }
      return;
    }
    ChannelImpl ch = channel == null ? null : channels.get(channel);
    if (ch != null) {
      ch.handle(frame);
    } else if (!isInternal(event)) {
      global.emit(event(frame));
    }
  }

  static boolean isInternal(String event) {
    return event.startsWith("pusher_internal:");
  }

  private void notifyError(PusherException e) {
    notifyListeners(l -> l.onError(e));
  }

  private void notifyListeners(Consumer<ConnectionListener> call) {
    for (ConnectionListener l : connectionListeners) {
      try {
        call.accept(l);
      } catch (RuntimeException | AssertionError e) {
        LOG.warn("Connection listener {} threw; other listeners still get the event", l, e);
      }
    }
  }
}
