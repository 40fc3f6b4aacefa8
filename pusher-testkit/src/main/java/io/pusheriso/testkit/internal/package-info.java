/**
 * Not for public use, may change at any time: the Netty server, its protocol state and its fault switches.
 */
package io.pusheriso.testkit.internal;
