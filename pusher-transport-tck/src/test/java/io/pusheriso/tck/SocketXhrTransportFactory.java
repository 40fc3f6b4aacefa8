package io.pusheriso.tck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A small HTTP fallback transport on blocking sockets, written from pusher-js's HTTPSocket and the
 * SockJS framing, so that the kit's HTTP kinds run in this module against the embedded server (the
 * product transport lives in transport-httpclient-fallback). Each transport has one receiving
 * thread (a streaming response reopened in the same session when it ends normally, or one poll
 * after another) and sends its messages in batches, one {@code xhr_send} at a time, in order.
 *
 * <p>Thread-safe.
 */
final class SocketXhrTransportFactory implements TransportFactory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final SSLContext ssl;
  private final ExecutorService io;
  private final ScheduledExecutorService timers;
  private final Set<XhrTransport> open = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** @param ssl the TLS context, or null for the JVM's default trust */
  SocketXhrTransportFactory(SSLContext ssl) {
    try {
      this.ssl = ssl == null ? SSLContext.getDefault() : ssl;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    this.io =
        Executors.newCachedThreadPool(
            r -> daemon(r, "tck-xhr-io-" + THREADS.incrementAndGet()));
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "tck-xhr-timer-" + THREADS.incrementAndGet()));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public String name() {
    return "tck-sockets-xhr";
  }

  @Override
  public Set<TransportKind> kinds() {
    return EnumSet.of(TransportKind.XHR_STREAMING, TransportKind.XHR_POLLING);
  }

  @Override
  public Transport open(TransportRequest request, TransportListener listener) {
    if (closed.get()) {
      throw new IllegalStateException("factory closed");
    }
    if (!kinds().contains(request.kind())) {
      throw new IllegalArgumentException("this factory opens no " + request.kind());
    }
    XhrTransport t = new XhrTransport(request, listener);
    open.add(t);
    t.start();
    return t;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (XhrTransport t : open) {
      t.close(1001, "factory closed");
    }
    timers.shutdownNow();
    io.shutdownNow();
    try {
      io.awaitTermination(5, TimeUnit.SECONDS);
      timers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One session. */
  private final class XhrTransport implements Transport {
    private final TransportRequest request;
    private final TransportListener listener;
    private final boolean streaming;
    private final String base;
    private final String query;
    private final String session;

    private final Object lock = new Object();
    /** guarded by lock: 0 connecting, 1 open, 2 closed. */
    private int state;
    private final List<Socket> sockets = new ArrayList<>();
    private final ArrayDeque<String> outbox = new ArrayDeque<>();
    private boolean sending;
    private ScheduledFuture<?> connectTimer;

    /** Listener calls, one at a time in order; lane-confined {@code ended} drops what follows the end. */
    private final ArrayDeque<Runnable> lane = new ArrayDeque<>();
    private boolean laneRunning;
    private boolean ended;

    XhrTransport(TransportRequest request, TransportListener listener) {
      this.request = request;
      this.listener = listener;
      this.streaming = request.kind() == TransportKind.XHR_STREAMING;
      URI uri = request.uri();
      this.base =
          uri.getRawPath().endsWith("/")
              ? uri.getRawPath().substring(0, uri.getRawPath().length() - 1)
              : uri.getRawPath();
      this.query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      ThreadLocalRandom random = ThreadLocalRandom.current();
      StringBuilder sb = new StringBuilder().append(random.nextInt(1000)).append('/');
      for (int i = 0; i < 8; i++) {
        sb.append(Integer.toString(random.nextInt(32), 32));
      }
      this.session = sb.toString();
    }

    void start() {
      long millis = request.connectTimeout().toMillis();
      synchronized (lock) {
        connectTimer =
            timers.schedule(
                () ->
                    fail(
                        new SocketTimeoutException(
                            "connect timed out after "
                                + millis
                                + " ms (no 'o' frame from the server)")),
                millis,
                TimeUnit.MILLISECONDS);
      }
      io.execute(this::receiveLoop);
    }

    @Override
    public TransportKind kind() {
      return request.kind();
    }

    @Override
    public boolean send(String text) {
      synchronized (lock) {
        if (state != 1) {
          return false;
        }
        outbox.add(text);
        if (sending) {
          return true;
        }
        sending = true;
      }
      io.execute(this::sendLoop);
      return true;
    }

    @Override
    public void close(int code, String reason) {
      // pusher-js's HTTPSocket.close: abort what is in flight, report the close; no request sent.
      end(() -> listener.onClose(this, code, reason));
    }

    private void fail(Throwable error) {
      boolean wasOpen;
      synchronized (lock) {
        wasOpen = state == 1;
      }
      if (wasOpen) {
        end(() -> listener.onClose(this, 1006, "Connection interrupted: " + error));
      } else {
        end(() -> listener.onError(this, error));
      }
    }

    /** Ends the transport once: aborts every socket and delivers the terminal callback last. */
    private void end(Runnable terminal) {
      List<Socket> abort;
      synchronized (lock) {
        if (state == 2) {
          return;
        }
        state = 2;
        if (connectTimer != null) {
          connectTimer.cancel(false);
        }
        abort = new ArrayList<>(sockets);
        sockets.clear();
        outbox.clear();
      }
      for (Socket s : abort) {
        closeQuietly(s);
      }
      open.remove(this);
      post(
          () -> {
            ended = true;
            terminal.run();
          });
    }

    private boolean isEnded() {
      synchronized (lock) {
        return state == 2;
      }
    }

    private void post(Runnable call) {
      synchronized (lane) {
        lane.add(call);
        if (laneRunning) {
          return;
        }
        laneRunning = true;
      }
      Runnable drain =
          () -> {
            while (true) {
              Runnable next;
              synchronized (lane) {
                next = lane.poll();
                if (next == null) {
                  laneRunning = false;
                  return;
                }
              }
              if (!ended) {
                next.run();
              }
            }
          };
      try {
        io.execute(drain);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // The factory is closing: run the terminal callback here rather than lose it.
        drain.run();
      }
    }

    // ---- receiving ----

    private void receiveLoop() {
      String op = streaming ? "xhr_streaming" : "xhr";
      while (!isEnded()) {
        Socket socket = null;
        try {
          socket = connect();
          OutputStream out = socket.getOutputStream();
          out.write(requestHead(base + "/" + session + "/" + op + query, 0));
          out.flush();
          InputStream in = new BufferedInputStream(socket.getInputStream());
          int status = readHead(in);
          if (status != 200) {
            fail(new IOException("Connection interrupted (" + status + ")"));
            return;
          }
          if (!readChunkedLines(in)) {
            return;
          }
          // A normal end: streaming reopens in the same session; polling polls again.
        } catch (IOException e) {
          if (!isEnded()) {
            fail(e);
          }
          return;
        } finally {
          release(socket);
        }
      }
    }

    /** Reads the chunked body; returns false when the transport ended on a frame. */
    private boolean readChunkedLines(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        String size = readLine(in);
        if (size == null) {
          throw new IOException("response cut off");
        }
        int n = Integer.parseInt(size.trim(), 16);
        if (n == 0) {
          readLine(in);
          return !isEnded();
        }
        byte[] data = in.readNBytes(n);
        if (data.length < n) {
          throw new IOException("response cut off inside a chunk");
        }
        readLine(in);
        for (byte b : data) {
          if (b != '\n') {
            line.write(b);
            if (line.size() > request.maxFrameBytes() + 64) {
              end(
                  () ->
                      listener.onClose(
                          this,
                          1009,
                          "a frame is over maxFrameBytes (" + request.maxFrameBytes() + ")"));
              return false;
            }
            continue;
          }
          String frame = line.toString(StandardCharsets.UTF_8);
          line.reset();
          if (!onFrame(frame)) {
            return false;
          }
        }
      }
    }

    /** Handles one frame line; returns false when the transport ended. */
    private boolean onFrame(String frame) throws IOException {
      if (frame.isEmpty()) {
        return true;
      }
      switch (frame.charAt(0)) {
        case 'o':
          synchronized (lock) {
            if (state == 0) {
              state = 1;
              connectTimer.cancel(false);
              post(() -> listener.onOpen(this));
              return true;
            }
          }
          end(() -> listener.onClose(this, 1006, "Server lost session"));
          return false;
        case 'a':
          for (JsonNode m : JSON.readTree(frame.substring(1))) {
            String text = m.asText();
            if (text.getBytes(StandardCharsets.UTF_8).length > request.maxFrameBytes()) {
              end(
                  () ->
                      listener.onClose(
                          this,
                          1009,
                          "a message is over maxFrameBytes (" + request.maxFrameBytes() + ")"));
              return false;
            }
            post(() -> listener.onMessage(this, text));
          }
          return true;
        case 'h':
          // The streaming prelude is a line of 'h' too; pusher-js counts activity only once open.
          synchronized (lock) {
            if (state == 1) {
              post(() -> listener.onActivity(this));
            }
          }
          return true;
        case 'c':
          JsonNode c = JSON.readTree(frame.substring(1));
          end(() -> listener.onClose(this, c.path(0).asInt(), c.path(1).asText()));
          return false;
        default:
          return true; // pusher-js ignores other frame types
      }
    }

    // ---- sending ----

    private void sendLoop() {
      while (true) {
        List<String> batch;
        synchronized (lock) {
          if (outbox.isEmpty() || state == 2) {
            sending = false;
            return;
          }
          batch = new ArrayList<>(outbox);
          outbox.clear();
        }
        Socket socket = null;
        try {
          byte[] body = JSON.writeValueAsBytes(batch);
          socket = connect();
          OutputStream out = socket.getOutputStream();
          out.write(requestHead(base + "/" + session + "/xhr_send", body.length));
          out.write(body);
          out.flush();
          InputStream in = new BufferedInputStream(socket.getInputStream());
          int status = readHead(in);
          if (status != 204) {
            fail(new IOException("xhr_send answered " + status));
            return;
          }
        } catch (IOException e) {
          if (!isEnded()) {
            fail(e);
          }
          return;
        } finally {
          release(socket);
        }
      }
    }

    // ---- HTTP/1.1 on a socket ----

    private Socket connect() throws IOException {
      URI uri = request.uri();
      boolean tls = request.secure();
      int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
      Socket socket = new Socket();
      track(socket);
      socket.connect(
          new InetSocketAddress(uri.getHost(), port), (int) request.connectTimeout().toMillis());
      if (!tls) {
        return socket;
      }
      SSLSocket secure =
          (SSLSocket) ssl.getSocketFactory().createSocket(socket, uri.getHost(), port, true);
      track(secure);
      SSLParameters params = secure.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      secure.setSSLParameters(params);
      secure.startHandshake();
      return secure;
    }

    private void track(Socket socket) throws IOException {
      synchronized (lock) {
        if (state == 2) {
          closeQuietly(socket);
          throw new IOException("transport closed");
        }
        sockets.add(socket);
      }
    }

    private void release(Socket socket) {
      if (socket != null) {
        synchronized (lock) {
          sockets.remove(socket);
        }
        closeQuietly(socket);
      }
    }

    private byte[] requestHead(String pathAndQuery, int contentLength) {
      URI uri = request.uri();
      return ("POST "
              + pathAndQuery
              + " HTTP/1.1\r\nHost: "
              + uri.getHost()
              + ":"
              + uri.getPort()
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + contentLength
              + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
    }

    private int readHead(InputStream in) throws IOException {
      String statusLine = readLine(in);
      if (statusLine == null) {
        throw new IOException("the server closed the connection without answering");
      }
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      boolean chunked = false;
      for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
        chunked |= line.toLowerCase(Locale.ROOT).replace(" ", "").equals("transfer-encoding:chunked");
      }
      if (status == 200 && !chunked) {
        throw new IOException("expected a chunked response");
      }
      return status;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return null;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
