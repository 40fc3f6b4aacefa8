package io.pusheriso.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.SslContext;
import io.pusheriso.ConnectionListener;
import io.pusheriso.ConnectionStateChange;
import io.pusheriso.Pusher;
import io.pusheriso.PusherConnectionException;
import io.pusheriso.PusherOptions;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener;
import io.pusheriso.tck.RecordingTransportListener.Event;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import java.net.URI;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Certificate checks of one transport against wss servers whose certificates (issued by a test CA
 * the client trusts, made with Bouncy Castle) are wrong on purpose: one names another host, one
 * has expired. Host name verification is on by default and refuses the first; only turning it off
 * lets it through; nothing lets the expired one through. Each refusal says why. Subclasses name the
 * transport; abstract, so surefire runs only them.
 */
abstract class TlsCertificateContract {

  private static final Duration STEP = Duration.ofSeconds(10);
  private static TestCertificates certificates;

  private HostileWsServer server;
  private TransportFactory factory;
  private Pusher pusher;

  /** A factory trusting {@code trust} only, host name verification as given (null: default). */
  abstract TransportFactory newFactory(KeyStore trust, Boolean hostnameVerification);

  @BeforeAll
  static void makeCa() {
    certificates = new TestCertificates();
  }

  @AfterEach
  void stop() {
    if (pusher != null) {
      pusher.close();
    }
    if (factory != null) {
      factory.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private URI wss() {
    return URI.create(
        "wss://127.0.0.1:"
            + server.port()
            + "/app/app-key?protocol=7&client=java&version=test&flash=false");
  }

  private RecordingTransportListener open(SslContext serverTls, Boolean hostnameVerification) {
    server = new HostileWsServer(serverTls);
    factory = newFactory(certificates.trustStore(), hostnameVerification);
    RecordingTransportListener l = new RecordingTransportListener();
    factory.open(new TransportRequest(TransportKind.WEBSOCKET, wss(), STEP, 1 << 20), l);
    return l;
  }

  private static void assertWorks(RecordingTransportListener l) {
    l.awaitOpen(STEP);
    l.awaitMessage(m -> m.contains("pusher:connection_established"), STEP);
    Transport t = l.transport();
    assertThat(t.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"tls\"}}")).isTrue();
    l.awaitMessage(m -> m.contains("subscription_succeeded"), STEP);
    t.close(1000, "done");
    assertThat(l.awaitTerminal(STEP).kind()).isEqualTo(Kind.CLOSE);
    l.assertContractKept();
  }

  private Throwable assertRefused(RecordingTransportListener l) {
    Event end = l.awaitTerminal(STEP);
    assertThat(end.kind()).isEqualTo(Kind.ERROR);
    assertThat(l.openCount()).isZero();
    assertThat(end.error()).isInstanceOf(PusherConnectionException.class);
    assertThat(server.upgradeRequests()).as("nothing was sent over the refused TLS").isZero();
    l.assertContractKept();
    return end.error();
  }

  @Test
  void certificateForTheHost_opens() {
    assertWorks(open(certificates.validServer("localhost", "127.0.0.1"), null));
  }

  @Test
  void certificateForAnotherName_refusedByDefault_sayingItDoesNotNameTheHost() {
    Throwable error = assertRefused(open(certificates.validServer("other.example", null), null));
    assertThat(error.getMessage())
        .contains("127.0.0.1")
        .containsIgnoringCase("does not name host '127.0.0.1'");
  }

  @Test
  void certificateForAnotherName_refusedWithVerificationExplicitlyOn() {
    Throwable error = assertRefused(open(certificates.validServer("other.example", null), true));
    assertThat(error.getMessage()).containsIgnoringCase("does not name host");
  }

  @Test
  void certificateForAnotherName_acceptedOnlyWithVerificationExplicitlyOff() {
    assertWorks(open(certificates.validServer("other.example", null), false));
  }

  @Test
  void expiredCertificate_refused_sayingItExpired() {
    Throwable error =
        assertRefused(open(certificates.expiredServer("localhost", "127.0.0.1"), null));
    assertThat(error.getMessage()).containsIgnoringCase("expired");
  }

  @Test
  void expiredCertificate_refusedEvenWithVerificationOff() {
    Throwable error =
        assertRefused(open(certificates.expiredServer("localhost", "127.0.0.1"), false));
    assertThat(error.getMessage()).containsIgnoringCase("expired");
  }

  @Test
  void wholeClient_withACertificateForAnotherName_neverConnects() {
    server = new HostileWsServer(certificates.validServer("other.example", null));
    factory = newFactory(certificates.trustStore(), null);
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    pusher =
        new Pusher(
            PusherOptions.builder("app-key")
                .host("127.0.0.1")
                .wssPort(server.port())
                .tls(true)
                .transportFactory(factory)
                .connectTimeout(Duration.ofMillis(500))
                .unavailableTimeout(Duration.ofSeconds(1))
                .build());
    pusher.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void onStateChange(ConnectionStateChange change) {
            states.add(change.current());
          }
        });
    pusher.connect();
    await().atMost(STEP).until(() -> pusher.state() == ConnectionState.UNAVAILABLE);
    assertThat(states).doesNotContain(ConnectionState.CONNECTED);
    assertThat(server.upgradeRequests()).isZero();
  }
}
