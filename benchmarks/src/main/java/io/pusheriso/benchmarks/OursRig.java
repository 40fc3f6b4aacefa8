package io.pusheriso.benchmarks;

import io.pusheriso.Pusher;
import io.pusheriso.PusherOptions;
import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.spi.ChannelAuthorizer;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A whole pusher-iso client ({@link Pusher}, default options apart from the transport) driven without a network:
 * a transport factory that hands the benchmark the core's {@link TransportListener}, and a direct callback
 * executor, so that {@link #feed} runs decode, the state machine's bookkeeping, routing and the listeners on the
 * calling thread, as the Netty transport's event loop would with {@code callbackExecutor(Runnable::run)}.
 *
 * <p>Not thread-safe: one benchmark thread.
 */
public final class OursRig implements AutoCloseable {

    /** F3's published fixture key (see README), base64. */
    public static final String SHARED_SECRET = "YmVuY2htYXJrLWZpeHR1cmUta2V5LTMyLWJ5dGVzISE=";

    private final Pusher pusher;
    private TransportListener listener;
    private final Transport transport;
    /** Frames the client sent, oldest first (cleared by {@link #clearSent}). */
    public final List<String> sent = new ArrayList<>();

    public OursRig() {
        transport = new Transport() {
            @Override
            public TransportKind kind() {
                return TransportKind.WEBSOCKET;
            }

            @Override
            public boolean send(String text) {
                if (sent.size() < 10_000) {
                    sent.add(text);
                }
                return true;
            }

            @Override
            public void close(int code, String reason) {}
        };
        TransportFactory factory = new TransportFactory() {
            @Override
            public String name() {
                return "bench-direct";
            }

            @Override
            public Set<TransportKind> kinds() {
                return Set.of(TransportKind.WEBSOCKET);
            }

            @Override
            public Transport open(TransportRequest request, TransportListener l) {
                listener = l;
                return transport;
            }

            @Override
            public void close() {}
        };
        ChannelAuthorizer authorizer = request -> CompletableFuture.completedFuture(
                request.channelName().startsWith("presence-")
                        ? new ChannelAuthorization("benchkey:0000", "{\"user_id\":\"me\",\"user_info\":{}}", null)
                        : request.channelName().startsWith("private-encrypted-")
                                ? new ChannelAuthorization("benchkey:0000", null, SHARED_SECRET)
                                : new ChannelAuthorization("benchkey:0000", null, null));
        pusher = new Pusher(PusherOptions.builder("benchkey")
                .host("127.0.0.1")
                .tls(false)
                .enabledTransports(TransportKind.WEBSOCKET)
                .transportFactory(factory)
                .callbackExecutor(Runnable::run)
                .channelAuthorizer(authorizer)
                .build());
        pusher.connect();
        if (listener == null) {
            throw new IllegalStateException("the client did not open a transport synchronously");
        }
        listener.onOpen(transport);
        feed("{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"1.2\\\","
                + "\\\"activity_timeout\\\":120}\"}");
        if (pusher.socketId().isEmpty()) {
            throw new IllegalStateException("not connected after connection_established: " + pusher.state());
        }
    }

    public Pusher pusher() {
        return pusher;
    }

    /** Subscribes and confirms the subscription as a server would (presence: {@code me} is the only member). */
    public io.pusheriso.Channel subscribe(String name) {
        io.pusheriso.Channel ch = pusher.subscribe(name);
        String data = name.startsWith("presence-")
                ? "{\\\"presence\\\":{\\\"ids\\\":[\\\"me\\\"],\\\"hash\\\":{\\\"me\\\":{}},\\\"count\\\":1}}"
                : "{}";
        feed("{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"" + name + "\",\"data\":\""
                + data + "\"}");
        if (!ch.isSubscribed()) {
            throw new IllegalStateException(name + " not subscribed; sent " + sent);
        }
        return ch;
    }

    /** One message from the wire, as the Netty transport hands it over (bytes in a ByteBuffer). */
    public void feed(byte[] frame) {
        listener.onMessage(transport, ByteBuffer.wrap(frame));
    }

    public void feed(String frame) {
        feed(frame.getBytes(StandardCharsets.UTF_8));
    }

    public void clearSent() {
        sent.clear();
    }

    @Override
    public void close() {
        pusher.close();
    }
}
