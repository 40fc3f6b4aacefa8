package io.pusheriso.spi;

import java.util.concurrent.CompletionStage;

/**
 * Authorizes a subscription to a private, presence or encrypted channel for one socket.
 *
 * <p>Called on the client's event lane: implementations must return at once and complete the stage
 * later (for example from an HTTP client's callback). A stage that fails, or never completes
 * within the options' authorization timeout, fails the subscription with a
 * {@code PusherAuthorizationException} carrying the cause (and the HTTP status where there is one:
 * fail the stage with a {@code PusherAuthorizationException} to set it).
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ChannelAuthorizer {

  /** Starts authorizing {@code request}; never blocks. */
  CompletionStage<ChannelAuthorization> authorize(ChannelAuthorizationRequest request);
}
