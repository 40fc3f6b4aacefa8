package io.pusheriso.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Small real proxies for the proxy tests, on loopback: an HTTP {@code CONNECT} proxy and a SOCKS5
 * proxy, both requiring a username and password and recording what clients asked for. Thread-safe.
 */
final class TestProxies {

  private TestProxies() {}

  /** What one client asked the proxy for. */
  record Request(String target, String username, String password) {}

  /** The shared part: a server channel, its group and the requests it saw. */
  abstract static class Proxy implements AutoCloseable {
    final EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("test-proxy", true), NioIoHandler.newFactory());
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final String username;
    final String password;
    private Channel server;

    Proxy(String username, String password) {
      this.username = username;
      this.password = password;
    }

    final void start() {
      server =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      initClient(ch.pipeline());
                    }
                  })
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .syncUninterruptibly()
              .channel();
    }

    abstract void initClient(ChannelPipeline p);

    InetSocketAddress address() {
      return (InetSocketAddress) server.localAddress();
    }

    List<Request> requests() {
      return List.copyOf(requests);
    }

    /** Connects to {@code host:port}, then runs {@code onConnected} with the outbound channel. */
    void connectOut(
        Channel inbound, String host, int port, java.util.function.Consumer<Channel> onConnected) {
      inbound.config().setAutoRead(false);
      new Bootstrap()
          .group(inbound.eventLoop())
          .channel(NioSocketChannel.class)
          .handler(new Relay(inbound))
          .connect(host, port)
          .addListener(
              (ChannelFutureListener)
                  f -> {
                    if (f.isSuccess()) {
                      onConnected.accept(f.channel());
                      inbound.config().setAutoRead(true);
                    } else {
                      inbound.close();
                    }
                  });
    }

    @Override
    public void close() {
      server.close().syncUninterruptibly();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Copies bytes to the other side; closes it when this side closes. */
  static final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel other;

    Relay(Channel other) {
      this.other = other;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (other.isActive()) {
        other.writeAndFlush(msg);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /**
   * An HTTP proxy that only does {@code CONNECT}, with basic credentials (RFC 9110 9.3.6, 11.7).
   */
  static final class HttpConnectProxy extends Proxy {
    private volatile boolean everythingToLoopback;

    HttpConnectProxy(String username, String password) {
      super(username, password);
      start();
    }

    /** From now on connects every CONNECT target name to 127.0.0.1, like a local DNS override. */
    HttpConnectProxy routeEverythingToLoopback() {
      everythingToLoopback = true;
      return this;
    }

    @Override
    void initClient(ChannelPipeline p) {
      p.addLast("codec", new HttpServerCodec())
          .addLast("aggregator", new HttpObjectAggregator(8192))
          .addLast("connect", new ConnectHandler());
    }

    private final class ConnectHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String auth = req.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
        String user = null;
        String pass = null;
        if (auth != null && auth.startsWith("Basic ")) {
          String decoded =
              new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
          int colon = decoded.indexOf(':');
          user = decoded.substring(0, colon);
          pass = decoded.substring(colon + 1);
        }
        requests.add(new Request(req.method() + " " + req.uri(), user, pass));
        if (!HttpMethod.CONNECT.equals(req.method())) {
          respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, true);
          return;
        }
        if (!username.equals(user) || !password.equals(pass)) {
          respond(ctx, HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED, true);
          return;
        }
        String target = req.uri();
        int colon = target.lastIndexOf(':');
        Channel inbound = ctx.channel();
        connectOut(
            inbound,
            everythingToLoopback ? "127.0.0.1" : target.substring(0, colon),
            Integer.parseInt(target.substring(colon + 1)),
            outbound -> {
              respond(ctx, HttpResponseStatus.OK, false);
              ChannelPipeline p = inbound.pipeline();
              p.remove("aggregator");
              p.remove("codec");
              p.replace("connect", "relay", new Relay(outbound));
            });
      }

      private void respond(ChannelHandlerContext ctx, HttpResponseStatus status, boolean close) {
        DefaultFullHttpResponse response =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (close) {
          ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
          ctx.writeAndFlush(response);
        }
      }
    }
  }

  /** A SOCKS5 proxy (RFC 1928) with username/password authentication (RFC 1929). */
  static final class Socks5Proxy extends Proxy {

    Socks5Proxy(String username, String password) {
      super(username, password);
      start();
    }

    @Override
    void initClient(ChannelPipeline p) {
      p.addLast("decoder", new Socks5InitialRequestDecoder())
          .addLast("encoder", Socks5ServerEncoder.DEFAULT)
          .addLast("socks", new SocksHandler());
    }

    private final class SocksHandler extends SimpleChannelInboundHandler<Object> {
      private String user;
      private String pass;

      @Override
      protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        ChannelPipeline p = ctx.pipeline();
        if (msg instanceof Socks5InitialRequest) {
          boolean offersPassword =
              ((Socks5InitialRequest) msg).authMethods().contains(Socks5AuthMethod.PASSWORD);
          if (!offersPassword) {
            ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
                .addListener(ChannelFutureListener.CLOSE);
            requests.add(new Request("no credentials offered", null, null));
            return;
          }
          p.replace("decoder", "decoder", new Socks5PasswordAuthRequestDecoder());
          ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.PASSWORD));
        } else if (msg instanceof Socks5PasswordAuthRequest) {
          Socks5PasswordAuthRequest auth = (Socks5PasswordAuthRequest) msg;
          user = auth.username();
          pass = auth.password();
          if (!username.equals(user) || !password.equals(pass)) {
            requests.add(new Request("bad credentials", user, pass));
            ctx.writeAndFlush(
                    new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE))
                .addListener(ChannelFutureListener.CLOSE);
            return;
          }
          p.replace("decoder", "decoder", new Socks5CommandRequestDecoder());
          ctx.writeAndFlush(
              new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
        } else if (msg instanceof Socks5CommandRequest) {
          Socks5CommandRequest cmd = (Socks5CommandRequest) msg;
          String command =
              cmd.type() == Socks5CommandType.CONNECT ? "CONNECT" : cmd.type().toString();
          requests.add(
              new Request(command + " " + cmd.dstAddr() + ":" + cmd.dstPort(), user, pass));
          if (cmd.type() != Socks5CommandType.CONNECT) {
            ctx.close();
            return;
          }
          Channel inbound = ctx.channel();
          connectOut(
              inbound,
              cmd.dstAddr(),
              cmd.dstPort(),
              outbound -> {
                ctx.writeAndFlush(
                    new DefaultSocks5CommandResponse(
                        Socks5CommandStatus.SUCCESS, Socks5AddressType.IPv4, "127.0.0.1", 0));
                p.remove("decoder");
                p.remove("encoder");
                p.replace("socks", "relay", new Relay(outbound));
              });
        } else {
          ctx.close();
        }
      }
    }
  }
}
