package io.pusheriso;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory transport factory: the test plays the server through {@link FakeTransport}. Every
 * opened transport is recorded. Thread-safe.
 */
final class FakeTransportFactory implements TransportFactory {

  private final String name;
  private final Set<TransportKind> kinds;
  final List<FakeTransport> opened = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  FakeTransportFactory(String name, TransportKind... kinds) {
    this.name = name;
    this.kinds = kinds.length == 0 ? EnumSet.of(TransportKind.WEBSOCKET) : EnumSet.of(kinds[0], kinds);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<TransportKind> kinds() {
    return kinds;
  }

  @Override
  public Transport open(TransportRequest request, TransportListener listener) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    FakeTransport t = new FakeTransport(request, listener);
    opened.add(t);
    return t;
  }

  @Override
  public void close() {
    closed = true;
  }

  FakeTransport last() {
    return opened.get(opened.size() - 1);
  }

  /** One in-memory connection. */
  static final class FakeTransport implements Transport {
    final TransportRequest request;
    final TransportListener listener;
    final List<String> sent = new CopyOnWriteArrayList<>();
    volatile boolean open;
    volatile boolean terminated;
    volatile int closeCode = -1;

    FakeTransport(TransportRequest request, TransportListener listener) {
      this.request = request;
      this.listener = listener;
    }

    @Override
    public TransportKind kind() {
      return request.kind();
    }

    @Override
    public boolean send(String text) {
      if (!open || terminated) {
        return false;
      }
      sent.add(text);
      return true;
    }

    @Override
    public void close(int code, String reason) {
      if (!terminated) {
        closeCode = code;
        terminated = true;
        open = false;
      }
    }

    /** Server side: the connection opens. */
    void serverOpen() {
      open = true;
      listener.onOpen(this);
    }

    /** Server side: opens and completes the handshake. */
    void serverHandshake(String socketId) {
      serverOpen();
      serverSend(
          "{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\""
              + socketId
              + "\\\",\\\"activity_timeout\\\":120}\"}");
    }

    void serverSend(String frame) {
      listener.onMessage(this, frame);
    }

    void serverClose(int code, String reason) {
      terminated = true;
      open = false;
      listener.onClose(this, code, reason);
    }

    void serverFail(Throwable error) {
      terminated = true;
      open = false;
      listener.onError(this, error);
    }

    List<String> sentEvents(String event) {
      return sent.stream().filter(s -> s.contains("\"event\":\"" + event + "\"")).toList();
    }
  }
}
