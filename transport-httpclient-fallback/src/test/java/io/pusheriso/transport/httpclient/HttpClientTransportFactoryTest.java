package io.pusheriso.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener;
import io.pusheriso.tck.RecordingTransportListener.Event;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory, its builder, a caller's client, and proxies. */
class HttpClientTransportFactoryTest {
  private static final Duration STEP = Duration.ofSeconds(10);

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

  /** A server that opens sessions, echoes every sent message back, and accepts sends. */
  private ScriptedXhrServer echoServer() throws IOException {
    return track(
        new ScriptedXhrServer(
            (endpoint, n, ex) -> {
              if (endpoint.equals("xhr_send")) {
                ScriptedXhrServer.accepted(ex);
              } else if (endpoint.equals("xhr")) {
                ex.ok().write(n == 0 ? "o\n" : "h\n").end();
              } else {
                ex.ok().write("o\n").hold();
              }
            }));
  }

  private static TransportRequest request(TransportKind kind, URI uri) {
    return new TransportRequest(kind, uri, STEP, 65536);
  }

  @Test
  void describesItself_andIsFoundByServiceLoader() {
    try (HttpClientTransportFactory factory = new HttpClientTransportFactory()) {
      assertThat(factory.name()).isEqualTo("httpclient");
      assertThat(factory.kinds())
          .containsExactlyInAnyOrder(TransportKind.XHR_STREAMING, TransportKind.XHR_POLLING);
    }
    List<String> found = new ArrayList<>();
    for (TransportFactory f : ServiceLoader.load(TransportFactory.class)) {
      found.add(f.getClass().getName());
      f.close();
    }
    assertThat(found).contains(HttpClientTransportFactory.class.getName());
  }

  @Test
  void open_refusesWebSocketsAndOtherSchemes_andAfterClose() {
    HttpClientTransportFactory factory = track(new HttpClientTransportFactory());
    RecordingTransportListener listener = new RecordingTransportListener();
    assertThatThrownBy(
            () ->
                factory.open(
                    request(TransportKind.WEBSOCKET, URI.create("ws://127.0.0.1:1/app/k")), listener))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WebSockets");
    assertThatThrownBy(
            () ->
                factory.open(
                    request(TransportKind.XHR_POLLING, URI.create("ws://127.0.0.1:1/app/k")),
                    listener))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://");
    factory.close();
    factory.close();
    assertThatThrownBy(
            () ->
                factory.open(
                    request(TransportKind.XHR_POLLING, URI.create("http://127.0.0.1:1/app/k")),
                    listener))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builder_checksItsArguments() {
    HttpClientTransportFactory.Builder b = HttpClientTransportFactory.builder();
    assertThatThrownBy(() -> b.header("Content-Length", "1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.header("Bad Name", "1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.header("X-Ok", "line\nbreak"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.streamingLimitBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.httpProxy("proxy", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builder_refusesContradictions_andUnreadablePem(@TempDir Path dir) throws IOException {
    CloseableHttpAsyncClient client = track(HttpAsyncClients.createDefault());
    assertThatThrownBy(
            () -> HttpClientTransportFactory.builder().httpClient(client).httpProxy("p", 3128).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CloseableHttpAsyncClient you pass");
    assertThatThrownBy(
            () ->
                HttpClientTransportFactory.builder()
                    .sslContext(javax.net.ssl.SSLContext.getDefault())
                    .trustStore(java.security.KeyStore.getInstance("PKCS12"))
                    .build())
        .isInstanceOf(IllegalStateException.class);
    Path notPem = Files.writeString(dir.resolve("x.pem"), "not a certificate");
    assertThatThrownBy(
            () -> HttpClientTransportFactory.builder().trustedCertificates(notPem).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x.pem");
  }

  @Test
  void toString_neverShowsTheProxyPassword() {
    HttpClientTransportFactory factory =
        track(HttpClientTransportFactory.builder().httpProxy("proxy", 3128, "user", "s3cret").build());
    assertThat(factory.toString()).contains("user").doesNotContain("s3cret");
    assertThat(factory.toBuilder().build().toString()).doesNotContain("s3cret");
  }

  @Test
  void callersClient_isUsed_andNeverClosed() throws Exception {
    ScriptedXhrServer server = echoServer();
    CloseableHttpAsyncClient client = HttpAsyncClients.createDefault();
    resources.add(() -> client.close(CloseMode.GRACEFUL));
    HttpClientTransportFactory factory =
        HttpClientTransportFactory.builder().httpClient(client).build();
    RecordingTransportListener listener = new RecordingTransportListener();

    Transport transport =
        factory.open(request(TransportKind.XHR_STREAMING, server.base()), listener);
    listener.awaitOpen(STEP);
    assertThat(client.getStatus()).isEqualTo(IOReactorStatus.ACTIVE);
    assertThat(transport.send("through the caller's client")).isTrue();
    await().atMost(STEP).until(() -> server.sendBodies().size() == 1);
    factory.close();

    Event end = listener.awaitTerminal(STEP);
    assertThat(end.kind()).isEqualTo(Kind.CLOSE);
    assertThat(end.code()).isEqualTo(1001);
    assertThat(client.getStatus()).isEqualTo(IOReactorStatus.ACTIVE);
    Future<SimpleHttpResponse> stillWorks =
        client.execute(
            SimpleRequestBuilder.post(server.base().resolve("/pusher/app/app-key/1/abcdefgh/xhr_send"))
                .setBody("[]", org.apache.hc.core5.http.ContentType.APPLICATION_JSON)
                .build(),
            null);
    assertThat(stillWorks.get().getCode()).isEqualTo(204);
  }

  @Test
  void ownClient_threadsEndWhenTheFactoryCloses() throws Exception {
    ScriptedXhrServer server = echoServer();
    HttpClientTransportFactory factory = new HttpClientTransportFactory();
    RecordingTransportListener listener = new RecordingTransportListener();
    factory.open(request(TransportKind.XHR_POLLING, server.base()), listener);
    listener.awaitOpen(STEP);
    assertThat(threadsNamed("pusher-httpclient-")).isNotEmpty();

    factory.close();

    assertThat(listener.awaitTerminal(STEP).code()).isEqualTo(1001);
    await().atMost(STEP).until(() -> threadsNamed("pusher-httpclient-").isEmpty());
  }

  private static List<String> threadsNamed(String prefix) {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(prefix)) {
        names.add(t.getName());
      }
    }
    return names;
  }

  @Test
  void httpProxy_everyRequestGoesThroughIt() throws Exception {
    ScriptedXhrServer server = echoServer();
    ForwardingProxy proxy = track(new ForwardingProxy(null, null));
    HttpClientTransportFactory factory =
        track(HttpClientTransportFactory.builder().httpProxy("127.0.0.1", proxy.port()).build());
    RecordingTransportListener listener = new RecordingTransportListener();

    Transport transport = factory.open(request(TransportKind.XHR_POLLING, server.base()), listener);
    listener.awaitOpen(STEP);
    transport.send("via proxy");
    await().atMost(STEP).until(() -> server.sendBodies().contains("[\"via proxy\"]"));

    assertThat(proxy.forwarded())
        .anyMatch(line -> line.startsWith("POST http://127.0.0.1:" + server.port() + "/pusher/app/app-key/") && line.contains("/xhr?"))
        .anyMatch(line -> line.contains("/xhr_send?"));
    assertThat(proxy.forwarded()).hasSizeGreaterThanOrEqualTo(server.requests().size() - 1);
    transport.close(1000, "done");
    listener.awaitTerminal(STEP);
    listener.assertContractKept();
  }

  @Test
  void httpProxyWithCredentials_answersThe407() throws Exception {
    ScriptedXhrServer server = echoServer();
    ForwardingProxy proxy = track(new ForwardingProxy("user", "pa55"));
    HttpClientTransportFactory factory =
        track(
            HttpClientTransportFactory.builder()
                .httpProxy("127.0.0.1", proxy.port(), "user", "pa55")
                .build());
    RecordingTransportListener listener = new RecordingTransportListener();

    factory.open(request(TransportKind.XHR_STREAMING, server.base()), listener);
    listener.awaitOpen(STEP);

    assertThat(proxy.challenged()).isNotEmpty();
    assertThat(proxy.forwarded()).anyMatch(line -> line.contains("/xhr_streaming?"));
  }

  @Test
  void httpProxyWithWrongCredentials_failsWithoutOpening() throws Exception {
    ScriptedXhrServer server = echoServer();
    ForwardingProxy proxy = track(new ForwardingProxy("user", "pa55"));
    HttpClientTransportFactory factory =
        track(
            HttpClientTransportFactory.builder()
                .httpProxy("127.0.0.1", proxy.port(), "user", "wrong")
                .build());
    RecordingTransportListener listener = new RecordingTransportListener();

    factory.open(request(TransportKind.XHR_STREAMING, server.base()), listener);

    Event end = listener.awaitTerminal(STEP);
    assertThat(end.kind()).isEqualTo(Kind.ERROR);
    assertThat(end.error()).hasMessageContaining("407");
    assertThat(proxy.forwarded()).isEmpty();
    listener.assertContractKept();
  }
}
