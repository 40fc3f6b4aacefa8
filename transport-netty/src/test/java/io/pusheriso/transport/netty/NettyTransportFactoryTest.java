package io.pusheriso.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.RecordingTransportListener;
import io.pusheriso.tck.RecordingTransportListener.Event;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import io.pusheriso.transport.netty.internal.WebSocketConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is specific to the Netty transport, against a small Netty WebSocket server of the test. */
class NettyTransportFactoryTest {

  private static final Duration STEP = Duration.ofSeconds(10);
  private static TinyWsServer server;

  @BeforeAll
  static void start() {
    server = new TinyWsServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TransportRequest request(URI uri, int maxFrameBytes) {
    return new TransportRequest(TransportKind.WEBSOCKET, uri, STEP, maxFrameBytes);
  }

  private static TransportRequest request() {
    return request(server.uri(), 1 << 20);
  }

  private static Transport connect(TransportFactory f, RecordingTransportListener l) {
    Transport t = f.open(request(), l);
    l.awaitOpen(STEP);
    l.awaitMessage(m -> m.contains("pusher:connection_established"), STEP);
    return t;
  }

  @Test
  void serviceLoader_findsTheNettyFactory() {
    List<String> names = new ArrayList<>();
    for (TransportFactory f : ServiceLoader.load(TransportFactory.class)) {
      names.add(f.name());
      f.close();
    }
    assertThat(names).contains("netty");
  }

  @Test
  void defaults_ownGroupUsesEpollWhenAvailable_threadsNamedPusherNetty() {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      RecordingTransportListener l = new RecordingTransportListener();
      Transport t = connect(f, l);

      Channel ch = ((WebSocketConnection) t).channel();
      assertThat(ch)
          .isInstanceOf(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class);
      assertThat(l.events().get(0).threadName()).matches("pusher-netty-\\d+");
      t.close(1000, "done");
      assertThat(l.awaitTerminal(STEP).code()).isEqualTo(1000);
    }
  }

  @Test
  void nativeTransportOff_usesNio() {
    try (NettyTransportFactory f = NettyTransportFactory.builder().nativeTransport(false).build()) {
      RecordingTransportListener l = new RecordingTransportListener();
      Transport t = connect(f, l);

      assertThat(((WebSocketConnection) t).channel()).isInstanceOf(NioSocketChannel.class);
      t.close(1000, "done");
      l.awaitTerminal(STEP);
    }
  }

  @Test
  void callersEventLoopGroup_runsTheConnection_andIsNotShutDownByClose() {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("caller-group", true), NioIoHandler.newFactory());
    try {
      NettyTransportFactory f =
          NettyTransportFactory.builder().eventLoopGroup(group, NioSocketChannel.class).build();
      RecordingTransportListener l = new RecordingTransportListener();
      Transport t = connect(f, l);
      Channel ch = ((WebSocketConnection) t).channel();
      assertThat(ch.eventLoop().parent()).isSameAs(group);
      assertThat(l.events()).allSatisfy(e -> assertThat(e.threadName()).startsWith("caller-group"));

      f.close();

      // The factory closes its connections, but leaves the caller's group running.
      Event end = l.awaitTerminal(STEP);
      assertThat(end.kind()).isEqualTo(Kind.CLOSE);
      assertThat(end.code()).isEqualTo(1001);
      assertThat(group.isShuttingDown()).isFalse();
      try (NettyTransportFactory again =
          NettyTransportFactory.builder().eventLoopGroup(group, NioSocketChannel.class).build()) {
        RecordingTransportListener l2 = new RecordingTransportListener();
        Transport t2 = connect(again, l2);
        t2.close(1000, "done");
        l2.awaitTerminal(STEP);
      }
      assertThat(group.isShuttingDown()).isFalse();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void customHeaders_reachTheServerInTheHandshake() {
    try (NettyTransportFactory f =
        NettyTransportFactory.builder()
            .header("X-Pusher-Test", "hello")
            .header("User-Agent", "pusher-iso-test/1")
            .build()) {
      RecordingTransportListener l = new RecordingTransportListener();
      Transport t = connect(f, l);

      HttpHeaders h = server.handshakes().get(server.handshakes().size() - 1);
      assertThat(h.get("X-Pusher-Test")).isEqualTo("hello");
      assertThat(h.get("User-Agent")).isEqualTo("pusher-iso-test/1");
      assertThat(h.get("Sec-WebSocket-Version")).isEqualTo("13");
      t.close(1000, "done");
      l.awaitTerminal(STEP);
    }
  }

  @Test
  void header_reservedOrInvalid_rejectedWithClearMessage() {
    NettyTransportFactory.Builder b = NettyTransportFactory.builder();
    assertThatThrownBy(() -> b.header("Sec-WebSocket-Key", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("handshake");
    assertThatThrownBy(() -> b.header("Bad Name", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid HTTP header name");
    assertThatThrownBy(() -> b.header("X-Ok", "a\r\nInjected: yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CR, LF");
  }

  @Test
  void fragmentedMessage_reassembledIntoOneMessage() {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      RecordingTransportListener l = new RecordingTransportListener();
      Transport t = connect(f, l);

      server.sendToAll(
          c ->
              List.of(
                  new TextWebSocketFrame(false, 0, "{\"event\":\"frag\","),
                  new ContinuationWebSocketFrame(false, 0, "\"data\":\"caf\u00e9 "),
                  new ContinuationWebSocketFrame(true, 0, "\u2713\"}")));

      String m = l.awaitMessage(s -> s.contains("frag"), STEP);
      assertThat(m).isEqualTo("{\"event\":\"frag\",\"data\":\"caf\u00e9 \u2713\"}");
      t.close(1000, "done");
      l.awaitTerminal(STEP);
    }
  }

  @Test
  void fragmentedMessageOverLimit_closes1009NamingTheLimit() {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      RecordingTransportListener l = new RecordingTransportListener();
      Transport t = f.open(request(server.uri(), 1000), l);
      l.awaitMessage(s -> s.contains("pusher:connection_established"), STEP);
      String part = "x".repeat(600);

      // Each fragment is under the limit; only the whole message is over it.
      server.sendToAll(
          c ->
              List.of(
                  new TextWebSocketFrame(false, 0, part),
                  new ContinuationWebSocketFrame(true, 0, part)));

      Event end = l.awaitTerminal(STEP);
      assertThat(end.kind()).isEqualTo(Kind.CLOSE);
      assertThat(end.code()).isEqualTo(1009);
      assertThat(end.reason()).isEqualTo("message larger than 1000 bytes (maxFrameBytes)");
      assertThat(l.messages()).noneMatch(s -> s.contains(part));
      assertThat(t.send("{}")).isFalse();
    }
  }

  @Test
  void webSocketPing_answeredWithPongOfSamePayload_andReportedAsActivity() {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      RecordingTransportListener l = new RecordingTransportListener();
      Transport t = connect(f, l);

      server.sendToAll(
          c ->
              List.<WebSocketFrame>of(
                  new PingWebSocketFrame(
                      Unpooled.copiedBuffer("are-you-there", StandardCharsets.UTF_8)),
                  new PongWebSocketFrame()));

      await().atMost(STEP).until(() -> server.pongs().contains("are-you-there"));
      await().atMost(STEP).until(() -> l.activityCount() >= 2);
      assertThat(l.messages()).noneMatch(m -> m.contains("are-you-there"));
      t.close(1000, "done");
      l.awaitTerminal(STEP);
    }
  }

  @Test
  void closeFrameWithoutStatus_reportedAs1005() {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      RecordingTransportListener l = new RecordingTransportListener();
      connect(f, l);

      server.sendToAll(c -> List.<WebSocketFrame>of(new CloseWebSocketFrame()));

      Event end = l.awaitTerminal(STEP);
      assertThat(end.kind()).isEqualTo(Kind.CLOSE);
      assertThat(end.code()).isEqualTo(1005);
    }
  }

  @Test
  void close_invalidCode_throwsIllegalArgumentException() {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      RecordingTransportListener l = new RecordingTransportListener();
      Transport t = connect(f, l);

      assertThatThrownBy(() -> t.close(1006, "reserved"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(l.terminal()).isNull();

      t.close(4000, "r".repeat(200));
      Event end = l.awaitTerminal(STEP);
      assertThat(end.code()).isEqualTo(4000);
      assertThat(end.reason().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(123);
    }
  }

  @Test
  void open_xhrKindOrHttpUri_rejected() {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      assertThatThrownBy(
              () ->
                  f.open(
                      new TransportRequest(
                          TransportKind.XHR_STREAMING,
                          URI.create("http://127.0.0.1/x"),
                          STEP,
                          1000),
                      new RecordingTransportListener()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("transport-httpclient-fallback");
      assertThatThrownBy(
              () ->
                  f.open(
                      request(URI.create("http://127.0.0.1/app/x"), 1000),
                      new RecordingTransportListener()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ws://");
    }
  }

  @Test
  void unknownHost_onErrorNamingTheUri() {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      RecordingTransportListener l = new RecordingTransportListener();
      f.open(request(URI.create("ws://no-such-host.invalid/app/key"), 1000), l);

      Event end = l.awaitTerminal(STEP);
      assertThat(end.kind()).isEqualTo(Kind.ERROR);
      assertThat(end.error()).hasMessageContaining("no-such-host.invalid");
      l.assertContractKept();
    }
  }

  @Test
  void open_onTheEventLoopAndFailingAtOnce_callsBackOnlyAfterReturning() {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      RecordingTransportListener first = new RecordingTransportListener();
      Transport t = connect(f, first);
      Channel loopChannel = ((WebSocketConnection) t).channel();
      AtomicBoolean returned = new AtomicBoolean();
      AtomicReference<Boolean> returnedWhenCalledBack = new AtomicReference<>();
      TransportListener failing =
          new TransportListener() {
            @Override
            public void onOpen(Transport transport) {}

            @Override
            public void onMessage(Transport transport, ByteBuffer utf8) {}

            @Override
            public void onMessage(Transport transport, String text) {}

            @Override
            public void onClose(Transport transport, int code, String reason) {
              returnedWhenCalledBack.set(returned.get());
            }

            @Override
            public void onError(Transport transport, Throwable error) {
              returnedWhenCalledBack.set(returned.get());
            }
          };

      // Like a core that reconnects from a callback: open() runs on the factory's only loop, where
      // registration and the failing name lookup happen inline.
      loopChannel
          .eventLoop()
          .execute(
              () -> {
                f.open(request(URI.create("ws://no-such-host.invalid/app/key"), 1000), failing);
                returned.set(true);
              });

      await().atMost(STEP).until(() -> returnedWhenCalledBack.get() != null);
      assertThat(returnedWhenCalledBack.get()).as("open() had returned").isTrue();
      t.close(1000, "done");
      first.awaitTerminal(STEP);
    }
  }

  @Test
  void messages_deliveredAsUtf8Bytes_neverAsStrings() {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      List<String> viaBytes = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicBoolean viaString = new AtomicBoolean();
      AtomicReference<Integer> closed = new AtomicReference<>();
      f.open(
          request(),
          new TransportListener() {
            @Override
            public void onOpen(Transport transport) {}

            @Override
            public void onMessage(Transport transport, ByteBuffer utf8) {
              viaBytes.add(StandardCharsets.UTF_8.decode(utf8).toString());
              transport.close(1000, "seen");
            }

            @Override
            public void onMessage(Transport transport, String text) {
              viaString.set(true);
            }

            @Override
            public void onClose(Transport transport, int code, String reason) {
              closed.set(code);
            }

            @Override
            public void onError(Transport transport, Throwable error) {
              closed.set(-1);
            }
          });

      await().atMost(STEP).until(() -> closed.get() != null);
      assertThat(closed.get()).isEqualTo(1000);
      assertThat(viaBytes).hasSize(1).allMatch(m -> m.contains("pusher:connection_established"));
      assertThat(viaString).isFalse();
    }
  }

  @Test
  void listenerThrowing_endsTheConnectionWithThatError() {
    try (NettyTransportFactory f = new NettyTransportFactory()) {
      IllegalStateException boom = new IllegalStateException("listener bug");
      AtomicReference<Throwable> error = new AtomicReference<>();
      f.open(
          request(),
          new TransportListener() {
            @Override
            public void onOpen(Transport transport) {}

            @Override
            public void onMessage(Transport transport, ByteBuffer utf8) {
              throw boom;
            }

            @Override
            public void onMessage(Transport transport, String text) {}

            @Override
            public void onClose(Transport transport, int code, String reason) {
              error.set(new AssertionError("closed " + code + " " + reason));
            }

            @Override
            public void onError(Transport transport, Throwable e) {
              error.set(e);
            }
          });

      await().atMost(STEP).until(() -> error.get() != null);
      assertThat(error.get()).isSameAs(boom);
    }
  }

  @Test
  void builder_tlsOptionsConflict_orBadPem_failWithHowToFix(@TempDir Path dir) throws Exception {
    Path notPem = dir.resolve("not.pem");
    Files.writeString(notPem, "hello");
    assertThatThrownBy(
            () ->
                NettyTransportFactory.builder()
                    .trustedCertificates(notPem)
                    .trustStore(java.security.KeyStore.getInstance("PKCS12"))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only one of");
    assertThatThrownBy(() -> NettyTransportFactory.builder().trustedCertificates(notPem).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(notPem.toString());
    assertThatThrownBy(
            () ->
                NettyTransportFactory.builder()
                    .trustedCertificates(dir.resolve("missing.pem"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.pem");
    assertThatThrownBy(() -> NettyTransportFactory.builder().threads(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NettyTransportFactory.builder().closeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                NettyTransportFactory.builder()
                    .httpProxy(InetSocketAddress.createUnresolved("proxy.example", 3128)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resolved");
  }

  @Test
  void toString_neverShowsTheProxyPassword() {
    NettyTransportFactory f =
        NettyTransportFactory.builder()
            .httpProxy(new InetSocketAddress("127.0.0.1", 3128), "alice", "s3cr3t-pw")
            .build();
    assertThat(f.toString()).contains("alice").contains("127.0.0.1").doesNotContain("s3cr3t-pw");
    f.close();
  }
}
