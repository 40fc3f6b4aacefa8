package io.pusheriso.transport.httpclient;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A factory that records which kinds the client asked it to open, in order, and delegates: what
 * the connection strategy tried, seen from the client side.
 *
 * <p>Thread-safe.
 */
final class CountingTransportFactory implements TransportFactory {
  private final TransportFactory delegate;
  private final List<TransportKind> opened = new CopyOnWriteArrayList<>();

  CountingTransportFactory(TransportFactory delegate) {
    this.delegate = delegate;
  }

  /** Every kind opened so far, in order. */
  List<TransportKind> opened() {
    return List.copyOf(opened);
  }

  int count(TransportKind kind) {
    return (int) opened.stream().filter(k -> k == kind).count();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Set<TransportKind> kinds() {
    return delegate.kinds();
  }

  @Override
  public Transport open(TransportRequest request, TransportListener listener) {
    opened.add(request.kind());
    return delegate.open(request, listener);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
