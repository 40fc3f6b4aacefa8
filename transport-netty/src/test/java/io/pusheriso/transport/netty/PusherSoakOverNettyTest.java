package io.pusheriso.transport.netty;

import io.netty.util.ResourceLeakDetector;
import io.pusheriso.tck.SoakRun;
import io.pusheriso.testkit.PusherTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole client over Netty ws receives a long stream of numbered events from the embedded
 * server while the server drops every connection several times: the events arrive in strictly
 * increasing order, none twice, and every missing number lies in a window when the client was not
 * subscribed.
 *
 * <p>How the windows are accounted for: see {@link SoakRun}.
 *
 * <p>Count: {@code -Dpusher.soak.netty.events=N} (default 1,000,000, as the issue asks: about 10 s
 * here, most of it the client's 1 s backoff after each drop); drops: {@code -Dpusher.soak.drops}.
 */
class PusherSoakOverNettyTest {

  private static final int EVENTS = Integer.getInteger("pusher.soak.netty.events", 1_000_000);
  private static final int DROPS = Integer.getInteger("pusher.soak.drops", 5);
  private static final int WINDOW = 2_000;
  private static final String CHANNEL = "soak";
  private static final Duration STALL = Duration.ofSeconds(30);

  private static PusherTestServer server;
  private static ResourceLeakDetector.Level leakLevel;

  @BeforeAll
  static void start() {
    // The module's JVMs track every buffer (PARANOID) for the leak test; sampling is enough here,
    // and this JVM runs this class alone (reuseForks=false).
    leakLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    server = PusherTestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
    ResourceLeakDetector.setLevel(leakLevel);
  }

  @Test
  void numberedEvents_throughRepeatedDrops_inOrderNoDuplicatesGapsOnlyWhileAway()
      throws Exception {
    try (NettyTransportFactory netty = new NettyTransportFactory()) {
      SoakRun run = new SoakRun(server, netty, EVENTS, DROPS, WINDOW, CHANNEL, STALL);
      SoakRun.Result r = run.execute();
      r.report("Netty");
      r.assertAccountedFor();
    }
  }
}
