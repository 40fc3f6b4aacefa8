/**
 * The ports of the client: the contracts that runtime stacks (transports), authorizers and
 * schedulers implement. Types here are stable API for adapter authors; application code normally
 * only touches {@link io.pusheriso.spi.ChannelAuthorizer} and {@link io.pusheriso.spi.UserAuthenticator}.
 */
package io.pusheriso.spi;
