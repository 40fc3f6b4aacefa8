package io.pusheriso;

import io.pusheriso.protocol.AuthSigner;
import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.ChannelNames;
import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.spi.ChannelAuthorizationRequest;
import io.pusheriso.spi.ChannelAuthorizer;
import io.pusheriso.spi.UserAuthentication;
import io.pusheriso.spi.UserAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A test authorizer that signs in process with the embedded server's secret (what a trusted
 * server would do), so that core tests need no HTTP authorizer. Records every request; the
 * encrypted-channel key can be overridden per call to simulate a rotation. Thread-safe.
 */
final class LocalSigner implements ChannelAuthorizer, UserAuthenticator {

  private final AuthSigner signer;
  private final byte[] masterKey;
  private final String userId;
  final List<ChannelAuthorizationRequest> requests = new CopyOnWriteArrayList<>();
  volatile Function<Integer, String> sharedSecretOverride = n -> null;
  volatile String watchlistJson;

  LocalSigner(String appKey, String appSecret, String masterKeyBase64, String userId) {
    this.signer = new AuthSigner(appKey, appSecret);
    this.masterKey = masterKeyBase64 == null ? new byte[0] : Base64.getDecoder().decode(masterKeyBase64);
    this.userId = userId;
  }

  static String sharedSecret(String channel, byte[] masterKey) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(channel.getBytes(StandardCharsets.UTF_8));
      sha.update(masterKey);
      return Base64.getEncoder().encodeToString(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public CompletionStage<ChannelAuthorization> authorize(ChannelAuthorizationRequest request) {
    requests.add(request);
    String channel = request.channelName();
    ChannelKind kind = ChannelNames.kindOf(channel);
    if (kind == ChannelKind.PRESENCE) {
      String data = "{\"user_id\":\"" + userId + "\",\"user_info\":{\"name\":\"" + userId + "\"}}";
      return CompletableFuture.completedFuture(
          new ChannelAuthorization(signer.signPresence(request.socketId(), channel, data), data, null));
    }
    String secret = null;
    if (kind == ChannelKind.PRIVATE_ENCRYPTED) {
      String override = sharedSecretOverride.apply(requests.size());
      secret = override != null ? override : sharedSecret(channel, masterKey);
    }
    return CompletableFuture.completedFuture(
        new ChannelAuthorization(signer.signChannel(request.socketId(), channel), null, secret));
  }

  @Override
  public CompletionStage<UserAuthentication> authenticate(String socketId) {
    String watch = watchlistJson;
    String userData = "{\"id\":\"" + userId + "\"" + (watch == null ? "" : ",\"watchlist\":" + watch) + "}";
    return CompletableFuture.completedFuture(new UserAuthentication(signer.signUser(socketId, userData), userData));
  }
}
