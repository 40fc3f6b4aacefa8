package io.pusheriso.transport.netty;

import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.handler.codec.http.HttpHeaders;
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
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A minimal WebSocket server for the Netty-specific tests: it records each handshake's headers and
 * the text frames it receives, sends {@code pusher:connection_established} on open, answers {@code
 * pusher:ping} with {@code pusher:pong} and lets a test push any frame to its clients. Thread-safe.
 */
final class TinyWsServer implements AutoCloseable {

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory("tiny-ws", true), NioIoHandler.newFactory());
  private final Channel server;
  private final List<HttpHeaders> handshakes = new CopyOnWriteArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<Channel> clients = new CopyOnWriteArrayList<>();
  private final List<String> pongs = new CopyOnWriteArrayList<>();

  TinyWsServer() {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
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

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  URI uri() {
    return URI.create(
        "ws://127.0.0.1:"
            + port()
            + "/app/app-key?protocol=7&client=java&version=test&flash=false");
  }

  /** Copies of the handshake requests' headers, in order. */
  List<HttpHeaders> handshakes() {
    return List.copyOf(handshakes);
  }

  /** Text frames received from every client, in order per client. */
  List<String> received() {
    return List.copyOf(received);
  }

  /** Payloads of the WebSocket pong frames received, as UTF-8 text. */
  List<String> pongs() {
    return List.copyOf(pongs);
  }

  /** Sends frames built by {@code frames} to every open client (one call per client). */
  void sendToAll(Function<Channel, List<WebSocketFrame>> frames) {
    for (Channel c : clients) {
      c.eventLoop()
          .execute(
              () -> {
                for (WebSocketFrame f : frames.apply(c)) {
                  c.write(f);
                }
                c.flush();
              });
    }
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends SimpleChannelInboundHandler<Object> {
    private WebSocketServerHandshaker handshaker;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof FullHttpRequest) {
        FullHttpRequest req = (FullHttpRequest) msg;
        handshakes.add(req.headers().copy());
        handshaker =
            new WebSocketServerHandshakerFactory(
                    "ws://127.0.0.1:" + port() + req.uri(), null, false, 16 * 1024 * 1024)
                .newHandshaker(req);
        if (handshaker == null) {
          ctx.writeAndFlush(
                  new DefaultFullHttpResponse(
                      HttpVersion.HTTP_1_1,
                      HttpResponseStatus.UPGRADE_REQUIRED,
                      Unpooled.EMPTY_BUFFER))
              .addListener(ChannelFutureListener.CLOSE);
          return;
        }
        handshaker
            .handshake(ctx.channel(), req)
            .addListener(
                (ChannelFutureListener)
                    f -> {
                      if (f.isSuccess()) {
                        clients.add(f.channel());
                        f.channel()
                            .writeAndFlush(
                                new TextWebSocketFrame(
                                    "{\"event\":\"pusher:connection_established\",\"data\":"
                                        + "\"{\\\"socket_id\\\":\\\"1.2\\\","
                                        + "\\\"activity_timeout\\\":120}\"}"));
                      }
                    });
      } else if (msg instanceof TextWebSocketFrame) {
        String text = ((TextWebSocketFrame) msg).text();
        received.add(text);
        if (text.contains("\"pusher:ping\"")) {
          ctx.writeAndFlush(new TextWebSocketFrame("{\"event\":\"pusher:pong\",\"data\":{}}"));
        }
      } else if (msg instanceof PingWebSocketFrame) {
        ctx.writeAndFlush(new PongWebSocketFrame(((PingWebSocketFrame) msg).content().retain()));
      } else if (msg instanceof PongWebSocketFrame) {
        pongs.add(((PongWebSocketFrame) msg).content().toString(StandardCharsets.UTF_8));
      } else if (msg instanceof CloseWebSocketFrame) {
        handshaker.close(ctx.channel(), ((CloseWebSocketFrame) msg).retain());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      clients.remove(ctx.channel());
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
