package io.pusheriso.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.pusheriso.tck.RecordingTransportListener.Event;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import java.net.URI;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Certificate checks of one transport against wss servers whose certificates (issued by a test CA
 * the client trusts, made with Bouncy Castle) are wrong on purpose: one names another host, one
 * has expired. Host name verification is on by default and refuses the first; only turning it off
 * lets it through; nothing lets the expired one through. Each refusal says why. Subclasses name the
 * transport with {@link #newFactory(KeyStore, Boolean)}, as with {@link TransportTck}; abstract, so
 * surefire runs only them. The servers are {@link HostileWsServer}s with certificates from {@link
 * TestCertificates}.
 *
 * <p>Thread-safety: an instance is one JUnit test instance, driven by the JUnit thread; the CA is
 * made once per class and is immutable.
 */
public abstract class TlsCertificateContract {

  private static final Duration STEP = Duration.ofSeconds(10);
  private static TestCertificates certificates;

  private HostileWsServer server;
  private TransportFactory factory;
  private Pusher pusher;

  /** Subclass constructor; JUnit creates the instances. */
  protected TlsCertificateContract() {}

  /**
   * A factory of the transport under test trusting {@code trust} only, host name verification as
   * given; the contract closes it after each test.
   *
   * @param trust the only certificates to trust (the test CA)
   * @param hostnameVerification on or off, or null for the transport's default
   * @return the factory, owned by the contract from here on
   */
  protected abstract TransportFactory newFactory(KeyStore trust, Boolean hostnameVerification);

  /** Makes the test CA, once per concrete class. */
  @BeforeAll
  protected static void makeCa() {
    certificates = new TestCertificates();
  }

  /** Closes the client, the factory and the server of the test. */
  @AfterEach
  public void stop() {
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

  private RecordingTransportListener open(
      TestCertificates.ServerCertificate serverTls, Boolean hostnameVerification) {
    server = new HostileWsServer(serverTls.nettyContext());
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
    return assertRefusedAtTls(l, server::upgradeRequests, STEP);
  }

  /**
   * Checks that a transport was refused at TLS: it ended with a {@link PusherConnectionException}
   * without opening, kept the listener contract, and the server saw no request over the refused
   * session. Shared with the TLS tests that run other servers (the xhr transports' HTTPS).
   *
   * @param l the listener of the refused transport
   * @param requestsSeen how many requests (upgrades, HTTP requests) the server has seen
   * @param step how long to wait for the end
   * @return the error, for the caller to check its message
   */
  public static Throwable assertRefusedAtTls(
      RecordingTransportListener l, IntSupplier requestsSeen, Duration step) {
    Event end = l.awaitTerminal(step);
    assertThat(end.kind()).isEqualTo(Kind.ERROR);
    assertThat(l.openCount()).isZero();
    assertThat(end.error()).isInstanceOf(PusherConnectionException.class);
    assertThat(requestsSeen.getAsInt()).as("nothing was sent over the refused TLS").isZero();
    l.assertContractKept();
    return end.error();
  }

  @Test
  public void certificateForTheHost_opens() {
    assertWorks(open(certificates.validServer("localhost", "127.0.0.1"), null));
  }

  @Test
  public void certificateForAnotherName_refusedByDefault_sayingItDoesNotNameTheHost() {
    Throwable error = assertRefused(open(certificates.validServer("other.example", null), null));
    assertThat(error.getMessage())
        .contains("127.0.0.1")
        .containsIgnoringCase("does not name host '127.0.0.1'");
  }

  @Test
  public void certificateForAnotherName_refusedWithVerificationExplicitlyOn() {
    Throwable error = assertRefused(open(certificates.validServer("other.example", null), true));
    assertThat(error.getMessage()).containsIgnoringCase("does not name host");
  }

  @Test
  public void certificateForAnotherName_acceptedOnlyWithVerificationExplicitlyOff() {
    assertWorks(open(certificates.validServer("other.example", null), false));
  }

  @Test
  public void expiredCertificate_refused_sayingItExpired() {
    Throwable error =
        assertRefused(open(certificates.expiredServer("localhost", "127.0.0.1"), null));
    assertThat(error.getMessage()).containsIgnoringCase("expired");
  }

  @Test
  public void expiredCertificate_refusedEvenWithVerificationOff() {
    Throwable error =
        assertRefused(open(certificates.expiredServer("localhost", "127.0.0.1"), false));
    assertThat(error.getMessage()).containsIgnoringCase("expired");
  }

  @Test
  public void wholeClient_withACertificateForAnotherName_neverConnects() {
    server =
        new HostileWsServer(certificates.validServer("other.example", null).nettyContext());
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
