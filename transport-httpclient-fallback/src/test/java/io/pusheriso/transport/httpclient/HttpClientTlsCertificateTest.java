package io.pusheriso.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import io.pusheriso.tck.TestCertificates;
import io.pusheriso.tck.TestCertificates.ServerCertificate;
import io.pusheriso.tck.TlsCertificateContract;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Certificate checks of the xhr transports against a small HTTPS server whose certificates (issued
 * by a test CA the client trusts, made with Bouncy Castle) are wrong on purpose: one names another
 * host, one has expired. Host name verification is on by default and refuses the first; only
 * turning it off lets it through; nothing lets the expired one through. Each refusal says why, and
 * no HTTP request reaches the server over a refused TLS session.
 */
class HttpClientTlsCertificateTest {
  private static final Duration STEP = Duration.ofSeconds(10);
  private static final String ESTABLISHED =
      "a[\"{\\\"event\\\":\\\"pusher:connection_established\\\",\\\"data\\\":"
          + "\\\"{\\\\\\\"socket_id\\\\\\\":\\\\\\\"1.1\\\\\\\",\\\\\\\"activity_timeout\\\\\\\":120}\\\"}\"]\n";
  private static TestCertificates certificates;

  private XhrHttpsServer server;
  private HttpClientTransportFactory factory;

  @BeforeAll
  static void makeCa() {
    certificates = new TestCertificates();
  }

  @AfterEach
  void stop() {
    if (factory != null) {
      factory.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Opens a transport of {@code kind} to a server with {@code tls}, verification as given. */
  private RecordingTransportListener open(
      TransportKind kind, ServerCertificate tls, Boolean hostnameVerification) throws IOException {
    server = new XhrHttpsServer(tls.jdkContext());
    HttpClientTransportFactory.Builder b =
        HttpClientTransportFactory.builder().trustStore(certificates.trustStore());
    if (hostnameVerification != null) {
      b.hostnameVerification(hostnameVerification);
    }
    factory = b.build();
    RecordingTransportListener l = new RecordingTransportListener();
    factory.open(new TransportRequest(kind, server.base(), STEP, 1 << 20), l);
    return l;
  }

  private static void assertWorks(RecordingTransportListener l) {
    l.awaitOpen(STEP);
    l.awaitMessage(m -> m.contains("pusher:connection_established"), STEP);
    l.transport().close(1000, "done");
    assertThat(l.awaitTerminal(STEP).kind()).isEqualTo(Kind.CLOSE);
    l.assertContractKept();
  }

  private Throwable assertRefused(RecordingTransportListener l) {
    return TlsCertificateContract.assertRefusedAtTls(l, server::requests, STEP);
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void certificateForTheHost_opens(TransportKind kind) throws IOException {
    assertWorks(open(kind, certificates.validServer("localhost", "127.0.0.1"), null));
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void certificateForAnotherName_refusedByDefault_sayingItDoesNotNameTheHost(TransportKind kind)
      throws IOException {
    Throwable error =
        assertRefused(open(kind, certificates.validServer("other.example", null), null));
    assertThat(error.getMessage())
        .contains("https://127.0.0.1:" + server.port())
        .contains("the server's certificate does not name host '127.0.0.1'")
        .contains("connect with a host name the certificate holds");
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void certificateForAnotherName_refusedWithVerificationExplicitlyOn(TransportKind kind)
      throws IOException {
    Throwable error =
        assertRefused(open(kind, certificates.validServer("other.example", null), true));
    assertThat(error.getMessage()).contains("the server's certificate does not name host");
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void certificateForAnotherName_acceptedOnlyWithVerificationExplicitlyOff(TransportKind kind)
      throws IOException {
    assertWorks(open(kind, certificates.validServer("other.example", null), false));
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void expiredCertificate_refused_sayingItExpired(TransportKind kind) throws IOException {
    Throwable error =
        assertRefused(open(kind, certificates.expiredServer("localhost", "127.0.0.1"), null));
    assertThat(error.getMessage())
        .contains("the server's certificate has expired")
        .doesNotContain("not trusted");
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class, names = {"XHR_STREAMING", "XHR_POLLING"})
  void expiredCertificate_refusedEvenWithVerificationOff(TransportKind kind) throws IOException {
    Throwable error =
        assertRefused(open(kind, certificates.expiredServer("localhost", "127.0.0.1"), false));
    assertThat(error.getMessage()).contains("the server's certificate has expired");
  }

  /**
   * Just enough of the xhr endpoints over HTTPS: a receiving request gets {@code o} and {@code
   * pusher:connection_established} (streaming: then held open), {@code xhr_send} a 204. Counts
   * the HTTP requests that got through TLS.
   */
  private static final class XhrHttpsServer implements AutoCloseable {
    private final HttpsServer https;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private final ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "xhr-https-server");
              t.setDaemon(true);
              return t;
            });

    XhrHttpsServer(SSLContext tls) throws IOException {
      https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      https.createContext(
          "/",
          http -> {
            requests.incrementAndGet();
            String path = http.getRequestURI().getRawPath();
            try (http) {
              http.getRequestBody().readAllBytes();
              if (path.endsWith("/xhr_send")) {
                http.sendResponseHeaders(204, -1);
                return;
              }
              http.getResponseHeaders().add("Content-Type", "application/javascript; charset=UTF-8");
              http.sendResponseHeaders(200, 0);
              OutputStream body = http.getResponseBody();
              if (path.endsWith("/xhr_streaming")) {
                body.write(("o\n" + ESTABLISHED).getBytes(StandardCharsets.UTF_8));
                body.flush();
                closed.await();
              } else if (polls.getAndIncrement() == 0) {
                body.write("o\n".getBytes(StandardCharsets.UTF_8));
              } else if (polls.get() == 2) {
                body.write(ESTABLISHED.getBytes(StandardCharsets.UTF_8));
              } else {
                closed.await();
              }
            } catch (IOException | InterruptedException e) {
              // The client went away, or the server is closing.
            }
          });
      https.setExecutor(executor);
      https.start();
    }

    int port() {
      return https.getAddress().getPort();
    }

    URI base() {
      return URI.create(
          "https://127.0.0.1:" + port() + "/pusher/app/app-key?protocol=7&client=java&version=test");
    }

    int requests() {
      return requests.get();
    }

    @Override
    public void close() {
      closed.countDown();
      https.stop(0);
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
