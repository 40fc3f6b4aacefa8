package io.pusheriso.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pusheriso.Channel;
import io.pusheriso.ConnectionListener;
import io.pusheriso.ConnectionStateChange;
import io.pusheriso.HttpChannelAuthorizer;
import io.pusheriso.HttpUserAuthenticator;
import io.pusheriso.PresenceChannel;
import io.pusheriso.PrivateChannel;
import io.pusheriso.Pusher;
import io.pusheriso.PusherConnectionException;
import io.pusheriso.PusherEvent;
import io.pusheriso.PusherEventListener;
import io.pusheriso.PusherException;
import io.pusheriso.PusherProtocolException;
import io.pusheriso.PusherOptions;
import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.ChannelNames;
import io.pusheriso.protocol.PusherEvents;
import io.pusheriso.protocol.state.ConnectionState;
import io.pusheriso.spi.TransportKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code listen}: builds the client from checked settings, prints the transcript while
 * connected, and disconnects cleanly when told to stop.
 *
 * <p>What is printed follows the reference client line for line: the data of pusher-js's events,
 * not the library's own shapes, where the two differ (presence {@code subscription_succeeded} as
 * {@code {count, me, ids}}, members as {@code {id, info}}, subscription errors with pusher-js's
 * message). Listeners run on the client's event lane; the transcript is thread-safe.
 *
 * <p>Not thread-safe: {@link #run()} is called once, by one thread.
 */
final class ListenSession {

  private static final Logger LOG = LoggerFactory.getLogger(ListenSession.class);
  private static final Duration DISCONNECT_WAIT = Duration.ofSeconds(3);
  private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);
  /** The library's event for an undecryptable event; pusher-js only logs it. */
  private static final String DECRYPTION_ERROR = "pusher:decryption_error";

  /** Checked arguments of {@code listen}. Ports and host are null where the library's defaults apply. */
  record Settings(
      String key,
      String cluster,
      String host,
      Integer wsPort,
      Integer wssPort,
      Integer httpPort,
      Integer httpsPort,
      boolean tls,
      TrustedCertificates ca,
      Set<TransportKind> transports,
      Transports.WsImpl wsImpl,
      List<String> channels,
      String authEndpointText,
      URI authEndpoint,
      String userAuthEndpointText,
      URI userAuthEndpoint,
      Map<String, String> authParams,
      boolean signin,
      List<ClientEvent> clientEvents,
      Duration activityTimeout,
      Duration pongTimeout,
      long exitAfterMs) {}

  private final Settings settings;
  private final Transcript transcript;
  private final StopSignal stop;
  private final CountDownLatch disconnected = new CountDownLatch(1);

  ListenSession(Settings settings, Transcript transcript, StopSignal stop) {
    this.settings = settings;
    this.transcript = transcript;
    this.stop = stop;
  }

  /**
   * Connects, prints until told to stop, disconnects; returns the exit code.
   *
   * @throws IllegalArgumentException when the options are refused by the library (a usage error)
   */
  int run() {
    stop.started();
    try (Transports transports = Transports.create(settings.wsImpl(), settings.ca(), settings.transports())) {
      HttpClient http = httpClient();
      HttpChannelAuthorizer.Builder channelAuth =
          HttpChannelAuthorizer.builder(settings.authEndpoint()).timeout(AUTH_TIMEOUT);
      HttpUserAuthenticator.Builder userAuth =
          HttpUserAuthenticator.builder(settings.userAuthEndpoint()).timeout(AUTH_TIMEOUT);
      settings.authParams().forEach(channelAuth::param);
      settings.authParams().forEach(userAuth::param);
      if (http != null) {
        channelAuth.httpClient(http);
        userAuth.httpClient(http);
      }
      PusherJsChannelAuthorizer authorizer =
          new PusherJsChannelAuthorizer(channelAuth.build(), settings.authEndpointText());
      PusherOptions options = options(transports, authorizer, userAuth.build());
      try (Pusher pusher = new Pusher(options)) {
        listen(pusher, authorizer);
        waitForStop();
        pusher.disconnect();
        if (!disconnected.await(DISCONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("The client did not report disconnected within {}", DISCONNECT_WAIT);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stop.finished();
    }
    return 0;
  }

  private void waitForStop() throws InterruptedException {
    stop.await(Duration.ofMillis(settings.exitAfterMs()));
  }

  private HttpClient httpClient() {
    if (settings.ca() == null) {
      return null;
    }
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(AUTH_TIMEOUT)
        .sslContext(settings.ca().sslContext())
        .build();
  }

  private PusherOptions options(
      Transports transports, PusherJsChannelAuthorizer authorizer, HttpUserAuthenticator userAuthenticator) {
    return baseOptions(settings)
        .transportFactories(transports.factories())
        .channelAuthorizer(authorizer)
        .userAuthenticator(userAuthenticator)
        .build();
  }

  /** The options that follow from the settings alone (no transports or authorizers yet). */
  static PusherOptions.Builder baseOptions(Settings settings) {
    PusherOptions.Builder b = PusherOptions.builder(settings.key());
    if (settings.cluster() != null) {
      b.cluster(settings.cluster());
    } else {
      b.host(settings.host());
    }
    if (settings.wsPort() != null) {
      b.wsPort(settings.wsPort());
    }
    if (settings.wssPort() != null) {
      b.wssPort(settings.wssPort());
    }
    if (settings.httpPort() != null) {
      b.httpPort(settings.httpPort());
    }
    if (settings.httpsPort() != null) {
      b.httpsPort(settings.httpsPort());
    }
    if (!settings.transports().isEmpty()) {
      b.enabledTransports(settings.transports());
    }
    return b.tls(settings.tls()).activityTimeout(settings.activityTimeout()).pongTimeout(settings.pongTimeout());
  }

  /** Binds everything, subscribes, signs in, connects: what pusher-js does in the reference script. */
  private void listen(Pusher pusher, PusherJsChannelAuthorizer authorizer) {
    pusher.addConnectionListener(new Printer(pusher));
    for (String name : settings.channels()) {
      Channel channel = pusher.subscribe(name);
      channel.bindGlobal(new ChannelPrinter(pusher, channel, authorizer));
    }
    if (settings.signin()) {
      pusher.user()
          .bindGlobal(
              e -> {
                String event = e.eventName();
                if (!event.startsWith("pusher:") && !event.startsWith("pusher_internal:")) {
                  transcript.event(null, event, JsJson.eventData(e), true);
                }
              });
      pusher.bind(PusherEvents.SIGNIN_SUCCESS, e -> transcript.event(null, PusherEvents.SIGNIN_SUCCESS, null, false));
      pusher.signin();
    }
    pusher.connect();
  }

  /** Connection states and errors. */
  private final class Printer implements ConnectionListener {
    private final Pusher pusher;
    /** The state as the listener last saw it (lane only). */
    private ConnectionState state = ConnectionState.INITIALIZED;

    Printer(Pusher pusher) {
      this.pusher = pusher;
    }

    @Override
    public void onStateChange(ConnectionStateChange change) {
      if (change.previous() == ConnectionState.INITIALIZED && change.current() == ConnectionState.CONNECTING) {
        // pusher-js makes this change inside its constructor, before the reference script can bind.
        state = change.current();
        return;
      }
      state = change.current();
      transcript.state(change.previous().wireName(), change.current().wireName());
      if (change.current() == ConnectionState.CONNECTED) {
        transcript.connected(pusher.socketId().orElse(null));
      } else if (change.current() == ConnectionState.DISCONNECTED) {
        disconnected.countDown();
      }
    }

    @Override
    public void onError(PusherException error) {
      boolean handshake = state != ConnectionState.CONNECTED;
      if (handshake && error instanceof PusherConnectionException ce && ce.code() < 0) {
        // A connection attempt failed (refused, TLS, timeout). pusher-js's strategy swallows
        // these, so they stay out of the transcript; the cause still reaches the user on stderr.
        LOG.warn("{}", ce.getMessage());
        return;
      }
      if (!handshake
          && error instanceof PusherConnectionException ce
          && ce.code() < 0
          && pusher.socketId().isPresent()) {
        // A pusher:error without a code on a live connection: pusher-js prints its data.
        ObjectNode data = JsJson.object();
        data.put("message", ce.getMessage() == null ? "" : ce.getMessage());
        transcript.error(data);
        return;
      }
      transcript.error(errorValue(error, handshake, httpOnly()));
      // The socket id is gone when the error is the connection's close (a pusher:error leaves it):
      // pusher-js then reports the close code again, wrapped, as the error of the action it takes.
      if (!handshake
          && error instanceof PusherConnectionException ce
          && hasCloseAction(ce.code())
          && pusher.socketId().isEmpty()) {
        transcript.error(errorValue(error, true, httpOnly()));
      }
    }
  }

  /** Whether the user enabled transports and none of them is the WebSocket. */
  private boolean httpOnly() {
    return !settings.transports().isEmpty() && !settings.transports().contains(TransportKind.WEBSOCKET);
  }

  /** Whether pusher-js acts on this close code (tls_only, refused, backoff, retry), as Protocol.getCloseAction. */
  static boolean hasCloseAction(int code) {
    return code >= 4000 || (code >= 1002 && code <= 1004);
  }

  /**
   * What pusher-js's connection {@code error} event carries, as the reference prints it: a close
   * code or {@code pusher:error} as {@code {code, message}} (no message when there is none); during a
   * handshake pusher-js wraps the same as {@code {"type":"PusherError","data":{code, message}}}; a
   * failed transport is the WebSocket error event.
   *
   * <p>1006 differs by transport. On a WebSocket no server sends it: it is always a local failure,
   * which pusher-js reports with no reason, whatever diagnostic our transport attached. Over the
   * SockJS HTTP transports a server does send it ({@code c[1006,"upstream error"]} from sockjs-node
   * when its upstream is gone), and pusher-js prints that reason, as it prints its own "Connection
   * interrupted" for a local failure.
   *
   * @param handshake whether the error came before the connection was established
   * @param httpOnly whether only the HTTP transports are enabled, so a 1006 keeps its reason
   */
  static JsonNode errorValue(PusherException error, boolean handshake, boolean httpOnly) {
    String message = error.getMessage() == null ? "" : error.getMessage();
    if (error instanceof PusherConnectionException ce && ce.code() >= 0) {
      ObjectNode e = JsJson.object();
      e.put("code", ce.code());
      if (!message.isEmpty() && (ce.code() != 1006 || httpOnly)) {
        e.put("message", message);
      }
      if (handshake) {
        ObjectNode wrapped = JsJson.object();
        wrapped.put("type", "PusherError");
        wrapped.set("data", e);
        return wrapped;
      }
      return e;
    }
    if (error instanceof PusherConnectionException) {
      ObjectNode e = JsJson.object();
      e.put("type", "error");
      e.put("message", message);
      return e;
    }
    if (error instanceof PusherProtocolException pe && pe.rawFrame().isPresent()) {
      // pusher-js's MessageParseError carries the frame it could not parse, and the reference
      // client prints that.
      return TextNode.valueOf(pe.rawFrame().get());
    }
    return TextNode.valueOf(message);
  }

  /** One {@code bind_global} of the reference script on one channel. */
  private final class ChannelPrinter implements PusherEventListener {
    private final Pusher pusher;
    private final Channel channel;
    private final PusherJsChannelAuthorizer authorizer;
    private final boolean presence;
    /** The member infos as pusher-js's Members keeps them (null: no user_info). Lane only. */
    private final Map<String, JsonNode> members = new HashMap<>();

    ChannelPrinter(Pusher pusher, Channel channel, PusherJsChannelAuthorizer authorizer) {
      this.pusher = pusher;
      this.channel = channel;
      this.authorizer = authorizer;
      this.presence = channel instanceof PresenceChannel;
    }

    @Override
    public void onEvent(PusherEvent e) {
      String event = e.eventName();
      if (DECRYPTION_ERROR.equals(event)) {
        LOG.warn("Channel {}: an event could not be decrypted", channel.name());
        return;
      }
      JsonNode data;
      if (presence && PusherEvents.SUBSCRIPTION_SUCCEEDED.equals(event)) {
        data = presenceSucceeded(JsJson.eventData(e));
      } else if (presence && PusherEvents.MEMBER_ADDED.equals(event)) {
        data = memberAdded(JsJson.eventData(e));
      } else if (presence && PusherEvents.MEMBER_REMOVED.equals(event)) {
        data = memberRemoved(JsJson.eventData(e));
      } else {
        data = JsJson.eventData(e);
      }
      transcript.event(channel.name(), event, data, false);
      if (PusherEvents.SUBSCRIPTION_SUCCEEDED.equals(event)) {
        triggerClientEvents();
      }
    }

    private JsonNode presenceSucceeded(JsonNode data) {
      JsonNode presenceData = data == null ? JsJson.object() : data.path("presence");
      JsonNode hash = presenceData.path("hash");
      members.clear();
      List<String> ids = new ArrayList<>();
      if (hash.isObject()) {
        for (Map.Entry<String, JsonNode> m : hash.properties()) {
          members.put(m.getKey(), m.getValue());
          ids.add(m.getKey());
        }
      }
      ids.sort(null);
      ObjectNode out = JsJson.object();
      if (presenceData.has("count")) {
        out.set("count", presenceData.get("count"));
      }
      JsonNode myId =
          authorizer
              .presenceUserId(channel.name())
              .orElseGet(() -> pusher.user().id().<JsonNode>map(TextNode::valueOf).orElse(null));
      if (myId != null && members.containsKey(JsJson.propertyKey(myId))) {
        out.set("me", myId);
      } else {
        out.putNull("me");
      }
      ArrayNode idArray = out.putArray("ids");
      ids.forEach(idArray::add);
      return out;
    }

    private JsonNode memberAdded(JsonNode data) {
      JsonNode id = data == null ? null : data.get("user_id");
      JsonNode info = data == null ? null : data.get("user_info");
      ObjectNode out = JsJson.object();
      if (id == null) {
        return out;
      }
      members.put(JsJson.propertyKey(id), info);
      out.set("id", id);
      if (info != null) {
        out.set("info", info);
      }
      return out;
    }

    private JsonNode memberRemoved(JsonNode data) {
      JsonNode id = data == null ? null : data.get("user_id");
      ObjectNode out = JsJson.object();
      if (id == null) {
        return out;
      }
      JsonNode info = members.remove(JsJson.propertyKey(id));
      out.set("id", id);
      if (info != null) {
        out.set("info", info);
      }
      return out;
    }

    private void triggerClientEvents() {
      for (ClientEvent ce : settings.clientEvents()) {
        if (!ce.channel().equals(channel.name())) {
          continue;
        }
        ChannelKind kind = ChannelNames.kindOf(channel.name());
        if (!(channel instanceof PrivateChannel pc) || kind == ChannelKind.PRIVATE_ENCRYPTED) {
          LOG.warn(
              "Not sending {} on {}: client events need a private- or presence- channel (not encrypted)",
              ce.event(),
              channel.name());
          continue;
        }
        try {
          pc.trigger(ce.event(), JsJson.stringify(ce.data()));
        } catch (RuntimeException ex) {
          LOG.warn("Client event {} on {} was not sent: {}", ce.event(), channel.name(), ex.getMessage());
        }
      }
    }
  }
}
