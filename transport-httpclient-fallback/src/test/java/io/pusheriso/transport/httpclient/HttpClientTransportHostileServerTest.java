package io.pusheriso.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.PusherConnectionException;
import io.pusheriso.PusherProtocolException;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener;
import io.pusheriso.tck.RecordingTransportListener.Event;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The xhr transports against a scripted local HTTP server: the wire format they produce, and
 * hostile or broken answers, which must end the transport cleanly with a clear error.
 */
class HttpClientTransportHostileServerTest {
  private static final Duration STEP = Duration.ofSeconds(10);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private HttpClientTransportFactory factory = new HttpClientTransportFactory();

  @AfterEach
  void tearDown() throws Exception {
    factory.close();
    for (AutoCloseable r : resources) {
      r.close();
    }
  }

  private ScriptedXhrServer server(ScriptedXhrServer.Script script) throws Exception {
    ScriptedXhrServer server = new ScriptedXhrServer(script);
    resources.add(server);
    return server;
  }

  private record Opened(Transport transport, RecordingTransportListener listener) {}

  private Opened open(ScriptedXhrServer server, TransportKind kind, int maxFrameBytes) {
    RecordingTransportListener listener = new RecordingTransportListener();
    Transport transport =
        factory.open(new TransportRequest(kind, server.base(), STEP, maxFrameBytes), listener);
    return new Opened(transport, listener);
  }

  private static Event terminal(Opened o) {
    Event terminal = o.listener().awaitTerminal(STEP);
    o.listener().assertContractKept();
    assertThat(o.transport().send("{}")).isFalse();
    return terminal;
  }

  @Test
  void streaming_wireFormat_sessionPath_cacheBusting_andContentType() throws Exception {
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              if (endpoint.equals("xhr_send")) {
                ScriptedXhrServer.accepted(ex);
              } else {
                ex.ok().write("h".repeat(2048) + "\n").write("o\n").write("a[\"hello\"]\n").hold();
              }
            });
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);
    o.listener().awaitOpen(STEP);
    o.listener().awaitMessage("hello"::equals, STEP);
    assertThat(o.transport().send("{\"event\":\"x\"}")).isTrue();
    await().atMost(STEP).until(() -> server.sendBodies().size() == 1);

    assertThat(server.sendBodies()).containsExactly("[\"{\\\"event\\\":\\\"x\\\"}\"]");
    String receive = server.requests().get(0);
    String send = server.requests().get(1);
    Matcher r =
        Pattern.compile(
                "POST /pusher/app/app-key/(\\d{1,3}/[0-9a-v]{8})/xhr_streaming"
                    + "\\?protocol=7&client=java&version=test&t=(\\d+)&n=(\\d+)")
            .matcher(receive);
    assertThat(r.matches()).as(receive).isTrue();
    Matcher s =
        Pattern.compile("POST /pusher/app/app-key/(\\d{1,3}/[0-9a-v]{8})/xhr_send\\?t=(\\d+)&n=(\\d+)")
            .matcher(send);
    assertThat(s.matches()).as(send).isTrue();
    assertThat(s.group(1)).isEqualTo(r.group(1));
    assertThat(Long.parseLong(s.group(3))).isGreaterThan(Long.parseLong(r.group(3)));
    assertThat(Long.parseLong(r.group(2))).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    assertThat(server.contentTypes()).allMatch(ct -> ct.startsWith("application/json"));
  }

  @Test
  void streaming_heartbeatAfterOpen_reportsActivityAndPostsAnEmptySend() throws Exception {
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              if (endpoint.equals("xhr_send")) {
                ScriptedXhrServer.accepted(ex);
              } else {
                ex.ok().write("o\nh\n").hold();
              }
            });
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);

    await().atMost(STEP).until(() -> o.listener().activityCount() == 1);
    await().atMost(STEP).until(() -> server.sendBodies().contains("[]"));
  }

  @Test
  void sends_queuedWhileOneIsInFlight_goOutInOrderAsOneBatch_neverTwoAtOnce() throws Exception {
    CountDownLatch releaseFirst = new CountDownLatch(1);
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              if (endpoint.equals("xhr_send")) {
                if (n == 0) {
                  try {
                    releaseFirst.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
                ScriptedXhrServer.accepted(ex);
              } else {
                ex.ok().write("o\n").hold();
              }
            });
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);
    o.listener().awaitOpen(STEP);

    assertThat(o.transport().send("m0")).isTrue();
    await().atMost(STEP).until(() -> server.sendBodies().size() == 1);
    for (int i = 1; i <= 3; i++) {
      assertThat(o.transport().send("m" + i)).isTrue();
    }
    releaseFirst.countDown();

    await().atMost(STEP).until(() -> server.sendBodies().size() == 2);
    assertThat(server.sendBodies()).containsExactly("[\"m0\"]", "[\"m1\",\"m2\",\"m3\"]");
    assertThat(server.maxSendsInFlight()).isEqualTo(1);
  }

  @Test
  void polling_pollsAgainAfterEach200_deliversInOrder_andAllRequestsShareTheSession()
      throws Exception {
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              switch (n) {
                case 0:
                  ex.ok().write("o\n").end();
                  break;
                case 1:
                  ex.ok().write("a[\"one\",\"two\"]\n").end();
                  break;
                case 2:
                  ex.ok().write("h\n").end();
                  break;
                case 3:
                  ex.ok().write("m\"three\"\n").end();
                  break;
                default:
                  ex.ok().write("c[4200,\"done polling\"]\n").end();
              }
            });
    Opened o = open(server, TransportKind.XHR_POLLING, 65536);

    Event end = terminal(o);
    assertThat(end.kind()).isEqualTo(Kind.CLOSE);
    assertThat(end.code()).isEqualTo(4200);
    assertThat(end.reason()).isEqualTo("done polling");
    assertThat(o.listener().messages()).containsExactly("one", "two", "three");
    assertThat(o.listener().activityCount()).isEqualTo(1);
    assertThat(server.requests()).hasSize(5).allMatch(r -> r.contains("/xhr?protocol=7"));
    assertThat(server.requests().stream().map(r -> r.replaceAll("/xhr\\?.*", "")).distinct())
        .hasSize(1);
  }

  @Test
  void streamPastTheStreamingLimit_isReopenedInTheSameSession() throws Exception {
    factory = HttpClientTransportFactory.builder().streamingLimitBytes(1024).build();
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              if (n == 0) {
                // Empty arrays: padding with no message and no heartbeat to answer.
                ex.ok().write("o\n").write("a[\"before\"]\n").write("a[]\n".repeat(300)).hold();
              } else {
                ex.ok().write("a[\"after\"]\n").hold();
              }
            });
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);

    o.listener().awaitMessage("after"::equals, STEP);

    assertThat(o.listener().messages()).containsExactly("before", "after");
    assertThat(o.listener().terminal()).isNull();
    assertThat(server.requests()).hasSize(2);
    String session0 = server.requests().get(0).replaceAll("/xhr_streaming\\?.*", "");
    String session1 = server.requests().get(1).replaceAll("/xhr_streaming\\?.*", "");
    assertThat(session1).isEqualTo(session0);
  }

  @Test
  void openFrameWithHostname_laterRequestsGoToThatHost() throws Exception {
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              if (endpoint.equals("xhr_send")) {
                ScriptedXhrServer.accepted(ex);
              } else {
                ex.ok().write("o{\"hostname\":\"localhost\"}\n").hold();
              }
            });
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);
    o.listener().awaitOpen(STEP);

    o.transport().send("x");

    await().atMost(STEP).until(() -> server.hosts().size() == 2);
    assertThat(server.hosts().get(0)).isEqualTo("127.0.0.1:" + server.port());
    assertThat(server.hosts().get(1)).isEqualTo("localhost:" + server.port());
  }

  @Test
  void openFrameWithSomethingElseThanAHostName_isAProtocolError() throws Exception {
    ScriptedXhrServer server =
        server((endpoint, n, ex) -> ex.ok().write("o{\"hostname\":\"evil.example/steal?\"}\n").hold());
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);

    Event end = terminal(o);
    assertThat(end.kind()).as(end.describe()).isEqualTo(Kind.ERROR);
    assertThat(end.error()).isInstanceOf(PusherProtocolException.class).hasMessageContaining("not a host name");
    assertThat(o.listener().openCount()).isZero();
  }

  @Test
  void secondOpenFrame_closes1006ServerLostSession() throws Exception {
    ScriptedXhrServer server = server((endpoint, n, ex) -> ex.ok().write("o\no\n").hold());
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);

    Event end = terminal(o);
    assertThat(end.kind()).isEqualTo(Kind.CLOSE);
    assertThat(end.code()).isEqualTo(1006);
    assertThat(end.reason()).isEqualTo("Server lost session");
  }

  @Test
  void endlessMessageWithoutNewline_closes1009NamingTheLimit() throws Exception {
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              ex.ok().write("o\na[\"");
              ex.writeForever("x".repeat(8192));
            });
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);

    Event end = terminal(o);
    assertThat(end.kind()).as(end.describe()).isEqualTo(Kind.CLOSE);
    assertThat(end.code()).isEqualTo(1009);
    assertThat(end.reason()).contains("maxFrameBytes limit of 65536 bytes");
    assertThat(o.listener().messages()).isEmpty();
  }

  @Test
  void endlessLineOfHeartbeatsBeforeOpen_closes1009NamingTheLineLimit() throws Exception {
    ScriptedXhrServer server = server((endpoint, n, ex) -> ex.ok().writeForever("h".repeat(4096)));
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);

    Event end = terminal(o);
    assertThat(end.kind()).as(end.describe()).isEqualTo(Kind.CLOSE);
    assertThat(end.code()).isEqualTo(1009);
    assertThat(end.reason()).contains("limit of 65536 bytes without a newline");
    assertThat(o.listener().openCount()).isZero();
  }

  @Test
  void garbageLine_failsWithAProtocolErrorNamingTheLine() throws Exception {
    ScriptedXhrServer server =
        server((endpoint, n, ex) -> ex.ok().write("o\na[\"fine\"]\n<html>oops</html>\n").hold());
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);

    Event end = terminal(o);
    assertThat(end.kind()).as(end.describe()).isEqualTo(Kind.ERROR);
    assertThat(end.error())
        .isInstanceOf(PusherProtocolException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("unknown frame type '<'");
    assertThat(o.listener().messages()).containsExactly("fine");
  }

  @Test
  void http500BeforeOpen_failsSayingTheStatus() throws Exception {
    ScriptedXhrServer server =
        server((endpoint, n, ex) -> ex.status(500).write("Internal Server Error").end());
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);

    Event end = terminal(o);
    assertThat(end.kind()).as(end.describe()).isEqualTo(Kind.ERROR);
    assertThat(end.error())
        .isInstanceOf(PusherConnectionException.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("xhr_streaming");
    assertThat(o.listener().openCount()).isZero();
  }

  @Test
  void poll500AfterOpen_closes1006WithTheStatus() throws Exception {
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              if (n == 0) {
                ex.ok().write("o\n").end();
              } else {
                ex.status(500).write("boom").end();
              }
            });
    Opened o = open(server, TransportKind.XHR_POLLING, 65536);

    Event end = terminal(o);
    assertThat(end.kind()).as(end.describe()).isEqualTo(Kind.CLOSE);
    assertThat(end.code()).isEqualTo(1006);
    assertThat(end.reason()).isEqualTo("Connection interrupted (500)");
  }

  @Test
  void streamThatStopsMidLine_closes1006SayingSo_andDropsThePartialMessage() throws Exception {
    ScriptedXhrServer server =
        server((endpoint, n, ex) -> ex.ok().write("o\na[\"whole\"]\na[\"half").end());
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);

    Event end = terminal(o);
    assertThat(end.kind()).as(end.describe()).isEqualTo(Kind.CLOSE);
    assertThat(end.code()).isEqualTo(1006);
    assertThat(end.reason()).contains("ended inside a frame");
    assertThat(o.listener().messages()).containsExactly("whole");
  }

  @Test
  void streamThatTheServerEndsBetweenFrames_isReopenedInTheSameSession() throws Exception {
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              if (n == 0) {
                ex.ok().write("o\na[\"first\"]\n").end();
              } else {
                ex.ok().write("a[\"resumed\"]\n").hold();
              }
            });
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);

    o.listener().awaitMessage("resumed"::equals, STEP);

    assertThat(o.listener().messages()).containsExactly("first", "resumed");
    assertThat(o.listener().terminal()).isNull();
    assertThat(server.requests().stream().map(r -> r.replaceAll("\\?.*", "")).distinct())
        .hasSize(1);
  }

  @Test
  void streamThatEndsWithNothing_closes1006WithTheStatus() throws Exception {
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              if (n == 0) {
                ex.ok().write("o\n").end();
              } else {
                ex.ok().end();
              }
            });
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);

    Event end = terminal(o);
    assertThat(end.kind()).as(end.describe()).isEqualTo(Kind.CLOSE);
    assertThat(end.code()).isEqualTo(1006);
    assertThat(end.reason()).isEqualTo("Connection interrupted (200)");
  }

  @Test
  void localClose_dropsTheStreamingConnection_soTheServerSeesTheClientLeave() throws Exception {
    CountDownLatch serverSawTheClientLeave = new CountDownLatch(1);
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              ex.ok().write("o\n");
              ex.writeForever("h\n");
              serverSawTheClientLeave.countDown();
            });
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);
    o.listener().awaitOpen(STEP);

    o.transport().close(1000, "bye");

    assertThat(serverSawTheClientLeave.await(STEP.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
        .isTrue();
    Event end = terminal(o);
    assertThat(end.code()).isEqualTo(1000);
    assertThat(end.reason()).isEqualTo("bye");
  }

  @Test
  void pollsAnsweredWithNothing_endTheTransportInsteadOfABusyLoop() throws Exception {
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              if (n == 0) {
                ex.ok().write("o\n").end();
              } else {
                ex.ok().end();
              }
            });
    Opened o = open(server, TransportKind.XHR_POLLING, 65536);

    Event end = terminal(o);
    assertThat(end.kind()).as(end.describe()).isEqualTo(Kind.CLOSE);
    assertThat(end.code()).isEqualTo(1006);
    assertThat(end.reason()).contains("4 empty xhr responses in a row");
    assertThat(server.requests()).hasSize(5);
  }

  @Test
  void factoryClosedFromAListenerCallback_endsWithoutDeadlock() throws Exception {
    ScriptedXhrServer server = server((endpoint, n, ex) -> ex.ok().write("o\n").hold());
    CountDownLatch closedInCallback = new CountDownLatch(1);
    HttpClientTransportFactory own = new HttpClientTransportFactory();
    RecordingTransportListener recorder = new RecordingTransportListener();
    io.pusheriso.spi.TransportListener closer =
        new io.pusheriso.spi.TransportListener() {
          @Override
          public void onOpen(Transport transport) {
            recorder.onOpen(transport);
            own.close();
            closedInCallback.countDown();
          }

          @Override
          public void onMessage(Transport transport, java.nio.ByteBuffer utf8) {
            recorder.onMessage(transport, utf8);
          }

          @Override
          public void onMessage(Transport transport, String text) {
            recorder.onMessage(transport, text);
          }

          @Override
          public void onClose(Transport transport, int code, String reason) {
            recorder.onClose(transport, code, reason);
          }

          @Override
          public void onError(Transport transport, Throwable error) {
            recorder.onError(transport, error);
          }
        };

    own.open(new TransportRequest(TransportKind.XHR_STREAMING, server.base(), STEP, 65536), closer);

    assertThat(closedInCallback.await(STEP.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
        .isTrue();
    assertThat(recorder.awaitTerminal(STEP).code()).isEqualTo(1001);
    recorder.assertContractKept();
  }

  @Test
  void floodOfFrames_allDeliveredInOrder() throws Exception {
    int count = 20_000;
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              ex.ok().write("o\n");
              StringBuilder batch = new StringBuilder();
              for (int i = 0; i < count; i++) {
                batch.append(i % 3 == 0 ? "h\n" : "").append("a[\"m").append(i).append("\"]\n");
                if (batch.length() > 16_000) {
                  ex.write(batch.toString());
                  batch.setLength(0);
                }
              }
              ex.write(batch.toString()).write("c[3000,\"flood over\"]\n").hold();
            });
    factory = HttpClientTransportFactory.builder().streamingLimitBytes(Integer.MAX_VALUE).build();
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);

    Event end = terminal(o);
    assertThat(end.code()).as(end.describe()).isEqualTo(3000);
    List<String> messages = o.listener().messages();
    assertThat(messages).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(messages.get(i)).isEqualTo("m" + i);
    }
  }

  @Test
  void xhrSendRefused_closes1006() throws Exception {
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              if (endpoint.equals("xhr_send")) {
                ex.status(404).end();
              } else {
                ex.ok().write("o\n").hold();
              }
            });
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);
    o.listener().awaitOpen(STEP);

    assertThat(o.transport().send("lost")).isTrue();

    Event end = terminal(o);
    assertThat(end.code()).as(end.describe()).isEqualTo(1006);
    assertThat(end.reason()).contains("xhr_send answered HTTP 404");
  }

  @Test
  void silentServer_connectTimeoutEnforced() throws Exception {
    ScriptedXhrServer server = server((endpoint, n, ex) -> ex.ok().hold());
    RecordingTransportListener listener = new RecordingTransportListener();
    long start = System.nanoTime();
    Transport transport =
        factory.open(
            new TransportRequest(
                TransportKind.XHR_STREAMING, server.base(), Duration.ofMillis(500), 65536),
            listener);

    Event end = terminal(new Opened(transport, listener));
    assertThat(end.kind()).isEqualTo(Kind.ERROR);
    assertThat(end.error()).hasMessageContaining("timed out after 500 ms");
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(400L, 5000L);
  }

  @Test
  void headers_addedToEveryRequest() throws Exception {
    factory = HttpClientTransportFactory.builder().header("X-Test", "yes").build();
    ScriptedXhrServer server =
        server(
            (endpoint, n, ex) -> {
              if (endpoint.equals("xhr_send")) {
                ScriptedXhrServer.accepted(ex);
              } else {
                ex.ok().write("o\n").hold();
              }
            });
    Opened o = open(server, TransportKind.XHR_STREAMING, 65536);
    o.listener().awaitOpen(STEP);
    o.transport().send("x");

    await().atMost(STEP).until(() -> server.customHeaders().size() == 2);
    assertThat(server.customHeaders()).containsExactly("yes", "yes");
  }
}
