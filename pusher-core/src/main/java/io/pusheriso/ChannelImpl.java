package io.pusheriso;

import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.FrameCodec;
import io.pusheriso.protocol.ProtocolException;
import io.pusheriso.protocol.PusherEvents;
import io.pusheriso.protocol.PusherFrame;
import io.pusheriso.protocol.SubscriptionCount;
import io.pusheriso.protocol.SubscriptionError;
import io.pusheriso.spi.ChannelAuthorization;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A public channel, and the base of the other kinds: the subscription life cycle of pusher-js's
 * {@code Channel} (pending, cancelled, subscribed), authorization for the kinds that need it, and
 * event dispatch.
 *
 * <p>Thread-safe: bindings and queries from any thread; everything else runs on the event lane.
 */
class ChannelImpl implements Channel {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelImpl.class);

  final ClientCore core;
  final String name;
  final ChannelKind kind;
  final ListenerRegistry registry = new ListenerRegistry();

  private volatile boolean subscribed;
  private final AtomicReference<CompletableFuture<Channel>> subscription =
      new AtomicReference<>(new CompletableFuture<>());
  private volatile int subscriptionCount = -1;
  private boolean pending;
  private boolean cancelled;
  private int attempt;

  ChannelImpl(ClientCore core, String name, ChannelKind kind) {
    this.core = core;
    this.name = name;
    this.kind = kind;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final boolean isSubscribed() {
    return subscribed;
  }

  @Override
  public final CompletionStage<Channel> subscription() {
    return subscription.get().minimalCompletionStage();
  }

  @Override
  public final OptionalInt subscriptionCount() {
    int c = subscriptionCount;
    return c < 0 ? OptionalInt.empty() : OptionalInt.of(c);
  }

  @Override
  public final PusherEventListener bind(String eventName, PusherEventListener listener) {
    return registry.bind(eventName, listener);
  }

  @Override
  public final void unbind(String eventName) {
    registry.unbind(eventName);
  }

  @Override
  public final void unbind(String eventName, PusherEventListener listener) {
    registry.unbind(eventName, listener);
  }

  @Override
  public final void unbind(PusherEventListener listener) {
    registry.unbind(listener);
  }

  @Override
  public final PusherEventListener bindGlobal(PusherEventListener listener) {
    return registry.bindGlobal(listener);
  }

  @Override
  public final void unbindGlobal(PusherEventListener listener) {
    registry.unbindGlobal(listener);
  }

  @Override
  public final void unbindGlobal() {
    registry.unbindGlobal();
  }

  @Override
  public final void unbindAll() {
    registry.unbindAll();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + (subscribed ? ", subscribed" : "") + "]";
  }

  // ---------------------------------------------------------------- lane

  final boolean pending() {
    return pending;
  }

  /** Lane: an unsubscribe arrived while the subscription is pending (pusher-js cancelSubscription). */
  final void cancel() {
    cancelled = true;
  }

  /**
   * Any thread: {@link Pusher#subscribe} was called again after a failure; the caller must see a
   * fresh stage at once, not the failed one.
   */
  final void renewFailedStage() {
    subscription.updateAndGet(f -> f.isCompletedExceptionally() ? new CompletableFuture<>() : f);
  }

  /**
   * Lane: subscribe() was called, or the connection (re)connected. A subscribe always revokes an
   * earlier unsubscribe's cancellation, pending or not: a cancellation left behind would make the
   * next connection loss forget a channel the user asked for last.
   */
  final void subscribeRequested() {
    cancelled = false;
    if (!pending && core.connectedOnLane()) {
      subscribeNow();
    }
  }

  private void subscribeNow() {
    if (subscribed) {
      return;
    }
    pending = true;
    cancelled = false;
    int token = ++attempt;
    subscription.updateAndGet(f -> f.isDone() ? new CompletableFuture<>() : f);
    if (!kind.requiresAuthorization()) {
      core.send(FrameCodec.subscribe(name, null, null));
      return;
    }
    String sid = core.socketId();
    core.authorizeChannel(name, sid, (auth, error) -> authorized(token, sid, auth, error));
  }

  private void authorized(int token, String sid, ChannelAuthorization auth, PusherAuthorizationException error) {
    if (token != attempt || !pending || !sid.equals(core.socketId())) {
      LOG.debug("Dropping a stale authorization of {}", name);
      return;
    }
    if (error == null && deferForSignin(auth, () -> authorized(token, sid, auth, null))) {
      return;
    }
    if (error == null) {
      String problem = accept(auth);
      if (problem != null) {
        error = new PusherAuthorizationException(problem, null);
      }
    }
    if (error != null) {
      subscriptionFailed(error);
      return;
    }
    core.send(FrameCodec.subscribe(name, auth.auth(), auth.channelData()));
  }

  /**
   * Lane: presence channels authorized without channel_data wait for a sign-in in progress (they
   * take the signed-in user's id, as pusher-js 7.4); returns true when {@code retry} was parked.
   */
  boolean deferForSignin(ChannelAuthorization auth, Runnable retry) {
    return false;
  }

  /**
   * Lane: takes what the kind needs from a successful authorization (presence: my id; encrypted:
   * the key). Returns a problem description, or null when it is usable.
   */
  String accept(ChannelAuthorization auth) {
    return null;
  }

  private void subscriptionFailed(PusherAuthorizationException error) {
    pending = false;
    LOG.warn("Subscription to {} failed: {}", name, error.getMessage());
    emitLocal(
        PusherFrame.ofJsonData(
            PusherEvents.SUBSCRIPTION_ERROR, name, Json.error("AuthError", error.getMessage(), error.status()), null));
    subscription.get().completeExceptionally(error);
    if (cancelled) {
      core.forget(this);
    }
  }

  /** Lane: a frame for this channel. */
  final void handle(PusherFrame frame) {
    String event = frame.event();
    switch (event) {
      case PusherEvents.INTERNAL_SUBSCRIPTION_SUCCEEDED -> succeeded(frame);
      case PusherEvents.INTERNAL_SUBSCRIPTION_COUNT -> {
        try {
          subscriptionCount = SubscriptionCount.from(frame).count();
        } catch (ProtocolException e) {
          LOG.warn("Ignoring a malformed subscription_count on {}: {}", name, e.getMessage());
          return;
        }
        emitLocal(renamed(frame, PusherEvents.SUBSCRIPTION_COUNT));
      }
      case PusherEvents.SUBSCRIPTION_ERROR -> serverSubscriptionError(frame);
      default -> {
        if (ClientCore.isInternal(event)) {
          handleInternal(frame);
        } else {
          handleEvent(frame);
        }
      }
    }
  }

  private void succeeded(PusherFrame frame) {
    pending = false;
    subscribed = true;
    if (cancelled) {
      core.unsubscribeOnLane(name);
      return;
    }
    onSucceeded(frame);
    emitLocal(renamed(frame, PusherEvents.SUBSCRIPTION_SUCCEEDED));
    subscription.get().complete(this);
  }

  private void serverSubscriptionError(PusherFrame frame) {
    pending = false;
    PusherException error;
    try {
      SubscriptionError e = SubscriptionError.from(frame);
      String message = "The server refused the subscription to '" + name + "': " + (e.error() == null ? e.type() : e.error());
      error =
          e.status() != null
              ? new PusherAuthorizationException(e.status(), message)
              : new PusherException(message);
    } catch (ProtocolException e) {
      error = new PusherException("The server refused the subscription to '" + name + "'");
    }
    deliver(core.event(frame));
    subscription.get().completeExceptionally(error);
    if (cancelled) {
      core.forget(this);
    }
  }

  /** Lane: the subscription succeeded; presence channels read the member list here. */
  void onSucceeded(PusherFrame frame) {}

  /** Lane: a {@code pusher_internal:} event other than the subscription ones. */
  void handleInternal(PusherFrame frame) {}

  /** Lane: an application event (or a server {@code pusher:} event); encrypted channels decrypt. */
  void handleEvent(PusherFrame frame) {
    deliver(core.event(frame));
  }

  /** Lane: to this channel's listeners and the client-wide ones. */
  final void deliver(PusherEvent event) {
    registry.emit(event);
    core.global().emit(event);
  }

  /** Lane: to this channel's listeners only (events the client synthesises). */
  final void emitLocal(PusherFrame frame) {
    registry.emit(core.event(frame));
  }

  /** Lane: the connection left the connected state. */
  void disconnected() {
    subscribed = false;
    pending = false;
    if (cancelled) {
      core.forget(this);
    }
  }

  /** Lane: the channel left the client (unsubscribed or closed). */
  void removed() {
    subscribed = false;
    pending = false;
    if (!subscription.get().isDone()) {
      subscription.get().completeExceptionally(
          new PusherException("Unsubscribed from '" + name + "' before the subscription succeeded"));
    }
  }

  /** Lane: whether the subscription is confirmed and the connection up. */
  final boolean canTrigger() {
    return subscribed && core.socketId() != null;
  }

  static PusherFrame renamed(PusherFrame frame, String event) {
    if (!frame.hasData()) {
      return PusherFrame.of(event, frame.channel(), null, frame.userId());
    }
    if (frame.isDataString()) {
      return PusherFrame.of(event, frame.channel(), frame.data(), frame.userId());
    }
    return PusherFrame.ofJsonData(event, frame.channel(), frame.rawData(), frame.userId());
  }
}
