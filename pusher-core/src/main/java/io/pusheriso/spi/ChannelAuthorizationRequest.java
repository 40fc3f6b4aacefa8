package io.pusheriso.spi;

import java.util.Objects;

/**
 * What a {@link ChannelAuthorizer} is asked to sign.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param socketId the connection's socket id, for example {@code 1234.1234}
 * @param channelName the channel to subscribe to
 */
public record ChannelAuthorizationRequest(String socketId, String channelName) {

  /** Checks the arguments. */
  public ChannelAuthorizationRequest {
    Objects.requireNonNull(socketId, "socketId");
    Objects.requireNonNull(channelName, "channelName");
  }
}
