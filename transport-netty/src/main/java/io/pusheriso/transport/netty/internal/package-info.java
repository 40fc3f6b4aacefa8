/** Not for public use, may change at any time: the implementation of the Netty transport. */
package io.pusheriso.transport.netty.internal;
