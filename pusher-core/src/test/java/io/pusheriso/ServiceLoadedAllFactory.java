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
 * A transport factory offering every kind, with a name that sorts first, found through {@link java.util.ServiceLoader} in {@link
 * TransportDiscoveryTest} (registered only in that test's class loader). Records its instances.
 */
public final class ServiceLoadedAllFactory implements TransportFactory {

  static final List<ServiceLoadedAllFactory> INSTANCES = new CopyOnWriteArrayList<>();

  private final FakeTransportFactory delegate = new FakeTransportFactory("aaa-all");
  volatile boolean closed;

  /** Called by ServiceLoader. */
  public ServiceLoadedAllFactory() {
    INSTANCES.add(this);
  }

  @Override
  public String name() {
    return "aaa-all";
  }

  @Override
  public Set<TransportKind> kinds() {
    return EnumSet.allOf(TransportKind.class);
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
