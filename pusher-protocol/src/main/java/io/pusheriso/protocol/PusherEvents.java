package io.pusheriso.protocol;

import java.util.List;

/**
 * The event names of the Pusher protocol (version 7). Constants only; thread-safe.
 *
 * <p>{@code pusher:*} events are part of the public protocol; {@code pusher_internal:*} events
 * are consumed by the client and re-emitted (if at all) under their {@code pusher:} name.
 *
 * @since 0.1.0
 */
public final class PusherEvents {
    /** Server: the connection is ready; data {@code {"socket_id":..,"activity_timeout":..}}. */
    public static final String CONNECTION_ESTABLISHED = "pusher:connection_established";
    /** Server: an error; data {@code {"code":..,"message":..}}. */
    public static final String ERROR = "pusher:error";
    /** Either side: liveness probe. */
    public static final String PING = "pusher:ping";
    /** Either side: answer to {@link #PING}. */
    public static final String PONG = "pusher:pong";
    /** Client: subscribe to a channel. */
    public static final String SUBSCRIBE = "pusher:subscribe";
    /** Client: unsubscribe from a channel. */
    public static final String UNSUBSCRIBE = "pusher:unsubscribe";
    /** Emitted to bindings when a subscription succeeds. */
    public static final String SUBSCRIPTION_SUCCEEDED = "pusher:subscription_succeeded";
    /** Server or client-synthesised: a subscription failed. */
    public static final String SUBSCRIPTION_ERROR = "pusher:subscription_error";
    /** Emitted to bindings when the channel's subscriber count changes. */
    public static final String SUBSCRIPTION_COUNT = "pusher:subscription_count";
    /** Server: a cache channel has no cached event. */
    public static final String CACHE_MISS = "pusher:cache_miss";
    /** Emitted to bindings when a presence member joins. */
    public static final String MEMBER_ADDED = "pusher:member_added";
    /** Emitted to bindings when a presence member leaves. */
    public static final String MEMBER_REMOVED = "pusher:member_removed";
    /** Client: user sign-in. */
    public static final String SIGNIN = "pusher:signin";
    /** Server: sign-in accepted; data {@code {"user_data":".."}}. */
    public static final String SIGNIN_SUCCESS = "pusher:signin_success";
    /** Client-synthesised: sign-in failed. */
    public static final String SIGNIN_ERROR = "pusher:signin_error";
    /** Server: subscription accepted (presence: with the member snapshot). */
    public static final String INTERNAL_SUBSCRIPTION_SUCCEEDED = "pusher_internal:subscription_succeeded";
    /** Server: a presence member joined. */
    public static final String INTERNAL_MEMBER_ADDED = "pusher_internal:member_added";
    /** Server: a presence member left. */
    public static final String INTERNAL_MEMBER_REMOVED = "pusher_internal:member_removed";
    /** Server: the channel's subscriber count. */
    public static final String INTERNAL_SUBSCRIPTION_COUNT = "pusher_internal:subscription_count";
    /** Server: watchlist online/offline changes for the signed-in user. */
    public static final String INTERNAL_WATCHLIST_EVENTS = "pusher_internal:watchlist_events";
    /** The prefix every client event name must carry. */
    public static final String CLIENT_EVENT_PREFIX = "client-";

    /** Every protocol event name above, pre-loaded into the decoder's name cache. */
    static final List<String> ALL = List.of(CONNECTION_ESTABLISHED, ERROR, PING, PONG, SUBSCRIBE, UNSUBSCRIBE,
            SUBSCRIPTION_SUCCEEDED, SUBSCRIPTION_ERROR, SUBSCRIPTION_COUNT, CACHE_MISS, MEMBER_ADDED, MEMBER_REMOVED,
            SIGNIN, SIGNIN_SUCCESS, SIGNIN_ERROR, INTERNAL_SUBSCRIPTION_SUCCEEDED, INTERNAL_MEMBER_ADDED,
            INTERNAL_MEMBER_REMOVED, INTERNAL_SUBSCRIPTION_COUNT, INTERNAL_WATCHLIST_EVENTS);

    private PusherEvents() {}
}
