package io.pusheriso.spi;

import java.util.Objects;

/**
 * A channel authorization as an auth endpoint returns it:
 * {@code {"auth":"key:signature","channel_data":"...","shared_secret":"..."}}.
 *
 * <p>{@link #toString()} never shows the signature or the shared secret. Instances are immutable
 * and thread-safe.
 *
 * @param auth {@code key:hex(HMAC-SHA256)}, never null
 * @param channelData presence channels: the signed JSON text naming the user; otherwise null
 * @param sharedSecret encrypted channels: the base64 32-byte key; otherwise null
 */
public record ChannelAuthorization(String auth, String channelData, String sharedSecret) {

  /** Checks that {@code auth} is present. */
  public ChannelAuthorization {
    Objects.requireNonNull(auth, "auth");
  }

  /** An authorization for a private channel, with neither channel data nor shared secret. */
  public static ChannelAuthorization of(String auth) {
    return new ChannelAuthorization(auth, null, null);
  }

  @Override
  public String toString() {
    return "ChannelAuthorization[auth=<redacted>, channelData="
        + channelData
        + ", sharedSecret="
        + (sharedSecret == null ? "null" : "<redacted>")
        + "]";
  }
}
