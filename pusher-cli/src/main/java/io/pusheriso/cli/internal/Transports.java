package io.pusheriso.cli.internal;

import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.transport.httpclient.HttpClientTransportFactory;
import io.pusheriso.transport.jetty.JettyTransportFactory;
import io.pusheriso.transport.netty.NettyTransportFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport factories a command uses, built explicitly (not through ServiceLoader) so that the
 * WebSocket implementation is the one asked for and {@code --ca} reaches every one of them. Closing
 * releases them all.
 *
 * <p>Not thread-safe: built and closed by one thread.
 */
final class Transports implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Transports.class);

  /** The WebSocket implementations. */
  enum WsImpl {
    NETTY,
    JETTY
  }

  private final List<TransportFactory> factories;

  private Transports(List<TransportFactory> factories) {
    this.factories = factories;
  }

  /**
   * Builds a factory for each kind in {@code kinds} (all kinds when empty).
   *
   * @param ca trusted certificates for TLS, or null for the JVM's default trust
   */
  static Transports create(WsImpl wsImpl, TrustedCertificates ca, Set<TransportKind> kinds) {
    List<TransportFactory> list = new ArrayList<>();
    try {
      if (kinds.isEmpty() || kinds.contains(TransportKind.WEBSOCKET)) {
        list.add(webSocket(wsImpl, ca));
      }
      if (kinds.isEmpty() || kinds.contains(TransportKind.XHR_STREAMING) || kinds.contains(TransportKind.XHR_POLLING)) {
        list.add(httpFallback(ca));
      }
    } catch (RuntimeException e) {
      list.forEach(Transports::closeQuietly);
      throw e;
    }
    return new Transports(List.copyOf(list));
  }

  static TransportFactory webSocket(WsImpl wsImpl, TrustedCertificates ca) {
    return switch (wsImpl) {
      case NETTY -> {
        NettyTransportFactory.Builder b = NettyTransportFactory.builder();
        if (ca != null) {
          b.trustedCertificates(ca.file());
        }
        yield b.build();
      }
      case JETTY -> {
        JettyTransportFactory.Builder b = JettyTransportFactory.builder();
        if (ca != null) {
          b.trustedCertificates(ca.file());
        }
        yield b.build();
      }
    };
  }

  /** The HTTP fallback (xhr_streaming and xhr_polling) over Apache HttpClient 5. */
  static TransportFactory httpFallback(TrustedCertificates ca) {
    HttpClientTransportFactory.Builder b = HttpClientTransportFactory.builder();
    if (ca != null) {
      b.trustedCertificates(ca.file());
    }
    return b.build();
  }

  /** The factories, for {@code PusherOptions.Builder.transportFactories}. */
  List<TransportFactory> factories() {
    return factories;
  }

  @Override
  public void close() {
    factories.forEach(Transports::closeQuietly);
  }

  static void closeQuietly(TransportFactory factory) {
    try {
      factory.close();
    } catch (RuntimeException e) {
      LOG.warn("Closing transport factory {} failed: {}", factory.name(), e.toString());
    }
  }
}
