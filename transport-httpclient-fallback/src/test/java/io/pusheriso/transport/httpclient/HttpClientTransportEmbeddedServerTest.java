package io.pusheriso.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.PusherConnectionException;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener;
import io.pusheriso.tck.RecordingTransportListener.Event;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import io.pusheriso.testkit.PusherTestServer;
import io.pusheriso.testkit.PusherTestServerExtension;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS and proxies against the embedded server's real xhr endpoints. */
class HttpClientTransportEmbeddedServerTest {
  private static final Duration STEP = Duration.ofSeconds(10);

  @RegisterExtension static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private static TransportRequest request(TransportKind kind, URI uri) {
    return new TransportRequest(kind, uri, STEP, 1 << 20);
  }

  /** Opens, waits for connection_established, subscribes, and closes. */
  private static void roundTrip(HttpClientTransportFactory factory, TransportKind kind, URI uri) {
    PusherTestServer server = SERVER.server();
    RecordingTransportListener listener = new RecordingTransportListener();
    Transport transport = factory.open(request(kind, uri), listener);
    listener.awaitOpen(STEP);
    listener.awaitMessage(m -> m.contains("pusher:connection_established"), STEP);
    String channel = "xhr-" + kind.wireName() + "-" + uri.getScheme();
    transport.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
    listener.awaitMessage(m -> m.contains("subscription_succeeded") && m.contains(channel), STEP);
    assertThat(server.subscriberCount(channel)).isPositive();
    transport.close(1000, "done");
    assertThat(listener.awaitTerminal(STEP).code()).isEqualTo(1000);
    listener.assertContractKept();
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void https_trustingTheServersCaAsAKeyStore_roundTrip(TransportKind kind) {
    HttpClientTransportFactory factory =
        track(HttpClientTransportFactory.builder().trustStore(SERVER.server().trustStore()).build());
    roundTrip(factory, kind, SERVER.server().httpsBaseUri());
  }

  @Test
  void https_withACallersSslContext_roundTrip() {
    HttpClientTransportFactory factory =
        track(
            HttpClientTransportFactory.builder()
                .sslContext(SERVER.server().clientSslContext())
                .build());
    roundTrip(factory, TransportKind.XHR_STREAMING, SERVER.server().httpsBaseUri());
  }

  @Test
  void https_withTheJvmDefaultTrust_refusedSayingTheCertificateIsNotTrusted() {
    HttpClientTransportFactory factory = track(new HttpClientTransportFactory());
    RecordingTransportListener listener = new RecordingTransportListener();

    factory.open(request(TransportKind.XHR_STREAMING, SERVER.server().httpsBaseUri()), listener);

    Event end = listener.awaitTerminal(STEP);
    assertThat(end.kind()).isEqualTo(Kind.ERROR);
    assertThat(end.error())
        .isInstanceOf(PusherConnectionException.class)
        .hasMessageContaining("not trusted")
        .hasMessageContaining("trustedCertificates");
    assertThat(listener.openCount()).isZero();
  }

  @Test
  void https_throughAConnectProxy_tunnelsToTheServer() throws Exception {
    ConnectProxy proxy = track(new ConnectProxy());
    HttpClientTransportFactory factory =
        track(
            HttpClientTransportFactory.builder()
                .trustedCertificates(SERVER.server().caCertificateFile())
                .httpProxy("127.0.0.1", proxy.port())
                .build());

    roundTrip(factory, TransportKind.XHR_STREAMING, SERVER.server().httpsBaseUri());

    assertThat(proxy.tunnels()).isNotEmpty().allMatch(t -> t.equals("127.0.0.1:" + SERVER.server().tlsPort()));
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void http_throughAForwardingProxy_everyRequestPassesThroughIt(TransportKind kind)
      throws Exception {
    ForwardingProxy proxy = track(new ForwardingProxy(null, null));
    HttpClientTransportFactory factory =
        track(HttpClientTransportFactory.builder().httpProxy("127.0.0.1", proxy.port()).build());

    roundTrip(factory, kind, SERVER.server().httpBaseUri());

    String prefix = "POST http://127.0.0.1:" + SERVER.server().port() + "/pusher/app/";
    assertThat(proxy.forwarded()).isNotEmpty().allMatch(line -> line.startsWith(prefix));
    assertThat(proxy.forwarded()).anyMatch(line -> line.contains("/xhr_send?"));
  }
}
