package io.pusheriso.benchmarks.e2e;

import com.pusher.client.channel.ChannelEventListener;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pusheriso.Pusher;
import io.pusheriso.PusherOptions;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.transport.jetty.JettyTransportFactory;
import io.pusheriso.transport.netty.NettyTransportFactory;
import io.pusheriso.transport.httpclient.HttpClientTransportFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The clients under test and their peers, behind one small interface: each opens connections to the bench server,
 * subscribes (when it speaks Pusher) and reports events to a {@link Sink}.
 *
 * <p>Threading: the harness calls these from one thread; deliveries happen on each client's own threads.
 */
public final class Clients {

    private Clients() {}

    /** How a connection reports frames: count only, or parse the timestamp and record latency too. */
    public enum Mode { COUNT, LATENCY }

    /** One kind of client; a kind may hold shared resources (an event loop group, a Jetty client). */
    public interface Kind extends AutoCloseable {
        String name();

        /** Whether it speaks Pusher (subscribes, can resubscribe after a 4200 close). */
        boolean pusher();

        /**
         * Opens one connection; when it completes the connection is open and, for Pusher clients, subscribed to
         * every one of {@code channels} (their {@code subscription_succeeded} arrived). Every event named
         * {@link BenchServer#EVENT} (raw clients: every text frame) goes to {@code sink} in {@code mode};
         * {@code onSubscribed} runs for each {@code subscription_succeeded} (also after a reconnect).
         */
        Conn open(int port, List<String> channels, Sink sink, Mode mode, Runnable onSubscribed) throws Exception;

        @Override
        void close();
    }

    /** One open connection. */
    public interface Conn extends AutoCloseable {
        @Override
        void close();
    }

    public static Kind byName(String name) {
        return switch (name) {
            case "ours-netty" -> new OursKind(name, NettyTransportFactory.builder().threads(1).build(), null);
            case "ours-netty-inline" -> new OursKind(name, NettyTransportFactory.builder().threads(1).build(),
                    Runnable::run);
            case "ours-jetty" -> new OursKind(name, new JettyTransportFactory(), null);
            case "raw-netty" -> new RawNettyKind();
            case "raw-jetty" -> new RawJettyKind();
            case "pjc" -> new PjcKind();
            case "ours-xhr" -> new OursKind(name, HttpClientTransportFactory.builder()
                    .streamingLimitBytes(Integer.MAX_VALUE).build(), null);
            case "raw-httpclient" -> new RawHttpClientKind();
            default -> throw new IllegalArgumentException("unknown client " + name
                    + " (ours-netty, ours-netty-inline, ours-jetty, raw-netty, raw-jetty, pjc)");
        };
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException, TimeoutException {
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new TimeoutException("timed out waiting for " + what);
        }
    }

    // ------------------------------------------------------------------------------------------ ours (pusher-iso)

    /** pusher-iso's {@link Pusher} over one shared transport factory (one event loop / one Jetty client). */
    static final class OursKind implements Kind {
        private final String name;
        private final TransportFactory factory;
        private final Executor callbackExecutor;

        OursKind(String name, TransportFactory factory, Executor callbackExecutor) {
            this.name = name;
            this.factory = factory;
            this.callbackExecutor = callbackExecutor;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean pusher() {
            return true;
        }

        @Override
        public Conn open(int port, List<String> channels, Sink sink, Mode mode, Runnable onSubscribed)
                throws Exception {
            boolean xhr = factory.kinds().contains(TransportKind.XHR_STREAMING);
            PusherOptions.Builder b = PusherOptions.builder("benchkey")
                    .host("127.0.0.1")
                    .wsPort(port)
                    .httpPort(port)
                    .tls(false)
                    .enabledTransports(xhr ? TransportKind.XHR_STREAMING : TransportKind.WEBSOCKET)
                    .transportFactory(factory);
            if (callbackExecutor != null) {
                b.callbackExecutor(callbackExecutor);
            }
            Pusher pusher = new Pusher(b.build());
            CountDownLatch subscribed = new CountDownLatch(channels.size());
            for (String name : channels) {
                io.pusheriso.Channel ch = pusher.subscribe(name);
                ch.bind("pusher:subscription_succeeded", e -> {
                    subscribed.countDown();
                    onSubscribed.run();
                });
                if (mode == Mode.COUNT) {
                    ch.bind(BenchServer.EVENT, e -> sink.event());
                } else {
                    ch.bind(BenchServer.EVENT, e -> sink.latency(e.data()));
                }
            }
            pusher.connect();
            await(subscribed, name + " subscriptions");
            return pusher::close;
        }

        @Override
        public void close() {
            factory.close();
        }
    }

    // ------------------------------------------------------------------------------------------ raw Netty

    /** The ceiling: Netty's own WebSocket client, a handler that only counts text frames. */
    static final class RawNettyKind implements Kind {
        // epoll when available, as pusher-iso's NettyTransportFactory does by default.
        private final boolean epoll = Epoll.isAvailable();
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("raw-netty", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());

        @Override
        public String name() {
            return "raw-netty";
        }

        @Override
        public boolean pusher() {
            return false;
        }

        @Override
        public Conn open(int port, List<String> channels, Sink sink, Mode mode, Runnable onSubscribed)
                throws Exception {
            URI uri = URI.create("ws://127.0.0.1:" + port + "/app/benchkey?protocol=7&client=raw&version=1");
            CompletableFuture<Void> open = new CompletableFuture<>();
            Channel ch = new Bootstrap()
                    .group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                                    new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                            uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(),
                                            1 << 20)),
                                    new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                        @Override
                                        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                                    .HANDSHAKE_COMPLETE) {
                                                open.complete(null);
                                            }
                                            ctx.fireUserEventTriggered(evt);
                                        }

                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) {
                                            if (mode == Mode.COUNT) {
                                                sink.event();
                                            } else {
                                                sink.latency(f.content());
                                            }
                                        }
                                    });
                        }
                    })
                    .connect("127.0.0.1", port).sync().channel();
            open.get(60, TimeUnit.SECONDS);
            return () -> ch.close().syncUninterruptibly();
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ------------------------------------------------------------------------------------------ raw Jetty

    /** The Jetty ceiling: Jetty 12's WebSocket client, a listener that only counts text messages. */
    static final class RawJettyKind implements Kind {
        private final WebSocketClient client = new WebSocketClient();

        RawJettyKind() {
            try {
                client.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start Jetty WebSocketClient", e);
            }
        }

        @Override
        public String name() {
            return "raw-jetty";
        }

        @Override
        public boolean pusher() {
            return false;
        }

        @Override
        public Conn open(int port, List<String> channels, Sink sink, Mode mode, Runnable onSubscribed)
                throws Exception {
            URI uri = URI.create("ws://127.0.0.1:" + port + "/app/benchkey?protocol=7&client=raw&version=1");
            Session session = client.connect(new CountingListener(sink, mode), uri).get(60, TimeUnit.SECONDS);
            return session::disconnect;
        }

        @Override
        public void close() {
            try {
                client.stop();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop Jetty WebSocketClient", e);
            }
        }
    }

    /** Jetty calls listener methods reflectively: the class must be public. */
    public static final class CountingListener implements Session.Listener.AutoDemanding {
        private final Sink sink;
        private final Mode mode;

        CountingListener(Sink sink, Mode mode) {
            this.sink = sink;
            this.mode = mode;
        }

        @Override
        public void onWebSocketText(String message) {
            if (mode == Mode.COUNT) {
                sink.event();
            } else {
                sink.latency(message);
            }
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // The harness disconnects abruptly when a section ends; nothing to report.
        }
    }

    // ------------------------------------------------------------------------------------------ raw HttpClient 5

    /**
     * The xhr_streaming ceiling: Apache HttpClient 5's async client (one I/O thread) POSTing to xhr_streaming and
     * reading the response as bytes, counting every {@code a[...]} line (the server writes one message per line).
     */
    static final class RawHttpClientKind implements Kind {
        private final CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
                .build();

        RawHttpClientKind() {
            client.start();
        }

        @Override
        public String name() {
            return "raw-httpclient";
        }

        @Override
        public boolean pusher() {
            return false;
        }

        @Override
        public Conn open(int port, List<String> channels, Sink sink, Mode mode, Runnable onSubscribed)
                throws Exception {
            URI uri = URI.create("http://127.0.0.1:" + port + "/pusher/app/benchkey/123/rawrawra/xhr_streaming"
                    + "?protocol=7&client=raw&version=1");
            CompletableFuture<Void> open = new CompletableFuture<>();
            java.util.concurrent.Future<Void> f = client.execute(AsyncRequestBuilder.post(uri).build(),
                    new AbstractBinResponseConsumer<Void>() {
                        private boolean lineStart = true;

                        @Override
                        protected void start(HttpResponse response, ContentType contentType) {
                            open.complete(null);
                        }

                        @Override
                        protected int capacityIncrement() {
                            return 64 * 1024;
                        }

                        @Override
                        protected void data(ByteBuffer src, boolean endOfStream) {
                            while (src.hasRemaining()) {
                                byte b = src.get();
                                if (lineStart && b == 'a') {
                                    sink.event();
                                }
                                lineStart = b == '\n';
                            }
                        }

                        @Override
                        protected Void buildResult() {
                            return null;
                        }

                        @Override
                        public void releaseResources() {}
                    }, null);
            open.get(60, TimeUnit.SECONDS);
            return () -> f.cancel(true);
        }

        @Override
        public void close() {
            client.close(CloseMode.IMMEDIATE);
        }
    }

    // ------------------------------------------------------------------------------------------ pjc 2.4.4

    /** The official client, com.pusher:pusher-java-client:2.4.4, as shipped. */
    static final class PjcKind implements Kind {
        @Override
        public String name() {
            return "pjc";
        }

        @Override
        public boolean pusher() {
            return true;
        }

        @Override
        public Conn open(int port, List<String> channels, Sink sink, Mode mode, Runnable onSubscribed)
                throws Exception {
            com.pusher.client.PusherOptions options = new com.pusher.client.PusherOptions()
                    .setHost("127.0.0.1")
                    .setWsPort(port)
                    .setUseTLS(false);
            com.pusher.client.Pusher pusher = new com.pusher.client.Pusher("benchkey", options);
            CountDownLatch subscribed = new CountDownLatch(channels.size());
            Consumer<com.pusher.client.channel.PusherEvent> onEvent = mode == Mode.COUNT
                    ? e -> sink.event()
                    : e -> sink.latency(e.getData());
            pusher.connect();
            List<com.pusher.client.channel.Channel> subs = new ArrayList<>();
            for (String name : channels) {
                subs.add(pusher.subscribe(name, new ChannelEventListener() {
                    @Override
                    public void onSubscriptionSucceeded(String channelName) {
                        subscribed.countDown();
                        onSubscribed.run();
                    }

                    @Override
                    public void onEvent(com.pusher.client.channel.PusherEvent event) {
                        onEvent.accept(event);
                    }
                }, BenchServer.EVENT));
            }
            await(subscribed, "pjc subscriptions");
            return pusher::disconnect;
        }

        @Override
        public void close() {}
    }
}
