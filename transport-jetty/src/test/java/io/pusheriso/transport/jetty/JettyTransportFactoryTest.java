package io.pusheriso.transport.jetty;

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
import io.pusheriso.testkit.PusherTestServer;
import io.pusheriso.testkit.PusherTestServerExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the Jetty transport adds to the TCK: its builder, caller clients, headers, proxies, TLS. */
class JettyTransportFactoryTest {
  private static final Duration STEP = Duration.ofSeconds(10);

  @RegisterExtension
  static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private static PusherTestServer server() {
    return SERVER.server();
  }

  private <T extends AutoCloseable> T track(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private static TransportRequest request(URI uri) {
    return new TransportRequest(TransportKind.WEBSOCKET, uri, STEP, 1 << 20);
  }

  private record Connection(Transport transport, RecordingTransportListener listener) {}

  /**
   * Opens, waits for pusher:connection_established, subscribes to a channel and sees it succeed.
   */
  private static Connection connectAndSubscribe(TransportFactory factory, URI uri, String channel) {
    RecordingTransportListener listener = new RecordingTransportListener();
    Transport transport = factory.open(request(uri), listener);
    listener.awaitOpen(STEP);
    listener.awaitMessage(m -> m.contains("pusher:connection_established"), STEP);
    assertThat(
            transport.send(
                "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}"))
        .isTrue();
    listener.awaitMessage(
        m -> m.contains("pusher_internal:subscription_succeeded") && m.contains(channel), STEP);
    return new Connection(transport, listener);
  }

  private static void closeAndAwait(Connection c) {
    c.transport().close(1000, "done");
    Event terminal = c.listener().awaitTerminal(STEP);
    assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.CLOSE);
    c.listener().assertContractKept();
  }

  // ---------------------------------------------------------------------------------------------
  // Identity and the builder
  // ---------------------------------------------------------------------------------------------

  @Test
  void serviceLoader_findsTheJettyFactory() {
    List<String> names = new ArrayList<>();
    for (TransportFactory factory : ServiceLoader.load(TransportFactory.class)) {
      names.add(factory.getClass().getName());
      factory.close();
    }
    assertThat(names).contains(JettyTransportFactory.class.getName());
  }

  @Test
  void usesJettyTransport_nameAndKinds() {
    JettyTransportFactory factory = track(new JettyTransportFactory());
    assertThat(factory.name()).isEqualTo("jetty");
    assertThat(factory.kinds()).containsExactly(TransportKind.WEBSOCKET);
  }

  @Test
  void open_httpScheme_throwsIllegalArgumentException() {
    JettyTransportFactory factory = track(new JettyTransportFactory());
    TransportRequest http =
        new TransportRequest(
            TransportKind.WEBSOCKET, URI.create("http://127.0.0.1:1/app/k"), STEP, 1000);
    assertThatThrownBy(() -> factory.open(http, new RecordingTransportListener()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ws://");
  }

  @Test
  void build_bothCallerClients_throwsIllegalState() {
    JettyTransportFactory.Builder builder =
        JettyTransportFactory.builder()
            .httpClient(new HttpClient())
            .webSocketClient(new WebSocketClient());
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("either httpClient");
  }

  @Test
  void build_twoTrustSources_throwsIllegalState() {
    JettyTransportFactory.Builder builder =
        JettyTransportFactory.builder()
            .trustStore(server().trustStore())
            .sslContext(server().clientSslContext());
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only one of");
  }

  @Test
  void build_callerClientWithProxyOrTls_throwsIllegalState() {
    assertThatThrownBy(
            () ->
                JettyTransportFactory.builder()
                    .httpClient(new HttpClient())
                    .httpProxy("127.0.0.1", 3128)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("on the HttpClient you pass");
    assertThatThrownBy(
            () ->
                JettyTransportFactory.builder()
                    .webSocketClient(new WebSocketClient())
                    .hostnameVerification(false)
                    .build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void header_reservedOrInvalid_throwsIllegalArgument() {
    JettyTransportFactory.Builder builder = JettyTransportFactory.builder();
    assertThatThrownBy(() -> builder.header("Sec-WebSocket-Key", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Sec-WebSocket-Key");
    assertThatThrownBy(() -> builder.header("host", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.header("Bad Name", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid HTTP header name");
    assertThatThrownBy(() -> builder.header("X-Ok", "line\r\nbreak"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character");
    assertThatThrownBy(() -> builder.idleTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.closeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.httpProxy("127.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1-65535");
  }

  @Test
  void trustedCertificates_missingOrNotPem_throwsIllegalArgumentNamingTheFile(@TempDir Path dir)
      throws Exception {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> JettyTransportFactory.builder().trustedCertificates(missing).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
    assertThatThrownBy(() -> JettyTransportFactory.builder().trustedCertificates(notPem).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(notPem.toString());
  }

  @Test
  void toString_neverShowsTheProxyPassword() {
    JettyTransportFactory factory =
        track(
            JettyTransportFactory.builder()
                .httpProxy("127.0.0.1", 3128, "alice", "s3cret-pa55")
                .header("X-App", "demo")
                .build());
    assertThat(factory.toString())
        .contains("alice")
        .contains("X-App")
        .doesNotContain("s3cret-pa55");
    assertThat(factory.toBuilder().build().toString()).doesNotContain("s3cret-pa55");
  }

  @Test
  void close_codeThatCannotBeSent_throwsAndTheConnectionStaysUsable() {
    JettyTransportFactory factory = track(new JettyTransportFactory());
    Connection c = connectAndSubscribe(factory, server().wsUri(), "jetty-bad-code");

    assertThatThrownBy(() -> c.transport().close(1006, "abnormal"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1006");

    assertThat(c.transport().send("{\"event\":\"pusher:ping\",\"data\":{}}")).isTrue();
    c.listener().awaitMessage(m -> m.contains("pusher:pong"), STEP);
    closeAndAwait(c);
  }

  // ---------------------------------------------------------------------------------------------
  // TLS
  // ---------------------------------------------------------------------------------------------

  @Test
  void tls_trustStore_opens() {
    JettyTransportFactory factory =
        track(JettyTransportFactory.builder().trustStore(server().trustStore()).build());
    closeAndAwait(connectAndSubscribe(factory, server().wssUri(), "jetty-tls-store"));
  }

  @Test
  void tls_sslContext_opens() {
    JettyTransportFactory factory =
        track(JettyTransportFactory.builder().sslContext(server().clientSslContext()).build());
    closeAndAwait(connectAndSubscribe(factory, server().wssUri(), "jetty-tls-context"));
  }

  @Test
  void tls_localhostName_matchesTheCertificateWithVerificationOn() {
    JettyTransportFactory factory =
        track(
            JettyTransportFactory.builder()
                .trustedCertificates(server().caCertificateFile())
                .build());
    URI localhost = URI.create(server().wssUri().toString().replace("127.0.0.1", "localhost"));
    closeAndAwait(connectAndSubscribe(factory, localhost, "jetty-tls-localhost"));
  }

  @Test
  void tls_addressTheCertificateDoesNotName_failsWithHostnameVerificationOn() throws Exception {
    // The server's certificate names 127.0.0.1 and localhost; 127.0.0.2 reaches it all the same.
    TcpForwarder forwarder = track(new TcpForwarder("127.0.0.2", server().tlsPort()));
    JettyTransportFactory factory =
        track(
            JettyTransportFactory.builder()
                .trustedCertificates(server().caCertificateFile())
                .build());
    RecordingTransportListener listener = new RecordingTransportListener();
    factory.open(request(onAddress(server().wssUri(), "127.0.0.2", forwarder.port())), listener);

    Event terminal = listener.awaitTerminal(STEP);

    assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.ERROR);
    assertThat(terminal.error()).hasMessageContaining("127.0.0.2");
    assertThat(terminal.describe()).containsIgnoringCase("certificate");
    assertThat(listener.openCount()).isZero();
  }

  @Test
  void tls_hostnameVerificationOff_acceptsAnAddressTheCertificateDoesNotName() throws Exception {
    TcpForwarder forwarder = track(new TcpForwarder("127.0.0.2", server().tlsPort()));
    JettyTransportFactory factory =
        track(
            JettyTransportFactory.builder()
                .trustedCertificates(server().caCertificateFile())
                .hostnameVerification(false)
                .build());
    URI uri = onAddress(server().wssUri(), "127.0.0.2", forwarder.port());

    closeAndAwait(connectAndSubscribe(factory, uri, "jetty-tls-no-verification"));
  }

  private static URI onAddress(URI uri, String host, int port) {
    return URI.create(
        uri.getScheme() + "://" + host + ":" + port + uri.getRawPath() + "?" + uri.getRawQuery());
  }

  @Test
  void tls_untrustedCertificate_errorSaysHowToTrustIt() {
    JettyTransportFactory factory = track(new JettyTransportFactory());
    RecordingTransportListener listener = new RecordingTransportListener();
    factory.open(request(server().wssUri()), listener);

    Event terminal = listener.awaitTerminal(STEP);

    assertThat(terminal.kind()).isEqualTo(Kind.ERROR);
    assertThat(terminal.error())
        .hasMessageContaining("not trusted")
        .hasMessageContaining("trustedCertificates");
    assertThat(listener.openCount()).isZero();
  }

  // ---------------------------------------------------------------------------------------------
  // The caller's clients
  // ---------------------------------------------------------------------------------------------

  @Test
  void callerHttpClient_isUsed_andNotStoppedByFactoryClose() throws Exception {
    HttpClient http = new HttpClient();
    QueuedThreadPool threads = new QueuedThreadPool(8, 1);
    threads.setName("caller-http");
    threads.setDaemon(true);
    http.setExecutor(threads);
    http.start();
    track(http::stop);

    JettyTransportFactory factory = JettyTransportFactory.builder().httpClient(http).build();
    Connection c = connectAndSubscribe(factory, server().wsUri(), "jetty-caller-http");
    assertThat(c.listener().events().get(0).threadName()).startsWith("caller-http");
    closeAndAwait(c);
    factory.close();

    assertThat(http.isStarted()).isTrue();
    // Still usable by its owner and by another factory.
    JettyTransportFactory again = track(JettyTransportFactory.builder().httpClient(http).build());
    closeAndAwait(connectAndSubscribe(again, server().wsUri(), "jetty-caller-http-again"));
  }

  @Test
  void callerHttpClientNotStarted_isStartedByOpen_andNotStoppedByFactoryClose() throws Exception {
    HttpClient http = new HttpClient();
    track(http::stop);
    JettyTransportFactory factory = JettyTransportFactory.builder().httpClient(http).build();
    assertThat(http.isStarted()).as("nothing starts before open").isFalse();

    closeAndAwait(connectAndSubscribe(factory, server().wsUri(), "jetty-caller-unstarted"));
    factory.close();

    assertThat(http.isStarted()).isTrue();
  }

  @Test
  void callerWebSocketClient_isUsed_andNotStoppedByFactoryClose() throws Exception {
    WebSocketClient client = new WebSocketClient();
    client.start();
    track(client::stop);

    JettyTransportFactory factory = JettyTransportFactory.builder().webSocketClient(client).build();
    Connection c = connectAndSubscribe(factory, server().wsUri(), "jetty-caller-ws");
    assertThat(client.getOpenSessions()).hasSize(1);
    closeAndAwait(c);
    factory.close();

    assertThat(client.isStarted()).isTrue();
    assertThat(client.getHttpClient().isStarted()).isTrue();
    JettyTransportFactory again =
        track(JettyTransportFactory.builder().webSocketClient(client).build());
    closeAndAwait(connectAndSubscribe(again, server().wsUri(), "jetty-caller-ws-again"));
  }

  @Test
  void factoryClose_withCallerClient_closesOnlyItsOwnConnections() throws Exception {
    WebSocketClient client = new WebSocketClient();
    client.start();
    track(client::stop);
    JettyTransportFactory first = JettyTransportFactory.builder().webSocketClient(client).build();
    JettyTransportFactory second =
        track(JettyTransportFactory.builder().webSocketClient(client).build());
    Connection mine = connectAndSubscribe(first, server().wsUri(), "jetty-mine");
    Connection other = connectAndSubscribe(second, server().wsUri(), "jetty-other");

    first.close();

    Event terminal = mine.listener().awaitTerminal(STEP);
    assertThat(terminal.kind()).isEqualTo(Kind.CLOSE);
    assertThat(terminal.code()).isEqualTo(1001);
    assertThat(other.listener().terminal()).isNull();
    assertThat(other.transport().send("{\"event\":\"pusher:ping\",\"data\":{}}")).isTrue();
    other.listener().awaitMessage(m -> m.contains("pusher:pong"), STEP);
    closeAndAwait(other);
  }

  // ---------------------------------------------------------------------------------------------
  // Handshake headers, pings
  // ---------------------------------------------------------------------------------------------

  @Test
  void headers_reachTheServer_andServerPingsAreAnsweredAndCountAsActivity() throws Exception {
    HandshakeRecordingServer recorder = track(new HandshakeRecordingServer());
    JettyTransportFactory factory =
        track(
            JettyTransportFactory.builder()
                .header("User-Agent", "pusher-iso-test/1.0")
                .header("X-Tenant", "first")
                .header("x-tenant", "blue")
                .build());
    URI uri =
        URI.create(
            "ws://127.0.0.1:"
                + recorder.port()
                + "/app/app-key?protocol=7&client=java&version=test&flash=false");
    RecordingTransportListener listener = new RecordingTransportListener();
    Transport transport = factory.open(request(uri), listener);

    listener.awaitMessage(m -> m.contains("hello"), STEP);
    await().atMost(STEP).until(() -> listener.activityCount() > 0);
    await().atMost(STEP).until(() -> recorder.pongs().contains("are-you-there"));
    transport.close(1000, "bye");
    assertThat(listener.awaitTerminal(STEP).code()).isEqualTo(1000);
    listener.assertContractKept();

    Map<String, String> handshake = recorder.handshakes().get(0);
    assertThat(handshake.get(":request"))
        .startsWith("GET /app/app-key?protocol=7&client=java&version=test&flash=false ");
    assertThat(handshake).containsEntry("user-agent", "pusher-iso-test/1.0");
    assertThat(handshake).containsEntry("x-tenant", "blue");
    assertThat(handshake.get("upgrade")).isEqualToIgnoringCase("websocket");
  }

  // ---------------------------------------------------------------------------------------------
  // Proxies
  // ---------------------------------------------------------------------------------------------

  @Test
  void httpProxy_ws_tunnelsThroughConnect() throws Exception {
    RecordingConnectProxy proxy = track(new RecordingConnectProxy(null, null));
    JettyTransportFactory factory =
        track(JettyTransportFactory.builder().httpProxy("127.0.0.1", proxy.port()).build());

    closeAndAwait(connectAndSubscribe(factory, server().wsUri(), "jetty-proxy-ws"));

    assertThat(proxy.connects()).containsExactly("127.0.0.1:" + server().port());
    assertThat(proxy.proxyAuthorizations()).isEmpty();
  }

  @Test
  void httpProxy_wssWithCredentials_sendsBasicProxyAuthorization() throws Exception {
    RecordingConnectProxy proxy = track(new RecordingConnectProxy("alice", "s3cret"));
    JettyTransportFactory factory =
        track(
            JettyTransportFactory.builder()
                .httpProxy("127.0.0.1", proxy.port(), "alice", "s3cret")
                .trustedCertificates(server().caCertificateFile())
                .build());

    closeAndAwait(connectAndSubscribe(factory, server().wssUri(), "jetty-proxy-wss"));

    assertThat(proxy.connects()).contains("127.0.0.1:" + server().tlsPort());
    String expected =
        "Basic "
            + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
    assertThat(proxy.proxyAuthorizations()).isNotEmpty().allMatch(expected::equals);
  }

  @Test
  void httpProxy_wrongCredentials_failsWithoutOpening() throws Exception {
    RecordingConnectProxy proxy = track(new RecordingConnectProxy("alice", "s3cret"));
    JettyTransportFactory factory =
        track(
            JettyTransportFactory.builder()
                .httpProxy("127.0.0.1", proxy.port(), "alice", "wrong")
                .build());
    RecordingTransportListener listener = new RecordingTransportListener();
    factory.open(request(server().wsUri()), listener);

    Event terminal = listener.awaitTerminal(STEP);

    assertThat(terminal.kind()).as(terminal.describe()).isEqualTo(Kind.ERROR);
    assertThat(terminal.describe()).contains("407");
    assertThat(listener.openCount()).isZero();
    assertThat(proxy.connects()).isNotEmpty();
  }

  @Test
  void socks5Proxy_ws_tunnels() throws Exception {
    MiniSocks5Proxy proxy = track(new MiniSocks5Proxy());
    JettyTransportFactory factory =
        track(JettyTransportFactory.builder().socks5Proxy("127.0.0.1", proxy.port()).build());

    closeAndAwait(connectAndSubscribe(factory, server().wsUri(), "jetty-socks"));

    assertThat(proxy.targets()).containsExactly("127.0.0.1:" + server().port());
  }
}
