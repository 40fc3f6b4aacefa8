package io.pusheriso;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.spi.ChannelAuthorization;
import java.util.concurrent.CompletableFuture;

/**
 * Runs inside a class loader that cannot see Bouncy Castle (see {@link
 * OptionalBouncyCastleTest}): a client that never touches an encrypted channel must work, and one
 * that does must get a clear error.
 */
public final class NoBouncyCastleProbe {

  private NoBouncyCastleProbe() {}

  /** Returns a description of what happened, for the test to assert. */
  public static String run() {
    FakeTransportFactory ws = new FakeTransportFactory("ws");
    FakeScheduler time = new FakeScheduler();
    try (Pusher pusher = new Pusher(PusherOptions.builder("k").host("127.0.0.1").transportFactory(ws)
        .scheduler(time).callbackExecutor(Runnable::run)
        .channelAuthorizer(r -> CompletableFuture.completedFuture(ChannelAuthorization.of("k:s"))).build())) {
      pusher.connect();
      FakeTransport t = ws.last();
      t.serverHandshake("1.1");
      Channel pub = pusher.subscribe("news");
      Channel priv = pusher.subscribe("private-news");
      t.serverSend(Harness.succeeded("news"));
      t.serverSend(Harness.succeeded("private-news"));
      String result = "public=" + pub.isSubscribed() + " private=" + priv.isSubscribed();
      try {
        pusher.subscribe("private-encrypted-news");
        return result + " encrypted=accepted";
      } catch (PusherException e) {
        return result + " encrypted=" + e.getMessage();
      }
    }
  }
}
