package io.pusheriso;

import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.ChannelNames;
import io.pusheriso.protocol.state.ConnectionState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A client of one Pusher Channels application: the Java counterpart of pusher-js's {@code Pusher}.
 *
 * <pre>{@code
 * try (Pusher pusher = new Pusher(PusherOptions.builder("app-key").cluster("eu")
 *         .channelAuthorizer(HttpChannelAuthorizer.builder(URI.create("https://example.com/pusher/auth")).build())
 *         .build())) {
 *   Channel channel = pusher.subscribe("my-channel");
 *   channel.bind("my-event", event -> System.out.println(event.data()));
 *   pusher.connect();
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Threading.</b> Every public method is thread-safe and returns at once. Each client owns one
 * serial event lane: all state changes happen there and every callback (connection listeners,
 * event listeners, subscription stages) runs there, one at a time, in order; on the {@linkplain
 * PusherOptions#callbackExecutor() callback executor} when one is given, else on a private daemon
 * thread named {@code pusher-events-<id>} that exists only while there is work. Listeners must not
 * block. A listener that throws is logged and the others still run.
 *
 * <p><b>Connection.</b> {@link #connect()} starts connecting and keeps the client connected:
 * after a dropped connection it reconnects as pusher-js does (close codes 4000-4099 and 4300+
 * stop it), then subscribes every channel again with a fresh authorization for the new socket id
 * and repeats the sign-in. Bindings are never lost.
 *
 * <p><b>Lifecycle.</b> {@link #close()} disconnects, releases what the client created (its thread,
 * transport factories found on the class path) and is idempotent. It never shuts down an executor
 * or transport factory passed in the options. A closed client cannot connect again.
 */
public final class Pusher implements AutoCloseable {

  private final ClientCore core;

  /**
   * Creates a client; it does not connect until {@link #connect()}.
   *
   * @throws PusherException when no transport is available (the message names the artifacts to
   *     add)
   */
  public Pusher(PusherOptions options) {
    this.core = new ClientCore(Objects.requireNonNull(options, "options"));
  }

  /** The engine, for tests in this package. */
  ClientCore core() {
    return core;
  }

  /** The options currently in use (they change with {@link #switchCluster}). */
  public PusherOptions options() {
    return core.options();
  }

  // ---------------------------------------------------------------- connection

  /**
   * Starts connecting (or does nothing when already connecting or connected).
   *
   * @throws IllegalStateException when the client is closed
   */
  public void connect() {
    core.connect();
  }

  /** Closes the connection and stays disconnected until {@link #connect()}; keeps channels. */
  public void disconnect() {
    core.disconnect();
  }

  /**
   * Disconnects and releases the client's own resources; idempotent. When the client runs its
   * own thread, waits briefly for the connection to be closed.
   */
  @Override
  public void close() {
    core.close();
  }

  /** The current connection state. */
  public ConnectionState state() {
    return core.state();
  }

  /** The socket id of the current connection, when connected. */
  public Optional<String> socketId() {
    return Optional.ofNullable(core.socketId());
  }

  /** Adds a connection listener; returns it. */
  public ConnectionListener addConnectionListener(ConnectionListener listener) {
    core.connectionListeners().add(Objects.requireNonNull(listener, "listener"));
    return listener;
  }

  /**
   * Calls {@code action} each time the connection enters {@code state} (pusher-js's per-state
   * events such as {@code connected}); returns the listener, for {@link
   * #removeConnectionListener}.
   */
  public ConnectionListener onState(ConnectionState state, Consumer<ConnectionStateChange> action) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(action, "action");
    return addConnectionListener(
        new ConnectionListener() {
          @Override
          public void onStateChange(ConnectionStateChange change) {
            if (change.current() == state) {
              action.accept(change);
            }
          }

          @Override
          public String toString() {
            return "ConnectionListener[on " + state.wireName() + "]";
          }
        });
  }

  /** Removes a connection listener. */
  public void removeConnectionListener(ConnectionListener listener) {
    core.connectionListeners().remove(listener);
  }

  /**
   * Moves to another application key and cluster (pusher-js {@code switchCluster}): reconnects if
   * connected, and keeps every channel and binding, which are subscribed again on the new
   * connection.
   *
   * @throws IllegalArgumentException for an invalid key or cluster
   */
  public void switchCluster(String appKey, String cluster) {
    Objects.requireNonNull(cluster, "cluster");
    core.reconfigure(
        core.options().toBuilder().appKey(appKey).cluster(cluster).host(null).httpHost(null).build());
  }

  /**
   * Like {@link #switchCluster} for a self-hosted server: moves to {@code host} (WebSocket and HTTP
   * fallback), keeping the ports, paths and TLS setting.
   */
  public void switchHost(String appKey, String host) {
    Objects.requireNonNull(host, "host");
    core.reconfigure(core.options().toBuilder().appKey(appKey).host(host).httpHost(null).build());
  }

  // ---------------------------------------------------------------- channels

  /**
   * Subscribes to a channel and returns it at once; the subscription is sent when connected (and
   * again after every reconnect). Subscribing to a channel again returns the same channel and
   * reinstates a pending unsubscription. The kind follows the name: {@code private-} channels are
   * {@link PrivateChannel}s, {@code presence-} ones {@link PresenceChannel}s, {@code
   * private-encrypted-} ones decrypt their events.
   *
   * @throws io.pusheriso.protocol.InvalidChannelNameException for a name the protocol refuses
   * @throws PusherException for an encrypted channel without Bouncy Castle on the class path
   * @throws IllegalStateException when the client is closed
   */
  public Channel subscribe(String channelName) {
    return core.subscribe(channelName);
  }

  /**
   * {@link #subscribe} for a {@code private-} channel.
   *
   * @throws IllegalArgumentException when the name is not a private channel's
   */
  public PrivateChannel subscribePrivate(String channelName) {
    requireKind(channelName, ChannelKind.PRIVATE, "private-", "subscribe");
    return (PrivateChannel) core.subscribe(channelName);
  }

  /**
   * {@link #subscribe} for a {@code presence-} channel.
   *
   * @throws IllegalArgumentException when the name is not a presence channel's
   */
  public PresenceChannel subscribePresence(String channelName) {
    requireKind(channelName, ChannelKind.PRESENCE, "presence-", "subscribe");
    return (PresenceChannel) core.subscribe(channelName);
  }

  private static void requireKind(String name, ChannelKind kind, String prefix, String method) {
    ChannelNames.validate(name);
    if (ChannelNames.kindOf(name) != kind) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a " + prefix + " channel name: use " + method + "(name) for other kinds");
    }
  }

  /**
   * Unsubscribes; a subscription still pending is cancelled once it completes. Bindings of the
   * channel object are kept, but it receives nothing more unless subscribed again.
   */
  public void unsubscribe(String channelName) {
    core.unsubscribe(Objects.requireNonNull(channelName, "channelName"));
  }

  /** The channel of that name, if subscribed (or being subscribed). */
  public Optional<Channel> channel(String channelName) {
    return Optional.ofNullable(core.channels().get(Objects.requireNonNull(channelName, "channelName")));
  }

  /** A snapshot of every channel of this client. */
  public List<Channel> allChannels() {
    return List.copyOf(core.channels().values());
  }

  // ---------------------------------------------------------------- client-wide bindings

  /**
   * Calls {@code listener} for every event of that name on any channel, and for connection-level
   * events such as {@code pusher:signin_success} (pusher-js's global emitter). Events the client
   * synthesises on a channel ({@code pusher:subscription_succeeded} and the like) go to the
   * channel's own listeners only.
   *
   * @return {@code listener}, to unbind it later
   */
  public PusherEventListener bind(String eventName, PusherEventListener listener) {
    return core.global().bind(eventName, listener);
  }

  /** Removes every client-wide listener of {@code eventName}. */
  public void unbind(String eventName) {
    core.global().unbind(eventName);
  }

  /** Removes {@code listener} from the client-wide bindings of {@code eventName}. */
  public void unbind(String eventName, PusherEventListener listener) {
    core.global().unbind(eventName, listener);
  }

  /** Removes {@code listener} from every client-wide event binding (not the global ones). */
  public void unbind(PusherEventListener listener) {
    core.global().unbind(listener);
  }

  /** Calls {@code listener} for every event on every channel; returns it. */
  public PusherEventListener bindGlobal(PusherEventListener listener) {
    return core.global().bindGlobal(listener);
  }

  /** Removes a client-wide global listener. */
  public void unbindGlobal(PusherEventListener listener) {
    core.global().unbindGlobal(listener);
  }

  /** Removes every client-wide global listener. */
  public void unbindGlobal() {
    core.global().unbindGlobal();
  }

  /** Removes every client-wide binding (channels keep theirs). */
  public void unbindAll() {
    core.global().unbindAll();
  }

  // ---------------------------------------------------------------- user

  /**
   * Signs the user in on this and every later connection (pusher-js {@code signin()}); the outcome
   * arrives as {@code pusher:signin_success} or {@code pusher:signin_error} on {@link #user()}.
   * Calling it again does nothing.
   *
   * @throws IllegalStateException when no {@link io.pusheriso.spi.UserAuthenticator} is
   *     configured, or the client is closed
   */
  public void signin() {
    core.ensureOpen();
    if (core.options().userAuthenticator().isEmpty()) {
      throw new IllegalStateException(
          "signin() needs a UserAuthenticator: set PusherOptions.builder(..).userAuthenticator(..)");
    }
    core.lane().execute(() -> core.user().signin());
  }

  /** The user of this client: its id, user events and watchlist. */
  public User user() {
    return core.user();
  }

  @Override
  public String toString() {
    return "Pusher[" + core.options().appKey() + ", " + core.state().wireName() + "]";
  }
}
