/**
 * An embedded Pusher-protocol v7 server for tests ({@link io.pusheriso.testkit.PusherTestServer}) and its JUnit 5
 * extension ({@link io.pusheriso.testkit.PusherTestServerExtension}).
 */
package io.pusheriso.testkit;
