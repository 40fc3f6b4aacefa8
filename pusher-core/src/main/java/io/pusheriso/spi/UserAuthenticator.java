package io.pusheriso.spi;

import java.util.concurrent.CompletionStage;

/**
 * Authenticates the user of a connection for {@code pusher:signin}.
 *
 * <p>Called on the client's event lane: implementations must return at once and complete the stage
 * later. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface UserAuthenticator {

  /** Starts authenticating the user of the connection {@code socketId}; never blocks. */
  CompletionStage<UserAuthentication> authenticate(String socketId);
}
