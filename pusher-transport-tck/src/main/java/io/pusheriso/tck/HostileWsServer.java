package io.pusheriso.tck;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A misbehaving Pusher server for the hostile-input tests: it can refuse the upgrade with HTTP
 * 500, never answer it, or complete it and then, once the client subscribes, run a test's script
 * that writes any WebSocket frames at all (malformed text, binary, fragments, oversized frames,
 * floods). Otherwise it behaves: {@code pusher:connection_established} on open, {@code
 * pusher_internal:subscription_succeeded} for every subscribe, pong for ping. Shared by the transport modules' hostile-input and TLS tests.
 *
 * <p>Thread-safety: thread-safe; the counters and settings may be read and changed from any thread
 * while connections are served on the server's own event loop.
 */
public final class HostileWsServer implements AutoCloseable {

  /** What the server does with an upgrade request. */
  public enum Upgrade {
    /** Completes the upgrade and behaves as a Pusher server. */
    ACCEPT,
    /** Answers the upgrade request with HTTP 500. */
    HTTP_500,
    /** Reads the upgrade request and never answers it. */
    NEVER_ANSWER
  }

  private static final Pattern CHANNEL = Pattern.compile("\"channel\":\"([^\"]+)\"");

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory("hostile-ws", true), NioIoHandler.newFactory());
  private final Channel server;
  private final AtomicInteger upgradeRequests = new AtomicInteger();
  private final AtomicInteger pongs = new AtomicInteger();
  private volatile int pongsBeforeFinal = -1;
  private final AtomicInteger opened = new AtomicInteger();
  private final Queue<Integer> closeCodes = new ConcurrentLinkedQueue<>();
  private volatile Upgrade upgrade = Upgrade.ACCEPT;
  private volatile BiConsumer<Channel, Integer> afterSubscribe = (ch, n) -> {};

  /** A plain (ws) server on an ephemeral loopback port. */
  public HostileWsServer() {
    this(null);
  }

  /** A server speaking TLS with {@code tls} (wss), or plain (ws) when it is null. */
  public HostileWsServer(SslContext tls) {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (tls != null) {
                      ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(65536))
                        .addLast(new Handler());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .syncUninterruptibly()
            .channel();
  }

  /**
   * The loopback port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /**
   * Sets what the server does with the next upgrade requests.
   *
   * @param mode the behaviour
   */
  public void upgrade(Upgrade mode) {
    this.upgrade = mode;
  }

  /**
   * Runs {@code script} on the connection's event loop after each subscription succeeded, with the
   * 1-based number of the connection; the script writes (and flushes) whatever it likes.
   */
  public void afterSubscribe(BiConsumer<Channel, Integer> script) {
    this.afterSubscribe = script;
  }

  /** Pong frames received so far. */
  public int pongs() {
    return pongs.get();
  }

  /**
   * How many pongs arrived before the one answering the ping whose payload is {@link
   * #FINAL_PING}, or -1 while that has not arrived.
   */
  public int pongsBeforeFinal() {
    return pongsBeforeFinal;
  }

  /** The payload of the ping that ends a ping flood. */
  public static final String FINAL_PING = "final";

  /** Appends one unmasked ping frame with this payload (at most 125 bytes) to {@code out}. */
  public static void encodePing(ByteBuf out, byte[] payload) {
    out.writeByte(0x89).writeByte(payload.length).writeBytes(payload);
  }

  /**
   * Upgrade requests received so far, whatever the answer.
   *
   * @return the count
   */
  public int upgradeRequests() {
    return upgradeRequests.get();
  }

  /**
   * The status codes of the close frames clients sent, in arrival order.
   *
   * @return a copy
   */
  public List<Integer> closeCodes() {
    return List.copyOf(closeCodes);
  }

  /**
   * WebSocket connections opened (upgrades completed) so far.
   *
   * @return the count
   */
  public int opened() {
    return opened.get();
  }

  /** A text frame with exactly these bytes as its payload (which may not be UTF-8). */
  public static TextWebSocketFrame rawText(byte[] payload) {
    return new TextWebSocketFrame(true, 0, Unpooled.wrappedBuffer(payload));
  }

  /**
   * Appends one unmasked, unfragmented text frame, encoded by hand, to {@code out}: a burst of
   * these reaches the client as fast as the socket allows, with no per-frame work in the server.
   */
  public static void encodeText(ByteBuf out, String s) {
    byte[] payload = s.getBytes(StandardCharsets.UTF_8);
    out.writeByte(0x81);
    if (payload.length < 126) {
      out.writeByte(payload.length);
    } else if (payload.length < 65536) {
      out.writeByte(126).writeShort(payload.length);
    } else {
      out.writeByte(127).writeLong(payload.length);
    }
    out.writeBytes(payload);
  }

  /**
   * A text frame with this text as its payload.
   *
   * @param s the text
   * @return the frame
   */
  public static TextWebSocketFrame text(String s) {
    return new TextWebSocketFrame(s);
  }

  /** An event frame on {@code channel} with a double-encoded JSON string as data. */
  public static String event(String channel, String event, String data) {
    return "{\"event\":\""
        + event
        + "\",\"channel\":\""
        + channel
        + "\",\"data\":\""
        + data.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\"}";
  }

  /**
   * A buffer holding {@code s} in UTF-8.
   *
   * @param s the text
   * @return a new buffer
   */
  public static ByteBuf utf8(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends SimpleChannelInboundHandler<Object> {
    private WebSocketServerHandshaker handshaker;
    private int number;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof FullHttpRequest) {
        upgrade(ctx, (FullHttpRequest) msg);
      } else if (msg instanceof CloseWebSocketFrame) {
        closeCodes.add(((CloseWebSocketFrame) msg).statusCode());
        handshaker.close(ctx.channel(), ((CloseWebSocketFrame) msg).retain());
      } else if (msg instanceof PongWebSocketFrame) {
        String payload = ((PongWebSocketFrame) msg).content().toString(StandardCharsets.UTF_8);
        if (payload.equals(FINAL_PING)) {
          pongsBeforeFinal = pongs.get();
        }
        pongs.incrementAndGet();
      } else if (msg instanceof PingWebSocketFrame) {
        ctx.writeAndFlush(new PongWebSocketFrame(((WebSocketFrame) msg).content().retain()));
      } else if (msg instanceof TextWebSocketFrame) {
        String text = ((TextWebSocketFrame) msg).text();
        if (text.contains("\"pusher:ping\"")) {
          ctx.writeAndFlush(text("{\"event\":\"pusher:pong\",\"data\":{}}"));
        } else if (text.contains("\"pusher:subscribe\"")) {
          Matcher m = CHANNEL.matcher(text);
          String channel = m.find() ? m.group(1) : "?";
          ctx.writeAndFlush(
              text(
                  "{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\""
                      + channel
                      + "\",\"data\":\"{}\"}"));
          afterSubscribe.accept(ctx.channel(), number);
        }
      }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
      upgradeRequests.incrementAndGet();
      switch (upgrade) {
        case NEVER_ANSWER:
          return;
        case HTTP_500:
          DefaultFullHttpResponse refused =
              new DefaultFullHttpResponse(
                  HttpVersion.HTTP_1_1,
                  HttpResponseStatus.INTERNAL_SERVER_ERROR,
                  utf8("upstream exploded"));
          refused.headers().set("content-length", refused.content().readableBytes());
          ctx.writeAndFlush(refused).addListener(ChannelFutureListener.CLOSE);
          return;
        case ACCEPT:
        default:
          break;
      }
      // A frame limit far above anything the client sends: only the client's limits are tested.
      handshaker =
          new WebSocketServerHandshakerFactory(
                  "ws://127.0.0.1:" + port() + request.uri(), null, false, 1 << 24)
              .newHandshaker(request);
      handshaker
          .handshake(ctx.channel(), request)
          .addListener(
              (ChannelFutureListener)
                  f -> {
                    if (f.isSuccess()) {
                      number = opened.incrementAndGet();
                      f.channel()
                          .writeAndFlush(
                              text(
                                  "{\"event\":\"pusher:connection_established\",\"data\":"
                                      + "\"{\\\"socket_id\\\":\\\"1."
                                      + number
                                      + "\\\",\\\"activity_timeout\\\":120}\"}"));
                    }
                  });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // The client closing on us mid-flood, or refusing our certificate, is expected; anything
      // else ends this connection too.
      ctx.close();
    }
  }
}
