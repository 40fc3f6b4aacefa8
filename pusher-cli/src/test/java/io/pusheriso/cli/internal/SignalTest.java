package io.pusheriso.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.testkit.PusherTestServer;
import io.pusheriso.testkit.PusherTestServerExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SIGTERM on a real process: listen disconnects cleanly and exits 0. */
class SignalTest {

  @RegisterExtension static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

  @Test
  void sigterm_disconnectsCleanly_andExitsZero() throws Exception {
    PusherTestServer s = SERVER.server();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "listen", "--host", s.host(), "--ws-port", String.valueOf(s.port()), "--transport", "ws",
                "--channel", "sig-channel")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (java.io.IOException e) {
                lines.add("read failed: " + e);
              }
            });
    reader.start();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> lines.contains("{\"type\":\"event\",\"channel\":\"sig-channel\",\"event\":\"pusher:subscription_succeeded\",\"data\":{}}"));

      // SIGTERM through the handle: Process.destroy() would also close our end of stdout.
      assertThat(p.toHandle().destroy()).isTrue();

      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      reader.join(5_000);
      assertThat(lines).last().isEqualTo("{\"type\":\"state\",\"previous\":\"connected\",\"current\":\"disconnected\"}");
    } finally {
      p.destroyForcibly();
    }
  }
}
