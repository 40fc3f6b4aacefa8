package io.pusheriso.testkit.internal;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.pusheriso.testkit.PusherTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Not for public use, may change at any time. The fault switches of one server and the actions on its connections.
 *
 * <p>Thread-safe: the simple switches are volatile; the half-open switch and the handshakes it holds back are
 * guarded by this object's lock, so a handshake or HTTP request is never held after the fault was lifted.
 */
public final class FaultState implements PusherTestServer.Faults {
    private final Hub hub;
    private volatile boolean refuse;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean stopPings;
    private volatile boolean halfOpen;
    private final List<Runnable> heldHandshakes = new ArrayList<>();
    private final Set<String> refusedTransports = ConcurrentHashMap.newKeySet();
    private static final Set<String> TRANSPORTS = Set.of("ws", "xhr_streaming", "xhr_polling");

    FaultState(Hub hub) {
        this.hub = hub;
    }

    @Override
    public void dropAllConnections() {
        hub.connections().forEach(Conn::drop);
    }

    @Override
    public void closeAll(int code, String reason) {
        if (!WebSocketCloseStatus.isValidStatusCode(code)) {
            throw new IllegalArgumentException("close code " + code
                    + " cannot be sent in a close frame; use 1000-1003, 1007-1014 or 3000-4999 (Pusher uses 4000-4399)");
        }
        String text = reason == null ? "" : reason;
        if (text.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("close reason longer than 123 UTF-8 bytes does not fit in a close frame");
        }
        hub.connections().forEach(c -> c.close(code, text));
    }

    @Override
    public void sendRawToAll(String frame) {
        Objects.requireNonNull(frame, "frame");
        hub.connections().forEach(c -> c.send(frame));
    }

    @Override
    public void sendRaw(String socketId, String frame) {
        Objects.requireNonNull(frame, "frame");
        Conn conn = hub.connection(socketId);
        if (conn == null) {
            throw new IllegalArgumentException("no open connection has socket id " + socketId);
        }
        conn.send(frame);
    }

    @Override
    public void sendRawHttp(String socketId, String text) {
        Objects.requireNonNull(text, "text");
        Conn conn = hub.connection(socketId);
        if (!(conn instanceof XhrSession)) {
            throw new IllegalArgumentException(conn == null ? "no open connection has socket id " + socketId
                    : "socket " + socketId + " is a WebSocket connection, not an HTTP fallback session");
        }
        ((XhrSession) conn).sendRawHttp(text);
    }

    @Override
    public void halfOpen(boolean enabled) {
        List<Runnable> resume;
        synchronized (this) {
            halfOpen = enabled;
            resume = new ArrayList<>(heldHandshakes);
            if (!enabled) {
                heldHandshakes.clear();
            } else {
                resume.clear();
            }
        }
        for (Conn conn : hub.connections()) {
            conn.syncFreeze(this::halfOpen);
        }
        resume.forEach(Runnable::run);
    }

    @Override
    public void refuseNewConnections(boolean refuse) {
        this.refuse = refuse;
    }

    @Override
    public void delayNewConnections(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        this.delay = delay;
    }

    @Override
    public void stopAnsweringPings(boolean stop) {
        this.stopPings = stop;
    }

    @Override
    public void refuseTransport(String transport, boolean refuse) {
        if (!TRANSPORTS.contains(transport)) {
            throw new IllegalArgumentException("unknown transport '" + transport + "': use ws, xhr_streaming or xhr_polling");
        }
        if (refuse) {
            refusedTransports.add(transport);
        } else {
            refusedTransports.remove(transport);
        }
    }

    @Override
    public void reset() {
        refusedTransports.clear();
        refuse = false;
        delay = Duration.ZERO;
        stopPings = false;
        halfOpen(false);
    }

    /** @return whether new connections over that transport ({@code ws}, {@code xhr_streaming}, {@code xhr_polling}) are refused */
    boolean refusesTransport(String transport) {
        return refusedTransports.contains(transport);
    }

    /** @return whether the half-open fault is on */
    boolean halfOpen() {
        return halfOpen;
    }

    /** @return whether new TCP connections are refused */
    boolean refusing() {
        return refuse;
    }

    /** @return how long to hold a WebSocket handshake */
    Duration handshakeDelay() {
        return delay;
    }

    /** @return whether pings go unanswered */
    boolean ignoringPings() {
        return stopPings;
    }

    /**
     * Holds a WebSocket handshake, or a request to the HTTP fallback endpoints, back while the half-open fault is on.
     *
     * @param resume what to run when the fault is lifted
     * @return true when held; false when the fault is off and the caller proceeds now
     */
    synchronized boolean holdIfHalfOpen(Runnable resume) {
        if (!halfOpen) {
            return false;
        }
        heldHandshakes.add(resume);
        return true;
    }

    /** Forgets held handshakes (their connections are closed with the server). */
    synchronized void clear() {
        heldHandshakes.clear();
    }
}
