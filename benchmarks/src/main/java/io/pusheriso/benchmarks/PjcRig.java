package io.pusheriso.benchmarks;

import com.pusher.client.channel.Channel;
import com.pusher.client.channel.ChannelEventListener;
import com.pusher.client.channel.PresenceChannel;
import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PrivateChannel;
import com.pusher.client.channel.PrivateEncryptedChannel;
import com.pusher.client.channel.PrivateEncryptedChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import com.pusher.client.channel.impl.ChannelManager;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.impl.InternalConnection;
import com.pusher.client.util.Factory;
import com.pusher.client.connection.websocket.WebSocketConnection;
import java.net.Proxy;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * pusher-java-client 2.4.4's own receive path ({@code PusherEvent.fromJson} then {@code ChannelManager.handleEvent},
 * the channel's {@code handleEvent} and {@code emit}), driven without a network through its public classes: a
 * connected fake {@code InternalConnection} and a {@code Factory} whose {@code queueOnEventThread} runs the task at
 * once instead of on its event thread. Everything else is as shipped. Skipping the two executor hops (and the static
 * lock they take) makes these rows a <em>lower bound</em> of what pjc costs per event.
 *
 * <p>Not thread-safe: one benchmark thread.
 */
public final class PjcRig {

    /**
     * pjc's Factory, with its event-thread hop replaced by a direct call, and its timer executor (as shipped: one
     * daemon thread, default policies) held where the benchmark can purge its queue.
     */
    static final class DirectFactory extends Factory {
        final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "pjc-timers");
            t.setDaemon(true);
            return t;
        });

        @Override
        public synchronized void queueOnEventThread(Runnable task) {
            task.run();
        }

        @Override
        public synchronized ScheduledExecutorService getTimers() {
            return timers;
        }

        @Override
        public synchronized void shutdownThreads() {
            timers.shutdownNow();
            super.shutdownThreads();
        }
    }

    /** A connected connection that keeps what is sent. */
    static final class FakeConnection implements InternalConnection {
        final List<String> sent = new ArrayList<>();

        @Override
        public void sendMessage(String message) {
            if (sent.size() < 10_000) {
                sent.add(message);
            }
        }

        @Override
        public void connect() {}

        @Override
        public void disconnect() {}

        @Override
        public void bind(ConnectionState state, ConnectionEventListener listener) {}

        @Override
        public boolean unbind(ConnectionState state, ConnectionEventListener listener) {
            return true;
        }

        @Override
        public ConnectionState getState() {
            return ConnectionState.CONNECTED;
        }

        @Override
        public String getSocketId() {
            return "1.2";
        }
    }

    /** A listener for every kind of channel that does nothing but count (so nothing is optimised away). */
    public static class Counting implements PresenceChannelEventListener, PrivateEncryptedChannelEventListener {
        public long events;

        @Override
        public void onEvent(PusherEvent event) {
            events++;
        }

        @Override
        public void onSubscriptionSucceeded(String channelName) {}

        @Override
        public void onAuthenticationFailure(String message, Exception e) {
            throw new IllegalStateException("pjc authentication failure: " + message, e);
        }

        @Override
        public void onUsersInformationReceived(String channelName, Set<User> users) {}

        @Override
        public void userSubscribed(String channelName, User user) {
            events++;
        }

        @Override
        public void userUnsubscribed(String channelName, User user) {}

        @Override
        public void onDecryptionFailure(String event, String reason) {
            throw new IllegalStateException("pjc decryption failure: " + reason);
        }
    }

    final DirectFactory factory = new DirectFactory();
    final FakeConnection connection = new FakeConnection();
    final ChannelManager manager = new ChannelManager(factory);
    /** The receive entry point as shipped: activity timer bookkeeping, then parse, then the event handler. */
    final WebSocketConnection receiver;

    public PjcRig() {
        manager.setConnection(connection);
        try {
            receiver = new WebSocketConnection("ws://127.0.0.1:1/app/benchkey?protocol=7", 120_000, 30_000, 0, 30,
                    Proxy.NO_PROXY, manager::handleEvent, factory);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops pjc's timer thread (started by the activity timer). */
    public void close() {
        factory.shutdownThreads();
    }

    private static String authorize(String channelName, String socketId) {
        if (channelName.startsWith("presence-")) {
            return "{\"auth\":\"benchkey:0000\",\"channel_data\":\"{\\\"user_id\\\":\\\"me\\\",\\\"user_info\\\":{}}\"}";
        }
        if (channelName.startsWith("private-encrypted-")) {
            return "{\"auth\":\"benchkey:0000\",\"shared_secret\":\"" + OursRig.SHARED_SECRET + "\"}";
        }
        return "{\"auth\":\"benchkey:0000\"}";
    }

    /** Subscribes {@code listener} to {@code events} on a channel of the kind its name says, and confirms it. */
    public Channel subscribe(String name, ChannelEventListener listener, String... events) {
        Channel ch;
        if (name.startsWith("presence-")) {
            ch = factory.newPresenceChannel(connection, name, PjcRig::authorize);
        } else if (name.startsWith("private-encrypted-")) {
            ch = factory.newPrivateEncryptedChannel(connection, name, PjcRig::authorize);
        } else if (name.startsWith("private-")) {
            ch = factory.newPrivateChannel(connection, name, PjcRig::authorize);
        } else {
            ch = factory.newPublicChannel(name);
        }
        manager.subscribeTo((com.pusher.client.channel.impl.InternalChannel) ch, listener, events);
        String data = name.startsWith("presence-")
                ? "{\\\"presence\\\":{\\\"ids\\\":[\\\"me\\\"],\\\"hash\\\":{\\\"me\\\":{}},\\\"count\\\":1}}"
                : "{}";
        feed("{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"" + name + "\",\"data\":\"" + data
                + "\"}");
        if (!ch.isSubscribed()) {
            throw new IllegalStateException("pjc: " + name + " not subscribed");
        }
        return ch;
    }

    /**
     * pjc's per-message work after Java-WebSocket produced the String: {@code WebSocketConnection.onMessage}
     * (activity timer reschedule, {@code PusherEvent.fromJson}, connection-level checks), then
     * {@code ChannelManager.handleEvent}, the channel's {@code handleEvent} and {@code emit} to the listeners.
     */
    public void feed(String text) {
        receiver.onMessage(text);
    }

    public PresenceChannel presence(String name) {
        return manager.getPresenceChannel(name);
    }

    public PrivateChannel privateChannel(String name) {
        return manager.getPrivateChannel(name);
    }

    public PrivateEncryptedChannel encrypted(String name) {
        return manager.getPrivateEncryptedChannel(name);
    }

    /** Messages the client sent through the fake connection. */
    public List<String> sent() {
        return connection.sent;
    }
}
