/**
 * The Pusher Channels protocol (version 7): frames and their codec, channel-name rules,
 * client-event rules and auth signing.
 *
 * <p>Pure code: no threads, sockets, clocks or sleeps. Depends on Jackson's streaming core only.
 */
module io.pusheriso.protocol {
    requires transitive com.fasterxml.jackson.core;

    exports io.pusheriso.protocol;
    exports io.pusheriso.protocol.state;
}
