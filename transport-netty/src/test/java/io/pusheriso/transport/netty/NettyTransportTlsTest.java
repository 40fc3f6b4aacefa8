package io.pusheriso.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener;
import io.pusheriso.tck.RecordingTransportListener.Event;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import io.pusheriso.testkit.PusherTestServer;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The TLS options of the builder, and wss through a proxy, against the embedded test server. */
class NettyTransportTlsTest {

  private static final Duration STEP = Duration.ofSeconds(10);
  private static PusherTestServer server;

  @BeforeAll
  static void start() {
    server = PusherTestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TransportRequest request(URI uri) {
    return new TransportRequest(TransportKind.WEBSOCKET, uri, STEP, 1 << 20);
  }

  private static void openSubscribeClose(NettyTransportFactory f, URI uri) {
    RecordingTransportListener l = new RecordingTransportListener();
    Transport t = f.open(request(uri), l);
    l.awaitOpen(STEP);
    l.awaitMessage(m -> m.contains("pusher:connection_established"), STEP);
    assertThat(t.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"tls-test\"}}"))
        .isTrue();
    l.awaitMessage(m -> m.contains("pusher_internal:subscription_succeeded"), STEP);
    t.close(1000, "done");
    assertThat(l.awaitTerminal(STEP).kind()).isEqualTo(Kind.CLOSE);
    l.assertContractKept();
  }

  /** The server's wss URI with another host name (which the test proxy sends to 127.0.0.1). */
  private static URI wssAs(String host) {
    URI u = server.wssUri();
    return URI.create(u.toString().replace("//" + u.getHost() + ":", "//" + host + ":"));
  }

  @Test
  void trustStore_trustsTheServer() {
    try (NettyTransportFactory f =
        NettyTransportFactory.builder().trustStore(server.trustStore()).build()) {
      openSubscribeClose(f, server.wssUri());
    }
  }

  @Test
  void sslContext_usedAsGiven() throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(server.trustStore());
    SslContext ssl = SslContextBuilder.forClient().trustManager(tmf).build();
    try (NettyTransportFactory f = NettyTransportFactory.builder().sslContext(ssl).build()) {
      openSubscribeClose(f, server.wssUri());
    }
  }

  @Test
  void wssThroughHttpProxy_works() {
    try (TestProxies.HttpConnectProxy proxy = new TestProxies.HttpConnectProxy("carol", "pw-3");
        NettyTransportFactory f =
            NettyTransportFactory.builder()
                .trustedCertificates(server.caCertificateFile())
                .httpProxy(proxy.address(), "carol", "pw-3")
                .build()) {
      openSubscribeClose(f, server.wssUri());
      assertThat(proxy.requests()).hasSize(1);
      assertThat(proxy.requests().get(0).target())
          .isEqualTo("CONNECT 127.0.0.1:" + server.tlsPort());
    }
  }

  @Test
  void hostnameVerification_certificateForAnotherName_rejectedUnlessTurnedOff() {
    // The proxy sends every name to 127.0.0.1, so "pusher.test" reaches the server, whose
    // certificate names only 127.0.0.1 and localhost.
    try (TestProxies.HttpConnectProxy proxy =
            new TestProxies.HttpConnectProxy("dave", "pw-4").routeEverythingToLoopback();
        NettyTransportFactory verifying =
            NettyTransportFactory.builder()
                .trustedCertificates(server.caCertificateFile())
                .httpProxy(proxy.address(), "dave", "pw-4")
                .build();
        NettyTransportFactory notVerifying =
            NettyTransportFactory.builder()
                .trustedCertificates(server.caCertificateFile())
                .hostnameVerification(false)
                .httpProxy(proxy.address(), "dave", "pw-4")
                .build()) {
      RecordingTransportListener l = new RecordingTransportListener();
      verifying.open(request(wssAs("pusher.test")), l);
      Event end = l.awaitTerminal(STEP);
      assertThat(end.kind()).isEqualTo(Kind.ERROR);
      assertThat(end.error().getMessage()).contains("certificate");
      assertThat(l.openCount()).isZero();

      openSubscribeClose(notVerifying, wssAs("pusher.test"));
      assertThat(proxy.requests())
          .extracting(TestProxies.Request::target)
          .containsOnly("CONNECT pusher.test:" + server.tlsPort());
    }
  }
}
