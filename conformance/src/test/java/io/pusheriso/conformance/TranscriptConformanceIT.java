package io.pusheriso.conformance;

import io.pusheriso.conformance.ConformanceRun.Listen;
import io.pusheriso.conformance.ConformanceRun.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transcript conformance suite: every scenario over every transport, played by {@code pusher-cli listen}
 * and by the official pusher-js client at the same time against the real peers, and the two transcripts
 * compared line for line after normalisation (see {@link Transcripts}).
 *
 * <p>Runs with {@code -Pconformance}; skipped with a message when the peers are not up. Cases run in
 * parallel (see {@code junit-platform.properties}): each uses channel and user names of its own.
 */
class TranscriptConformanceIT {

  enum Scenario {
    PUBLIC_EVENTS_IN_ORDER(run -> {
      Pair listener = run.start("listener", Listen.channels("conf-public"));
      run.awaitEvent(listener, "conf-public", "pusher:subscription_succeeded");
      run.trigger("conf-public", "ev-1", "{\"n\":1}");
      run.trigger("conf-public", "ev-2", "{\"n\":2,\"list\":[1,2.5,null,true],\"nested\":{\"s\":\"x\"}}");
      run.trigger("conf-public", "ev-3", "\"plain text, not JSON\"");
      run.trigger("conf-public", "ev-4", "42");
      run.trigger("conf-public", "ev-5", "{\"text\":\"h\\u00e9llo \\u2713 \\\"quoted\\\" \\\\ back\"}");
      run.finish("conf-public", listener);
    }),

    PRIVATE_CHANNEL(run -> {
      Pair listener = run.start("listener", Listen.channels("private-conf"));
      run.awaitEvent(listener, "private-conf", "pusher:subscription_succeeded");
      run.trigger("private-conf", "private-1", "{\"n\":1}");
      run.trigger("private-conf", "private-2", "{\"n\":2}");
      run.finish("private-conf", listener);
    }),

    FORBIDDEN_CHANNELS(run -> {
      Pair listener = run.start("listener",
          Listen.channels("private-forbidden-conf", "presence-forbidden-conf", "conf-open"));
      run.awaitEvent(listener, "private-forbidden-conf", "pusher:subscription_error");
      run.awaitEvent(listener, "presence-forbidden-conf", "pusher:subscription_error");
      run.awaitEvent(listener, "conf-open", "pusher:subscription_succeeded");
      run.trigger("conf-open", "still-working", "{\"n\":1}");
      run.finish("conf-open", listener);
    }),

    PRESENCE_JOIN_AND_LEAVE(run -> {
      // The first member gets the auth server's default id (user-<socket id>), the second an explicit one.
      Pair first = run.start("first member", Listen.channels("presence-conf"));
      run.awaitEvent(first, "presence-conf", "pusher:subscription_succeeded");
      Pair second = run.start("second member", Listen.channels("presence-conf").authParam("user_id", "bob"));
      run.awaitEvent(second, "presence-conf", "pusher:subscription_succeeded");
      run.awaitEvent(first, "presence-conf", "pusher:member_added");
      second.stop();
      run.awaitEvent(first, "presence-conf", "pusher:member_removed");
      run.finish("presence-conf", first);
    }),

    ENCRYPTED_CHANNEL(run -> {
      Pair listener = run.start("listener", Listen.channels("private-encrypted-conf"));
      run.awaitEvent(listener, "private-encrypted-conf", "pusher:subscription_succeeded");
      run.trigger("private-encrypted-conf", "secret-1", "{\"secret\":\"s1\",\"n\":1}");
      run.trigger("private-encrypted-conf", "secret-2", "\"a secret string\"");
      run.finish("private-encrypted-conf", listener);
    }),

    CLIENT_EVENTS(run -> {
      Pair receiver = run.start("receiver", Listen.channels("private-chat"));
      run.awaitEvent(receiver, "private-chat", "pusher:subscription_succeeded");
      Pair sender = run.start("sender", Listen.channels("private-chat")
          .clientEvent("private-chat", "client-ping", "{\"n\":1}")
          .clientEvent("private-chat", "client-pong", "{\"n\":2,\"text\":\"a:b\"}"));
      run.awaitEvent(sender, "private-chat", "pusher:subscription_succeeded");
      run.awaitEvent(receiver, "private-chat", "client-pong");
      run.finish("private-chat", receiver, sender);
    }),

    SIGNIN_AND_USER_EVENT(run -> {
      Pair user = run.start("signed-in user", Listen.channels("conf-user-feed").signin().authParam("user_id", "alice"));
      run.awaitEvent(user, null, "pusher:signin_success");
      run.awaitEvent(user, "conf-user-feed", "pusher:subscription_succeeded");
      run.sendToUser("alice", "direct-message", "{\"x\":1}");
      run.sendToUser("alice", "direct-text", "\"hello alice\"");
      run.awaitEvent(user, null, "direct-text");
      run.finish("conf-user-feed", user);
    }),

    CACHE_CHANNEL_AFTER_PUBLISH(run -> {
      run.trigger("cache-conf", "cached-old", "{\"v\":0}");
      run.trigger("cache-conf", "cached-last", "{\"v\":1}");
      Pair late = run.start("late subscriber", Listen.channels("cache-conf", "cache-empty-conf"));
      run.awaitEvent(late, "cache-conf", "cached-last");
      run.awaitEvent(late, "cache-empty-conf", "pusher:cache_miss");
      run.trigger("cache-conf", "live", "{\"v\":2}");
      run.finish("cache-conf", late);
    });

    private final Consumer<ConformanceRun> play;

    Scenario(Consumer<ConformanceRun> play) {
      this.play = play;
    }
  }

  /**
   * Every scenario over every transport. {@code -Dconformance.transports=WSS,NETTY_WS} and
   * {@code -Dconformance.scenarios=...} narrow it while iterating; CI sets neither.
   */
  static List<Arguments> cases() {
    String transports = System.getProperty("conformance.transports", "");
    String scenarios = System.getProperty("conformance.scenarios", "");
    List<Arguments> cases = new ArrayList<>();
    for (Scenario scenario : Scenario.values()) {
      for (ClientTransport transport : ClientTransport.values()) {
        if (selected(scenarios, scenario.name()) && selected(transports, transport.name())) {
          cases.add(Arguments.of(scenario, transport));
        }
      }
    }
    return cases;
  }

  private static boolean selected(String list, String name) {
    return list.isBlank() || List.of(list.split(",")).contains(name);
  }

  @BeforeEach
  void peersUp() {
    Peers.assumeUp();
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("cases")
  void transcriptsMatchTheReferenceClient(Scenario scenario, ClientTransport transport) {
    try (ConformanceRun run = new ConformanceRun(scenario.name(), transport)) {
      scenario.play.accept(run);
    }
  }
}
