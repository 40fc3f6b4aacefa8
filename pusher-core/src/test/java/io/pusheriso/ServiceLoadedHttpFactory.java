package io.pusheriso;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transport factory offering HTTP fallback kinds, found through {@link java.util.ServiceLoader} in {@link
 * TransportDiscoveryTest} (registered only in that test's class loader). Records its instances.
 */
public final class ServiceLoadedHttpFactory implements TransportFactory {

  static final List<ServiceLoadedHttpFactory> INSTANCES = new CopyOnWriteArrayList<>();

  private final FakeTransportFactory delegate = new FakeTransportFactory("service-loaded-http");
  volatile boolean closed;

  /** Called by ServiceLoader. */
  public ServiceLoadedHttpFactory() {
    INSTANCES.add(this);
  }

  @Override
  public String name() {
    return "service-loaded-http";
  }

  @Override
  public Set<TransportKind> kinds() {
    return Set.of(TransportKind.XHR_STREAMING, TransportKind.XHR_POLLING);
  }

  @Override
  public Transport open(TransportRequest request, TransportListener listener) {
    return delegate.open(request, listener);
  }

  @Override
  public void close() {
    closed = true;
  }
}
