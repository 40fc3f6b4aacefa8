package io.pusheriso;

import io.pusheriso.protocol.FrameCodec;
import io.pusheriso.spi.ChannelAuthorizer;
import io.pusheriso.spi.Scheduler;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.UserAuthenticator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The configuration of one {@link Pusher} client, with the defaults of pusher-js 8.6.
 *
 * <p>Build one with {@link #builder(String)}; derive a variant with {@link #toBuilder()}. Every
 * time is a {@link Duration}. {@link Builder#build()} checks the combination and throws {@link
 * IllegalArgumentException} or {@link IllegalStateException} with a message that says how to fix
 * it.
 *
 * <p>Hosts: give a {@linkplain Builder#cluster(String) cluster} (the WebSocket host is then {@code
 * ws-<cluster>.pusher.com} and the HTTP fallback host {@code sockjs-<cluster>.pusher.com}) or a
 * {@linkplain Builder#host(String) host}. Unlike pusher-js, a custom {@code host} is also the
 * default HTTP fallback host, so that a self-hosted server is never silently bypassed for
 * pusher.com; set {@link Builder#httpHost(String)} to use another one.
 *
 * <p>{@link #toString()} shows no secrets: authorizers appear by class name only.
 *
 * <p>Instances are immutable and thread-safe (the executors, scheduler, authorizers and
 * transport factories they hold must be thread-safe themselves).
 */
public final class PusherOptions {

  /** Time without any message before the client sends {@code pusher:ping} (pusher-js: 120 s). */
  public static final Duration DEFAULT_ACTIVITY_TIMEOUT = Duration.ofSeconds(120);
  /** Time to wait for {@code pusher:pong} before reconnecting (pusher-js: 30 s). */
  public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(30);
  /** Time in {@code connecting} before the state becomes {@code unavailable} (pusher-js: 10 s). */
  public static final Duration DEFAULT_UNAVAILABLE_TIMEOUT = Duration.ofSeconds(10);
  /**
   * Time one connection attempt may take before the next one starts; it doubles on each retry up
   * to {@link #MAX_CONNECT_TIMEOUT} (pusher-js: 15 s to 60 s).
   */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);
  /** The ceiling of the doubling connect timeout, unless the connect timeout itself is larger. */
  public static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(60);
  /** Time an authorizer or authenticator may take before the attempt fails. */
  public static final Duration DEFAULT_AUTHORIZATION_TIMEOUT = Duration.ofSeconds(30);
  /** Plain WebSocket port. */
  public static final int DEFAULT_WS_PORT = 80;
  /** TLS WebSocket port. */
  public static final int DEFAULT_WSS_PORT = 443;
  /** Plain HTTP port of the fallback transports. */
  public static final int DEFAULT_HTTP_PORT = 80;
  /** TLS HTTP port of the fallback transports. */
  public static final int DEFAULT_HTTPS_PORT = 443;
  /** Path prefix of the WebSocket endpoint (none). */
  public static final String DEFAULT_WS_PATH = "";
  /** Path prefix of the HTTP fallback endpoints. */
  public static final String DEFAULT_HTTP_PATH = "/pusher";
  /** TLS is on unless turned off. */
  public static final boolean DEFAULT_TLS = true;
  /** The largest message a transport accepts, in bytes (1 MiB). */
  public static final int DEFAULT_MAX_FRAME_BYTES = FrameCodec.DEFAULT_MAX_FRAME_BYTES;
  /** How many received frames may wait for the listeners before the connection is dropped (100,000). */
  public static final int DEFAULT_MAX_PENDING_EVENTS = 100_000;

  private final String appKey;
  private final String cluster;
  private final String host;
  private final String httpHost;
  private final int wsPort;
  private final int wssPort;
  private final int httpPort;
  private final int httpsPort;
  private final String wsPath;
  private final String httpPath;
  private final boolean tls;
  private final Set<TransportKind> enabledTransports;
  private final Set<TransportKind> disabledTransports;
  private final List<TransportFactory> transportFactories;
  private final Duration activityTimeout;
  private final Duration pongTimeout;
  private final Duration unavailableTimeout;
  private final Duration connectTimeout;
  private final Duration authorizationTimeout;
  private final ChannelAuthorizer channelAuthorizer;
  private final UserAuthenticator userAuthenticator;
  private final Executor callbackExecutor;
  private final Scheduler scheduler;
  private final int maxFrameBytes;
  private final int maxPendingEvents;

  private PusherOptions(Builder b) {
    this.appKey = b.appKey;
    this.cluster = b.cluster;
    this.host = b.host;
    this.httpHost = b.httpHost;
    this.wsPort = b.wsPort;
    this.wssPort = b.wssPort;
    this.httpPort = b.httpPort;
    this.httpsPort = b.httpsPort;
    this.wsPath = b.wsPath;
    this.httpPath = b.httpPath;
    this.tls = b.tls;
    this.enabledTransports = immutableKinds(b.enabledTransports);
    this.disabledTransports = immutableKinds(b.disabledTransports);
    this.transportFactories = List.copyOf(b.transportFactories);
    this.activityTimeout = b.activityTimeout;
    this.pongTimeout = b.pongTimeout;
    this.unavailableTimeout = b.unavailableTimeout;
    this.connectTimeout = b.connectTimeout;
    this.authorizationTimeout = b.authorizationTimeout;
    this.channelAuthorizer = b.channelAuthorizer;
    this.userAuthenticator = b.userAuthenticator;
    this.callbackExecutor = b.callbackExecutor;
    this.scheduler = b.scheduler;
    this.maxFrameBytes = b.maxFrameBytes;
    this.maxPendingEvents = b.maxPendingEvents;
  }

  private static Set<TransportKind> immutableKinds(Set<TransportKind> kinds) {
    return kinds.isEmpty() ? Set.of() : Set.copyOf(kinds);
  }

  /** Starts options for the application with this key. */
  public static Builder builder(String appKey) {
    return new Builder().appKey(appKey);
  }

  /** A builder holding every value of these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The application key. */
  public String appKey() {
    return appKey;
  }

  /** The cluster, for example {@code mt1}; empty when a host is given instead. */
  public Optional<String> cluster() {
    return Optional.ofNullable(cluster);
  }

  /** The host given with {@link Builder#host(String)}, if any. */
  public Optional<String> host() {
    return Optional.ofNullable(host);
  }

  /** The WebSocket host: the given host, else {@code ws-<cluster>.pusher.com}. */
  public String wsHost() {
    return host != null ? host : "ws-" + cluster + ".pusher.com";
  }

  /**
   * The host of the HTTP fallback transports: the given HTTP host, else the given host, else
   * {@code sockjs-<cluster>.pusher.com}.
   */
  public String httpHost() {
    if (httpHost != null) {
      return httpHost;
    }
    return host != null ? host : "sockjs-" + cluster + ".pusher.com";
  }

  /** Port of plain WebSocket connections. */
  public int wsPort() {
    return wsPort;
  }

  /** Port of TLS WebSocket connections. */
  public int wssPort() {
    return wssPort;
  }

  /** Port of plain HTTP fallback connections. */
  public int httpPort() {
    return httpPort;
  }

  /** Port of TLS HTTP fallback connections. */
  public int httpsPort() {
    return httpsPort;
  }

  /** Path before {@code /app/KEY} in WebSocket URLs; empty or starting with {@code /}. */
  public String wsPath() {
    return wsPath;
  }

  /** Path before {@code /app/KEY} in HTTP fallback URLs; empty or starting with {@code /}. */
  public String httpPath() {
    return httpPath;
  }

  /** Whether connections use TLS ({@code wss}, {@code https}). */
  public boolean tlsEnabled() {
    return tls;
  }

  /** The transports that may be used; empty means all. */
  public Set<TransportKind> enabledTransports() {
    return enabledTransports;
  }

  /** The transports that must not be used; wins over {@link #enabledTransports()}. */
  public Set<TransportKind> disabledTransports() {
    return disabledTransports;
  }

  /** Whether {@code kind} is allowed by the enabled and disabled lists. */
  public boolean isTransportAllowed(TransportKind kind) {
    return (enabledTransports.isEmpty() || enabledTransports.contains(kind))
        && !disabledTransports.contains(kind);
  }

  /**
   * Transport factories given explicitly; empty means those found by {@link
   * java.util.ServiceLoader}. The client never closes these.
   *
   * <p>Discovered factories may each offer some kinds (Netty's {@code ws} with HttpClient's {@code
   * xhr_streaming} and {@code xhr_polling}, say); each kind comes from one of them. The system
   * property {@code io.pusheriso.transport} narrows discovery to a comma-separated list of factory
   * names in order of preference, for example {@code -Dio.pusheriso.transport=netty,httpclient};
   * it does not apply to factories given here.
   */
  public List<TransportFactory> transportFactories() {
    return transportFactories;
  }

  /** Silence before a ping; the server's {@code activity_timeout} lowers it. */
  public Duration activityTimeout() {
    return activityTimeout;
  }

  /** Time to wait for a pong. */
  public Duration pongTimeout() {
    return pongTimeout;
  }

  /** Time in {@code connecting} before {@code unavailable}. */
  public Duration unavailableTimeout() {
    return unavailableTimeout;
  }

  /**
   * Time the first connection attempt of each transport may take, handshake included; later
   * attempts double it, up to 60 s (or this value if larger), as pusher-js's loops do.
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Time a channel authorization or user authentication may take. */
  public Duration authorizationTimeout() {
    return authorizationTimeout;
  }

  /** The authorizer of private, presence and encrypted channels, if any. */
  public Optional<ChannelAuthorizer> channelAuthorizer() {
    return Optional.ofNullable(channelAuthorizer);
  }

  /** The authenticator used by {@link Pusher#signin()}, if any. */
  public Optional<UserAuthenticator> userAuthenticator() {
    return Optional.ofNullable(userAuthenticator);
  }

  /**
   * The executor that runs the client's event lane and so every callback; empty means a private
   * daemon thread that exists only while there is work.
   */
  public Optional<Executor> callbackExecutor() {
    return Optional.ofNullable(callbackExecutor);
  }

  /** The source of time and timers; empty means the system clock. */
  public Optional<Scheduler> scheduler() {
    return Optional.ofNullable(scheduler);
  }

  /** The largest message accepted from the server, in bytes. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /**
   * How many frames received from the server may wait for the event lane (the listeners) at once.
   * When the listeners fall this far behind, the client drops the connection and the frames still
   * waiting, reports a {@link PusherConnectionException} that names this option, and reconnects
   * (after 1 s, as after a clean close); events sent while it is away are lost, as with any drop.
   */
  public int maxPendingEvents() {
    return maxPendingEvents;
  }

  @Override
  public String toString() {
    return "PusherOptions[appKey="
        + appKey
        + ", wsHost="
        + wsHost()
        + ", httpHost="
        + httpHost()
        + ", tls="
        + tls
        + ", wsPort="
        + wsPort
        + ", wssPort="
        + wssPort
        + ", httpPort="
        + httpPort
        + ", httpsPort="
        + httpsPort
        + ", wsPath="
        + wsPath
        + ", httpPath="
        + httpPath
        + ", enabledTransports="
        + enabledTransports
        + ", disabledTransports="
        + disabledTransports
        + ", transportFactories="
        + transportFactories.stream().map(TransportFactory::name).toList()
        + ", activityTimeout="
        + activityTimeout
        + ", pongTimeout="
        + pongTimeout
        + ", unavailableTimeout="
        + unavailableTimeout
        + ", connectTimeout="
        + connectTimeout
        + ", authorizationTimeout="
        + authorizationTimeout
        + ", channelAuthorizer="
        + className(channelAuthorizer)
        + ", userAuthenticator="
        + className(userAuthenticator)
        + ", callbackExecutor="
        + className(callbackExecutor)
        + ", scheduler="
        + className(scheduler)
        + ", maxFrameBytes="
        + maxFrameBytes
        + ", maxPendingEvents="
        + maxPendingEvents
        + "]";
  }

  private static String className(Object o) {
    return o == null ? "none" : o.getClass().getName();
  }

  /**
   * Builds {@link PusherOptions}. Setters reject {@code null} unless they say otherwise; {@link
   * #build()} checks the combination.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private String appKey;
    private String cluster;
    private String host;
    private String httpHost;
    private int wsPort = DEFAULT_WS_PORT;
    private int wssPort = DEFAULT_WSS_PORT;
    private int httpPort = DEFAULT_HTTP_PORT;
    private int httpsPort = DEFAULT_HTTPS_PORT;
    private String wsPath = DEFAULT_WS_PATH;
    private String httpPath = DEFAULT_HTTP_PATH;
    private boolean tls = DEFAULT_TLS;
    private final Set<TransportKind> enabledTransports = EnumSet.noneOf(TransportKind.class);
    private final Set<TransportKind> disabledTransports = EnumSet.noneOf(TransportKind.class);
    private final List<TransportFactory> transportFactories = new ArrayList<>();
    private Duration activityTimeout = DEFAULT_ACTIVITY_TIMEOUT;
    private Duration pongTimeout = DEFAULT_PONG_TIMEOUT;
    private Duration unavailableTimeout = DEFAULT_UNAVAILABLE_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration authorizationTimeout = DEFAULT_AUTHORIZATION_TIMEOUT;
    private ChannelAuthorizer channelAuthorizer;
    private UserAuthenticator userAuthenticator;
    private Executor callbackExecutor;
    private Scheduler scheduler;
    private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
    private int maxPendingEvents = DEFAULT_MAX_PENDING_EVENTS;

    private Builder() {}

    private Builder(PusherOptions o) {
      appKey = o.appKey;
      cluster = o.cluster;
      host = o.host;
      httpHost = o.httpHost;
      wsPort = o.wsPort;
      wssPort = o.wssPort;
      httpPort = o.httpPort;
      httpsPort = o.httpsPort;
      wsPath = o.wsPath;
      httpPath = o.httpPath;
      tls = o.tls;
      enabledTransports.addAll(o.enabledTransports);
      disabledTransports.addAll(o.disabledTransports);
      transportFactories.addAll(o.transportFactories);
      activityTimeout = o.activityTimeout;
      pongTimeout = o.pongTimeout;
      unavailableTimeout = o.unavailableTimeout;
      connectTimeout = o.connectTimeout;
      authorizationTimeout = o.authorizationTimeout;
      channelAuthorizer = o.channelAuthorizer;
      userAuthenticator = o.userAuthenticator;
      callbackExecutor = o.callbackExecutor;
      scheduler = o.scheduler;
      maxFrameBytes = o.maxFrameBytes;
      maxPendingEvents = o.maxPendingEvents;
    }

    /** The application key (required, not blank). */
    public Builder appKey(String appKey) {
      this.appKey = Objects.requireNonNull(appKey, "appKey");
      return this;
    }

    /**
     * The cluster, for example {@code eu}; {@code null} clears it. A cluster or a {@link
     * #host(String)} is required.
     */
    public Builder cluster(String cluster) {
      this.cluster = cluster;
      return this;
    }

    /**
     * The WebSocket host name (no scheme, no port), for example {@code ws.example.com}; {@code
     * null} clears it. Takes precedence over the cluster.
     */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The HTTP fallback host name; {@code null} means the host, else the cluster's. */
    public Builder httpHost(String httpHost) {
      this.httpHost = httpHost;
      return this;
    }

    /** Port of plain WebSocket connections (default 80). */
    public Builder wsPort(int port) {
      this.wsPort = port;
      return this;
    }

    /** Port of TLS WebSocket connections (default 443). */
    public Builder wssPort(int port) {
      this.wssPort = port;
      return this;
    }

    /** Port of plain HTTP fallback connections (default 80). */
    public Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    /** Port of TLS HTTP fallback connections (default 443). */
    public Builder httpsPort(int port) {
      this.httpsPort = port;
      return this;
    }

    /** Path before {@code /app/KEY} in WebSocket URLs: empty or {@code /something}. */
    public Builder wsPath(String path) {
      this.wsPath = Objects.requireNonNull(path, "wsPath");
      return this;
    }

    /** Path before {@code /app/KEY} in HTTP fallback URLs (default {@code /pusher}). */
    public Builder httpPath(String path) {
      this.httpPath = Objects.requireNonNull(path, "httpPath");
      return this;
    }

    /** Whether to use TLS (default true). */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /** Allows only these transports (replacing earlier calls); none given means all. */
    public Builder enabledTransports(Collection<TransportKind> kinds) {
      enabledTransports.clear();
      enabledTransports.addAll(requireElements(kinds, "enabledTransports"));
      return this;
    }

    /** Allows only these transports (replacing earlier calls); none given means all. */
    public Builder enabledTransports(TransportKind... kinds) {
      return enabledTransports(List.of(kinds));
    }

    /** Never uses these transports (replacing earlier calls). */
    public Builder disabledTransports(Collection<TransportKind> kinds) {
      disabledTransports.clear();
      disabledTransports.addAll(requireElements(kinds, "disabledTransports"));
      return this;
    }

    /** Never uses these transports (replacing earlier calls). */
    public Builder disabledTransports(TransportKind... kinds) {
      return disabledTransports(List.of(kinds));
    }

    /**
     * Adds a transport factory to use instead of those found by {@link java.util.ServiceLoader}.
     * The client never closes it.
     */
    public Builder transportFactory(TransportFactory factory) {
      transportFactories.add(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /** Replaces the explicit transport factories; an empty collection means ServiceLoader. */
    public Builder transportFactories(Collection<? extends TransportFactory> factories) {
      List<TransportFactory> copy = List.copyOf(requireElements(factories, "transportFactories"));
      transportFactories.clear();
      transportFactories.addAll(copy);
      return this;
    }

    /** Silence before a ping (default 120 s). */
    public Builder activityTimeout(Duration timeout) {
      this.activityTimeout = Objects.requireNonNull(timeout, "activityTimeout");
      return this;
    }

    /** Time to wait for a pong (default 30 s). */
    public Builder pongTimeout(Duration timeout) {
      this.pongTimeout = Objects.requireNonNull(timeout, "pongTimeout");
      return this;
    }

    /** Time in connecting before unavailable (default 10 s). */
    public Builder unavailableTimeout(Duration timeout) {
      this.unavailableTimeout = Objects.requireNonNull(timeout, "unavailableTimeout");
      return this;
    }

    /**
     * Time of the first connection attempt of each transport, handshake included (default 15 s);
     * later attempts double it, up to 60 s or this value if larger.
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
      return this;
    }

    /** Time an authorization or authentication may take (default 30 s). */
    public Builder authorizationTimeout(Duration timeout) {
      this.authorizationTimeout = Objects.requireNonNull(timeout, "authorizationTimeout");
      return this;
    }

    /** The authorizer of private, presence and encrypted channels; {@code null} clears it. */
    public Builder channelAuthorizer(ChannelAuthorizer authorizer) {
      this.channelAuthorizer = authorizer;
      return this;
    }

    /** The authenticator used by {@link Pusher#signin()}; {@code null} clears it. */
    public Builder userAuthenticator(UserAuthenticator authenticator) {
      this.userAuthenticator = authenticator;
      return this;
    }

    /**
     * The executor on which every callback runs, one at a time (for example a Netty event loop
     * or a virtual-thread executor); {@code null} means a private daemon thread. The client never
     * shuts it down.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = executor;
      return this;
    }

    /** The source of time and timers (a fake one in tests); {@code null} means the system clock. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /** The largest message accepted from the server, in bytes (default 1 MiB). */
    public Builder maxFrameBytes(int bytes) {
      this.maxFrameBytes = bytes;
      return this;
    }

    /**
     * How many received frames may wait for slow listeners before the client drops the connection
     * and reconnects (default 100,000; at least 1). Memory held by waiting frames is at most about
     * this times {@link #maxFrameBytes(int)}. See {@link PusherOptions#maxPendingEvents()}.
     */
    public Builder maxPendingEvents(int frames) {
      this.maxPendingEvents = frames;
      return this;
    }

    /**
     * Checks the combination and builds the options.
     *
     * @throws IllegalArgumentException for a value out of range, with how to fix it
     * @throws IllegalStateException for a missing value or a contradictory combination
     */
    public PusherOptions build() {
      if (appKey == null || appKey.isBlank()) {
        throw new IllegalStateException(
            "appKey is required: pass your application's key to PusherOptions.builder(appKey)");
      }
      if (!appKey.chars().allMatch(c -> c > ' ' && c < 127 && c != '/' && c != '?' && c != '#')) {
        throw new IllegalArgumentException(
            "appKey '" + appKey + "' contains characters a key never has (space, '/', '?', '#')");
      }
      if (host == null && cluster == null) {
        throw new IllegalStateException(
            "Give a cluster (builder.cluster(\"mt1\")) or a host (builder.host(\"ws.example.com\"))");
      }
      checkHost(host, "host");
      checkHost(httpHost, "httpHost");
      if (cluster != null && !cluster.matches("[A-Za-z0-9-]+")) {
        throw new IllegalArgumentException(
            "cluster '" + cluster + "' is not a cluster name such as mt1, eu or us2");
      }
      checkPort(wsPort, "wsPort");
      checkPort(wssPort, "wssPort");
      checkPort(httpPort, "httpPort");
      checkPort(httpsPort, "httpsPort");
      checkPath(wsPath, "wsPath");
      checkPath(httpPath, "httpPath");
      checkPositive(activityTimeout, "activityTimeout");
      checkPositive(pongTimeout, "pongTimeout");
      checkPositive(unavailableTimeout, "unavailableTimeout");
      checkPositive(connectTimeout, "connectTimeout");
      checkPositive(authorizationTimeout, "authorizationTimeout");
      if (maxFrameBytes < 1024) {
        throw new IllegalArgumentException(
            "maxFrameBytes must be at least 1024 (a handshake frame needs that much), was "
                + maxFrameBytes);
      }
      if (maxPendingEvents < 1) {
        throw new IllegalArgumentException(
            "maxPendingEvents must be at least 1 (frames waiting for the listeners), was "
                + maxPendingEvents);
      }
      boolean anyAllowed = false;
      for (TransportKind kind : TransportKind.values()) {
        anyAllowed |=
            (enabledTransports.isEmpty() || enabledTransports.contains(kind))
                && !disabledTransports.contains(kind);
      }
      if (!anyAllowed) {
        throw new IllegalStateException(
            "Every transport is disabled (enabled "
                + enabledTransports
                + ", disabled "
                + disabledTransports
                + "): remove one from disabledTransports");
      }
      return new PusherOptions(this);
    }

    private static <T> Collection<T> requireElements(Collection<T> values, String name) {
      Objects.requireNonNull(values, name);
      for (T value : values) {
        Objects.requireNonNull(value, name + " must not contain null");
      }
      return values;
    }

    private static void checkHost(String host, String name) {
      if (host == null) {
        return;
      }
      if (host.isBlank() || host.contains("://") || host.contains("/") || host.contains(" ")) {
        throw new IllegalArgumentException(
            name
                + " must be a bare host name such as ws.example.com or 127.0.0.1 (no scheme, path"
                + " or spaces), was '"
                + host
                + "'; set ports with wsPort/wssPort and TLS with tls(boolean)");
      }
      if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
        throw new IllegalArgumentException(
            name
                + " '"
                + host
                + "' has a port or is an unbracketed IPv6 address: give the port with"
                + " wsPort/wssPort/httpPort/httpsPort and write IPv6 addresses as [::1]");
      }
    }

    private static void checkPort(int port, String name) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(name + " must be in 1..65535, was " + port);
      }
    }

    private static void checkPath(String path, String name) {
      if (path.isEmpty()) {
        return;
      }
      if (!path.startsWith("/") || path.endsWith("/") || path.contains("?") || path.contains("#")) {
        throw new IllegalArgumentException(
            name
                + " must be empty or start with '/' and not end with '/' (for example /ws), was '"
                + path
                + "'");
      }
    }

    private static void checkPositive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      if (d.toMillis() == 0) {
        throw new IllegalArgumentException(name + " must be at least 1 ms, was " + d);
      }
    }
  }
}
