package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pusheriso.spi.UserAuthentication;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpUserAuthenticatorTest {

  private static final String USER_DATA = "{\"id\":\"u1\",\"name\":\"Ann\"}";
  private static final String ANSWER =
      "{\"auth\":\"k:sig\",\"user_data\":\"" + USER_DATA.replace("\"", "\\\"") + "\"}";
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

  private HttpUserAuthenticator.Builder authenticator() {
    return HttpUserAuthenticator.builder(server.uri()).httpClient(client);
  }

  private static PusherAuthorizationException failure(CompletionStage<?> stage) {
    Throwable thrown = catchThrowable(() -> stage.toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(PusherAuthorizationException.class);
    return (PusherAuthorizationException) thrown.getCause();
  }

  @Test
  void authenticate_ok_returnsAuthAndUserData() throws Exception {
    server.respond(200, ANSWER);

    UserAuthentication result =
        authenticator().build().authenticate("1.2").toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(result).isEqualTo(new UserAuthentication("k:sig", USER_DATA));
  }

  @Test
  void authenticate_sendsOnlySocketIdParamsAndHeaders() throws Exception {
    server.respond(200, ANSWER);
    HttpUserAuthenticator authenticator =
        authenticator()
            .param("user_id", "u 1")
            .paramsProvider(() -> Map.of("csrf", "a=b"))
            .header("X-App", "demo")
            .headersProvider(() -> Map.of("Authorization", "Bearer t"))
            .build();

    authenticator.authenticate("1.2").toCompletableFuture().get(5, TimeUnit.SECONDS);

    AuthTestServer.Recorded recorded = server.takeRequest();
    assertThat(recorded.body()).isEqualTo("socket_id=1.2&user_id=u%201&csrf=a%3Db");
    assertThat(recorded.headers().getFirst("Content-Type"))
        .isEqualTo("application/x-www-form-urlencoded");
    assertThat(recorded.headers().getFirst("X-App")).isEqualTo("demo");
    assertThat(recorded.headers().getFirst("Authorization")).isEqualTo("Bearer t");
  }

  @Test
  void authenticate_returnsBeforeTheServerAnswers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.respond(200, ANSWER).holdUntil(release);

    CompletionStage<UserAuthentication> stage = authenticator().build().authenticate("1.2");

    server.takeRequest();
    assertThat(stage.toCompletableFuture()).isNotDone();
    release.countDown();
    assertThat(stage.toCompletableFuture().get(5, TimeUnit.SECONDS).userData()).isEqualTo(USER_DATA);
  }

  @Test
  void authenticate_withoutUserData_failsWithStatus200() {
    server.respond(200, "{\"auth\":\"k:sig\"}");

    PusherAuthorizationException error = failure(authenticator().build().authenticate("1.2"));

    assertThat(error.status()).isEqualTo(200);
    assertThat(error.getMessage()).contains("\"user_data\"").contains("user-authentication");
  }

  @Test
  void authenticate_notJson_failsWithStatus200() {
    server.respond(200, "ok");

    assertThat(failure(authenticator().build().authenticate("1.2")).status()).isEqualTo(200);
  }

  @Test
  void authenticate_403_failsWithStatus403() {
    server.respond(403, "{\"error\":\"forbidden\"}");

    PusherAuthorizationException error = failure(authenticator().build().authenticate("1.2"));

    assertThat(error.status()).isEqualTo(403);
    assertThat(error.getMessage()).contains("user-authentication").contains("403");
  }

  @Test
  void authenticate_timeout_failsWithStatusMinusOne() {
    server.neverAnswer();

    PusherAuthorizationException error =
        failure(authenticator().timeout(Duration.ofMillis(300)).build().authenticate("1.2"));

    assertThat(error.status()).isEqualTo(-1);
    assertThat(error.getCause()).isInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void authenticate_refusedConnection_failsWithStatusMinusOne() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    PusherAuthorizationException error =
        failure(
            HttpUserAuthenticator.builder(URI.create("http://127.0.0.1:" + port + "/user-auth"))
                .httpClient(client)
                .build()
                .authenticate("1.2"));

    assertThat(error.status()).isEqualTo(-1);
    assertThat(error.getCause()).isInstanceOf(ConnectException.class);
  }

  @Test
  void authenticate_providerThrows_failsTheStage() {
    HttpUserAuthenticator authenticator =
        authenticator()
            .headersProvider(
                () -> {
                  throw new IllegalStateException("logged out");
                })
            .build();

    PusherAuthorizationException error = failure(authenticator.authenticate("1.2"));

    assertThat(error.getMessage()).contains("headersProvider");
    assertThat(server.pendingRequests()).isZero();
  }

  @Test
  void toString_showsTheEndpointOnly() {
    HttpUserAuthenticator authenticator =
        HttpUserAuthenticator.builder(URI.create("http://127.0.0.1:6003/pusher/user-auth?k=v"))
            .header("Authorization", "Bearer h1")
            .build();

    assertThat(authenticator.toString())
        .isEqualTo("HttpUserAuthenticator[endpoint=http://127.0.0.1:6003/pusher/user-auth]");
  }
}
