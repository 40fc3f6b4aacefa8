package io.pusheriso;

import io.pusheriso.FakeTransportFactory.FakeTransport;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.TransportKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A client over the in-memory transport with fake time and a direct callback executor, so that
 * every test step runs to completion on the test thread. Not thread-safe.
 */
final class Harness implements AutoCloseable {

  final FakeScheduler time = new FakeScheduler();
  final FakeTransportFactory ws;
  final Pusher pusher;
  final List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
  final List<PusherException> errors = new CopyOnWriteArrayList<>();
  final List<Duration> connectingIn = new CopyOnWriteArrayList<>();

  Harness() {
    this(b -> b);
  }

  Harness(UnaryOperator<PusherOptions.Builder> custom) {
    this(new FakeTransportFactory("fake", TransportKind.WEBSOCKET), custom);
  }

  Harness(FakeTransportFactory factory, UnaryOperator<PusherOptions.Builder> custom) {
    this.ws = factory;
    PusherOptions.Builder b =
        PusherOptions.builder("app-key")
            .host("127.0.0.1")
            .wsPort(6001)
            .wssPort(6443)
            .transportFactory(factory)
            .scheduler(time)
            .callbackExecutor(Runnable::run);
    pusher = new Pusher(custom.apply(b).build());
    pusher.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void onStateChange(ConnectionStateChange change) {
            changes.add(change);
          }

          @Override
          public void onConnectingIn(Duration delay) {
            connectingIn.add(delay);
          }

          @Override
          public void onError(PusherException error) {
            errors.add(error);
          }
        });
  }

  /** connect() and complete the handshake on a new transport. */
  FakeTransport connect(String socketId) {
    pusher.connect();
    FakeTransport t = ws.last();
    t.serverHandshake(socketId);
    if (pusher.state() != ConnectionState.CONNECTED) {
      throw new AssertionError("not connected: " + pusher.state());
    }
    return t;
  }

  /** A server frame with double-encoded data. */
  static String event(String event, String channel, String dataJson) {
    return "{\"event\":"
        + Json.quote(event)
        + (channel == null ? "" : ",\"channel\":" + Json.quote(channel))
        + (dataJson == null ? "" : ",\"data\":" + Json.quote(dataJson))
        + "}";
  }

  static String event(String event, String channel, String dataJson, String userId) {
    return "{\"event\":"
        + Json.quote(event)
        + ",\"channel\":"
        + Json.quote(channel)
        + ",\"data\":"
        + Json.quote(dataJson)
        + ",\"user_id\":"
        + Json.quote(userId)
        + "}";
  }

  static String succeeded(String channel) {
    return event("pusher_internal:subscription_succeeded", channel, "{}");
  }

  @Override
  public void close() {
    pusher.close();
  }
}
