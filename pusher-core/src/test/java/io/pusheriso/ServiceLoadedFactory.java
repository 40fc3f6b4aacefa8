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
 * A transport factory found through {@link java.util.ServiceLoader} in {@link
 * TransportDiscoveryTest} (registered only in that test's class loader). Records its instances.
 */
public final class ServiceLoadedFactory implements TransportFactory {

  static final List<ServiceLoadedFactory> INSTANCES = new CopyOnWriteArrayList<>();

  private final FakeTransportFactory delegate = new FakeTransportFactory("service-loaded");
  volatile boolean closed;

  /** Called by ServiceLoader. */
  public ServiceLoadedFactory() {
    INSTANCES.add(this);
  }

  @Override
  public String name() {
    return "service-loaded";
  }

  @Override
  public Set<TransportKind> kinds() {
    return Set.of(TransportKind.WEBSOCKET);
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
