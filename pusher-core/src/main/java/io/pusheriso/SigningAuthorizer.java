package io.pusheriso;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pusheriso.protocol.AuthSigner;
import io.pusheriso.protocol.ChannelData;
import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.ChannelNames;
import io.pusheriso.protocol.UserData;
import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.spi.ChannelAuthorizationRequest;
import io.pusheriso.spi.ChannelAuthorizer;
import io.pusheriso.spi.UserAuthentication;
import io.pusheriso.spi.UserAuthenticator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Signs channel authorizations and user authentications locally with the app secret, exactly as
 * the official Pusher server SDKs do. Only for trusted processes that may hold the secret: servers,
 * back-end workers, tests, command-line tools. Applications running on users' devices use
 * {@link HttpChannelAuthorizer} and {@link HttpUserAuthenticator} instead.
 *
 * <ul>
 *   <li>{@code private-} channels: {@code key:hex(HMAC-SHA256(secret, "socket_id:channel"))}.
 *   <li>{@code presence-} channels: the {@link Builder#presenceUser presence user}'s
 *       {@code channel_data} is signed too ({@code "socket_id:channel:channel_data"}).
 *   <li>{@code private-encrypted-} channels: the signature of a private channel, and the
 *       {@code shared_secret} {@code base64(SHA-256(channel name UTF-8 || master key))}, the
 *       derivation of the server SDKs, from the {@link Builder#encryptionMasterKeyBase64 master key}.
 *   <li>user sign-in: {@code "socket_id::user::user_data"} with the {@link Builder#userData user
 *       data}.
 * </ul>
 *
 * <p>Stages are returned already completed. Missing configuration (a presence channel without a
 * presence user, an encrypted channel without a master key, sign-in without user data) or invalid
 * JSON from the configured functions fails the stage with a {@link PusherAuthorizationException}
 * (status -1) that says what to configure. {@link #toString()} never shows the secret or the master
 * key. Instances are immutable and thread-safe when the configured functions are.
 */
public final class SigningAuthorizer implements ChannelAuthorizer, UserAuthenticator {

  private static final int MASTER_KEY_BYTES = 32;
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final AuthSigner signer;
  private final Function<String, String> presenceUser;
  private final Supplier<String> userData;
  private final byte[] masterKey;

  private SigningAuthorizer(Builder builder) {
    this.signer = new AuthSigner(builder.appKey, builder.appSecret);
    this.presenceUser = builder.presenceUser;
    this.userData = builder.userData;
    this.masterKey = builder.masterKey;
  }

  /**
   * Starts a builder for the app's key and secret.
   *
   * @throws IllegalArgumentException if either is empty
   */
  public static Builder builder(String appKey, String appSecret) {
    return new Builder(appKey, appSecret);
  }

  /** Signs {@code request}; the stage is already complete. */
  @Override
  public CompletionStage<ChannelAuthorization> authorize(ChannelAuthorizationRequest request) {
    Objects.requireNonNull(request, "request");
    try {
      return CompletableFuture.completedFuture(sign(request.socketId(), request.channelName()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(asAuthorizationFailure(e, request.channelName()));
    }
  }

  /** Signs the configured user data for {@code socketId}; the stage is already complete. */
  @Override
  public CompletionStage<UserAuthentication> authenticate(String socketId) {
    Objects.requireNonNull(socketId, "socketId");
    try {
      if (userData == null) {
        throw new PusherAuthorizationException(
            "SigningAuthorizer cannot sign a user in: configure userData(...) on its builder",
            null);
      }
      String data = userData.get();
      if (data == null) {
        throw new PusherAuthorizationException("userData supplied null", null);
      }
      UserData.parse(data);
      return CompletableFuture.completedFuture(
          new UserAuthentication(signer.signUser(socketId, data), data));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(asAuthorizationFailure(e, null));
    }
  }

  private ChannelAuthorization sign(String socketId, String channel) {
    ChannelKind kind = ChannelNames.kindOf(channel);
    switch (kind) {
      case PRIVATE:
        return ChannelAuthorization.of(signer.signChannel(socketId, channel));
      case PRESENCE:
        return signPresence(socketId, channel);
      case PRIVATE_ENCRYPTED:
        if (masterKey == null) {
          throw new PusherAuthorizationException(
              "SigningAuthorizer cannot authorize encrypted channel " + channel
                  + ": configure encryptionMasterKeyBase64(...) on its builder",
              null);
        }
        return new ChannelAuthorization(
            signer.signChannel(socketId, channel), null, sharedSecret(channel));
      default:
        throw new PusherAuthorizationException(
            "Channel " + channel + " is " + kind + " and needs no authorization", null);
    }
  }

  private ChannelAuthorization signPresence(String socketId, String channel) {
    if (presenceUser == null) {
      throw new PusherAuthorizationException(
          "SigningAuthorizer cannot authorize presence channel " + channel
              + ": configure presenceUser(...) on its builder",
          null);
    }
    String channelData = presenceUser.apply(channel);
    if (channelData == null) {
      throw new PusherAuthorizationException(
          "presenceUser returned null for channel " + channel, null);
    }
    ChannelData.parse(channelData);
    return new ChannelAuthorization(
        signer.signPresence(socketId, channel, channelData), channelData, null);
  }

  /** {@code base64(SHA-256(channel UTF-8 bytes || master key))}, as the server SDKs derive it. */
  private String sharedSecret(String channel) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    sha256.update(channel.getBytes(StandardCharsets.UTF_8));
    sha256.update(masterKey);
    return Base64.getEncoder().encodeToString(sha256.digest());
  }

  private static PusherAuthorizationException asAuthorizationFailure(
      RuntimeException e, String channel) {
    if (e instanceof PusherAuthorizationException) {
      return (PusherAuthorizationException) e;
    }
    String what = channel == null ? "the user" : "channel " + channel;
    return new PusherAuthorizationException(
        "SigningAuthorizer could not sign " + what + ": " + e.getMessage(), e);
  }

  @Override
  public String toString() {
    return "SigningAuthorizer[appKey="
        + signer.appKey()
        + ", appSecret=<redacted>, presenceUser="
        + (presenceUser == null ? "none" : "set")
        + ", userData="
        + (userData == null ? "none" : "set")
        + ", encryptionMasterKey="
        + (masterKey == null ? "none" : "<redacted>")
        + "]";
  }

  /** Configures a {@link SigningAuthorizer}. Not thread-safe. */
  public static final class Builder {
    private final String appKey;
    private final String appSecret;
    private Function<String, String> presenceUser;
    private Supplier<String> userData;
    private byte[] masterKey;

    private Builder(String appKey, String appSecret) {
      Objects.requireNonNull(appKey, "appKey");
      Objects.requireNonNull(appSecret, "appSecret");
      if (appKey.isEmpty() || appSecret.isEmpty()) {
        throw new IllegalArgumentException(
            "appKey and appSecret must not be empty: use the app's key and secret from the"
                + " Pusher dashboard or your server's configuration");
      }
      this.appKey = appKey;
      this.appSecret = appSecret;
    }

    /**
     * The {@code channel_data} to sign for each presence channel: a function from the channel name
     * to JSON text such as {@code {"user_id":"u1","user_info":{"name":"Ann"}}}. It is called on the
     * thread that calls {@link SigningAuthorizer#authorize}.
     */
    public Builder presenceUser(Function<String, String> channelDataByChannel) {
      this.presenceUser = Objects.requireNonNull(channelDataByChannel, "channelDataByChannel");
      return this;
    }

    /**
     * The same user on every presence channel: {@code {"user_id":userId,"user_info":userInfo}}.
     *
     * @param userId the user's id
     * @param userInfoJson one JSON value (usually an object) describing the user, or null for none
     * @throws IllegalArgumentException if {@code userInfoJson} is not one well-formed JSON value
     */
    public Builder presenceUser(String userId, String userInfoJson) {
      Objects.requireNonNull(userId, "userId");
      String channelData = channelData(userId, userInfoJson);
      try {
        ChannelData.parse(channelData);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "userInfoJson must be one well-formed JSON value: " + e.getMessage(), e);
      }
      this.presenceUser = channel -> channelData;
      return this;
    }

    /**
     * The {@code user_data} JSON text to sign for {@code pusher:signin}, for example
     * {@code {"id":"u1","name":"Ann"}}; it must hold a string {@code id}. Called for every sign-in,
     * on the thread that calls {@link SigningAuthorizer#authenticate}.
     */
    public Builder userData(Supplier<String> userDataJson) {
      this.userData = Objects.requireNonNull(userDataJson, "userDataJson");
      return this;
    }

    /**
     * The app's encryption master key, base64 of 32 bytes: needed to authorize
     * {@code private-encrypted-} channels.
     *
     * @throws IllegalArgumentException if it is not base64 of exactly 32 bytes
     */
    public Builder encryptionMasterKeyBase64(String masterKeyBase64) {
      Objects.requireNonNull(masterKeyBase64, "masterKeyBase64");
      byte[] key;
      try {
        key = Base64.getDecoder().decode(masterKeyBase64);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("encryptionMasterKeyBase64 is not valid base64", null);
      }
      if (key.length != MASTER_KEY_BYTES) {
        throw new IllegalArgumentException(
            "encryptionMasterKeyBase64 must decode to " + MASTER_KEY_BYTES + " bytes, but decodes to "
                + key.length + " (generate one with: openssl rand -base64 32)");
      }
      this.masterKey = key;
      return this;
    }

    /** Creates the authorizer. */
    public SigningAuthorizer build() {
      return new SigningAuthorizer(this);
    }

    private static String channelData(String userId, String userInfoJson) {
      StringWriter out = new StringWriter();
      try (JsonGenerator generator = JSON.createGenerator(out)) {
        generator.writeStartObject();
        generator.writeStringField("user_id", userId);
        if (userInfoJson != null) {
          generator.writeFieldName("user_info");
          generator.writeRawValue(userInfoJson);
        }
        generator.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toString();
    }
  }
}
