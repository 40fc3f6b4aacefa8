package io.pusheriso.transport.httpclient;

import io.pusheriso.spi.TransportKind;
import io.pusheriso.tck.SoakRun;
import io.pusheriso.testkit.PusherTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole client over one xhr kind receives a long stream of numbered events from the embedded
 * server while the server drops the connection several times ({@code dropAllConnections}: the TCP
 * connection of the receiving request is cut and the session forgotten): the events arrive in
 * strictly increasing order, none twice, and every missing number lies in a window when the client
 * was not subscribed. How the windows are accounted for: see {@link SoakRun}.
 *
 * <p>Counts: {@code -Dpusher.soak.xhr_streaming.events=N} and {@code
 * -Dpusher.soak.xhr_polling.events=N} (defaults below, each run well under 30 s here); drops:
 * {@code -Dpusher.soak.drops} (default 5).
 */
class PusherSoakOverHttpClientTest {

  private static final int STREAMING_EVENTS =
      Integer.getInteger("pusher.soak.xhr_streaming.events", 100_000);
  private static final int POLLING_EVENTS =
      Integer.getInteger("pusher.soak.xhr_polling.events", 100_000);
  private static final int DROPS = Integer.getInteger("pusher.soak.drops", 5);
  private static final int WINDOW = 2_000;
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

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void numberedEvents_throughRepeatedDrops_inOrderNoDuplicatesGapsOnlyWhileAway(TransportKind kind)
      throws Exception {
    int events = kind == TransportKind.XHR_STREAMING ? STREAMING_EVENTS : POLLING_EVENTS;
    try (HttpClientTransportFactory http = new HttpClientTransportFactory()) {
      SoakRun run =
          new SoakRun(
              server,
              http,
              events,
              DROPS,
              WINDOW,
              "soak-" + kind.wireName(),
              STALL,
              options ->
                  options
                      .httpHost(server.host())
                      .httpPort(server.port())
                      .enabledTransports(kind));
      SoakRun.Result r = run.execute();
      r.report(kind.wireName());
      r.assertAccountedFor();
    }
  }
}
