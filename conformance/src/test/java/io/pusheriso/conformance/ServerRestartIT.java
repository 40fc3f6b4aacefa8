package io.pusheriso.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reconnection after a real server restart (issues 6 and 8): soketi is stopped while {@code pusher-cli
 * listen} clients (each transport that reaches soketi on 6001) are subscribed to a public, a private, a
 * presence and an encrypted channel and signed in, then started again. Each client must come back with a new
 * socket id, subscribe again with fresh authorization for that socket id, sign in again, and receive what is
 * published after the restart. The official pusher-js client goes through the same restart as a control, so
 * the expectations are those of pusher-js.
 *
 * <p>The restart happens once, in {@link #restartSoketiWhileSubscribed()}, for all clients at the same time
 * (it disturbs the shared peers for a few seconds, so it is done once and kept short); each client's outcome
 * is then its own test. The class is {@link Isolated}: nothing else of this suite runs meanwhile. The peers
 * are started again whatever happens.
 */
@Isolated
class ServerRestartIT {

  private static final String RUN = ConformanceRun.randomLetters();
  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(45);

  enum Client {
    PUSHER_CLI_NETTY_WS(ClientKind.OURS, ClientTransport.NETTY_WS),
    PUSHER_CLI_JETTY_WS(ClientKind.OURS, ClientTransport.JETTY_WS),
    PUSHER_CLI_XHR_STREAMING(ClientKind.OURS, ClientTransport.XHR_STREAMING),
    PUSHER_CLI_XHR_POLLING(ClientKind.OURS, ClientTransport.XHR_POLLING),
    REFERENCE_WS(ClientKind.REFERENCE, ClientTransport.NETTY_WS),
    REFERENCE_XHR_STREAMING(ClientKind.REFERENCE, ClientTransport.XHR_STREAMING),
    REFERENCE_XHR_POLLING(ClientKind.REFERENCE, ClientTransport.XHR_POLLING);

    final ClientKind kind;
    final ClientTransport transport;
    final String token;

    Client(ClientKind kind, ClientTransport transport) {
      this.kind = kind;
      this.transport = transport;
      // Letters only (never mistaken for a socket id), unique per run so that parallel runs do not meet.
      this.token = "rs-" + name().toLowerCase(Locale.ROOT).replace("_", "") + "-" + RUN;
    }

    String publicChannel() {
      return "conf-restart-" + token;
    }

    String privateChannel() {
      return "private-restart-" + token;
    }

    String presenceChannel() {
      return "presence-restart-" + token;
    }

    String encryptedChannel() {
      return "private-encrypted-restart-" + token;
    }

    List<String> channels() {
      return List.of(publicChannel(), privateChannel(), presenceChannel(), encryptedChannel());
    }
  }

  private static final List<ListenProcess> PROCESSES = new ArrayList<>();
  private static final StringBuilder LOG = new StringBuilder();

  @BeforeAll
  static void restartSoketiWhileSubscribed() {
    if (!Peers.closedPorts().isEmpty()) {
      return; // each test then skips (or fails, in CI) with the message of Peers.assumeUp()
    }
    try {
      for (Client client : Client.values()) {
        List<String> options = new ArrayList<>(List.of(
            "--key", Peers.KEY, "--host", Peers.HOST,
            "--ws-port", String.valueOf(Peers.WS_PORT), "--http-port", String.valueOf(Peers.HTTP_PORT),
            "--auth-endpoint", Peers.AUTH_URL, "--user-auth-endpoint", Peers.USER_AUTH_URL,
            "--signin", "--exit-after-ms", "180000"));
        options.addAll(client.transport.options());
        for (String channel : client.channels()) {
          options.add("--channel");
          options.add(channel);
        }
        PROCESSES.add(ListenProcess.start(client.kind.label() + " " + client.transport, client.kind, options));
      }
      // Every phase waits for all clients, but gives up after its timeout instead of failing here, so that
      // each client's test reports what that client did.
      phase("all subscribed and signed in", c -> subscribedAndSignedIn(c, 1));
      for (Client client : Client.values()) {
        for (String channel : client.channels()) {
          Peers.trigger(channel, "before-restart", Peers.json("{\"n\":1}"), false);
        }
      }
      phase("events before the restart received", c -> received(c, "before-restart"));

      long pid = stopSoketi();
      phase("all saw the connection drop", ServerRestartIT::leftConnected);
      runUp();
      LOG.append("soketi ").append(pid).append(" stopped and started again\n");

      phase("all reconnected, subscribed again and signed in again", c -> subscribedAndSignedIn(c, 2));
      for (Client client : Client.values()) {
        for (String channel : client.channels()) {
          Peers.trigger(channel, "after-restart", Peers.json("{\"n\":2}"), false);
        }
        lastSocketId(client).ifPresent(
            id -> Peers.sendToUser("user-" + id, "after-restart-dm", Peers.json("{\"n\":3}"), false));
      }
      phase("events after the restart received", c -> received(c, "after-restart") && receivedUserEvent(c));
    } finally {
      ensurePeersUp();
    }
  }

  @AfterAll
  static void stopClients() {
    System.out.print("server restart phases:\n" + LOG);
    if (Boolean.getBoolean("conformance.printTranscripts")) {
      PROCESSES.forEach(process -> System.out.print(process.describe()));
    }
    PROCESSES.forEach(ListenProcess::terminate);
    PROCESSES.forEach(ListenProcess::close);
    ensurePeersUp();
  }

  @BeforeEach
  void peersUp() {
    Peers.assumeUp();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void resubscribesWithFreshAuthorizationAndReceivesEventsPublishedAfterTheRestart(Client client) {
    ListenProcess process = process(client);
    String context = "\n" + LOG + process.describe();
    List<JsonNode> records = process.records();

    List<Integer> connects = indexes(records, r -> "connected".equals(r.path("type").asText()));
    assertThat(connects).as("a connected line before and after the restart" + context).hasSizeGreaterThanOrEqualTo(2);
    String firstId = records.get(connects.get(0)).path("socket_id").asText();
    String newId = records.get(connects.get(connects.size() - 1)).path("socket_id").asText();
    assertThat(newId).as("the socket id after the restart" + context).isNotEqualTo(firstId);

    assertThat(indexes(records, r -> "state".equals(r.path("type").asText())
        && "connected".equals(r.path("previous").asText())))
        .as("a state line leaving connected when soketi stopped" + context).isNotEmpty();

    List<JsonNode> after = records.subList(connects.get(connects.size() - 1), records.size());
    for (String channel : client.channels()) {
      assertThat(after).as("subscribed to " + channel + " again after the restart" + context)
          .anyMatch(r -> ConformanceRun.isEvent(r, channel, "pusher:subscription_succeeded"));
      assertThat(after).as("received the event published to " + channel + " after the restart" + context)
          .anyMatch(r -> ConformanceRun.isEvent(r, channel, "after-restart") && r.path("data").path("n").asInt() == 2);
    }
    // The auth server names presence members and users after the socket id it signed for: "user-<socket id>".
    assertThat(after).as("presence authorized for the new socket id " + newId + context)
        .anyMatch(r -> ConformanceRun.isEvent(r, client.presenceChannel(), "pusher:subscription_succeeded")
            && ("user-" + newId).equals(r.path("data").path("me").asText()));
    assertThat(after).as("signed in again after the restart" + context)
        .anyMatch(r -> ConformanceRun.isEvent(r, null, "pusher:signin_success"));
    assertThat(after).as("the event sent to user-" + newId + " after the restart" + context)
        .anyMatch(r -> ConformanceRun.isEvent(r, null, "after-restart-dm"));
  }

  /** Which reference client each of ours is compared with: the one on the same transport. */
  enum Comparison {
    NETTY_WS(Client.PUSHER_CLI_NETTY_WS, Client.REFERENCE_WS),
    JETTY_WS(Client.PUSHER_CLI_JETTY_WS, Client.REFERENCE_WS),
    XHR_STREAMING(Client.PUSHER_CLI_XHR_STREAMING, Client.REFERENCE_XHR_STREAMING),
    XHR_POLLING(Client.PUSHER_CLI_XHR_POLLING, Client.REFERENCE_XHR_POLLING);

    final Client ours;
    final Client reference;

    Comparison(Client ours, Client reference) {
      this.ours = ours;
      this.reference = reference;
    }
  }

  /**
   * The whole transcript through the restart (connection states, errors, resubscriptions, events) must be
   * the reference client's, normalised as in the transcript suite, with runs of identical error lines
   * collapsed (see {@link Transcripts#collapseRepeatedErrors}).
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Comparison.class)
  void transcriptThroughTheRestartMatchesTheReferenceClient(Comparison comparison) {
    List<String> ours = Transcripts.collapseRepeatedErrors(
        Transcripts.normalise(process(comparison.ours).lines(), comparison.ours.token));
    List<String> reference = Transcripts.collapseRepeatedErrors(
        Transcripts.normalise(process(comparison.reference).lines(), comparison.reference.token));
    String diff = Transcripts.diff(ours, reference);
    assertThat(diff).as("server restart over " + comparison + ": transcripts differ (- only pusher-cli, + only"
        + " reference):\n" + diff + "\n" + LOG + process(comparison.ours).describe()).isEmpty();
  }

  static List<Client> clients() {
    return List.of(Client.values());
  }

  // --- phases -------------------------------------------------------------------------------------------

  private interface ClientCheck {
    boolean test(Client client);
  }

  /**
   * Waits until every client still running passes the check (one that exited can do nothing more: its test
   * fails), or gives up after the timeout; logs when each client got there.
   */
  private static void phase(String name, ClientCheck check) {
    long start = System.nanoTime();
    Map<Client, Long> doneAfterMs = new EnumMap<>(Client.class);
    BooleanSupplier allDone = () -> {
      for (Client client : Client.values()) {
        if (!doneAfterMs.containsKey(client) && !process(client).finished() && check.test(client)) {
          doneAfterMs.put(client, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
      }
      return Arrays.stream(Client.values()).allMatch(c -> doneAfterMs.containsKey(c) || process(c).finished());
    };
    String outcome;
    try {
      await(name).atMost(PHASE_TIMEOUT).pollInSameThread().pollInterval(Duration.ofMillis(50))
          .until(allDone::getAsBoolean);
      outcome = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms";
    } catch (ConditionTimeoutException e) {
      outcome = "TIMED OUT after " + PHASE_TIMEOUT;
    }
    LOG.append(String.format("%-55s %s%n", name, outcome));
    for (Client client : Client.values()) {
      Long ms = doneAfterMs.get(client);
      LOG.append(String.format("    %-30s %s%n", client, ms != null ? ms + " ms" : "no (exited or timed out)"));
    }
  }

  private static ListenProcess process(Client client) {
    return PROCESSES.get(client.ordinal());
  }

  private static boolean subscribedAndSignedIn(Client client, int times) {
    ListenProcess process = process(client);
    for (String channel : client.channels()) {
      if (process.count(r -> ConformanceRun.isEvent(r, channel, "pusher:subscription_succeeded")) < times) {
        return false;
      }
    }
    return process.count(r -> ConformanceRun.isEvent(r, null, "pusher:signin_success")) >= times;
  }

  private static boolean received(Client client, String event) {
    ListenProcess process = process(client);
    return client.channels().stream().allMatch(channel -> process.count(r -> ConformanceRun.isEvent(r, channel, event)) > 0);
  }

  private static boolean leftConnected(Client client) {
    return process(client).count(r -> "state".equals(r.path("type").asText())
        && "connected".equals(r.path("previous").asText())) > 0;
  }

  private static boolean receivedUserEvent(Client client) {
    return process(client).count(r -> ConformanceRun.isEvent(r, null, "after-restart-dm")) > 0;
  }

  private static Optional<String> lastSocketId(Client client) {
    List<JsonNode> records = process(client).records();
    List<Integer> connects = indexes(records, r -> "connected".equals(r.path("type").asText()));
    return connects.size() < 2 ? Optional.empty()
        : Optional.of(records.get(connects.get(connects.size() - 1)).path("socket_id").asText());
  }

  private static List<Integer> indexes(List<JsonNode> records, java.util.function.Predicate<JsonNode> predicate) {
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      if (predicate.test(records.get(i))) {
        indexes.add(i);
      }
    }
    return indexes;
  }

  // --- the server -----------------------------------------------------------------------------------------

  /** SIGTERM to soketi (it closes its sockets with 4200, waits its grace period, exits); waits for the exit. */
  private static long stopSoketi() {
    Path pidFile = Peers.HOME.resolve("run/soketi.pid");
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read soketi's pid from " + pidFile, e);
    }
    ProcessHandle soketi = ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException("soketi (pid " + pid + " from " + pidFile + ") is not running"));
    soketi.destroy();
    try {
      soketi.onExit().get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      soketi.destroyForcibly();
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for soketi to exit", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping soketi", e);
    }
    await("soketi " + pid + " gone").atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> !soketi.isAlive());
    return pid;
  }

  private static void runUp() {
    try {
      Path output = Files.createTempFile("peers-up", ".log");
      try {
        Process up = new ProcessBuilder(Peers.UP_SCRIPT.toString())
            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean exited = up.waitFor(120, TimeUnit.SECONDS);
        if (!exited || up.exitValue() != 0) {
          up.destroyForcibly();
          throw new IllegalStateException(Peers.UP_SCRIPT + (exited ? " failed:\n" : " timed out:\n")
              + Files.readString(output, StandardCharsets.UTF_8));
        }
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + Peers.UP_SCRIPT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the peers", e);
    }
  }

  private static void ensurePeersUp() {
    if (!Peers.closedPorts().isEmpty()) {
      runUp();
    }
  }

}
