package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.spi.ChannelAuthorizationRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpChannelAuthorizerTest {

  private static final String AUTH = "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4";
  private static HttpClient client;
  private AuthTestServer server;

  @BeforeAll
  static void createClient() {
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @BeforeEach
  void startServer() throws IOException {
    server = AuthTestServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private HttpChannelAuthorizer.Builder authorizer() {
    return HttpChannelAuthorizer.builder(server.uri()).httpClient(client);
  }

  private static ChannelAuthorization await(CompletionStage<ChannelAuthorization> stage)
      throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static PusherAuthorizationException failure(CompletionStage<?> stage) {
    Throwable thrown = catchThrowable(() -> stage.toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(PusherAuthorizationException.class);
    return (PusherAuthorizationException) thrown.getCause();
  }

  private static ChannelAuthorizationRequest request(String channel) {
    return new ChannelAuthorizationRequest("1234.1234", channel);
  }

  @Test
  void authorize_privateChannel_returnsTheAuth() throws Exception {
    server.respond(200, "{\"auth\":\"" + AUTH + "\"}");

    ChannelAuthorization result = await(authorizer().build().authorize(request("private-foobar")));

    assertThat(result).isEqualTo(new ChannelAuthorization(AUTH, null, null));
  }

  @Test
  void authorize_presenceChannel_returnsChannelData() throws Exception {
    String channelData = "{\"user_id\":\"u1\",\"user_info\":{\"name\":\"Ann\"}}";
    server.respond(
        200,
        "{\"auth\":\"k:sig\",\"channel_data\":\"" + channelData.replace("\"", "\\\"") + "\"}");

    ChannelAuthorization result = await(authorizer().build().authorize(request("presence-room")));

    assertThat(result).isEqualTo(new ChannelAuthorization("k:sig", channelData, null));
  }

  @Test
  void authorize_encryptedChannel_returnsSharedSecret() throws Exception {
    server.respond(
        200,
        "{\"shared_secret\":\"dcD6swXJnMl1VVF+EUD7aHZgsuujOpryfqJZDcpYWMA=\",\"auth\":\"k:sig\"}");

    ChannelAuthorization result =
        await(authorizer().build().authorize(request("private-encrypted-x")));

    assertThat(result)
        .isEqualTo(
            new ChannelAuthorization("k:sig", null, "dcD6swXJnMl1VVF+EUD7aHZgsuujOpryfqJZDcpYWMA="));
  }

  @Test
  void authorize_unknownFieldsAndNulls_areIgnored() throws Exception {
    server.respond(
        200,
        "{\"extra\":{\"nested\":[1,{\"auth\":\"inner\"}]},\"auth\":\"k:sig\",\"channel_data\":null}");

    ChannelAuthorization result = await(authorizer().build().authorize(request("private-a")));

    assertThat(result).isEqualTo(new ChannelAuthorization("k:sig", null, null));
  }

  @Test
  void authorize_sendsUrlEncodedFormWithParamsAndProviders() throws Exception {
    server.respond(200, "{\"auth\":\"k:sig\"}");
    Map<String, String> dynamic = new LinkedHashMap<>();
    dynamic.put("token", "t+1/2");
    dynamic.put("name", "Zoë ✓");
    HttpChannelAuthorizer authorizer =
        authorizer()
            .param("a b", "x&y=z")
            .param("plain", "-_.!~*'()")
            .paramsProvider(() -> dynamic)
            .header("X-Static", "static-value")
            .headersProvider(() -> Map.of("Authorization", "Bearer abc"))
            .build();

    await(authorizer.authorize(new ChannelAuthorizationRequest("123.456", "private-a@b;c")));

    AuthTestServer.Recorded recorded = server.takeRequest();
    assertThat(recorded.method()).isEqualTo("POST");
    assertThat(recorded.path()).isEqualTo("/pusher/auth");
    assertThat(recorded.body())
        .isEqualTo(
            "socket_id=123.456&channel_name=private-a%40b%3Bc"
                + "&a%20b=x%26y%3Dz&plain=-_.!~*'()"
                + "&token=t%2B1%2F2&name=Zo%C3%AB%20%E2%9C%93");
    assertThat(recorded.headers().getFirst("Content-Type"))
        .isEqualTo("application/x-www-form-urlencoded");
    assertThat(recorded.headers().getFirst("X-Static")).isEqualTo("static-value");
    assertThat(recorded.headers().getFirst("Authorization")).isEqualTo("Bearer abc");
  }

  @Test
  void authorize_callsProvidersForEveryRequest() throws Exception {
    server.respond(200, "{\"auth\":\"k:sig\"}");
    AtomicInteger headerCalls = new AtomicInteger();
    AtomicInteger paramCalls = new AtomicInteger();
    HttpChannelAuthorizer authorizer =
        authorizer()
            .header("X-Token", "static")
            .headersProvider(() -> Map.of("X-Token", "dynamic-" + headerCalls.incrementAndGet()))
            .paramsProvider(() -> Map.of("n", Integer.toString(paramCalls.incrementAndGet())))
            .build();

    await(authorizer.authorize(request("private-a")));
    await(authorizer.authorize(request("private-a")));

    AuthTestServer.Recorded first = server.takeRequest();
    AuthTestServer.Recorded second = server.takeRequest();
    assertThat(first.headers().get("X-Token")).containsExactly("dynamic-1");
    assertThat(first.body()).endsWith("&n=1");
    assertThat(second.headers().get("X-Token")).containsExactly("dynamic-2");
    assertThat(second.body()).endsWith("&n=2");
  }

  @Test
  void authorize_returnsBeforeTheServerAnswers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.respond(200, "{\"auth\":\"k:sig\"}").holdUntil(release);

    CompletionStage<ChannelAuthorization> stage =
        authorizer().build().authorize(request("private-a"));

    server.takeRequest();
    assertThat(stage.toCompletableFuture()).isNotDone();
    release.countDown();
    assertThat(await(stage).auth()).isEqualTo("k:sig");
  }

  @Test
  void authorize_403_failsWithStatusEndpointAndServerMessage() {
    server.respond(403, "{\"error\":\"forbidden\"}");

    PusherAuthorizationException error =
        failure(authorizer().build().authorize(request("private-forbidden")));

    assertThat(error.status()).isEqualTo(403);
    assertThat(error.getMessage())
        .contains("403")
        .contains(server.uri().toString())
        .contains("{\"error\":\"forbidden\"}");
  }

  @Test
  void authorize_500_failsWithStatus500() {
    server.respond(500, "");

    PusherAuthorizationException error = failure(authorizer().build().authorize(request("private-a")));

    assertThat(error.status()).isEqualTo(500);
    assertThat(error.getMessage()).contains("received status: 500");
  }

  @Test
  void authorize_longErrorBody_isTruncatedInTheMessage() {
    server.respond(401, "e".repeat(150) + "TAIL".repeat(100));

    PusherAuthorizationException error = failure(authorizer().build().authorize(request("private-a")));

    assertThat(error.status()).isEqualTo(401);
    assertThat(error.getMessage()).contains("e".repeat(150)).doesNotContain("TAIL".repeat(20));
    assertThat(error.getMessage().length()).isLessThan(600);
  }

  @Test
  void authorize_200NotJson_failsWithStatus200WithoutEchoingTheBody() {
    server.respond(200, "<html>secret-looking k:0123abcd</html>");

    PusherAuthorizationException error = failure(authorizer().build().authorize(request("private-a")));

    assertThat(error.status()).isEqualTo(200);
    assertThat(error.getMessage()).contains("invalid").doesNotContain("0123abcd");
  }

  @Test
  void authorize_200WithTrailingContent_fails() {
    server.respond(200, "{\"auth\":\"k:sig\"} {}");

    assertThat(failure(authorizer().build().authorize(request("private-a"))).status())
        .isEqualTo(200);
  }

  @Test
  void authorize_200JsonArray_fails() {
    server.respond(200, "[\"k:sig\"]");

    assertThat(failure(authorizer().build().authorize(request("private-a"))).status())
        .isEqualTo(200);
  }

  @Test
  void authorize_200WithoutAuth_failsNamingTheField() {
    server.respond(200, "{\"channel_data\":\"{}\"}");

    PusherAuthorizationException error = failure(authorizer().build().authorize(request("private-a")));

    assertThat(error.status()).isEqualTo(200);
    assertThat(error.getMessage()).contains("\"auth\"");
  }

  @Test
  void authorize_authNotAString_fails() {
    server.respond(200, "{\"auth\":{\"k\":\"sig\"}}");

    PusherAuthorizationException error = failure(authorizer().build().authorize(request("private-a")));

    assertThat(error.status()).isEqualTo(200);
    assertThat(error.getMessage()).contains("\"auth\" is not a string");
  }

  @Test
  void authorize_oversizedAnswer_fails() {
    byte[] huge = new byte[HttpAuthEndpoint.MAX_RESPONSE_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    server.respond(200, huge);

    PusherAuthorizationException error = failure(authorizer().build().authorize(request("private-a")));

    assertThat(error.status()).isEqualTo(-1);
    assertThat(error.getMessage()).contains("more than");
  }

  @Test
  void authorize_serverSlowerThanTimeout_failsWithStatusMinusOne() {
    server.neverAnswer();

    PusherAuthorizationException error =
        failure(
            authorizer().timeout(Duration.ofMillis(300)).build().authorize(request("private-a")));

    assertThat(error.status()).isEqualTo(-1);
    assertThat(error.getCause()).isInstanceOf(HttpTimeoutException.class);
    assertThat(error.getMessage()).contains("did not answer within 300 ms");
  }

  @Test
  void authorize_refusedConnection_failsWithStatusMinusOne() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    HttpChannelAuthorizer authorizer =
        HttpChannelAuthorizer.builder(URI.create("http://127.0.0.1:" + port + "/auth"))
            .httpClient(client)
            .build();

    PusherAuthorizationException error = failure(authorizer.authorize(request("private-a")));

    assertThat(error.status()).isEqualTo(-1);
    assertThat(error.getCause()).isInstanceOf(ConnectException.class);
    assertThat(error.getMessage()).contains("127.0.0.1:" + port);
  }

  @Test
  void authorize_paramsProviderThrows_failsTheStageInsteadOfThrowing() {
    HttpChannelAuthorizer authorizer =
        authorizer()
            .paramsProvider(
                () -> {
                  throw new IllegalStateException("token store offline");
                })
            .build();

    CompletionStage<ChannelAuthorization> stage = authorizer.authorize(request("private-a"));

    PusherAuthorizationException error = failure(stage);
    assertThat(error.status()).isEqualTo(-1);
    assertThat(error.getMessage()).contains("paramsProvider");
    assertThat(error.getCause()).hasRootCauseMessage("token store offline");
    assertThat(server.pendingRequests()).isZero();
  }

  @Test
  void authorize_headersProviderThrows_failsTheStage() {
    HttpChannelAuthorizer authorizer =
        authorizer()
            .headersProvider(
                () -> {
                  throw new IllegalStateException("no session");
                })
            .build();

    assertThat(failure(authorizer.authorize(request("private-a"))).getMessage())
        .contains("headersProvider");
  }

  @Test
  void authorize_headersProviderGivesRestrictedHeader_failsWithoutEchoingItsValue() {
    HttpChannelAuthorizer authorizer =
        authorizer().headersProvider(() -> Map.of("Content-Length", "secret-token")).build();

    PusherAuthorizationException error = failure(authorizer.authorize(request("private-a")));

    assertThat(error.getMessage()).contains("Content-Length").doesNotContain("secret-token");
  }

  @Test
  void authorize_withItsOwnHttpClient_works() throws Exception {
    server.respond(200, "{\"auth\":\"k:sig\"}");

    ChannelAuthorization result =
        await(HttpChannelAuthorizer.builder(server.uri()).build().authorize(request("private-a")));

    assertThat(result.auth()).isEqualTo("k:sig");
  }

  @Test
  void toString_showsTheEndpointButNoQueryOrHeaders() {
    HttpChannelAuthorizer authorizer =
        HttpChannelAuthorizer.builder(URI.create("https://user:pw@example.com:8443/auth?token=q1"))
            .header("Authorization", "Bearer h1")
            .param("session", "p1")
            .build();

    assertThat(authorizer.toString())
        .isEqualTo("HttpChannelAuthorizer[endpoint=https://example.com:8443/auth]");
  }

  @Test
  void builder_rejectsBadSettings() {
    assertThatThrownBy(() -> HttpChannelAuthorizer.builder(URI.create("ws://example.com/auth")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http");
    assertThatThrownBy(() -> HttpChannelAuthorizer.builder(URI.create("/pusher/auth")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> authorizer().header("Host", "evil.example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Host");
    assertThatThrownBy(() -> authorizer().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
