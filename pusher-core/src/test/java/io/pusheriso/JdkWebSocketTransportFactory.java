package io.pusheriso;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * A test-only WebSocket transport over the JDK's {@link java.net.http.WebSocket}, so that core
 * tests can talk to the embedded server over a real socket without depending on a transport
 * module. Sends are chained (the JDK allows one outstanding send); the terminal callback is
 * delivered once. Thread-safe.
 */
final class JdkWebSocketTransportFactory implements TransportFactory {

  private final HttpClient client;

  JdkWebSocketTransportFactory() {
    this(null);
  }

  JdkWebSocketTransportFactory(SSLContext ssl) {
    this(ssl, null);
  }

  /**
   * With {@code executor} for the HTTP client's work instead of its default cached pool (whose idle
   * threads linger for a minute), so that a test can count threads.
   */
  JdkWebSocketTransportFactory(SSLContext ssl, Executor executor) {
    HttpClient.Builder b = HttpClient.newBuilder();
    if (ssl != null) {
      b.sslContext(ssl);
    }
    if (executor != null) {
      b.executor(executor);
    }
    this.client = b.build();
  }

  @Override
  public String name() {
    return "jdk-test";
  }

  @Override
  public Set<TransportKind> kinds() {
    return EnumSet.of(TransportKind.WEBSOCKET);
  }

  @Override
  public Transport open(TransportRequest request, TransportListener listener) {
    JdkTransport t = new JdkTransport(listener);
    client
        .newWebSocketBuilder()
        .connectTimeout(request.connectTimeout())
        .buildAsync(request.uri(), t)
        .whenComplete(
            (ws, error) -> {
              if (error != null) {
                t.terminate(() -> listener.onError(t, error));
              }
            });
    return t;
  }

  @Override
  public void close() {}

  private static final class JdkTransport implements Transport, WebSocket.Listener {
    private final TransportListener listener;
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final StringBuilder text = new StringBuilder();
    private volatile WebSocket ws;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    private boolean closing;

    JdkTransport(TransportListener listener) {
      this.listener = listener;
    }

    void terminate(Runnable callback) {
      if (terminated.compareAndSet(false, true)) {
        callback.run();
      }
    }

    @Override
    public TransportKind kind() {
      return TransportKind.WEBSOCKET;
    }

    @Override
    public synchronized boolean send(String message) {
      WebSocket w = ws;
      if (w == null || closing || terminated.get()) {
        return false;
      }
      sendChain = sendChain.thenCompose(v -> w.sendText(message, true));
      return true;
    }

    @Override
    public synchronized void close(int code, String reason) {
      if (closing) {
        return;
      }
      closing = true;
      WebSocket w = ws;
      if (w == null) {
        return;
      }
      sendChain = sendChain.handle((v, e) -> null).thenCompose(v -> w.sendClose(code, reason == null ? "" : reason));
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      boolean closeNow;
      synchronized (this) {
        ws = webSocket;
        closeNow = closing;
      }
      if (closeNow) {
        webSocket.sendClose(1000, "abandoned");
        webSocket.request(1);
        return;
      }
      listener.onOpen(this);
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String message = text.toString();
        text.setLength(0);
        if (!terminated.get()) {
          listener.onMessage(this, message);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      terminate(() -> listener.onClose(this, statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      terminate(() -> listener.onError(this, error));
    }
  }
}
