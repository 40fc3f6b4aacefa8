package io.pusheriso.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.pusheriso.PusherAuthorizationException;
import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.ChannelNames;
import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.spi.ChannelAuthorizationRequest;
import io.pusheriso.spi.ChannelAuthorizer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps the library's HTTP channel authorizer so that what the transcript shows matches pusher-js
 * with the {@code ajax} auth transport: a refusal fails with pusher-js's message and status (an
 * endpoint that could not be reached is status 0, as an XMLHttpRequest reports it), an encrypted
 * channel's answer without {@code shared_secret} fails as pusher-js fails it, and the user id of a
 * presence authorization is kept as its JSON value (pusher-js prints a numeric id as a number).
 *
 * <p>Thread-safe.
 */
final class PusherJsChannelAuthorizer implements ChannelAuthorizer {

  private static final Logger LOG = LoggerFactory.getLogger(PusherJsChannelAuthorizer.class);

  private final ChannelAuthorizer delegate;
  private final String endpoint;
  private final Map<String, JsonNode> presenceUserIds = new ConcurrentHashMap<>();

  /**
   * @param delegate the authorizer that does the HTTP request
   * @param endpoint the endpoint exactly as the user gave it (pusher-js quotes it verbatim)
   */
  PusherJsChannelAuthorizer(ChannelAuthorizer delegate, String endpoint) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  /** pusher-js's message for an answer other than 200 (status 0: no answer at all). */
  static String refusalMessage(int status, String endpoint) {
    return "Unable to retrieve auth string from channel-authorization endpoint - received status: "
        + status
        + " from "
        + endpoint
        + ". Clients must be authorized to join private or presence channels."
        + " See: https://pusher.com/docs/channels/server_api/authorizing-users/";
  }

  /** The {@code user_id} of the last presence authorization of {@code channel}, as a JSON value. */
  Optional<JsonNode> presenceUserId(String channel) {
    return Optional.ofNullable(presenceUserIds.get(channel));
  }

  @Override
  public CompletionStage<ChannelAuthorization> authorize(ChannelAuthorizationRequest request) {
    String channel = request.channelName();
    return delegate
        .authorize(request)
        .handle(
            (auth, error) -> {
              if (error != null) {
                throw new CompletionException(asPusherJs(channel, error));
              }
              ChannelKind kind = ChannelNames.kindOf(channel);
              if (kind == ChannelKind.PRIVATE_ENCRYPTED && auth.sharedSecret() == null) {
                throw new CompletionException(
                    new PusherAuthorizationException(
                        "No shared_secret key in auth payload for encrypted channel: " + channel, null));
              }
              if (kind == ChannelKind.PRESENCE && auth.channelData() != null) {
                JsJson.parse(auth.channelData())
                    .map(data -> data.get("user_id"))
                    .ifPresent(id -> presenceUserIds.put(channel, id));
              }
              return auth;
            });
  }

  private PusherAuthorizationException asPusherJs(String channel, Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    LOG.warn("Authorization of channel {} failed: {}", channel, cause.getMessage());
    int status = cause instanceof PusherAuthorizationException pae ? pae.status() : -1;
    if (status == 200) {
      return (PusherAuthorizationException) cause;
    }
    return new PusherAuthorizationException(Math.max(status, 0), refusalMessage(Math.max(status, 0), endpoint));
  }

  @Override
  public String toString() {
    return "PusherJsChannelAuthorizer[" + delegate + "]";
  }
}
