package io.pusheriso.conformance;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.opentest4j.AssertionFailedError;

/**
 * One scenario on one transport, played at the same time by both clients: every step (start a client,
 * wait for lines, publish) is done on the {@link ClientKind#OURS} side and on the {@link ClientKind#REFERENCE}
 * side. Each side has its own channel and user names (the logical name plus a run token ending in the side),
 * so the two never see each other's events; the comparison maps both tokens to {@code <run>}.
 *
 * <p>Not thread-safe: one test thread drives it. It closes every process it started.
 */
final class ConformanceRun implements AutoCloseable {

  /** How long one expected line may take: generous, since a JVM starts slowly on a loaded 2-core machine. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(Long.getLong("conformance.stepTimeoutSeconds", 40));

  /** A safety net so that no client outlives a killed test JVM for long; the harness stops them far earlier. */
  private static final String EXIT_AFTER_MS = "120000";

  private final String scenario;
  private final ClientTransport transport;
  private final String nonce;
  private final List<Pair> pairs = new ArrayList<>();

  ConformanceRun(String scenario, ClientTransport transport) {
    this.scenario = scenario;
    this.transport = transport;
    this.nonce = transport.token() + "-" + randomLetters();
  }

  static String randomLetters() {
    StringBuilder letters = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      letters.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
    }
    return letters.toString();
  }

  /** The run token of one side: part of every channel and user name that side uses. */
  String token(ClientKind kind) {
    return nonce + "-" + kind.side();
  }

  /** The real name of a logical channel or user name on one side. */
  String name(ClientKind kind, String logical) {
    return logical + "-" + token(kind);
  }

  /** Starts the same client on both sides. */
  Pair start(String role, Listen listen) {
    Map<ClientKind, ListenProcess> processes = new EnumMap<>(ClientKind.class);
    try {
      for (ClientKind kind : ClientKind.values()) {
        processes.put(kind, ListenProcess.start(
            kind.label() + " " + role + " (" + scenario + ", " + transport + ")", kind, options(kind, listen)));
      }
    } catch (RuntimeException | Error e) {
      processes.values().forEach(ListenProcess::close);
      throw e;
    }
    Pair pair = new Pair(role, processes);
    pairs.add(pair);
    return pair;
  }

  private List<String> options(ClientKind kind, Listen listen) {
    List<String> options = new ArrayList<>(List.of(
        "--key", Peers.KEY, "--host", Peers.HOST,
        "--ws-port", String.valueOf(Peers.WS_PORT), "--wss-port", String.valueOf(Peers.WSS_PORT),
        "--http-port", String.valueOf(Peers.HTTP_PORT),
        "--auth-endpoint", Peers.AUTH_URL, "--user-auth-endpoint", Peers.USER_AUTH_URL,
        "--exit-after-ms", EXIT_AFTER_MS));
    options.addAll(transport.options());
    for (String channel : listen.channels) {
      options.add("--channel");
      options.add(name(kind, channel));
    }
    for (String[] param : listen.authParams) {
      options.add("--auth-param");
      options.add(param[0] + "=" + name(kind, param[1]));
    }
    if (listen.signin) {
      options.add("--signin");
    }
    for (String[] event : listen.clientEvents) {
      options.add("--client-event");
      options.add(name(kind, event[0]) + ":" + event[1] + ":" + event[2]);
    }
    return options;
  }

  /** Publishes one event to the logical channel on both sides (on the TLS server for wss). */
  void trigger(String channel, String event, String dataJson) {
    JsonNode data = Peers.json(dataJson);
    for (ClientKind kind : ClientKind.values()) {
      Peers.trigger(name(kind, channel), event, data, transport.tls());
    }
  }

  /** Sends an event to the logical user on both sides. */
  void sendToUser(String user, String event, String dataJson) {
    JsonNode data = Peers.json(dataJson);
    for (ClientKind kind : ClientKind.values()) {
      Peers.sendToUser(name(kind, user), event, data, transport.tls());
    }
  }

  /** Waits until both clients of the pair printed an event line on the logical channel ({@code null}: user). */
  void awaitEvent(Pair pair, String channel, String event) {
    awaitEvents(pair, channel, event, 1);
  }

  void awaitEvents(Pair pair, String channel, String event, long count) {
    String what = count + " x " + event + " on " + (channel == null ? "the user" : channel);
    awaitBoth(pair, what, kind -> record -> isEvent(record, channel == null ? null : name(kind, channel), event), count);
  }

  static boolean isEvent(JsonNode record, String realChannel, String event) {
    JsonNode channel = record.get("channel");
    boolean channelMatches = realChannel == null
        ? channel != null && channel.isNull()
        : channel != null && realChannel.equals(channel.asText());
    return "event".equals(record.path("type").asText()) && channelMatches && event.equals(record.path("event").asText());
  }

  interface SidePredicate {
    Predicate<JsonNode> on(ClientKind kind);
  }

  void awaitBoth(Pair pair, String what, SidePredicate predicate, long count) {
    try {
      await(what).atMost(STEP_TIMEOUT).pollInSameThread().pollInterval(Duration.ofMillis(25)).until(() -> {
        boolean all = true;
        for (ClientKind kind : ClientKind.values()) {
          ListenProcess process = pair.of(kind);
          if (process.count(predicate.on(kind)) < count) {
            if (process.finished()) {
              // No point waiting for a client that has exited: fail now, with what it printed.
              throw new AssertionFailedError(scenario + " over " + transport + ": " + process.label()
                  + " exited before printing " + what + "\n" + describeAll());
            }
            all = false;
          }
        }
        return all;
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionFailedError(scenario + " over " + transport + ": timed out after " + STEP_TIMEOUT
          + " waiting for " + what + " from the " + pair.role + " client on both sides\n" + describeAll(), e);
    }
  }

  /**
   * Publishes a last event to the logical channel and waits for it, so that every line sent before it (on
   * the same connection) has been printed; then ends the pairs and compares each pair's transcripts.
   */
  void finish(String channel, Pair... receivers) {
    trigger(channel, "conformance-end", "{\"end\":true}");
    for (Pair pair : receivers) {
      awaitEvent(pair, channel, "conformance-end");
    }
    pairs.forEach(Pair::stop);
    List<String> failures = new ArrayList<>();
    for (Pair pair : pairs) {
      List<String> ours = Transcripts.normalise(pair.of(ClientKind.OURS).transcript(), token(ClientKind.OURS));
      List<String> reference =
          Transcripts.normalise(pair.of(ClientKind.REFERENCE).transcript(), token(ClientKind.REFERENCE));
      if (Boolean.getBoolean("conformance.printTranscripts")) {
        System.out.println("=== " + this + ", " + pair.role + " client, normalised (pusher-cli then reference):\n  "
            + String.join("\n  ", ours) + "\n  ---\n  " + String.join("\n  ", reference));
      }
      String diff = Transcripts.diff(ours, reference);
      if (!diff.isEmpty()) {
        failures.add("transcripts of the " + pair.role + " client differ (- only pusher-cli, + only reference):\n"
            + diff);
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionFailedError(scenario + " over " + transport + ":\n" + String.join("\n", failures)
          + "\nraw transcripts:\n" + describeAll());
    }
  }

  String describeAll() {
    StringBuilder text = new StringBuilder();
    for (Pair pair : pairs) {
      for (ClientKind kind : ClientKind.values()) {
        text.append(pair.of(kind).describe());
      }
    }
    return text.toString();
  }

  @Override
  public void close() {
    pairs.forEach(Pair::stop);
  }

  @Override
  public String toString() {
    return scenario.toLowerCase(Locale.ROOT) + " over " + transport;
  }

  /** The same client on both sides. Not thread-safe. */
  static final class Pair {
    private final String role;
    private final Map<ClientKind, ListenProcess> processes;

    Pair(String role, Map<ClientKind, ListenProcess> processes) {
      this.role = role;
      this.processes = processes;
    }

    ListenProcess of(ClientKind kind) {
      return processes.get(kind);
    }

    /** SIGTERM to both at once, then wait for both. */
    void stop() {
      processes.values().forEach(ListenProcess::terminate);
      processes.values().forEach(ListenProcess::stop);
    }
  }

  /** The options of one {@code listen} client, with logical names. Not thread-safe; used while building. */
  static final class Listen {
    private final List<String> channels = new ArrayList<>();
    private final List<String[]> authParams = new ArrayList<>();
    private final List<String[]> clientEvents = new ArrayList<>();
    private boolean signin;

    static Listen channels(String... channels) {
      Listen listen = new Listen();
      listen.channels.addAll(List.of(channels));
      return listen;
    }

    /** An auth parameter whose value is a logical name (a user id), made distinct per side. */
    Listen authParam(String key, String logicalValue) {
      authParams.add(new String[] {key, logicalValue});
      return this;
    }

    Listen clientEvent(String channel, String event, String dataJson) {
      clientEvents.add(new String[] {channel, event, dataJson});
      return this;
    }

    Listen signin() {
      signin = true;
      return this;
    }
  }
}
