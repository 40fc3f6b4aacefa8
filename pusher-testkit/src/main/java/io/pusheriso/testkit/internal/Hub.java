package io.pusheriso.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pusheriso.protocol.AuthSigner;
import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.ChannelNames;
import io.pusheriso.protocol.ClientEvents;
import io.pusheriso.protocol.PusherEvents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's state: connections, channel subscriptions, presence members, signed-in users, watchlists and cache
 * channels, with the Pusher protocol rules (as Pusher and soketi apply them) that change it.
 *
 * <p>Thread-safe: every method takes this object's lock. Frames are issued under the lock through
 * {@link Conn#send}, which queues them on each connection's event loop, so every socket sees events in one global
 * order (a member_added never overtakes the subscription_succeeded it follows).
 */
final class Hub {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    /** Pusher's limit on event names (client events and the HTTP API). */
    static final int MAX_EVENT_NAME_LENGTH = 200;
    /** Pusher accepts the first 100 ids of a watchlist. */
    static final int MAX_WATCHLIST = 100;
    static final String SERVER_TO_USER_PREFIX = "#server-to-user-";

    private final ServerConfig config;
    private final AuthSigner signer;
    private final AtomicLong socketSequence = new AtomicLong();
    private final long socketPrefix = ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);

    private final Map<String, Conn> connections = new LinkedHashMap<>();
    private final Map<String, List<String>> framesBySocket = new HashMap<>();
    private final Map<String, Set<Conn>> subscribers = new HashMap<>();
    private final Map<String, Map<String, Member>> presence = new HashMap<>();
    private final Map<String, Set<Conn>> users = new LinkedHashMap<>();
    private final Map<String, Cached> cache = new HashMap<>();

    Hub(ServerConfig config, AuthSigner signer) {
        this.config = config;
        this.signer = signer;
    }

    /** @return a new socket id of the form {@code N.M}, unique within this server */
    String nextSocketId() {
        return socketPrefix + "." + socketSequence.incrementAndGet();
    }

    // ---- connections ----

    /** Registers a connection that completed its WebSocket handshake or opened its HTTP session, and greets it. */
    synchronized void add(Conn conn) {
        connections.put(conn.socketId, conn);
        framesBySocket.put(conn.socketId, conn.received);
        ObjectNode data = Json.object();
        data.put("socket_id", conn.socketId);
        data.put("activity_timeout", config.activityTimeoutSeconds());
        conn.send(Json.frame(PusherEvents.CONNECTION_ESTABLISHED, null, Json.write(data)));
    }

    /** Forgets a closed connection: leaves its channels (members removed as seen by others) and signs its user out. */
    synchronized void remove(Conn conn) {
        if (connections.remove(conn.socketId) == null) {
            return;
        }
        for (String channel : new ArrayList<>(conn.channels)) {
            leave(conn, channel);
        }
        signOut(conn);
    }

    synchronized List<Conn> connections() {
        return new ArrayList<>(connections.values());
    }

    synchronized Conn connection(String socketId) {
        return connections.get(socketId);
    }

    // ---- subscriptions ----

    /** Handles {@code pusher:subscribe}; {@code data} is the decoded data object. */
    synchronized void subscribe(Conn conn, JsonNode data) {
        JsonNode channelNode = data.path("channel");
        if (!channelNode.isTextual()) {
            LOG.debug("{}: pusher:subscribe without a channel name, ignored", conn);
            return;
        }
        String channel = channelNode.asText();
        if (channel.startsWith(SERVER_TO_USER_PREFIX)) {
            subscribeServerToUser(conn, channel);
            return;
        }
        if (channel.length() > ChannelNames.MAX_LENGTH) {
            subscriptionError(conn, channel, "LimitReached",
                    "The channel name is longer than the allowed " + ChannelNames.MAX_LENGTH + " characters.", 4009);
            return;
        }
        if (!ChannelNames.isValid(channel)) {
            subscriptionError(conn, channel, "InvalidChannel",
                    "The channel name may only contain the characters A-Z a-z 0-9 _ - = @ , . ;", 4009);
            return;
        }
        ChannelKind kind = ChannelNames.kindOf(channel);
        String auth = data.path("auth").isTextual() ? data.path("auth").asText() : null;
        if (kind == ChannelKind.PRESENCE) {
            String channelData = data.path("channel_data").isTextual() ? data.path("channel_data").asText() : null;
            if (auth == null || channelData == null
                    || !signer.verify(auth, conn.socketId + ":" + channel + ":" + channelData)) {
                authError(conn, channel);
                return;
            }
            JsonNode member = Json.parse(channelData);
            String userId = Json.idText(member.path("user_id"));
            if (userId == null) {
                subscriptionError(conn, channel, "InvalidChannelData",
                        "The channel_data must be a JSON object with a user_id.", 4009);
                return;
            }
            joinPresence(conn, channel, userId, member.path("user_info"));
        } else {
            if (kind.requiresAuthorization()
                    && (auth == null || !signer.verify(auth, conn.socketId + ":" + channel))) {
                authError(conn, channel);
                return;
            }
            boolean added = subscribersOf(channel).add(conn);
            conn.channels.add(channel);
            conn.send(Json.frame(PusherEvents.INTERNAL_SUBSCRIPTION_SUCCEEDED, channel, "{}"));
            sendCached(conn, channel);
            if (added) {
                broadcastCount(channel);
            }
        }
    }

    private void subscribeServerToUser(Conn conn, String channel) {
        String userId = channel.substring(SERVER_TO_USER_PREFIX.length());
        if (conn.userId == null || !conn.userId.equals(userId)) {
            authError(conn, channel);
            return;
        }
        conn.channels.add(channel);
        conn.send(Json.frame(PusherEvents.INTERNAL_SUBSCRIPTION_SUCCEEDED, channel, "{}"));
    }

    private void joinPresence(Conn conn, String channel, String userId, JsonNode userInfo) {
        Map<String, Member> members = presence.computeIfAbsent(channel, c -> new LinkedHashMap<>());
        String previous = conn.presenceUserIds.get(channel);
        if (previous != null && !previous.equals(userId)) {
            leave(conn, channel);
            members = presence.computeIfAbsent(channel, c -> new LinkedHashMap<>());
        }
        Set<Conn> subs = subscribersOf(channel);
        if (subs.add(conn)) {
            conn.channels.add(channel);
            conn.presenceUserIds.put(channel, userId);
            Member member = members.get(userId);
            if (member == null) {
                JsonNode info = userInfo.isMissingNode() ? JsonNodeFactory.instance.nullNode() : userInfo;
                members.put(userId, new Member(info));
                ObjectNode added = Json.object();
                added.put("user_id", userId);
                added.set("user_info", info);
                String frame = Json.frame(PusherEvents.INTERNAL_MEMBER_ADDED, channel, Json.write(added));
                for (Conn other : subs) {
                    if (other != conn) {
                        other.send(frame);
                    }
                }
            } else {
                member.sockets++;
            }
        }
        ObjectNode hash = Json.object();
        ArrayNode ids = JsonNodeFactory.instance.arrayNode();
        members.forEach((id, m) -> {
            ids.add(id);
            hash.set(id, m.info);
        });
        ObjectNode presenceNode = Json.object();
        presenceNode.set("ids", ids);
        presenceNode.set("hash", hash);
        presenceNode.put("count", members.size());
        ObjectNode wrapper = Json.object();
        wrapper.set("presence", presenceNode);
        conn.send(Json.frame(PusherEvents.INTERNAL_SUBSCRIPTION_SUCCEEDED, channel, Json.write(wrapper)));
        sendCached(conn, channel);
    }

    /** Handles {@code pusher:unsubscribe}. */
    synchronized void unsubscribe(Conn conn, JsonNode data) {
        JsonNode channel = data.path("channel");
        if (channel.isTextual()) {
            leave(conn, channel.asText());
        }
    }

    private void leave(Conn conn, String channel) {
        if (!conn.channels.remove(channel)) {
            return;
        }
        Set<Conn> subs = subscribers.get(channel);
        if (subs == null || !subs.remove(conn)) {
            return;
        }
        String userId = conn.presenceUserIds.remove(channel);
        if (userId != null) {
            Map<String, Member> members = presence.get(channel);
            Member member = members == null ? null : members.get(userId);
            if (member != null && --member.sockets == 0) {
                members.remove(userId);
                ObjectNode removed = Json.object();
                removed.put("user_id", userId);
                String frame = Json.frame(PusherEvents.INTERNAL_MEMBER_REMOVED, channel, Json.write(removed));
                for (Conn other : subs) {
                    other.send(frame);
                }
            }
            if (members != null && members.isEmpty()) {
                presence.remove(channel);
            }
        } else {
            broadcastCount(channel);
        }
        if (subs.isEmpty()) {
            subscribers.remove(channel);
        }
    }

    private Set<Conn> subscribersOf(String channel) {
        return subscribers.computeIfAbsent(channel, c -> new LinkedHashSet<>());
    }

    private void broadcastCount(String channel) {
        if (!config.subscriptionCount() || ChannelNames.kindOf(channel) == ChannelKind.PRESENCE) {
            return;
        }
        Set<Conn> subs = subscribers.getOrDefault(channel, Set.of());
        ObjectNode data = Json.object();
        data.put("subscription_count", subs.size());
        String frame = Json.frame(PusherEvents.INTERNAL_SUBSCRIPTION_COUNT, channel, Json.write(data));
        for (Conn conn : subs) {
            conn.send(frame);
        }
    }

    private void authError(Conn conn, String channel) {
        subscriptionError(conn, channel, "AuthError", "The connection is unauthorized.", 401);
    }

    private static void subscriptionError(Conn conn, String channel, String type, String error, int status) {
        ObjectNode data = Json.object();
        data.put("type", type);
        data.put("error", error);
        data.put("status", status);
        conn.send(Json.frame(PusherEvents.SUBSCRIPTION_ERROR, channel, data));
    }

    // ---- cache channels ----

    private void sendCached(Conn conn, String channel) {
        if (!ChannelNames.isCache(channel)) {
            return;
        }
        Cached cached = cache.get(channel);
        if (cached != null && cached.expiresAtNanos - System.nanoTime() > 0) {
            conn.send(Json.frame(cached.event, channel, cached.data));
        } else {
            cache.remove(channel);
            conn.send(Json.frame(PusherEvents.CACHE_MISS, channel, (String) null));
        }
    }

    // ---- client events ----

    /** Handles a {@code client-*} event from a socket (the rules of soketi, Pusher's on which channels allow it). */
    synchronized void clientEvent(Conn conn, JsonNode message) {
        String event = message.path("event").asText();
        String channel = message.path("channel").isTextual() ? message.path("channel").asText() : null;
        if (!config.clientEvents()) {
            conn.send(Json.error(channel, 4301, "The app does not have client messaging enabled."));
            return;
        }
        if (event.length() > MAX_EVENT_NAME_LENGTH) {
            conn.send(Json.error(channel, 4301,
                    "Event name is too long. Maximum allowed size is " + MAX_EVENT_NAME_LENGTH + "."));
            return;
        }
        JsonNode data = message.path("data");
        String dataText = data.isMissingNode() ? "" : data.isTextual() ? data.asText() : Json.write(data);
        if (dataText.getBytes(StandardCharsets.UTF_8).length > ClientEvents.MAX_DATA_BYTES) {
            conn.send(Json.error(channel, 4301, "The event data should be less than 10 KB."));
            return;
        }
        if (channel == null) {
            conn.send(Json.error(null, 4301, "Client events need a channel."));
            return;
        }
        ChannelKind kind = ChannelNames.kindOf(channel);
        if (!kind.allowsClientEvents()) {
            conn.send(Json.error(channel, 4301, kind == ChannelKind.PRIVATE_ENCRYPTED
                    ? "Client events are not supported on encrypted channels."
                    : "Client events are only supported on private and presence channels."));
            return;
        }
        Set<Conn> subs = subscribers.get(channel);
        if (subs == null || !subs.contains(conn)) {
            // soketi drops these silently; an error tells a test author what went wrong.
            conn.send(Json.error(channel, 4301, "Client events need a subscription to the channel first."));
            return;
        }
        ObjectNode relayed = Json.object();
        relayed.put("event", event);
        relayed.put("channel", channel);
        if (!data.isMissingNode()) {
            relayed.set("data", data);
        }
        String userId = conn.presenceUserIds.get(channel);
        if (userId != null) {
            relayed.put("user_id", userId);
        }
        String frame = Json.write(relayed);
        for (Conn other : subs) {
            if (other != conn) {
                other.send(frame);
            }
        }
    }

    // ---- user sign-in and watchlists ----

    /** Outcome of a sign-in attempt. */
    enum Signin { OK, IGNORED, REJECTED }

    /**
     * Handles {@code pusher:signin}. On {@link Signin#REJECTED} the {@code pusher:error} has been sent and the caller
     * closes the connection with 4009.
     */
    synchronized Signin signin(Conn conn, JsonNode data) {
        if (!config.userAuthentication()) {
            return Signin.IGNORED;
        }
        String auth = data.path("auth").isTextual() ? data.path("auth").asText() : null;
        String userData = data.path("user_data").isTextual() ? data.path("user_data").asText() : null;
        if (auth == null || userData == null || !signer.verify(auth, conn.socketId + "::user::" + userData)) {
            conn.send(Json.error(null, 4009, "Connection not authorized."));
            return Signin.REJECTED;
        }
        JsonNode user = Json.parse(userData);
        String id = Json.idText(user.path("id"));
        if (id == null) {
            conn.send(Json.error(null, 4009, "The returned user data must contain the \"id\" field."));
            return Signin.REJECTED;
        }
        if (conn.userId != null && !conn.userId.equals(id)) {
            signOut(conn);
        }
        List<String> watchlist = new ArrayList<>();
        JsonNode watched = user.path("watchlist");
        boolean overLimit = false;
        if (watched.isArray()) {
            for (JsonNode w : watched) {
                String wid = Json.idText(w);
                if (wid != null && !watchlist.contains(wid)) {
                    if (watchlist.size() == MAX_WATCHLIST) {
                        overLimit = true;
                        break;
                    }
                    watchlist.add(wid);
                }
            }
        }
        conn.userId = id;
        conn.watchlist = List.copyOf(watchlist);
        ObjectNode success = Json.object();
        success.put("user_data", userData);
        conn.send(Json.frame(PusherEvents.SIGNIN_SUCCESS, null, success));
        if (overLimit) {
            conn.send(Json.error(null, 4302, "Watchlist limit exceeded; the first " + MAX_WATCHLIST + " ids are watched."));
        }
        Set<Conn> sockets = users.computeIfAbsent(id, u -> new LinkedHashSet<>());
        boolean cameOnline = sockets.isEmpty();
        sockets.add(conn);
        List<String> online = new ArrayList<>();
        for (String wid : conn.watchlist) {
            if (users.containsKey(wid)) {
                online.add(wid);
            }
        }
        if (!online.isEmpty()) {
            conn.send(watchlistFrame("online", online));
        }
        if (cameOnline) {
            notifyWatchers(id, "online", conn);
        }
        return Signin.OK;
    }

    private void signOut(Conn conn) {
        String id = conn.userId;
        if (id == null) {
            return;
        }
        conn.userId = null;
        conn.channels.remove(SERVER_TO_USER_PREFIX + id);
        Set<Conn> sockets = users.get(id);
        if (sockets != null && sockets.remove(conn) && sockets.isEmpty()) {
            users.remove(id);
            notifyWatchers(id, "offline", conn);
        }
    }

    private void notifyWatchers(String userId, String name, Conn except) {
        String frame = watchlistFrame(name, List.of(userId));
        for (Set<Conn> sockets : users.values()) {
            for (Conn watcher : sockets) {
                if (watcher != except && watcher.watchlist.contains(userId)) {
                    watcher.send(frame);
                }
            }
        }
    }

    private static String watchlistFrame(String name, Collection<String> userIds) {
        ObjectNode change = Json.object();
        change.put("name", name);
        ArrayNode ids = change.putArray("user_ids");
        userIds.forEach(ids::add);
        ObjectNode data = Json.object();
        data.putArray("events").add(change);
        return Json.frame(PusherEvents.INTERNAL_WATCHLIST_EVENTS, null, data);
    }

    // ---- publishing ----

    /**
     * Delivers one event to channels, as the HTTP events API does: {@code data} travels as a JSON string. A
     * {@code #server-to-user-ID} channel reaches every socket signed in as that user. Cache channels remember it.
     */
    synchronized void publish(List<String> channels, String event, String data, String excludeSocketId) {
        for (String channel : channels) {
            String frame = Json.frame(event, channel, data);
            Collection<Conn> targets;
            if (channel.startsWith(SERVER_TO_USER_PREFIX)) {
                targets = users.getOrDefault(channel.substring(SERVER_TO_USER_PREFIX.length()), Set.of());
            } else {
                targets = subscribers.getOrDefault(channel, Set.of());
                if (ChannelNames.isCache(channel)) {
                    cache.put(channel, new Cached(event, data, System.nanoTime() + config.cacheTtl().toNanos()));
                }
            }
            for (Conn conn : targets) {
                if (!conn.socketId.equals(excludeSocketId)) {
                    conn.send(frame);
                }
            }
        }
    }

    // ---- observation ----

    synchronized int connectionCount() {
        return connections.size();
    }

    synchronized List<String> socketIds() {
        return List.copyOf(connections.keySet());
    }

    List<String> framesReceivedFrom(String socketId) {
        List<String> frames;
        synchronized (this) {
            frames = framesBySocket.get(socketId);
        }
        if (frames == null) {
            return List.of();
        }
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    synchronized String transportOf(String socketId) {
        Conn conn = connections.get(socketId);
        return conn == null ? null : conn.transport();
    }

    synchronized Set<String> subscribedChannels(String socketId) {
        Conn conn = connections.get(socketId);
        return conn == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(conn.channels));
    }

    synchronized List<String> presenceMemberIds(String channel) {
        Map<String, Member> members = presence.get(channel);
        return members == null ? List.of() : List.copyOf(members.keySet());
    }

    synchronized int subscriberCount(String channel) {
        Set<Conn> subs = subscribers.get(channel);
        return subs == null ? 0 : subs.size();
    }

    /** A presence member: its user_info and how many sockets joined as it. */
    private static final class Member {
        final JsonNode info;
        int sockets = 1;

        Member(JsonNode info) {
            this.info = info;
        }
    }

    /** The last event of a cache channel. */
    private static final class Cached {
        final String event;
        final String data;
        final long expiresAtNanos;

        Cached(String event, String data, long expiresAtNanos) {
            this.event = event;
            this.data = data;
            this.expiresAtNanos = expiresAtNanos;
        }
    }
}
