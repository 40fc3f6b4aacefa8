package io.pusheriso.transport.netty.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.pusheriso.PusherConnectionException;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * Not for public use, may change at any time.
 *
 * <p>One WebSocket connection on a Netty channel. The {@link Transport} methods are thread-safe and
 * never block; everything else runs on the channel's event loop, which is also where the listener
 * is called, so listener calls are serialized. Exactly one terminal callback is guaranteed by
 * {@link #terminated}.
 */
public final class WebSocketConnection implements Transport {

  private static final InternalLogger LOG =
      InternalLoggerFactory.getInstance(WebSocketConnection.class);

  private static final int CONNECTING = 0;
  private static final int OPEN = 1;
  private static final int CLOSING = 2;
  private static final int CLOSED = 3;

  /** Bytes of a close reason: 125 bytes of control frame payload minus the 2-byte code. */
  private static final int MAX_REASON_BYTES = 123;

  private static final String HANDLER_NAME = "pusher-ws";

  private final TransportRequest request;
  private final TransportListener listener;
  private final ConnectionSettings settings;
  private final Set<WebSocketConnection> registry;
  private final Duration connectTimeout;
  private final String host;
  private final int port;
  private final AtomicInteger state = new AtomicInteger(CONNECTING);
  private final AtomicBoolean terminated = new AtomicBoolean();
  private volatile Channel channel;

  // Confined to the event loop.
  private Outcome outcome;
  private boolean wasOpen;
  private boolean closeFrameSent;
  private ScheduledFuture<?> connectTimer;
  private ScheduledFuture<?> closeTimer;

  private WebSocketConnection(
      TransportRequest request,
      TransportListener listener,
      ConnectionSettings settings,
      Set<WebSocketConnection> registry) {
    this.request = request;
    this.listener = listener;
    this.settings = settings;
    this.registry = registry;
    this.connectTimeout =
        settings.connectTimeout() != null ? settings.connectTimeout() : request.connectTimeout();
    URI uri = request.uri();
    this.host = uri.getHost();
    this.port = uri.getPort() != -1 ? uri.getPort() : (request.secure() ? 443 : 80);
  }

  /**
   * Starts connecting and returns at once; the outcome reaches {@code listener}.
   *
   * @param registry the open connections of the factory: this one is in it from now until its
   *     terminal callback has run
   * @throws IllegalArgumentException if the URI is not a ws or wss URI with a host
   */
  public static WebSocketConnection open(
      TransportRequest request,
      TransportListener listener,
      ConnectionSettings settings,
      EventLoopGroup group,
      Class<? extends Channel> channelType,
      Set<WebSocketConnection> registry) {
    URI uri = request.uri();
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException(
          "the Netty transport opens ws:// and wss:// URIs, not " + uri);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the WebSocket URI has no host: " + uri);
    }
    WebSocketConnection c = new WebSocketConnection(request, listener, settings, registry);
    registry.add(c);
    try {
      c.start(group, channelType);
    } catch (RuntimeException e) {
      registry.remove(c);
      throw e;
    }
    return c;
  }

  private void start(EventLoopGroup group, Class<? extends Channel> channelType) {
    SslContext ssl = request.secure() ? settings.sslContext().get() : null;
    ProxySettings proxy = settings.proxy();
    long timeoutMillis = Math.max(1, Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE));
    Handler handler = new Handler();
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(channelType)
            // No TCP connect timer of Netty's: the handler's connectTimer, started when the channel
            // registers (before the connect), bounds connect, TLS and handshake together, and
            // Netty's cancelled timer would stay referenced from every open channel.
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)
            // Pusher frames are small and latency-sensitive; do not wait to coalesce them.
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ChannelPipeline p = ch.pipeline();
                    if (proxy != null) {
                      p.addLast("proxy", proxy.newHandler(timeoutMillis));
                    }
                    if (ssl != null) {
                      SslHandler sslHandler = ssl.newHandler(ch.alloc(), host, port);
                      sslHandler.setHandshakeTimeoutMillis(timeoutMillis);
                      p.addLast("tls", sslHandler);
                    }
                    p.addLast("http", new HttpClientCodec());
                    // Only for the handshake response; the handshaker removes it.
                    p.addLast("http-aggregator", new HttpObjectAggregator(64 * 1024));
                    p.addLast(HANDLER_NAME, handler);
                  }
                });
    if (proxy != null) {
      // The proxy resolves the name: no lookup here, which could also leak it past the proxy.
      b.resolver(NoopAddressResolverGroup.INSTANCE);
    }
    ChannelFuture connect = b.connect(InetSocketAddress.createUnresolved(host, port));
    channel = connect.channel();
    connect.addListener(
        (ChannelFutureListener)
            f -> {
              if (!f.isSuccess()) {
                // Never inline: open() may have been called on this very event loop.
                terminateLater(f);
              }
            });
    // A failed name lookup closes the channel before it fails the connect future: wait for both.
    connect
        .channel()
        .closeFuture()
        .addListener(
            (ChannelFutureListener)
                f -> connect.addListener((ChannelFutureListener) g -> terminateLater(connect)));
  }

  /**
   * Terminates in a later event loop task. A handler can close the channel and only then fire the
   * exception that explains why (Netty's frame decoder does, for an oversized frame), all in one
   * call stack: the outcome must be recorded before it is reported.
   */
  private void terminateLater(ChannelFuture connect) {
    try {
      connect.channel().eventLoop().execute(() -> terminate(connect));
    } catch (RejectedExecutionException | IllegalStateException e) {
      // The loop is shutting down (or the channel never registered): report now.
      terminate(connect);
    }
  }

  @Override
  public TransportKind kind() {
    return TransportKind.WEBSOCKET;
  }

  @Override
  public boolean send(String text) {
    if (text == null) {
      throw new NullPointerException("text");
    }
    Channel ch = channel;
    if (state.get() != OPEN || ch == null) {
      return false;
    }
    ByteBuf utf8 = ByteBufUtil.writeUtf8(ch.alloc(), text);
    ch.writeAndFlush(new TextWebSocketFrame(utf8))
        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    return true;
  }

  @Override
  public void close(int code, String reason) {
    if (!WebSocketCloseStatus.isValidStatusCode(code)) {
      throw new IllegalArgumentException(
          "close code "
              + code
              + " cannot be sent in a WebSocket close frame: use 1000-1003, 1007-1014 or"
              + " 3000-4999");
    }
    String why = truncate(reason == null ? "" : reason);
    for (; ; ) {
      int s = state.get();
      if (s == CONNECTING || s == OPEN) {
        if (state.compareAndSet(s, CLOSING)) {
          boolean wasOpenState = s == OPEN;
          runOnLoop(() -> localClose(code, why, wasOpenState));
          return;
        }
      } else {
        return;
      }
    }
  }

  /** Closes because the factory is closing. */
  public void closeForShutdown() {
    close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "transport factory closed");
  }

  /** The channel of this connection (for tests and diagnostics). */
  public Channel channel() {
    return channel;
  }

  @Override
  public String toString() {
    return "NettyWebSocket[" + request.uri() + ", " + stateName() + "]";
  }

  private String stateName() {
    switch (state.get()) {
      case CONNECTING:
        return "connecting";
      case OPEN:
        return "open";
      case CLOSING:
        return "closing";
      default:
        return "closed";
    }
  }

  private void runOnLoop(Runnable task) {
    Channel ch = channel;
    try {
      ch.eventLoop().execute(task);
    } catch (RejectedExecutionException e) {
      // The event loop is shutting down: it closes the channel itself, which ends the connection.
      ch.close();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Event loop side
  // ------------------------------------------------------------------------------------------

  private void localClose(int code, String reason, boolean open) {
    Channel ch = channel;
    record(Outcome.close(code, reason));
    if (!open || !ch.isActive() || closeFrameSent) {
      ch.close();
      return;
    }
    closeFrameSent = true;
    ch.writeAndFlush(new CloseWebSocketFrame(code, reason))
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    f.channel().close();
                  }
                });
    // A half-open peer never answers: do not wait for it longer than the close timeout.
    closeTimer =
        ch.eventLoop()
            .schedule(
                () -> {
                  ch.close();
                },
                settings.closeTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
  }

  private void record(Outcome o) {
    if (outcome == null) {
      outcome = o;
    }
  }

  private void terminate(ChannelFuture connect) {
    if (!terminated.compareAndSet(false, true)) {
      return;
    }
    state.set(CLOSED);
    cancel(connectTimer);
    cancel(closeTimer);
    Outcome o = outcome;
    if (o == null && connect.isDone() && !connect.isSuccess()) {
      o = Outcome.error(connectFailure(connect.cause()));
    }
    if (o == null) {
      o =
          wasOpen
              ? Outcome.close(
                  WebSocketCloseStatus.ABNORMAL_CLOSURE.code(),
                  "connection closed abnormally (no close frame)")
              : Outcome.error(
                  new PusherConnectionException(
                      -1,
                      "connection to "
                          + request.uri()
                          + " closed before the WebSocket handshake completed"));
    }
    channel.close();
    try {
      if (o.error != null) {
        listener.onError(this, o.error);
      } else {
        listener.onClose(this, o.code, o.reason);
      }
    } catch (RuntimeException e) {
      LOG.warn("Transport listener threw from its terminal callback", e);
    } finally {
      registry.remove(this);
    }
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Runs a non-terminal listener call; a throwing listener ends the connection with its error. */
  private void callListener(Channel ch, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      record(Outcome.error(e));
      ch.close();
    }
  }

  private PusherConnectionException connectFailure(Throwable cause) {
    Throwable tls = tlsCause(cause);
    if (tls != null) {
      return tlsFailure(tls);
    }
    if (cause instanceof ProxyConnectException) {
      return new PusherConnectionException(
          -1,
          "could not connect to "
              + request.uri()
              + " through the "
              + settings.proxy()
              + ": "
              + cause.getMessage(),
          cause);
    }
    return new PusherConnectionException(
        -1, "could not connect to " + request.uri() + ": " + cause.getMessage(), cause);
  }

  private PusherConnectionException tlsFailure(Throwable cause) {
    String prefix = "TLS handshake with " + host + ":" + port + " failed: ";
    CertificateExpiredException expired = find(cause, CertificateExpiredException.class);
    if (expired != null || hasReason(cause, CertPathValidatorException.BasicReason.EXPIRED)) {
      return new PusherConnectionException(
          -1,
          prefix
              + "the server's certificate has expired ("
              + (expired != null ? expired.getMessage() : cause.getMessage())
              + "); the server must renew it",
          cause);
    }
    CertificateNotYetValidException notYet = find(cause, CertificateNotYetValidException.class);
    if (notYet != null || hasReason(cause, CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
      return new PusherConnectionException(
          -1,
          prefix
              + "the server's certificate is not valid yet ("
              + (notYet != null ? notYet.getMessage() : cause.getMessage())
              + "); check this machine's clock",
          cause);
    }
    CertificateException mismatch = hostMismatch(cause);
    if (mismatch != null) {
      return new PusherConnectionException(
          -1,
          prefix
              + "the server's certificate does not name host '"
              + host
              + "' ("
              + mismatch.getMessage()
              + "); connect with a host name the certificate holds",
          cause);
    }
    boolean certificate = false;
    for (Throwable t = cause; t != null && !certificate; t = t.getCause()) {
      certificate =
          t instanceof CertificateException
              || t instanceof CertPathValidatorException
              || t.getClass().getName().contains("CertPath")
              || String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("certificat");
    }
    String message =
        certificate
            ? prefix
                + "the server's certificate is not trusted ("
                + cause.getMessage()
                + "). Trust its CA with NettyTransportFactory.builder().trustedCertificates(pem),"
                + " trustStore(...) or sslContext(...)"
            : prefix + cause.getMessage();
    return new PusherConnectionException(-1, message, cause);
  }

  private static <T extends Throwable> T find(Throwable cause, Class<T> type) {
    int depth = 0;
    for (Throwable t = cause; t != null && depth < 20; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static boolean hasReason(Throwable cause, CertPathValidatorException.Reason reason) {
    CertPathValidatorException e = find(cause, CertPathValidatorException.class);
    return e != null && e.getReason() == reason;
  }

  /**
   * The JDK's host name check failing (sun.security.util.HostnameChecker): a bare
   * CertificateException whose message says no name matched; the chain itself was trusted.
   */
  private static CertificateException hostMismatch(Throwable cause) {
    int depth = 0;
    for (Throwable t = cause; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof CertificateException) {
        String m = String.valueOf(t.getMessage());
        if (m.startsWith("No subject alternative") || m.startsWith("No name matching")) {
          return (CertificateException) t;
        }
      }
    }
    return null;
  }

  private static Throwable tlsCause(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return t;
      }
    }
    return null;
  }

  private static String truncate(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    int end = reason.length();
    while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
      end = Character.isLowSurrogate(reason.charAt(end - 1)) ? end - 2 : end - 1;
    }
    return reason.substring(0, end);
  }

  private String tooBigReason() {
    return "message larger than " + request.maxFrameBytes() + " bytes (maxFrameBytes)";
  }

  /** The pipeline's last handler: handshake, frames, failures. */
  private final class Handler extends ChannelInboundHandlerAdapter {

    private WebSocketClientHandshaker handshaker;
    // The payload of the latest ping not answered yet (event loop only).
    private ByteBuf pendingPong;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      handshaker =
          WebSocketClientHandshakerFactory.newHandshaker(
              request.uri(),
              WebSocketVersion.V13,
              null,
              false,
              settings.newHandshakeHeaders(),
              request.maxFrameBytes());
      connectTimer =
          ctx.executor()
              .schedule(this::connectTimedOut, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void connectTimedOut() {
      if (state.get() == CONNECTING) {
        record(
            Outcome.error(
                new PusherConnectionException(
                    -1,
                    "opening "
                        + request.uri()
                        + " timed out after "
                        + connectTimeout.toMillis()
                        + " ms (TCP connect, TLS and WebSocket handshake; connectTimeout)")));
        channel.close();
      }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (state.get() == CONNECTING) {
        // With TLS or a proxy the request waits in their handlers until they are ready.
        handshaker
            .handshake(ctx.channel())
            .addListener(
                (ChannelFutureListener)
                    f -> {
                      if (!f.isSuccess()) {
                        record(Outcome.error(connectFailure(f.cause())));
                        f.channel().close();
                      }
                    });
      } else {
        ctx.close();
      }
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof FullHttpResponse) {
          handshakeResponse(ctx, (FullHttpResponse) msg);
        } else if (msg instanceof TextWebSocketFrame) {
          if (state.get() == OPEN) {
            text(ctx, ((TextWebSocketFrame) msg).content());
          }
        } else if (msg instanceof PingWebSocketFrame) {
          ping(ctx, ((PingWebSocketFrame) msg).content());
          activity(ctx);
        } else if (msg instanceof PongWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
          // Pusher sends only text; anything else still shows the connection is alive.
          activity(ctx);
        } else if (msg instanceof CloseWebSocketFrame) {
          closeFrame(ctx, (CloseWebSocketFrame) msg);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    /**
     * Hands one whole text message to the listener, or fails the connection with 1007 if it is not
     * UTF-8 (RFC 6455 8.1). Validated here, after reassembly, in the same pass that copies the
     * bytes for the listener: a sequence split across fragments is judged whole.
     */
    private void text(ChannelHandlerContext ctx, ByteBuf content) {
      ByteBuffer utf8 = TextMessages.borrow(content);
      if (utf8 == null) {
        notUtf8(ctx.channel());
        return;
      }
      // No lambda per message (callListener's): this runs for every message of the stream.
      try {
        listener.onMessage(WebSocketConnection.this, utf8);
      } catch (RuntimeException e) {
        record(Outcome.error(e));
        ctx.channel().close();
      } finally {
        TextMessages.giveBack(utf8);
      }
    }

    private void notUtf8(Channel ch) {
      WebSocketCloseStatus status = WebSocketCloseStatus.INVALID_PAYLOAD_DATA;
      record(
          Outcome.error(
              new PusherConnectionException(
                  status.code(),
                  "the server sent a text message that is not UTF-8 (RFC 6455 8.1); closed with "
                      + status.code())));
      // Nothing after it on this connection reaches the listener.
      state.compareAndSet(OPEN, CLOSING);
      if (!closeFrameSent && ch.isActive()) {
        closeFrameSent = true;
        ch.writeAndFlush(new CloseWebSocketFrame(status.code(), "text message is not UTF-8"))
            .addListener(ChannelFutureListener.CLOSE);
      } else {
        ch.close();
      }
    }

    /**
     * RFC 6455 5.5.3: answer with the same application data. While the server does not read what
     * this side writes, answer only the most recent ping (5.5.3 allows it) once the connection is
     * writable again: a ping flood cannot pile pongs up in memory.
     */
    private void ping(ChannelHandlerContext ctx, ByteBuf payload) {
      if (pendingPong != null) {
        pendingPong.release();
        pendingPong = null;
      }
      if (ctx.channel().isWritable()) {
        ctx.writeAndFlush(new PongWebSocketFrame(payload.retain()));
      } else {
        // A copy: the payload may be a slice of a much larger read buffer.
        pendingPong = Unpooled.copiedBuffer(payload);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (pendingPong != null && ctx.channel().isWritable()) {
        ByteBuf payload = pendingPong;
        pendingPong = null;
        ctx.writeAndFlush(new PongWebSocketFrame(payload));
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      releasePendingPong();
      ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      releasePendingPong();
    }

    private void releasePendingPong() {
      if (pendingPong != null) {
        pendingPong.release();
        pendingPong = null;
      }
    }

    private void activity(ChannelHandlerContext ctx) {
      if (state.get() == OPEN) {
        callListener(ctx.channel(), () -> listener.onActivity(WebSocketConnection.this));
      }
    }

    private void handshakeResponse(ChannelHandlerContext ctx, FullHttpResponse response) {
      if (handshaker == null || handshaker.isHandshakeComplete()) {
        return;
      }
      Channel ch = ctx.channel();
      try {
        handshaker.finishHandshake(ch, response);
      } catch (WebSocketHandshakeException e) {
        record(
            Outcome.error(
                new PusherConnectionException(
                    -1,
                    "WebSocket handshake with " + request.uri() + " failed: " + e.getMessage(),
                    e)));
        ch.close();
        return;
      }
      // Fragmented messages are reassembled up to the same limit as single frames. Text must be
      // UTF-8 (RFC 6455 8.1): text() checks that on the whole message, and a server that breaks
      // it gets close code 1007, as from the Jetty transport.
      ch.pipeline()
          .addBefore(
              HANDLER_NAME, "ws-aggregator", new WebSocketFrameAggregator(request.maxFrameBytes()));
      // An open connection holds no timer and no handshake state: idle connections are many.
      cancel(connectTimer);
      connectTimer = null;
      handshaker = null;
      if (state.compareAndSet(CONNECTING, OPEN)) {
        wasOpen = true;
        callListener(ch, () -> listener.onOpen(WebSocketConnection.this));
      }
    }

    private void closeFrame(ChannelHandlerContext ctx, CloseWebSocketFrame frame) {
      int code = frame.statusCode();
      // RFC 6455 7.1.5: no status code in the frame is reported as 1005.
      record(
          code == -1
              ? Outcome.close(WebSocketCloseStatus.EMPTY.code(), "")
              : Outcome.close(code, frame.reasonText()));
      state.compareAndSet(OPEN, CLOSING);
      Channel ch = ctx.channel();
      if (!closeFrameSent && ch.isActive()) {
        // RFC 6455 5.5.1: answer with a close frame, echoing the status code.
        closeFrameSent = true;
        ch.writeAndFlush(new CloseWebSocketFrame(true, 0, frame.content().retain()))
            .addListener(ChannelFutureListener.CLOSE);
      } else {
        ch.close();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent
          && !((SslHandshakeCompletionEvent) evt).isSuccess()) {
        record(Outcome.error(tlsFailure(((SslHandshakeCompletionEvent) evt).cause())));
        ctx.close();
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Channel ch = ctx.channel();
      if (cause instanceof TooLongFrameException
          || (cause instanceof CorruptedWebSocketFrameException
              && ((CorruptedWebSocketFrameException) cause).closeStatus()
                  == WebSocketCloseStatus.MESSAGE_TOO_BIG)) {
        record(Outcome.close(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), tooBigReason()));
        state.compareAndSet(OPEN, CLOSING);
        if (!closeFrameSent && ch.isActive()) {
          closeFrameSent = true;
          ch.writeAndFlush(
                  new CloseWebSocketFrame(
                      WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), tooBigReason()))
              .addListener(ChannelFutureListener.CLOSE);
        } else {
          ch.close();
        }
        return;
      }
      if (cause instanceof CorruptedWebSocketFrameException) {
        WebSocketCloseStatus status = ((CorruptedWebSocketFrameException) cause).closeStatus();
        record(
            Outcome.error(
                new PusherConnectionException(
                    status == null ? -1 : status.code(),
                    "the server sent an invalid WebSocket frame: " + cause.getMessage(),
                    cause)));
      } else if (tlsCause(cause) != null) {
        record(Outcome.error(tlsFailure(tlsCause(cause))));
      } else if (!wasOpen) {
        record(Outcome.error(connectFailure(cause)));
      } else if (cause instanceof IOException) {
        record(
            Outcome.close(
                WebSocketCloseStatus.ABNORMAL_CLOSURE.code(),
                "connection lost: " + cause.getMessage()));
      } else {
        record(
            Outcome.error(
                new PusherConnectionException(
                    -1, "WebSocket connection to " + request.uri() + " failed: " + cause, cause)));
      }
      ch.close();
    }
  }

  /** How a connection ended: a close code and reason, or an error. */
  private static final class Outcome {
    final int code;
    final String reason;
    final Throwable error;

    private Outcome(int code, String reason, Throwable error) {
      this.code = code;
      this.reason = reason;
      this.error = error;
    }

    static Outcome close(int code, String reason) {
      return new Outcome(code, reason, null);
    }

    static Outcome error(Throwable error) {
      return new Outcome(0, null, error);
    }
  }
}
