package io.pusheriso.transport.httpclient.internal;

import io.pusheriso.PusherConnectionException;
import io.pusheriso.PusherProtocolException;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not for public use, may change at any time. One xhr session ({@code xhr_streaming} or {@code
 * xhr_polling}): the {@link Transport} handed to the core.
 *
 * <p>A session is {@code <base path>/<0-999>/<8 base-32 chars>}. One receiving request is always
 * outstanding: a long {@code xhr_streaming} response, reopened in the same session once it passed
 * the streaming limit at a line boundary or when the server ended it with 200 between frames (as
 * SockJS servers do after their response limit), or one {@code xhr} poll after another while each
 * ends with 200. Messages to send are queued and posted in order to {@code xhr_send} as JSON arrays,
 * with at most one such request in flight, so they can never overtake each other; what queues up
 * meanwhile goes out as the next array. Every URL carries the cache-busting {@code t} and {@code n}
 * parameters. A local close only aborts the requests: the xhr protocol has no close request, the
 * server times the session out.
 *
 * <p>Thread-safe. HttpClient calls in from its I/O threads; listener calls go through a {@link
 * SerialLane}, so they are serialized, never reentrant, and end with exactly one terminal call.
 */
public final class XhrTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(XhrTransport.class);

  /** pusher-js numbers every request of the page from one counter; so do we, per JVM. */
  private static final AtomicLong REQUEST_COUNTER = new AtomicLong(1);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String BASE32 = "0123456789abcdefghijklmnopqrstuv";
  private static final int SEND_BATCH_CHARS = 64 * 1024;
  private static final Pattern HOSTNAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\]");
  private static final byte[] EMPTY = new byte[0];
  private static final int MAX_EMPTY_RESPONSES = 3;

  private enum State {
    CONNECTING,
    OPEN,
    DONE
  }

  private final TransportKind kind;
  private final boolean streaming;
  private final CloseableHttpAsyncClient client;
  private final ScheduledExecutorService timer;
  private final Map<String, String> headers;
  private final int maxFrameBytes;
  private final int maxLineBytes;
  private final int streamingLimitBytes;
  private final Duration connectTimeout;
  private final TransportListener listener;
  private final Consumer<XhrTransport> onTerminated;
  private final String scheme;
  private final int port;
  private final String sessionPath;
  private final String rawQuery;
  private final SerialLane lane = new SerialLane();

  // Replaced once, by the hostname of an 'o' frame, before any other request is made.
  private volatile String host;

  private final Object lock = new Object();
  // Guarded by lock.
  private State state = State.CONNECTING;
  private Receive receive;
  private Future<?> sendInFlight;
  private boolean sending;
  private boolean heartbeatDue;
  private final ArrayDeque<String> outbox = new ArrayDeque<>();
  private ScheduledFuture<?> connectTimer;
  private int emptyResponses;
  // Confined to the lane: set by the terminal call, after which nothing reaches the listener.
  private boolean ended;

  XhrTransport(
      TransportRequest request,
      TransportListener listener,
      XhrSettings settings,
      CloseableHttpAsyncClient client,
      ScheduledExecutorService timer,
      Consumer<XhrTransport> onTerminated) {
    this.kind = request.kind();
    this.streaming = kind == TransportKind.XHR_STREAMING;
    this.client = client;
    this.timer = timer;
    this.headers = settings.headers();
    this.maxFrameBytes = request.maxFrameBytes();
    // The o, h and c lines are tiny, but sockjs opens a stream with a 2 KiB line of 'h'.
    this.maxLineBytes = Math.max(4096, Math.min(request.maxFrameBytes(), 64 * 1024));
    this.streamingLimitBytes = settings.streamingLimitBytes();
    this.connectTimeout =
        settings.connectTimeout() != null ? settings.connectTimeout() : request.connectTimeout();
    this.listener = listener;
    this.onTerminated = onTerminated;
    URI uri = request.uri();
    this.scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    this.host = uri.getHost();
    this.port = uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    this.sessionPath = path + "/" + newSessionId();
    this.rawQuery = uri.getRawQuery();
  }

  /** {@code <0-999>/<8 base-32 chars>}, as pusher-js's HTTPSocket names a session. */
  static String newSessionId() {
    StringBuilder sb = new StringBuilder(12);
    sb.append(RANDOM.nextInt(1000)).append('/');
    for (int i = 0; i < 8; i++) {
      sb.append(BASE32.charAt(RANDOM.nextInt(32)));
    }
    return sb.toString();
  }

  /** Arms the connect timeout and sends the first receiving request. */
  void start() {
    synchronized (lock) {
      if (state != State.CONNECTING) {
        return;
      }
      try {
        connectTimer =
            timer.schedule(this::connectTimedOut, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // The factory is closing; its close() ends this transport.
        return;
      }
    }
    startReceive();
  }

  @Override
  public TransportKind kind() {
    return kind;
  }

  @Override
  public boolean send(String text) {
    Objects.requireNonNull(text, "text");
    String batch = null;
    synchronized (lock) {
      if (state != State.OPEN) {
        return false;
      }
      outbox.add(text);
      if (!sending) {
        sending = true;
        batch = takeBatchLocked();
      }
    }
    if (batch != null) {
      post(batch);
    }
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Aborts the outstanding requests and reports {@code onClose} with this code and reason at
   * once (from another thread): nothing is sent to the server, which times the session out.
   */
  @Override
  public void close(int code, String reason) {
    String why = reason == null ? "" : reason;
    Runnable cleanup;
    synchronized (lock) {
      if (state == State.DONE) {
        return;
      }
      cleanup = terminateLocked();
    }
    cleanup.run();
    LOG.debug("{} closed locally ({} {})", this, code, why);
    lane.executeOn(timer, end(() -> listener.onClose(this, code, why)));
  }

  /** The factory is closing: like {@link #close} with 1001. */
  void shutdown() {
    close(1001, "Transport factory closed");
  }

  // ---------------------------------------------------------------------------------------------
  // Receiving
  // ---------------------------------------------------------------------------------------------

  private void startReceive() {
    Receive r;
    synchronized (lock) {
      if (state == State.DONE) {
        return;
      }
      r = new Receive();
      receive = r;
    }
    String url = base() + (streaming ? "/xhr_streaming" : "/xhr") + uniqueQuery(rawQuery);
    LOG.debug("{} receiving: POST {}", this, url);
    try {
      r.attach(client.execute(post(url, EMPTY), r, r));
    } catch (RuntimeException e) {
      // A closed or stopped client refuses at once.
      receiveFailed(r, e);
    }
  }

  private void afterChunk(Receive r) {
    if (!streaming || r.bytes <= streamingLimitBytes || !r.parser.atLineStart()) {
      return;
    }
    synchronized (lock) {
      if (receive != r || state != State.OPEN) {
        return;
      }
    }
    // pusher-js's buffer_too_long: everything read so far was whole lines, so nothing is lost by
    // dropping this response and reading the session on with a new one.
    LOG.debug("xhr_streaming response passed {} bytes; reopening it in the same session", streamingLimitBytes);
    r.abort();
    startReceive();
  }

  private void receiveEnded(Receive r) {
    if (!r.finished.compareAndSet(false, true)) {
      return;
    }
    int status = r.status;
    boolean midFrame = !r.parser.atLineStart();
    LOG.debug("{} receiving request ended: HTTP {} after {} bytes", this, status, r.bytes);
    boolean again = false;
    boolean wasOpen;
    Runnable cleanup = null;
    synchronized (lock) {
      if (receive != r || state == State.DONE) {
        return;
      }
      wasOpen = state == State.OPEN;
      emptyResponses = status == 200 && r.bytes == 0 ? emptyResponses + 1 : 0;
      if (emptyResponses > MAX_EMPTY_RESPONSES) {
        // pusher-js would poll again at once, forever; a server or proxy that keeps answering
        // nothing would turn that into a busy loop.
        cleanup = terminateLocked();
      } else if (status == 200 && !midFrame && (!streaming || (wasOpen && r.bytes > 0))) {
        // A poll that ended 200 is reissued (pusher-js). A stream that ended 200 between frames
        // after carrying some is reopened too: SockJS servers end streaming responses after a
        // response limit (sockjs-node: 128 KiB) and expect the client back in the same session,
        // where pusher-js would close with 1006 and reconnect from scratch. A server that lost
        // the session answers the new request with a fresh 'o', which closes as pusher-js does.
        again = true;
      } else {
        cleanup = terminateLocked();
      }
    }
    if (again) {
      startReceive();
      return;
    }
    cleanup.run();
    r.abort();
    String endpoint = streaming ? "xhr_streaming" : "xhr";
    if (wasOpen) {
      String why =
          emptyResponses > MAX_EMPTY_RESPONSES
              ? "Connection interrupted (" + emptyResponses + " empty " + endpoint + " responses in a row)"
              : midFrame && status == 200
              ? "Connection interrupted (the " + endpoint + " response ended inside a frame)"
              : "Connection interrupted (" + status + ")";
      lane.execute(end(() -> listener.onClose(this, 1006, why)));
    } else {
      String message =
          status == 200
              ? "The server at "
                  + target()
                  + " ended the "
                  + endpoint
                  + " response before opening the session"
              : "The server at "
                  + target()
                  + " answered HTTP "
                  + status
                  + " to POST "
                  + sessionPath
                  + "/"
                  + endpoint
                  + "; check the host, port, httpPath and app key";
      PusherConnectionException error = new PusherConnectionException(-1, message);
      lane.execute(end(() -> listener.onError(this, error)));
    }
  }

  private void receiveFailed(Receive r, Exception cause) {
    if (!r.finished.compareAndSet(false, true)) {
      return;
    }
    LOG.debug("{} receiving request failed: {}", this, Failures.brief(cause));
    boolean wasOpen;
    Runnable cleanup;
    synchronized (lock) {
      if (receive != r || state == State.DONE) {
        return;
      }
      wasOpen = state == State.OPEN;
      cleanup = terminateLocked();
    }
    cleanup.run();
    if (wasOpen) {
      String why = "Connection interrupted (" + Failures.brief(cause) + ")";
      lane.execute(end(() -> listener.onClose(this, 1006, why)));
    } else {
      PusherConnectionException error = Failures.describe(target(), host, cause);
      lane.execute(end(() -> listener.onError(this, error)));
    }
  }

  private void protocolError(Receive r, XhrProtocolException e) {
    r.finished.set(true);
    Runnable cleanup;
    synchronized (lock) {
      if (receive != r || state == State.DONE) {
        return;
      }
      cleanup = terminateLocked();
    }
    cleanup.run();
    if (e.limitExceeded()) {
      lane.execute(end(() -> listener.onClose(this, 1009, e.getMessage())));
    } else {
      PusherProtocolException error =
          new PusherProtocolException(e.getMessage() + " (from " + target() + ")", e);
      lane.execute(end(() -> listener.onError(this, error)));
    }
  }

  private void openFrame(Receive r, String hostname) {
    boolean opened;
    Runnable cleanup = null;
    synchronized (lock) {
      if (receive != r || state == State.DONE) {
        return;
      }
      if (state == State.CONNECTING) {
        if (hostname != null) {
          if (!HOSTNAME.matcher(hostname).matches()) {
            throw new XhrProtocolException(
                "Malformed xhr response: the hostname of the 'o' frame is not a host name", false);
          }
          host = hostname;
        }
        state = State.OPEN;
        cancelConnectTimerLocked();
        opened = true;
      } else {
        cleanup = terminateLocked();
        opened = false;
      }
    }
    if (opened) {
      lane.execute(event(() -> listener.onOpen(this)));
    } else {
      cleanup.run();
      lane.execute(end(() -> listener.onClose(this, 1006, "Server lost session")));
    }
  }

  private void heartbeatFrame(Receive r) {
    String batch = null;
    synchronized (lock) {
      if (receive != r || state != State.OPEN) {
        return;
      }
      if (streaming) {
        // pusher-js answers a streaming heartbeat with an empty xhr_send, which tells the server
        // the client is still there; a poll does that by itself.
        heartbeatDue = true;
        if (!sending) {
          sending = true;
          batch = takeBatchLocked();
        }
      }
    }
    lane.execute(event(() -> listener.onActivity(this)));
    if (batch != null) {
      post(batch);
    }
  }

  private void messageFrame(Receive r, ByteBuffer utf8) {
    synchronized (lock) {
      if (receive != r || state == State.DONE) {
        return;
      }
      if (state == State.CONNECTING) {
        LOG.debug("Dropped a message that arrived before the xhr session opened");
        return;
      }
    }
    // The bytes are the parser's (or the response's) and die when this returns: when the lane is
    // free, as it nearly always is, the listener reads them here, in lane order, with no task and no
    // copy; otherwise they are copied and queued behind what holds the lane.
    if (lane.tryEnter()) {
      try {
        if (!ended) {
          listener.onMessage(this, utf8);
        }
      } catch (RuntimeException e) {
        LOG.warn("A transport listener threw; the next calls still run", e);
      } finally {
        lane.leave();
      }
    } else {
      byte[] copy = new byte[utf8.remaining()];
      utf8.get(copy);
      lane.execute(event(() -> listener.onMessage(this, ByteBuffer.wrap(copy))));
    }
  }

  private void closeFrame(Receive r, int code, String reason) {
    Runnable cleanup;
    synchronized (lock) {
      if (receive != r || state == State.DONE) {
        return;
      }
      cleanup = terminateLocked();
    }
    cleanup.run();
    lane.execute(end(() -> listener.onClose(this, code, reason)));
  }

  private void connectTimedOut() {
    Runnable cleanup;
    synchronized (lock) {
      if (state != State.CONNECTING) {
        return;
      }
      cleanup = terminateLocked();
    }
    cleanup.run();
    PusherConnectionException error = Failures.timedOut(target(), connectTimeout);
    lane.execute(end(() -> listener.onError(this, error)));
  }

  // ---------------------------------------------------------------------------------------------
  // Sending
  // ---------------------------------------------------------------------------------------------

  private String takeBatchLocked() {
    StringBuilder sb = new StringBuilder("[");
    int count = 0;
    while (!outbox.isEmpty()) {
      String next = outbox.peek();
      if (count > 0 && sb.length() + next.length() > SEND_BATCH_CHARS) {
        break;
      }
      if (count > 0) {
        sb.append(',');
      }
      MiniJson.quote(outbox.poll(), sb);
      count++;
    }
    heartbeatDue = false;
    return sb.append(']').toString();
  }

  private void post(String batch) {
    String url = base() + "/xhr_send" + uniqueQuery(null);
    SendResult result = new SendResult();
    try {
      Future<Integer> future =
          client.execute(post(url, batch.getBytes(StandardCharsets.UTF_8)), result, result);
      boolean abandon;
      synchronized (lock) {
        abandon = state == State.DONE;
        if (!abandon) {
          sendInFlight = future;
        }
      }
      if (abandon) {
        future.cancel(true);
      }
    } catch (RuntimeException e) {
      sendFailed("Sending failed (" + Failures.brief(e) + ")");
    }
  }

  private void sent(int status) {
    if (status / 100 != 2) {
      sendFailed("Sending failed (xhr_send answered HTTP " + status + ")");
      return;
    }
    String batch = null;
    synchronized (lock) {
      if (state == State.DONE) {
        return;
      }
      if (!outbox.isEmpty() || heartbeatDue) {
        batch = takeBatchLocked();
      } else {
        sending = false;
      }
    }
    if (batch != null) {
      post(batch);
    }
  }

  private void sendFailed(String why) {
    Runnable cleanup;
    synchronized (lock) {
      if (state == State.DONE) {
        return;
      }
      cleanup = terminateLocked();
    }
    cleanup.run();
    lane.execute(end(() -> listener.onClose(this, 1006, why)));
  }

  // ---------------------------------------------------------------------------------------------
  // Plumbing
  // ---------------------------------------------------------------------------------------------

  /**
   * Ends the session; returns what must run once the lock is released (aborting requests calls
   * into HttpClient, which must never happen under this lock).
   */
  private Runnable terminateLocked() {
    state = State.DONE;
    cancelConnectTimerLocked();
    List<Runnable> work = new ArrayList<>(2);
    Receive r = receive;
    if (r != null) {
      work.add(r::abort);
    }
    Future<?> f = sendInFlight;
    sendInFlight = null;
    if (f != null) {
      work.add(() -> f.cancel(true));
    }
    outbox.clear();
    sending = false;
    onTerminated.accept(this);
    return () -> work.forEach(Runnable::run);
  }

  private void cancelConnectTimerLocked() {
    if (connectTimer != null) {
      connectTimer.cancel(false);
      connectTimer = null;
    }
  }

  private AsyncRequestProducer post(String url, byte[] body) {
    AsyncRequestBuilder builder = AsyncRequestBuilder.post(url);
    headers.forEach(builder::addHeader);
    // pusher-js sends every request, the empty receiving ones too, as application/json.
    builder.setEntity(AsyncEntityProducers.create(body, ContentType.APPLICATION_JSON));
    return builder.build();
  }

  private String base() {
    return scheme + "://" + host + (port > 0 ? ":" + port : "") + sessionPath;
  }

  private static String uniqueQuery(String query) {
    return (query == null || query.isEmpty() ? "?" : "?" + query + "&")
        + "t="
        + System.currentTimeMillis()
        + "&n="
        + REQUEST_COUNTER.getAndIncrement();
  }

  private String target() {
    return scheme + "://" + host + ":" + (port > 0 ? port : "https".equals(scheme) ? 443 : 80);
  }

  /** A non-terminal call, dropped once the terminal one ran. */
  private Runnable event(Runnable call) {
    return () -> {
      if (!ended) {
        call.run();
      }
    };
  }

  /** The terminal call: runs once, and only if no other terminal call ran before it. */
  private Runnable end(Runnable call) {
    return () -> {
      if (!ended) {
        ended = true;
        call.run();
      }
    };
  }

  @Override
  public String toString() {
    State current;
    synchronized (lock) {
      current = state;
    }
    return "XhrTransport{" + kind.wireName() + " " + target() + sessionPath + ", " + current + "}";
  }

  /** One receiving request: its response consumer, completion callback and frame handler. */
  private final class Receive
      implements AsyncResponseConsumer<Void>, FutureCallback<Void>, XhrFrameParser.Handler {
    final XhrFrameParser parser = new XhrFrameParser(maxFrameBytes, maxLineBytes, this);
    final AtomicBoolean finished = new AtomicBoolean();
    private volatile Future<?> future;
    // Written and read on the I/O thread that runs this exchange.
    volatile int status;
    long bytes;
    private FutureCallback<Void> result;

    void attach(Future<?> f) {
      future = f;
      if (finished.get()) {
        f.cancel(true);
      }
    }

    void abort() {
      finished.set(true);
      Future<?> f = future;
      if (f != null) {
        f.cancel(true);
      }
    }

    @Override
    public void consumeResponse(
        HttpResponse response,
        EntityDetails entityDetails,
        HttpContext context,
        FutureCallback<Void> resultCallback) {
      status = response.getCode();
      result = resultCallback;
      if (status != 200) {
        // pusher-js ignores the body of any other status; nothing in it is worth reading.
        receiveEnded(this);
        return;
      }
      if (entityDetails == null) {
        resultCallback.completed(null);
        receiveEnded(this);
      }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {}

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
      // Every chunk is parsed as it arrives and nothing is buffered beyond the parser's bounds.
      capacityChannel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer src) {
      if (finished.get()) {
        src.position(src.limit());
        return;
      }
      bytes += src.remaining();
      try {
        parser.feed(src);
      } catch (XhrProtocolException e) {
        src.position(src.limit());
        protocolError(this, e);
        return;
      }
      afterChunk(this);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
      if (result != null) {
        result.completed(null);
      }
      receiveEnded(this);
    }

    @Override
    public void failed(Exception cause) {
      receiveFailed(this, cause);
    }

    @Override
    public void releaseResources() {}

    // FutureCallback of the exchange: failures before any response (connect, TLS) arrive here.

    @Override
    public void completed(Void ignored) {}

    @Override
    public void cancelled() {}

    @Override
    public void onOpenFrame(String hostname) {
      openFrame(this, hostname);
    }

    @Override
    public void onHeartbeat() {
      heartbeatFrame(this);
    }

    @Override
    public void onMessage(ByteBuffer utf8) {
      messageFrame(this, utf8);
    }

    @Override
    public void onCloseFrame(int code, String reason) {
      closeFrame(this, code, reason);
    }
  }

  /** The response to an {@code xhr_send}: only its status matters; the body is discarded. */
  private final class SendResult implements AsyncResponseConsumer<Integer>, FutureCallback<Integer> {
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile int status;
    private FutureCallback<Integer> result;

    @Override
    public void consumeResponse(
        HttpResponse response,
        EntityDetails entityDetails,
        HttpContext context,
        FutureCallback<Integer> resultCallback) {
      status = response.getCode();
      result = resultCallback;
      if (entityDetails == null) {
        resultCallback.completed(status);
      }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {}

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
      capacityChannel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer src) {
      src.position(src.limit());
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
      if (result != null) {
        result.completed(status);
      }
    }

    @Override
    public void failed(Exception cause) {
      if (done.compareAndSet(false, true)) {
        sendFailed("Sending failed (" + Failures.brief(cause) + ")");
      }
    }

    @Override
    public void releaseResources() {}

    @Override
    public void completed(Integer code) {
      if (done.compareAndSet(false, true)) {
        sent(code);
      }
    }

    @Override
    public void cancelled() {
      done.set(true);
    }
  }
}
