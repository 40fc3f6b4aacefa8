package io.pusheriso.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PusherEventsTest {

    @Test
    void wireNamesAreThoseOfProtocol7() {
        assertThat(PusherEvents.CONNECTION_ESTABLISHED).isEqualTo("pusher:connection_established");
        assertThat(PusherEvents.ERROR).isEqualTo("pusher:error");
        assertThat(PusherEvents.PING).isEqualTo("pusher:ping");
        assertThat(PusherEvents.PONG).isEqualTo("pusher:pong");
        assertThat(PusherEvents.SUBSCRIBE).isEqualTo("pusher:subscribe");
        assertThat(PusherEvents.UNSUBSCRIBE).isEqualTo("pusher:unsubscribe");
        assertThat(PusherEvents.SUBSCRIPTION_SUCCEEDED).isEqualTo("pusher:subscription_succeeded");
        assertThat(PusherEvents.SUBSCRIPTION_ERROR).isEqualTo("pusher:subscription_error");
        assertThat(PusherEvents.SUBSCRIPTION_COUNT).isEqualTo("pusher:subscription_count");
        assertThat(PusherEvents.CACHE_MISS).isEqualTo("pusher:cache_miss");
        assertThat(PusherEvents.MEMBER_ADDED).isEqualTo("pusher:member_added");
        assertThat(PusherEvents.MEMBER_REMOVED).isEqualTo("pusher:member_removed");
        assertThat(PusherEvents.SIGNIN).isEqualTo("pusher:signin");
        assertThat(PusherEvents.SIGNIN_SUCCESS).isEqualTo("pusher:signin_success");
        assertThat(PusherEvents.SIGNIN_ERROR).isEqualTo("pusher:signin_error");
        assertThat(PusherEvents.INTERNAL_SUBSCRIPTION_SUCCEEDED).isEqualTo("pusher_internal:subscription_succeeded");
        assertThat(PusherEvents.INTERNAL_MEMBER_ADDED).isEqualTo("pusher_internal:member_added");
        assertThat(PusherEvents.INTERNAL_MEMBER_REMOVED).isEqualTo("pusher_internal:member_removed");
        assertThat(PusherEvents.INTERNAL_SUBSCRIPTION_COUNT).isEqualTo("pusher_internal:subscription_count");
        assertThat(PusherEvents.INTERNAL_WATCHLIST_EVENTS).isEqualTo("pusher_internal:watchlist_events");
        assertThat(PusherEvents.CLIENT_EVENT_PREFIX).isEqualTo("client-");
        assertThat(PusherEvents.ALL).hasSize(20).doesNotHaveDuplicates().allMatch(n -> n.startsWith("pusher"));
    }
}
