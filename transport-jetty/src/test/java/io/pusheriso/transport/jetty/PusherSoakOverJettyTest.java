package io.pusheriso.transport.jetty;

import io.pusheriso.tck.SoakRun;
import io.pusheriso.testkit.PusherTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole client over Jetty ws receives a long stream of numbered events from the embedded
 * server while the server drops every connection several times: the events arrive in strictly
 * increasing order, none twice, and every missing number lies in a window when the client was not
 * subscribed.
 *
 * <p>How the windows are accounted for: see {@link SoakRun} (the same harness as transport-netty's
 * soak, from pusher-transport-tck).
 *
 * <p>Count: {@code -Dpusher.soak.jetty.events=N} (default 100,000, as the issue asks of every
 * transport but Netty); drops: {@code -Dpusher.soak.drops}.
 */
class PusherSoakOverJettyTest {

  private static final int EVENTS = Integer.getInteger("pusher.soak.jetty.events", 100_000);
  private static final int DROPS = Integer.getInteger("pusher.soak.drops", 5);
  private static final int WINDOW = 2_000;
  private static final String CHANNEL = "soak";
  private static final Duration STALL = Duration.ofSeconds(30);

  private static PusherTestServer server;

  @BeforeAll
  static void start() {
    server = PusherTestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void numberedEvents_throughRepeatedDrops_inOrderNoDuplicatesGapsOnlyWhileAway()
      throws Exception {
    try (JettyTransportFactory jetty = new JettyTransportFactory()) {
      SoakRun run = new SoakRun(server, jetty, EVENTS, DROPS, WINDOW, CHANNEL, STALL);
      SoakRun.Result r = run.execute();
      r.report("Jetty");
      r.assertAccountedFor();
    }
  }
}
