package io.pusheriso;

import io.pusheriso.protocol.FrameCodec;
import io.pusheriso.protocol.ProtocolException;
import io.pusheriso.protocol.PusherEvents;
import io.pusheriso.protocol.PusherFrame;
import io.pusheriso.protocol.SigninSuccess;
import io.pusheriso.protocol.WatchlistEvents;
import io.pusheriso.spi.UserAuthenticator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed-in user, as pusher-js's {@code UserFacade}: once {@link #signin()} was requested,
 * every connection authenticates and sends {@code pusher:signin}; {@code pusher:signin_success}
 * gives the id, and the client subscribes to {@code #server-to-user-<id>}, whose events (except
 * {@code pusher:} and {@code pusher_internal:} ones) reach the user's bindings.
 *
 * <p>Thread-safe: bindings from any thread, state on the event lane, {@link #id()} volatile.
 */
final class UserImpl implements User {

  private static final Logger LOG = LoggerFactory.getLogger(UserImpl.class);
  private static final String SERVER_TO_USER_PREFIX = "#server-to-user-";

  private final ClientCore core;
  private final ListenerRegistry registry = new ListenerRegistry();
  private final List<WatchlistListener> watchlistListeners = new CopyOnWriteArrayList<>();
  private volatile String userId;
  private String serverToUserChannel;
  private boolean requested;
  private boolean inProgress;
  private final List<Runnable> signinWaiters = new ArrayList<>();
  private int attempt;

  UserImpl(ClientCore core) {
    this.core = core;
  }

  @Override
  public Optional<String> id() {
    return Optional.ofNullable(userId);
  }

  @Override
  public PusherEventListener bind(String eventName, PusherEventListener listener) {
    return registry.bind(eventName, listener);
  }

  @Override
  public void unbind(String eventName) {
    registry.unbind(eventName);
  }

  @Override
  public void unbind(String eventName, PusherEventListener listener) {
    registry.unbind(eventName, listener);
  }

  @Override
  public PusherEventListener bindGlobal(PusherEventListener listener) {
    return registry.bindGlobal(listener);
  }

  @Override
  public void unbindGlobal(PusherEventListener listener) {
    registry.unbindGlobal(listener);
  }

  @Override
  public void unbindAll() {
    registry.unbindAll();
  }

  @Override
  public WatchlistListener addWatchlistListener(WatchlistListener listener) {
    watchlistListeners.add(Objects.requireNonNull(listener, "listener"));
    return listener;
  }

  @Override
  public void removeWatchlistListener(WatchlistListener listener) {
    watchlistListeners.remove(listener);
  }

  @Override
  public String toString() {
    return "User[" + (userId == null ? "not signed in" : userId) + "]";
  }

  // ---------------------------------------------------------------- lane

  /** Lane: {@link Pusher#signin()}. */
  void signin() {
    if (requested) {
      return;
    }
    requested = true;
    if (core.connectedOnLane()) {
      authenticate();
    }
  }

  void connected() {
    if (requested) {
      authenticate();
    }
  }

  void disconnected() {
    userId = null;
    serverToUserChannel = null;
    attempt++;
    signinDone();
  }

  /** Lane: whether a sign-in was sent or is being authenticated and has not finished yet. */
  boolean signinInProgress() {
    return requested && inProgress;
  }

  /** Lane: runs {@code task} once the sign-in in progress succeeds or fails. */
  void whenSigninDone(Runnable task) {
    signinWaiters.add(task);
  }

  private void signinDone() {
    inProgress = false;
    if (!signinWaiters.isEmpty()) {
      List<Runnable> waiting = List.copyOf(signinWaiters);
      signinWaiters.clear();
      waiting.forEach(Runnable::run);
    }
  }

  private void authenticate() {
    UserAuthenticator authenticator = core.options().userAuthenticator().orElse(null);
    if (authenticator == null) {
      signinFailed(
          new PusherAuthorizationException(
              "signin() needs a UserAuthenticator: set PusherOptions.builder(..).userAuthenticator(..)", null));
      return;
    }
    int token = ++attempt;
    String sid = core.socketId();
    inProgress = true;
    core.callAsync(
        "user authentication",
        () -> authenticator.authenticate(sid),
        (auth, error) -> {
          if (token != attempt || !sid.equals(core.socketId())) {
            return;
          }
          if (error != null) {
            signinFailed(error);
          } else {
            core.send(FrameCodec.signin(auth.auth(), auth.userData()));
          }
        });
  }

  private void signinFailed(PusherAuthorizationException error) {
    LOG.warn("Sign-in failed: {}", error.getMessage());
    userId = null;
    signinDone();
    registry.emit(
        PusherEvent.of(
            PusherFrame.ofJsonData(
                PusherEvents.SIGNIN_ERROR, null, Json.error("AuthError", error.getMessage(), error.status()), null)));
  }

  void signinSucceeded(PusherFrame frame) {
    String id;
    try {
      id = SigninSuccess.from(frame).userId();
    } catch (ProtocolException e) {
      LOG.error("Unusable pusher:signin_success ({}); not signed in", e.getMessage());
      signinFailed(new PusherAuthorizationException("Unusable pusher:signin_success: " + e.getMessage(), e));
      return;
    }
    userId = id;
    serverToUserChannel = SERVER_TO_USER_PREFIX + id;
    core.send(FrameCodec.subscribe(serverToUserChannel, null, null));
    registry.emit(core.event(frame));
    signinDone();
  }

  boolean isServerToUserChannel(String channel) {
    return channel.equals(serverToUserChannel);
  }

  void userFrame(PusherFrame frame) {
    String event = frame.event();
    if (event.startsWith("pusher:") || event.startsWith("pusher_internal:")) {
      return;
    }
    registry.emit(core.event(frame));
  }

  void watchlist(PusherFrame frame) {
    WatchlistEvents events;
    try {
      events = WatchlistEvents.from(frame);
    } catch (ProtocolException e) {
      LOG.warn("Ignoring malformed watchlist events: {}", e.getMessage());
      return;
    }
    for (WatchlistEvents.Change change : events.changes()) {
      List<String> ids = List.copyOf(change.userIds());
      for (WatchlistListener l : watchlistListeners) {
        try {
          if ("online".equals(change.name())) {
            l.onOnline(ids);
          } else if ("offline".equals(change.name())) {
            l.onOffline(ids);
          }
        } catch (RuntimeException | AssertionError e) {
          LOG.warn("Watchlist listener {} threw; others still get the change", l, e);
        }
      }
    }
  }
}
