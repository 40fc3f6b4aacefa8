package io.pusheriso.testkit.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One session of Pusher's HTTP fallback (the SockJS-style xhr_streaming and xhr polling endpoints), with sockjs-node's
 * session life cycle: messages are queued until a receiving request is open, a session without one for the disconnect
 * delay ends, a second receiving request gets {@code c[2010,..]}, an aborted receiving request ends the session at
 * once, and a server close is delivered as {@code c[code,"reason"]} to the open or the next receiving request.
 *
 * <p>Threading: every piece of state is confined to one event loop of the server chosen when the session is made;
 * the methods hop onto it with {@code execute}, always, so that output leaves in the order it was issued. Writes to a
 * receiving request's channel come from that loop only, which keeps their order too.
 */
final class XhrSession extends Conn {
    private enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    /** An item waiting for a receiving request: a Pusher message, or raw text of the sendRawHttp fault. */
    private record Out(String text, boolean raw) { }

    /** One receiving request (xhr_streaming or xhr): its channel and how much it has carried. Loop-confined. */
    static final class Receiver {
        final Channel channel;
        final boolean streaming;
        final boolean keepAlive;
        long bytes;
        boolean ended;

        Receiver(Channel channel, boolean streaming, boolean keepAlive) {
            this.channel = channel;
            this.streaming = streaming;
            this.keepAlive = keepAlive;
        }
    }

    private final Engine engine;
    private final XhrEndpoints endpoints;
    final String sessionId;
    private final String appKey;
    private final List<String> protocol;
    private final EventLoop loop;

    // loop-confined
    private State state = State.CONNECTING;
    private final ArrayDeque<Out> queue = new ArrayDeque<>();
    private Receiver recv;
    private ScheduledFuture<?> disconnectTimer;
    private ScheduledFuture<?> heartbeatTimer;
    private String closeFrame;
    private boolean frozen;
    private boolean inHub;
    /** The kind of the latest receiving request; written on the loop, read by observers. */
    private volatile String transport = "xhr_streaming";

    XhrSession(Engine engine, XhrEndpoints endpoints, String sessionId, String appKey, List<String> protocol,
            EventLoop loop) {
        super(engine.hub().nextSocketId());
        this.engine = engine;
        this.endpoints = endpoints;
        this.sessionId = sessionId;
        this.appKey = appKey;
        this.protocol = protocol;
        this.loop = loop;
        onLoop(this::startDisconnectTimer);
    }

    // ---- Conn ----

    @Override
    void send(String text) {
        onLoop(() -> enqueue(new Out(text, false)));
    }

    /** Writes text verbatim into the receiving response (no framing, no newline), for hostile-server tests. */
    void sendRawHttp(String text) {
        onLoop(() -> enqueue(new Out(text, true)));
    }

    @Override
    void close(int code, String reason) {
        onLoop(() -> {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
            ArrayNode frame = JsonNodeFactory.instance.arrayNode();
            frame.add(code);
            frame.add(reason == null ? "" : reason);
            closeFrame = "c" + Json.write(frame) + "\n";
            leaveHub();
            Receiver r = recv;
            if (r != null && !frozen) {
                flush(r);
                if (!r.ended) {
                    write(r, closeFrame);
                    end(r);
                }
            } else if (r != null) {
                // Half-open: the close frame is lost, and the connection is cut a second later, as a
                // WebSocket whose close frame goes unanswered.
                schedule(() -> {
                    if (recv == r) {
                        recv = null;
                        r.ended = true;
                        r.channel.close();
                        terminate();
                    }
                }, TimeUnit.SECONDS.toNanos(1));
            }
        });
    }

    @Override
    void drop() {
        onLoop(() -> {
            if (state == State.CLOSED) {
                return;
            }
            Receiver r = recv;
            recv = null;
            if (r != null) {
                r.ended = true;
                r.channel.close();
            }
            terminate();
        });
    }

    @Override
    void syncFreeze(BooleanSupplier halfOpen) {
        Runnable apply = () -> {
            boolean was = frozen;
            frozen = halfOpen.getAsBoolean();
            if (was && !frozen && recv != null) {
                tryFlush();
            }
        };
        if (loop.inEventLoop()) {
            apply.run();
            return;
        }
        try {
            // Waited for, so that the fault holds before the caller's next step.
            loop.submit(apply).awaitUninterruptibly(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // The server is shutting down; the session is going away anyway.
        }
    }

    @Override
    String transport() {
        return transport;
    }

    // ---- requests ----

    /** A new receiving request for this session; its response head (and prelude) has been written. */
    void register(Receiver r) {
        onLoop(() -> doRegister(r));
    }

    /** Messages of one xhr_send body, handled in order; {@code done} runs after the last one. */
    void received(List<String> messages, Runnable done) {
        onLoop(() -> {
            for (String m : messages) {
                if (state != State.OPEN) {
                    break;
                }
                record(m);
                if (inHub) {
                    PusherMessages.handle(engine, this, m);
                }
            }
            done.run();
        });
    }

    private void doRegister(Receiver r) {
        if (state == State.CLOSED) {
            // The session ended while this request was on its way: as in sockjs-node, it opens a new one.
            endpoints.sessionFor(sessionId, appKey, protocol).register(r);
            return;
        }
        if (recv != null) {
            write(r, "c[2010,\"Another connection still open\"]\n");
            end(r);
            return;
        }
        cancel(disconnectTimer);
        disconnectTimer = null;
        if (state == State.CLOSING) {
            flush(r);
            if (!r.ended) {
                write(r, closeFrame);
                end(r);
            }
            startDisconnectTimer();
            return;
        }
        recv = r;
        transport = r.streaming ? "xhr_streaming" : "xhr_polling";
        r.channel.closeFuture().addListener((ChannelFutureListener) f -> onLoop(() -> aborted(r)));
        if (state == State.CONNECTING) {
            state = State.OPEN;
            write(r, "o\n");
            open();
        }
        if (recv == r) {
            tryFlush();
        }
        if (recv == r) {
            startHeartbeat();
        }
    }

    private void open() {
        if (!PusherMessages.admit(engine, this, appKey, protocol)) {
            return;
        }
        inHub = true;
        engine.hub().add(this);
        FaultState faults = engine.faults();
        if (faults.halfOpen()) {
            frozen = true;
        }
    }

    /** The client went away while its receiving request was open: sockjs-node ends the session at once. */
    private void aborted(Receiver r) {
        if (recv != r || r.ended) {
            return;
        }
        r.ended = true;
        recv = null;
        terminate();
    }

    // ---- output ----

    private void enqueue(Out out) {
        if (state != State.OPEN || frozen) {
            return;
        }
        queue.add(out);
        tryFlush();
    }

    private void tryFlush() {
        if (recv != null && !frozen) {
            flush(recv);
        }
    }

    /** Writes the queue: consecutive messages as one {@code a[...]} frame, raw items as they are. */
    private void flush(Receiver r) {
        while (!queue.isEmpty() && !r.ended) {
            if (queue.peek().raw()) {
                write(r, queue.poll().text());
                continue;
            }
            ArrayNode messages = JsonNodeFactory.instance.arrayNode();
            while (!queue.isEmpty() && !queue.peek().raw()) {
                messages.add(queue.poll().text());
            }
            write(r, "a" + Json.write(messages) + "\n");
        }
    }

    /** Writes into the response; a polling response ends after one frame, a streaming one at the response limit. */
    private void write(Receiver r, String text) {
        if (r.ended) {
            return;
        }
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        r.bytes += buf.readableBytes();
        r.channel.writeAndFlush(new DefaultHttpContent(buf));
        if (!r.streaming || r.bytes >= engine.config().xhrResponseLimitBytes()) {
            end(r);
        }
    }

    /** Ends a response normally; when it was the session's receiving request, the disconnect delay starts. */
    private void end(Receiver r) {
        if (r.ended) {
            return;
        }
        r.ended = true;
        if (r.keepAlive) {
            r.channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            r.channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
        if (recv == r) {
            recv = null;
            cancel(heartbeatTimer);
            heartbeatTimer = null;
            startDisconnectTimer();
        }
    }

    private void startHeartbeat() {
        cancel(heartbeatTimer);
        long nanos = engine.config().xhrHeartbeatInterval().toNanos();
        heartbeatTimer = schedule(() -> {
            heartbeatTimer = null;
            Receiver r = recv;
            if (r == null) {
                return;
            }
            if (!frozen) {
                write(r, "h\n");
            }
            if (recv == r) {
                startHeartbeat();
            }
        }, nanos);
    }

    private void startDisconnectTimer() {
        if (state == State.CLOSED) {
            return;
        }
        cancel(disconnectTimer);
        disconnectTimer = schedule(() -> {
            disconnectTimer = null;
            if (recv == null) {
                terminate();
            }
        }, engine.config().xhrDisconnectDelay().toNanos());
    }

    /** The session is over: forget it, and let the hub treat it as a disconnect. */
    private void terminate() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        cancel(disconnectTimer);
        cancel(heartbeatTimer);
        disconnectTimer = null;
        heartbeatTimer = null;
        queue.clear();
        endpoints.forget(this);
        leaveHub();
    }

    private void leaveHub() {
        if (inHub) {
            inHub = false;
            engine.hub().remove(this);
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long nanos) {
        try {
            return loop.schedule(task, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The server is shutting down; the session is going away anyway.
        }
    }

    @Override
    public String toString() {
        return "XhrSession{" + socketId + ", session=" + sessionId + "}";
    }
}
