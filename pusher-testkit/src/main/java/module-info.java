/**
 * An embedded Pusher-protocol v7 server on Netty for tests: ws and wss, the SockJS-style endpoints of Pusher's HTTP
 * fallback transports, the signed HTTP events API, the
 * authorization endpoints, presence, client events, cache channels, user sign-in and fault injection.
 */
module io.pusheriso.testkit {
    requires transitive org.junit.jupiter.api;
    requires io.pusheriso.protocol;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires com.fasterxml.jackson.databind;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.slf4j;

    exports io.pusheriso.testkit;
}
