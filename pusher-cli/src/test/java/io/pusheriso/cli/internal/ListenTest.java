package io.pusheriso.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pusheriso.HttpChannelAuthorizer;
import io.pusheriso.PrivateChannel;
import io.pusheriso.Pusher;
import io.pusheriso.PusherEvent;
import io.pusheriso.PusherOptions;
import io.pusheriso.testkit.PusherTestServer;
import io.pusheriso.testkit.PusherTestServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** listen against the embedded server: the transcript lines, in the reference client's format. */
class ListenTest {

  @RegisterExtension static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SID = "\"socket_id\":\"\\d+\\.\\d+\"";

  private final List<Pusher> others = new ArrayList<>();

  @AfterEach
  void closeOthers() {
    others.forEach(Pusher::close);
  }

  private static PusherTestServer server() {
    return SERVER.server();
  }

  private static String[] listen(String... extra) {
    PusherTestServer s = server();
    List<String> args =
        new ArrayList<>(
            List.of(
                "listen",
                "--host", s.host(),
                "--ws-port", String.valueOf(s.port()),
                "--transport", "ws",
                "--auth-endpoint", s.authEndpoint().toString(),
                "--user-auth-endpoint", s.userAuthEndpoint().toString()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static void awaitLine(Cli cli, String line) {
    await().atMost(WAIT).until(() -> cli.outLines().contains(line));
  }

  private static int stop(Cli cli, CompletableFuture<Integer> run) throws Exception {
    cli.stop.request();
    return run.get(10, TimeUnit.SECONDS);
  }

  @Test
  void nullData_printedAsNull_absentDataLeftOut_undecodableFrameAsItsText() throws Exception {
    Cli cli = new Cli();
    CompletableFuture<Integer> run = cli.start(listen("--channel", "raw-channel"));
    awaitLine(cli, "{\"type\":\"event\",\"channel\":\"raw-channel\",\"event\":\"pusher:subscription_succeeded\",\"data\":{}}");
    server().faults().sendRawToAll("{\"event\":\"with-null\",\"channel\":\"raw-channel\",\"data\":null}");
    server().faults().sendRawToAll("{\"event\":\"without\",\"channel\":\"raw-channel\"}");
    server().faults().sendRawToAll("this is not json");
    awaitLine(cli, "{\"type\":\"event\",\"channel\":\"raw-channel\",\"event\":\"with-null\",\"data\":null}");
    awaitLine(cli, "{\"type\":\"event\",\"channel\":\"raw-channel\",\"event\":\"without\"}");
    awaitLine(cli, "{\"type\":\"error\",\"error\":\"this is not json\"}");
    assertThat(stop(cli, run)).isZero();
  }

  @Test
  void publicPrivateAndForbiddenChannels_withEvents() throws Exception {
    Cli cli = new Cli();
    CompletableFuture<Integer> run =
        cli.start(listen("--channel", "my-channel", "--channel", "private-y", "--channel", "private-forbidden-y"));
    awaitLine(cli, "{\"type\":\"event\",\"channel\":\"my-channel\",\"event\":\"pusher:subscription_succeeded\",\"data\":{}}");
    awaitLine(cli, "{\"type\":\"event\",\"channel\":\"private-y\",\"event\":\"pusher:subscription_succeeded\",\"data\":{}}");

    server().trigger("my-channel", "my-event", "{\"b\":1.0,\"a\":[1e21,0.000001,\"\\u0001\"],\"2\":true,\"1\":null}");
    server().trigger("my-channel", "my-event", "not json");
    server().trigger("private-y", "other", "\"a string\"");
    awaitLine(cli, "{\"type\":\"event\",\"channel\":\"private-y\",\"event\":\"other\",\"data\":\"a string\"}");

    assertThat(stop(cli, run)).isZero();
    List<String> lines = cli.outLines();
    assertThat(lines.get(0)).isEqualTo("{\"type\":\"state\",\"previous\":\"connecting\",\"current\":\"connected\"}");
    assertThat(lines.get(1)).matches("\\{\"type\":\"connected\"," + SID + "}");
    assertThat(lines)
        .containsSubsequence(
            "{\"type\":\"event\",\"channel\":\"my-channel\",\"event\":\"my-event\",\"data\":{\"1\":null,\"2\":true,\"b\":1,\"a\":[1e+21,0.000001,\"\\u0001\"]}}",
            "{\"type\":\"event\",\"channel\":\"my-channel\",\"event\":\"my-event\",\"data\":\"not json\"}")
        .contains(
            "{\"type\":\"event\",\"channel\":\"private-forbidden-y\",\"event\":\"pusher:subscription_error\",\"data\":{\"type\":\"AuthError\",\"error\":\""
                + PusherJsChannelAuthorizer.refusalMessage(403, server().authEndpoint().toString())
                + "\",\"status\":403}}");
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo("{\"type\":\"state\",\"previous\":\"connected\",\"current\":\"disconnected\"}");
    assertThat(cli.err.toString()).doesNotContain("Exception");
  }

  @Test
  void presence_showsMembersJoiningAndLeaving() throws Exception {
    Cli cli = new Cli();
    CompletableFuture<Integer> run = cli.start(listen("--channel", "presence-room", "--auth-param", "user_id=u1"));
    await().atMost(WAIT).until(() -> cli.out.toString().contains("pusher:subscription_succeeded"));

    Pusher other = client("u2");
    other.subscribePresence("presence-room").subscription().toCompletableFuture().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> cli.out.toString().contains("pusher:member_added"));
    other.close();
    await().atMost(WAIT).until(() -> cli.out.toString().contains("pusher:member_removed"));

    assertThat(stop(cli, run)).isZero();
    List<String> events = cli.outLines().stream().filter(l -> l.contains("presence-room")).toList();
    assertThat(events.get(0))
        .isEqualTo("{\"type\":\"event\",\"channel\":\"presence-room\",\"event\":\"pusher:subscription_succeeded\",\"data\":{\"count\":1,\"me\":\"u1\",\"ids\":[\"u1\"]}}");
    assertThat(events.get(1))
        .matches("\\{\"type\":\"event\",\"channel\":\"presence-room\",\"event\":\"pusher:member_added\",\"data\":\\{\"id\":\"u2\",\"info\":.*}}");
    assertThat(events.get(2))
        .isEqualTo(events.get(1).replace("member_added", "member_removed"));
    assertThat(events).hasSize(3);
  }

  @Test
  void signin_thenAnEventSentToTheUser() throws Exception {
    Cli cli = new Cli();
    CompletableFuture<Integer> run = cli.start(listen("--signin", "--auth-param", "user_id=u7"));
    awaitLine(cli, "{\"type\":\"event\",\"channel\":null,\"event\":\"pusher:signin_success\"}");
    String expected = "{\"type\":\"event\",\"channel\":null,\"event\":\"direct-message\",\"data\":{\"x\":1},\"user\":true}";
    // The user's channel is subscribed after signin_success: send until the event arrives.
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              server().sendToUser("u7", "direct-message", "{\"x\":1}");
              return cli.outLines().contains(expected);
            });

    assertThat(stop(cli, run)).isZero();
    assertThat(cli.outLines()).doesNotContain("pusher:signin_error");
  }

  @Test
  void clientEvent_isTriggeredOnceTheChannelIsSubscribed() throws Exception {
    Pusher other = client("u2");
    PrivateChannel chat = other.subscribePrivate("private-chat");
    List<PusherEvent> got = new CopyOnWriteArrayList<>();
    chat.bind("client-hi", got::add);
    chat.subscription().toCompletableFuture().get(10, TimeUnit.SECONDS);

    Cli cli = new Cli();
    CompletableFuture<Integer> run =
        cli.start(listen("--channel", "private-chat", "--client-event", "private-chat:client-hi:{ \"n\" : [1, 2.50] , \"s\":\"a:b\" }"));
    await().atMost(WAIT).until(() -> got.size() == 1);

    assertThat(got.get(0).data()).isEqualTo("{\"n\":[1,2.5],\"s\":\"a:b\"}");
    assertThat(stop(cli, run)).isZero();
  }

  @Test
  void exitAfterMs_disconnectsAndExitsZero() throws Exception {
    Cli cli = new Cli();

    int code = cli.start(listen("--channel", "c1", "--exit-after-ms", "700")).get(10, TimeUnit.SECONDS);

    assertThat(code).isZero();
    assertThat(cli.outLines()).last().isEqualTo("{\"type\":\"state\",\"previous\":\"connected\",\"current\":\"disconnected\"}");
  }

  @Test
  void wrongKey_printsThePusherErrorOfTheHandshake() throws Exception {
    Cli cli = new Cli();

    int code = cli.start(listen("--key", "nope", "--exit-after-ms", "1500")).get(10, TimeUnit.SECONDS);

    assertThat(code).isZero();
    assertThat(cli.outLines().get(0)).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"PusherError\",\"data\":{\"code\":4001,");
    assertThat(cli.outLines()).contains("{\"type\":\"state\",\"previous\":\"connecting\",\"current\":\"disconnected\"}");
  }

  @Test
  void serverErrors_arePrintedAsPusherJsReportsThem() throws Exception {
    Cli cli = new Cli();
    CompletableFuture<Integer> run = cli.start(listen("--channel", "errs"));
    await().atMost(WAIT).until(() -> cli.out.toString().contains("pusher:subscription_succeeded"));

    server().faults().sendRawToAll("{\"event\":\"pusher:error\",\"data\":{\"code\":4301,\"message\":\"rejected\"}}");
    server().faults().sendRawToAll("{\"event\":\"pusher:error\",\"data\":{\"message\":\"no code\"}}");
    awaitLine(cli, "{\"type\":\"error\",\"error\":{\"message\":\"no code\"}}");
    server().faults().closeAll(4200, "bye");
    await().atMost(WAIT).until(() -> cli.outLines().stream().filter(l -> l.startsWith("{\"type\":\"connected\"")).count() == 2);

    assertThat(stop(cli, run)).isZero();
    assertThat(cli.outLines())
        .containsSubsequence(
            "{\"type\":\"error\",\"error\":{\"code\":4301,\"message\":\"rejected\"}}",
            "{\"type\":\"error\",\"error\":{\"message\":\"no code\"}}",
            "{\"type\":\"error\",\"error\":{\"code\":4200,\"message\":\"bye\"}}",
            "{\"type\":\"error\",\"error\":{\"type\":\"PusherError\",\"data\":{\"code\":4200,\"message\":\"bye\"}}}",
            "{\"type\":\"state\",\"previous\":\"connected\",\"current\":\"connecting\"}",
            "{\"type\":\"state\",\"previous\":\"connecting\",\"current\":\"connected\"}",
            "{\"type\":\"event\",\"channel\":\"errs\",\"event\":\"pusher:subscription_succeeded\",\"data\":{}}");
  }

  @Test
  void unreachableServer_showsStatesNotAStackTrace() throws Exception {
    Cli cli = new Cli();
    String[] args =
        Stream.concat(Stream.of(listen()), Stream.of("--exit-after-ms", "600"))
            .map(a -> a.equals(String.valueOf(server().port())) ? "1" : a)
            .toArray(String[]::new);

    int code = cli.start(args).get(10, TimeUnit.SECONDS);

    assertThat(code).isZero();
    assertThat(cli.outLines()).containsExactly("{\"type\":\"state\",\"previous\":\"connecting\",\"current\":\"disconnected\"}");
    assertThat(cli.err.toString()).doesNotContain("Exception");
  }

  private Pusher client(String userId) {
    PusherTestServer s = server();
    Pusher p =
        new Pusher(
            PusherOptions.builder(s.appKey())
                .host(s.host())
                .wsPort(s.port())
                .tls(false)
                .transportFactory(Transports.webSocket(Transports.WsImpl.NETTY, null))
                .channelAuthorizer(HttpChannelAuthorizer.builder(s.authEndpoint()).param("user_id", userId).build())
                .build());
    others.add(p);
    p.connect();
    return p;
  }
}
