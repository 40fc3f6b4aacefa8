package io.pusheriso.conformance;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The real peers of {@code ../shared/peers} (soketi, the SockJS bridge, the auth and trigger server), as
 * the suite sees them: where they listen, whether they are up, and how to publish through them.
 *
 * <p>Settings come from the {@code PUSHER_PEER_*} variables that {@code ../shared/peers/up} prints, with
 * the defaults of that script. Thread-safe: immutable, and the HTTP client is shared.
 */
final class Peers {

  static final String HOST = "127.0.0.1";
  static final String KEY = env("PUSHER_PEER_APP_KEY", "app-key");
  static final int WS_PORT = Integer.parseInt(env("PUSHER_PEER_WS_PORT", "6001"));
  static final int WSS_PORT = Integer.parseInt(env("PUSHER_PEER_WSS_PORT", "6443"));
  static final int HTTP_PORT = Integer.parseInt(env("PUSHER_PEER_HTTP_PORT", "6002"));
  static final String AUTH_URL = env("PUSHER_PEER_AUTH_URL", "http://127.0.0.1:6003/pusher/auth");
  static final String USER_AUTH_URL = env("PUSHER_PEER_USER_AUTH_URL", "http://127.0.0.1:6003/pusher/user-auth");
  static final String TRIGGER_URL = env("PUSHER_PEER_TRIGGER_URL", "http://127.0.0.1:6003/trigger");
  static final String SEND_TO_USER_URL = TRIGGER_URL.replaceFirst("/trigger$", "/send-to-user");
  static final Path HOME = Path.of(env("PUSHER_PEER_HOME", "/var/cache/pusher-peers"));
  static final Path CA = Path.of(env("PUSHER_PEER_CA", HOME.resolve("tls/ca.pem").toString()));
  static final Path REFERENCE_CLIENT =
      Path.of(env("PUSHER_PEER_REFERENCE_CLIENT", HOME.resolve("rootfs/peers/reference-client.js").toString()));

  /** The repository root, from the surefire configuration of this module (or the working directory's parent). */
  static final Path REPO_ROOT = Path.of(System.getProperty("conformance.repoRoot", "..")).toAbsolutePath().normalize();

  /** Where {@code up} lives: next to the repository, as {@code ../shared/peers/up}. */
  static final Path UP_SCRIPT = Path.of(
      System.getProperty("conformance.peersUp", REPO_ROOT.resolve("../shared/peers/up").normalize().toString()));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Peers() {}

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /**
   * Skips the calling test when the peers are not reachable; the suite must never hang or fail on a machine
   * without them. When CI has exported the settings of {@code up} ({@code PUSHER_PEER_WS_PORT} is set), the
   * peers are promised, so their absence is a failure rather than a silent skip.
   */
  static void assumeUp() {
    List<String> closed = closedPorts();
    if (closed.isEmpty()) {
      return;
    }
    String message = "the real peers are not reachable on " + HOST + " (closed: " + String.join(", ", closed)
        + "); start them with ../shared/peers/up to run the conformance suite";
    if (System.getenv("PUSHER_PEER_WS_PORT") != null) {
      fail(message + " (PUSHER_PEER_WS_PORT is set, so they were expected to be up)");
    }
    Assumptions.abort(message);
  }

  static List<String> closedPorts() {
    List<String> closed = new ArrayList<>();
    int authPort = URI.create(TRIGGER_URL).getPort();
    for (int port : new int[] {WS_PORT, WSS_PORT, HTTP_PORT, authPort}) {
      if (!listening(port)) {
        closed.add(String.valueOf(port));
      }
    }
    return closed;
  }

  static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The pusher-cli jar under test; a missing jar fails the test (CI builds it before this module). */
  static Path cliJar() {
    // -Dconformance.cliJar=... runs another build of the jar (e.g. a copy, while the module is being rebuilt).
    Path jar = Path.of(System.getProperty("conformance.cliJar",
        REPO_ROOT.resolve("pusher-cli/target/pusher-cli.jar").toString()));
    if (!Files.isRegularFile(jar)) {
      fail("pusher-cli jar not found at " + jar + ": build it first (mvn -pl pusher-cli package)");
    }
    return jar;
  }

  /**
   * Publishes one event through the HTTP events API (signed by the official server SDK).
   *
   * @param data a JSON value: a string is sent as the raw payload (the SDK does not encode strings), anything
   *     else is JSON-encoded by the SDK
   * @param tls publish to the TLS soketi (6443), which is a separate server from the plain one
   */
  static void trigger(String channel, String event, JsonNode data, boolean tls) {
    ObjectNode body = JSON.createObjectNode();
    body.put("channel", channel).put("event", event).put("tls", tls).set("data", data);
    post(TRIGGER_URL, body);
  }

  /** Sends an event to a signed-in user through the official server SDK. */
  static void sendToUser(String userId, String event, JsonNode data, boolean tls) {
    ObjectNode body = JSON.createObjectNode();
    body.put("user_id", userId).put("event", event).put("tls", tls).set("data", data);
    post(SEND_TO_USER_URL, body);
  }

  private static void post(String url, JsonNode body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        fail("POST " + url + " " + body + " answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + url + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("bad JSON in the test itself: " + text, e);
    }
  }
}
