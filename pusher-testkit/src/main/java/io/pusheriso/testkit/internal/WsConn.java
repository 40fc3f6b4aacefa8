package io.pusheriso.testkit.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One WebSocket connection of the server.
 *
 * <p>Threading: {@link #send} and the other output methods may be called from any thread; they hop onto the
 * channel's event loop with {@code execute}, always, so that frames leave in the order they were issued (a direct
 * write from the loop itself would overtake tasks already queued by other threads). The fields marked "hub" are
 * guarded by the {@link Hub}'s lock; the fields marked "loop" are confined to the event loop.
 */
final class WsConn extends Conn {
    private static final long CLOSE_HANDSHAKE_TIMEOUT_MILLIS = 1000;

    final Channel channel;
    private final ReadGate gate;

    /** loop: the half-open fault is on for this connection. */
    private boolean frozen;
    /** loop: we sent a close frame and wait for the peer's. */
    private boolean closing;

    WsConn(String socketId, Channel channel, ReadGate gate) {
        super(socketId);
        this.channel = channel;
        this.gate = gate;
    }

    /** Sends one text frame, unless the connection is frozen (then the frame is lost, as on a dead link). */
    @Override
    void send(String text) {
        onLoop(() -> write(new TextWebSocketFrame(text)));
    }

    /** Starts the closing handshake with that code; the TCP connection closes when the peer answers, or after 1 s. */
    @Override
    void close(int code, String reason) {
        onLoop(() -> {
            if (closing || !channel.isActive()) {
                return;
            }
            closing = true;
            write(new CloseWebSocketFrame(code, reason));
            try {
                channel.eventLoop().schedule(() -> {
                    channel.close();
                }, CLOSE_HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                channel.close();
            }
        });
    }

    @Override
    String transport() {
        return "ws";
    }

    /** Closes the TCP connection without a close frame. */
    @Override
    void drop() {
        onLoop(channel::close);
    }

    /**
     * Brings this connection in line with the half-open fault: stop reading and drop every write, or undo it. The
     * fault's state is read on the event loop, when the task runs, so racing toggles always settle on the latest one.
     */
    @Override
    void syncFreeze(BooleanSupplier halfOpen) {
        Runnable apply = () -> {
            frozen = halfOpen.getAsBoolean();
            gate.set(frozen);
        };
        if (channel.eventLoop().inEventLoop()) {
            apply.run();
            return;
        }
        try {
            // Waited for, so that the fault holds before the caller's next step (a test's next frame).
            channel.eventLoop().submit(apply).awaitUninterruptibly(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // The server is shutting down; the connection is going away anyway.
        }
    }

    /** @return true when the half-open fault holds this connection; loop only */
    boolean frozen() {
        return frozen;
    }

    /** @return true after we sent a close frame; loop only */
    boolean closing() {
        return closing;
    }

    /** Writes a frame now; loop only. Frozen connections swallow it. */
    void write(WebSocketFrame frame) {
        if (frozen || !channel.isActive()) {
            frame.release();
            return;
        }
        channel.writeAndFlush(frame);
    }

    /** Answers the peer's close frame and closes; loop only. */
    void closeAfter(WebSocketFrame frame) {
        if (frozen || !channel.isActive()) {
            frame.release();
            channel.close();
            return;
        }
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
    }

    private void onLoop(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            // The server is shutting down; the connection is going away anyway.
        }
    }

    @Override
    public String toString() {
        return "WsConn{" + socketId + "}";
    }
}
