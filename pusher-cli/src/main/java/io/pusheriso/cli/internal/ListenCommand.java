package io.pusheriso.cli.internal;

import io.pusheriso.protocol.ChannelNames;
import io.pusheriso.spi.TransportKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code listen}: connects to a Pusher-protocol server and prints what the client sees as JSON
 * lines, with the options and output of {@code ../shared/peers/reference-client.js} (DESIGN.md,
 * "The command line"). Arguments are checked before anything connects: a bad one is a usage error
 * (exit code 2).
 *
 * <p>Not thread-safe: picocli fills one instance and calls it once.
 */
@Command(
    name = "listen",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Connect to a Pusher-protocol server and print what the client sees as JSON lines.",
    description =
        "%nThe transcript format is that of the official pusher-js reference client"
            + " (reference-client.js), line for line. Runs until --exit-after-ms passes"
            + " or SIGTERM/SIGINT, then disconnects and exits 0. Bad arguments exit 2.%n")
final class ListenCommand implements Callable<Integer> {

  static final String DEFAULT_AUTH_ENDPOINT = "http://127.0.0.1:6003/pusher/auth";
  static final String DEFAULT_USER_AUTH_ENDPOINT = "http://127.0.0.1:6003/pusher/user-auth";

  @Spec CommandSpec spec;

  @Option(names = "--key", paramLabel = "KEY", description = "Application key (default: app-key).")
  String key;

  @Option(names = "--cluster", paramLabel = "NAME", description = "Pusher cluster, e.g. eu (instead of --host).")
  String cluster;

  @Option(names = "--host", paramLabel = "HOST", description = "Server host (default: 127.0.0.1).")
  String host;

  @Option(names = "--ws-port", paramLabel = "N", description = "ws port (default: 6001).")
  Integer wsPort;

  @Option(names = "--wss-port", paramLabel = "N", description = "wss port (default: 6443).")
  Integer wssPort;

  @Option(names = "--http-port", paramLabel = "N", description = "HTTP fallback port (default: 6002).")
  Integer httpPort;

  @Option(names = "--https-port", paramLabel = "N", description = "HTTPS fallback port (default: 6002).")
  Integer httpsPort;

  @Option(names = "--tls", description = "Use wss and https.")
  boolean tls;

  @Option(names = "--ca", paramLabel = "PEM_FILE", description = "Trust these CA certificates (every transport and the auth endpoints).")
  Path ca;

  @Option(
      names = "--transport",
      paramLabel = "ws|xhr_streaming|xhr_polling",
      description = "Enable this transport (repeatable; default: all).")
  List<String> transports = new ArrayList<>();

  @Option(names = "--ws-impl", paramLabel = "netty|jetty", description = "WebSocket implementation (default: netty).")
  String wsImpl;

  @Option(names = "--channel", paramLabel = "NAME", description = "Subscribe to this channel (repeatable).")
  List<String> channels = new ArrayList<>();

  @Option(names = "--auth-endpoint", paramLabel = "URL", description = "Channel authorization endpoint (default: " + DEFAULT_AUTH_ENDPOINT + ").")
  String authEndpoint;

  @Option(
      names = "--user-auth-endpoint",
      paramLabel = "URL",
      description = "User authentication endpoint (default: " + DEFAULT_USER_AUTH_ENDPOINT + ").")
  String userAuthEndpoint;

  @Option(names = "--auth-param", paramLabel = "K=V", description = "Form field for both auth endpoints (repeatable).")
  List<String> authParams = new ArrayList<>();

  @Option(names = "--signin", description = "Sign the user in (pusher:signin).")
  boolean signin;

  @Option(
      names = "--client-event",
      paramLabel = "CHANNEL:EVENT:JSON",
      description = "Trigger this client event once the channel's subscription succeeds (repeatable).")
  List<String> clientEvents = new ArrayList<>();

  @Option(names = "--activity-timeout", paramLabel = "MS", description = "Silence before a ping (default: 120000).")
  Long activityTimeoutMs;

  @Option(names = "--pong-timeout", paramLabel = "MS", description = "Wait for a pong (default: 30000).")
  Long pongTimeoutMs;

  @Option(names = "--exit-after-ms", paramLabel = "N", description = "Disconnect and exit after N ms (default: run until a signal).")
  Long exitAfterMs;

  private final StopSignal stop;

  ListenCommand(StopSignal stop) {
    this.stop = stop;
  }

  @Override
  public Integer call() {
    ListenSession.Settings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    return new ListenSession(settings, new Transcript(spec.commandLine().getOut()), stop).run();
  }

  /** Checks every argument; throws IllegalArgumentException with a one-line message. */
  ListenSession.Settings settings() {
    if (cluster != null && host != null) {
      throw new IllegalArgumentException("give --cluster or --host, not both");
    }
    Set<TransportKind> kinds = EnumSet.noneOf(TransportKind.class);
    for (String t : transports) {
      kinds.add(
          switch (t) {
            case "ws" -> TransportKind.WEBSOCKET;
            case "xhr_streaming" -> TransportKind.XHR_STREAMING;
            case "xhr_polling" -> TransportKind.XHR_POLLING;
            default -> throw new IllegalArgumentException(
                "unknown transport '" + t + "': use ws, xhr_streaming or xhr_polling");
          });
    }
    Transports.WsImpl impl;
    if (wsImpl == null) {
      impl = Transports.WsImpl.NETTY;
    } else {
      impl =
          switch (wsImpl.toLowerCase(Locale.ROOT)) {
            case "netty" -> Transports.WsImpl.NETTY;
            case "jetty" -> Transports.WsImpl.JETTY;
            default -> throw new IllegalArgumentException(
                "unknown --ws-impl '" + wsImpl + "': use netty or jetty");
          };
    }
    for (String channel : channels) {
      ChannelNames.validate(channel);
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String kv : authParams) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("malformed --auth-param '" + kv + "': expected K=V");
      }
      params.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    List<ClientEvent> events = new ArrayList<>();
    for (String ce : clientEvents) {
      events.add(ClientEvent.parse(ce));
    }
    TrustedCertificates trust = ca == null ? null : TrustedCertificates.read(ca);
    String auth = authEndpoint == null ? DEFAULT_AUTH_ENDPOINT : authEndpoint;
    String userAuth = userAuthEndpoint == null ? DEFAULT_USER_AUTH_ENDPOINT : userAuthEndpoint;
    // A cluster means pusher.com: keep the library's ports unless given.
    boolean local = cluster == null;
    ListenSession.Settings settings = new ListenSession.Settings(
        key == null ? "app-key" : key,
        cluster,
        local ? (host == null ? "127.0.0.1" : host) : null,
        port(wsPort, local ? 6001 : null, "--ws-port"),
        port(wssPort, local ? 6443 : null, "--wss-port"),
        port(httpPort, local ? 6002 : null, "--http-port"),
        port(httpsPort, local ? 6002 : null, "--https-port"),
        tls,
        trust,
        kinds,
        impl,
        List.copyOf(channels),
        auth,
        endpoint(auth, "--auth-endpoint"),
        userAuth,
        endpoint(userAuth, "--user-auth-endpoint"),
        params,
        signin,
        events,
        millis(activityTimeoutMs, 120_000, "--activity-timeout"),
        millis(pongTimeoutMs, 30_000, "--pong-timeout"),
        exitAfter());
    try {
      // The library's own checks (host, key, cluster) are usage errors too.
      ListenSession.baseOptions(settings).build();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return settings;
  }

  private long exitAfter() {
    if (exitAfterMs == null) {
      return 0;
    }
    if (exitAfterMs < 0) {
      throw new IllegalArgumentException("--exit-after-ms must be 0 (run until a signal) or positive, was " + exitAfterMs);
    }
    return exitAfterMs;
  }

  private static Integer port(Integer given, Integer fallback, String option) {
    Integer p = given == null ? fallback : given;
    if (p != null && (p < 1 || p > 65535)) {
      throw new IllegalArgumentException(option + " must be in 1..65535, was " + p);
    }
    return p;
  }

  private static Duration millis(Long given, long fallback, String option) {
    long ms = given == null ? fallback : given;
    if (ms <= 0) {
      throw new IllegalArgumentException(option + " must be a positive number of milliseconds, was " + ms);
    }
    return Duration.ofMillis(ms);
  }

  private static URI endpoint(String url, String option) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(option + " '" + url + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          option + " '" + url + "' is not an absolute http or https URL such as " + DEFAULT_AUTH_ENDPOINT);
    }
    return uri;
  }
}
