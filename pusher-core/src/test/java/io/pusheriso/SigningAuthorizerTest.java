package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.spi.ChannelAuthorizationRequest;
import io.pusheriso.spi.UserAuthentication;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class SigningAuthorizerTest {

  private static final String DOCS_KEY = "278d425bdf160c739803";
  private static final String DOCS_SECRET = "7ad3773142a6692b25b8";
  /** The loopback peers' app and master key (shared/peers/README.md). */
  private static final String PEER_MASTER_KEY = "bXktMzItYnl0ZS1lbmNyeXB0aW9uLW1hc3Rlci1rZXk=";

  private static <T> T completed(CompletionStage<T> stage) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    assertThat(future).isDone();
    return future.join();
  }

  private static PusherAuthorizationException failure(CompletionStage<?> stage) {
    CompletableFuture<?> future = stage.toCompletableFuture();
    assertThat(future).isCompletedExceptionally();
    Throwable thrown = catchThrowable(future::get);
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(PusherAuthorizationException.class);
    return (PusherAuthorizationException) thrown.getCause();
  }

  @Test
  void authorize_privateChannel_matchesTheDocumentedExample() {
    SigningAuthorizer authorizer = SigningAuthorizer.builder(DOCS_KEY, DOCS_SECRET).build();

    ChannelAuthorization result =
        completed(authorizer.authorize(new ChannelAuthorizationRequest("1234.1234", "private-foobar")));

    assertThat(result)
        .isEqualTo(
            ChannelAuthorization.of(
                "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4"));
  }

  @Test
  void authorize_presenceChannel_matchesTheDocumentedExample() {
    String channelData = "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}";
    SigningAuthorizer authorizer =
        SigningAuthorizer.builder(DOCS_KEY, DOCS_SECRET).presenceUser(channel -> channelData).build();

    ChannelAuthorization result =
        completed(
            authorizer.authorize(new ChannelAuthorizationRequest("1234.1234", "presence-foobar")));

    assertThat(result)
        .isEqualTo(
            new ChannelAuthorization(
                "278d425bdf160c739803:31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80",
                channelData,
                null));
  }

  @Test
  void authorize_reproducesEveryOfficialSdkChannelVector() {
    List<Map<String, String>> vectors = JsonVectors.load(getClass(), "auth-signature-vectors.json");
    int checked = 0;
    for (Map<String, String> vector : vectors) {
      if (!vector.get("kind").equals("channel")) {
        continue;
      }
      SigningAuthorizer authorizer =
          SigningAuthorizer.builder(vector.get("key"), vector.get("secret"))
              .presenceUser(channel -> vector.get("channel_data"))
              .encryptionMasterKeyBase64(PEER_MASTER_KEY)
              .build();

      ChannelAuthorization result =
          completed(
              authorizer.authorize(
                  new ChannelAuthorizationRequest(vector.get("socket_id"), vector.get("channel"))));

      assertThat(result.auth()).as(vector.get("channel")).isEqualTo(vector.get("auth"));
      assertThat(result.channelData()).isEqualTo(vector.get("channel_data"));
      assertThat(result.sharedSecret() != null).isEqualTo(vector.containsKey("shared_secret"));
      checked++;
    }
    assertThat(checked).isEqualTo(40);
  }

  @Test
  void authenticate_reproducesEveryOfficialSdkUserVector() {
    List<Map<String, String>> vectors = JsonVectors.load(getClass(), "auth-signature-vectors.json");
    int checked = 0;
    for (Map<String, String> vector : vectors) {
      if (!vector.get("kind").equals("user")) {
        continue;
      }
      SigningAuthorizer authorizer =
          SigningAuthorizer.builder(vector.get("key"), vector.get("secret"))
              .userData(() -> vector.get("user_data"))
              .build();

      UserAuthentication result = completed(authorizer.authenticate(vector.get("socket_id")));

      assertThat(result).isEqualTo(new UserAuthentication(vector.get("auth"), vector.get("user_data")));
      checked++;
    }
    assertThat(checked).isEqualTo(10);
  }

  @Test
  void authorize_encryptedChannel_derivesTheSharedSecretAsTheOfficialSdk() {
    // Expected values: the official Node SDK behind the loopback auth peer, for socket 1.2.
    SigningAuthorizer authorizer =
        SigningAuthorizer.builder("app-key", "app-secret")
            .encryptionMasterKeyBase64(PEER_MASTER_KEY)
            .build();

    ChannelAuthorization result =
        completed(authorizer.authorize(new ChannelAuthorizationRequest("1.2", "private-encrypted-x")));

    assertThat(result)
        .isEqualTo(
            new ChannelAuthorization(
                "app-key:61fd7dd4fa57ef57d174cd1040e3eae65d164a8b9b959d18d2ddd0249da56154",
                null,
                "dcD6swXJnMl1VVF+EUD7aHZgsuujOpryfqJZDcpYWMA="));
  }

  @Test
  void presenceUser_idAndInfo_buildsTheChannelDataTheOfficialSdkSigns() {
    // Expected values: the official Node SDK behind the loopback auth peer (user_id "u 1").
    SigningAuthorizer authorizer =
        SigningAuthorizer.builder("app-key", "app-secret")
            .presenceUser("u 1", "{\"name\":\"User 1.2\"}")
            .build();

    ChannelAuthorization result =
        completed(authorizer.authorize(new ChannelAuthorizationRequest("1.2", "presence-x")));

    assertThat(result)
        .isEqualTo(
            new ChannelAuthorization(
                "app-key:8dabcacbc309a1e07af006388cb0237a3b2ee61a2cc543f7ba2b7bfbafe8f13e",
                "{\"user_id\":\"u 1\",\"user_info\":{\"name\":\"User 1.2\"}}",
                null));
  }

  @Test
  void presenceUser_idWithQuotesAndNoInfo_isEscaped() {
    SigningAuthorizer authorizer =
        SigningAuthorizer.builder("k", "s").presenceUser("a\"b", null).build();

    ChannelAuthorization result =
        completed(authorizer.authorize(new ChannelAuthorizationRequest("1.2", "presence-x")));

    assertThat(result.channelData()).isEqualTo("{\"user_id\":\"a\\\"b\"}");
  }

  @Test
  void presenceUser_malformedInfo_isRefusedAtOnce() {
    assertThatThrownBy(() -> SigningAuthorizer.builder("k", "s").presenceUser("u1", "{\"name\":"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("userInfoJson");
  }

  @Test
  void authenticate_matchesTheOfficialSdk() {
    // Expected values: the official Node SDK behind the loopback user-auth peer, for socket 1.2.
    String userData = "{\"id\":\"user-1.2\",\"name\":\"User user-1.2\"}";
    SigningAuthorizer authorizer =
        SigningAuthorizer.builder("app-key", "app-secret").userData(() -> userData).build();

    assertThat(completed(authorizer.authenticate("1.2")))
        .isEqualTo(
            new UserAuthentication(
                "app-key:b9cb0fcc4d6afc6297137d03501ed550d2913158c1dcaabc8b00a739015752df",
                userData));
  }

  @Test
  void authorize_presenceWithoutPresenceUser_failsSayingWhatToConfigure() {
    SigningAuthorizer authorizer = SigningAuthorizer.builder("k", "s").build();

    PusherAuthorizationException error =
        failure(authorizer.authorize(new ChannelAuthorizationRequest("1.2", "presence-x")));

    assertThat(error.status()).isEqualTo(-1);
    assertThat(error.getMessage()).contains("presence-x").contains("presenceUser");
  }

  @Test
  void authorize_presenceUserReturnsInvalidChannelData_failsTheStage() {
    SigningAuthorizer authorizer =
        SigningAuthorizer.builder("k", "s").presenceUser(channel -> "{\"user_info\":{}}").build();

    PusherAuthorizationException error =
        failure(authorizer.authorize(new ChannelAuthorizationRequest("1.2", "presence-x")));

    assertThat(error.getMessage()).contains("presence-x");
  }

  @Test
  void authorize_presenceUserThrows_failsTheStage() {
    SigningAuthorizer authorizer =
        SigningAuthorizer.builder("k", "s")
            .presenceUser(
                channel -> {
                  throw new IllegalStateException("directory offline");
                })
            .build();

    PusherAuthorizationException error =
        failure(authorizer.authorize(new ChannelAuthorizationRequest("1.2", "presence-x")));

    assertThat(error).hasRootCauseMessage("directory offline");
  }

  @Test
  void authorize_encryptedWithoutMasterKey_failsSayingWhatToConfigure() {
    SigningAuthorizer authorizer = SigningAuthorizer.builder("k", "s").build();

    PusherAuthorizationException error =
        failure(authorizer.authorize(new ChannelAuthorizationRequest("1.2", "private-encrypted-x")));

    assertThat(error.getMessage()).contains("encryptionMasterKeyBase64");
  }

  @Test
  void authorize_publicChannel_failsBecauseItNeedsNoAuthorization() {
    SigningAuthorizer authorizer = SigningAuthorizer.builder("k", "s").build();

    assertThat(
            failure(authorizer.authorize(new ChannelAuthorizationRequest("1.2", "my-channel")))
                .getMessage())
        .contains("needs no authorization");
  }

  @Test
  void authenticate_withoutUserData_failsSayingWhatToConfigure() {
    assertThat(failure(SigningAuthorizer.builder("k", "s").build().authenticate("1.2")).getMessage())
        .contains("userData");
  }

  @Test
  void authenticate_userDataWithoutId_failsTheStage() {
    SigningAuthorizer authorizer =
        SigningAuthorizer.builder("k", "s").userData(() -> "{\"name\":\"Ann\"}").build();

    assertThat(failure(authorizer.authenticate("1.2")).getCause()).isNotNull();
  }

  @Test
  void builder_rejectsBadKeysAndMasterKeys() {
    assertThatThrownBy(() -> SigningAuthorizer.builder("", "s"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SigningAuthorizer.builder("k", "s").encryptionMasterKeyBase64("c2hvcnQ="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> SigningAuthorizer.builder("k", "s").encryptionMasterKeyBase64("***"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("base64");
  }

  @Test
  void toString_hidesTheSecretAndTheMasterKey() {
    SigningAuthorizer authorizer =
        SigningAuthorizer.builder(DOCS_KEY, DOCS_SECRET)
            .encryptionMasterKeyBase64(PEER_MASTER_KEY)
            .presenceUser("u1", null)
            .build();

    assertThat(authorizer.toString())
        .contains(DOCS_KEY)
        .doesNotContain(DOCS_SECRET)
        .doesNotContain(PEER_MASTER_KEY)
        .doesNotContain("my-32-byte");
  }
}
