package io.pusheriso;

import io.pusheriso.protocol.AuthSigner;
import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.ChannelNames;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory transport whose server answers by itself, on one "server" thread, as a network
 * peer would: it opens every connection with a handshake, checks channel signatures for the
 * socket id it gave, confirms subscriptions, forgets unsubscriptions, answers pings and counts
 * client events; a close from the client ends with one {@code onClose}, later and on the server
 * thread. Only connections not yet ended are retained, so millions can pass through it.
 * Thread-safe; {@link #shutdown()} stops the server thread.
 */
final class AutoServerTransportFactory implements TransportFactory {

  private static final Pattern CHANNEL = Pattern.compile("\"channel\":\"([^\"]+)\"");
  private static final Pattern AUTH = Pattern.compile("\"auth\":\"([^\"]+)\"");

  private final ExecutorService server;
  private final AuthSigner signer;
  private final AtomicInteger ids = new AtomicInteger();
  /** Connections whose terminal callback has not been delivered yet. */
  final Set<AutoTransport> live = ConcurrentHashMap.newKeySet();
  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger badSignatures = new AtomicInteger();
  final AtomicInteger clientEvents = new AtomicInteger();
  /** Client events for a channel this connection is not subscribed to (a real server refuses them). */
  final AtomicInteger strayClientEvents = new AtomicInteger();

  AutoServerTransportFactory(String appKey, String appSecret) {
    this.signer = new AuthSigner(appKey, appSecret);
    this.server = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fake-server");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public String name() {
    return "auto-server";
  }

  @Override
  public Set<TransportKind> kinds() {
    return EnumSet.of(TransportKind.WEBSOCKET);
  }

  @Override
  public Transport open(TransportRequest request, TransportListener listener) {
    AutoTransport t = new AutoTransport(listener, "1." + ids.incrementAndGet());
    live.add(t);
    opened.incrementAndGet();
    server.execute(t::serverOpen);
    return t;
  }

  /** Not closing anything: the factory is passed in the options, so the client never owns it. */
  @Override
  public void close() {}

  /** Runs {@code task} on the server thread, after everything already queued there. */
  void onServer(Runnable task) {
    server.execute(task);
  }

  void shutdown() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(10, TimeUnit.SECONDS);
  }

  /** The open connections (handshake sent, not ended). */
  List<AutoTransport> openConnections() {
    return live.stream().filter(t -> t.established).toList();
  }

  /** One connection; its server side runs only on the server thread. */
  final class AutoTransport implements Transport {
    final String socketId;
    private final TransportListener listener;
    /** Channels the server has confirmed and not seen unsubscribed, on this connection. */
    final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private volatile boolean established;
    private boolean ended;

    AutoTransport(TransportListener listener, String socketId) {
      this.listener = listener;
      this.socketId = socketId;
    }

    @Override
    public TransportKind kind() {
      return TransportKind.WEBSOCKET;
    }

    @Override
    public boolean send(String text) {
      if (closing || !established) {
        return false;
      }
      server.execute(() -> handle(text));
      return true;
    }

    @Override
    public void close(int code, String reason) {
      if (closing) {
        return;
      }
      closing = true;
      server.execute(() -> end(code, reason));
    }

    private void end(int code, String reason) {
      if (!ended) {
        ended = true;
        established = false;
        subscribed.clear();
        live.remove(this);
        listener.onClose(this, code, reason);
      }
    }

    private void serverOpen() {
      if (ended || closing) {
        end(1000, "closed before it opened");
        return;
      }
      established = true;
      listener.onOpen(this);
      deliver("{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"" + socketId
          + "\\\",\\\"activity_timeout\\\":120}\"}");
    }

    /** Server thread: a frame to the client, unless the connection ended. */
    void deliver(String frame) {
      if (!ended) {
        listener.onMessage(this, frame);
      }
    }

    private void handle(String text) {
      if (ended) {
        return;
      }
      String channel = group(CHANNEL, text);
      if (text.contains("\"event\":\"pusher:subscribe\"")) {
        ChannelKind kind = ChannelNames.kindOf(channel);
        if (kind.requiresAuthorization() && !signer.signChannel(socketId, channel).equals(group(AUTH, text))) {
          badSignatures.incrementAndGet();
          deliver("{\"event\":\"pusher:subscription_error\",\"channel\":\"" + channel
              + "\",\"data\":{\"type\":\"AuthError\",\"error\":\"bad signature\",\"status\":401}}");
          return;
        }
        subscribed.add(channel);
        deliver("{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"" + channel + "\",\"data\":\"{}\"}");
      } else if (text.contains("\"event\":\"pusher:unsubscribe\"")) {
        subscribed.remove(channel);
      } else if (text.contains("\"event\":\"pusher:ping\"")) {
        deliver("{\"event\":\"pusher:pong\",\"data\":{}}");
      } else if (text.contains("\"event\":\"client-")) {
        if (subscribed.contains(channel)) {
          clientEvents.incrementAndGet();
        } else {
          strayClientEvents.incrementAndGet();
        }
      }
    }

    private String group(Pattern p, String text) {
      Matcher m = p.matcher(text);
      return m.find() ? m.group(1) : null;
    }
  }
}
