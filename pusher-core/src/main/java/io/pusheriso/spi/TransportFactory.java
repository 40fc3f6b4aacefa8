package io.pusheriso.spi;

import java.util.Set;

/**
 * Opens {@link Transport}s of one runtime stack (Netty, Jetty, Apache HttpClient 5...).
 *
 * <p>Transport modules provide an implementation through {@link java.util.ServiceLoader} (both
 * {@code module-info} {@code provides} and {@code META-INF/services}) and a public builder for users
 * who want to configure it (TLS, proxy, a shared event loop) and pass it in the options.
 *
 * <p>Implementations must be thread-safe. A factory may own resources (an event loop group, an
 * HTTP client); {@link #close()} releases only what the factory created itself, never what the
 * user passed in.
 */
public interface TransportFactory extends AutoCloseable {

  /** A short stable identifier, for example {@code netty}, {@code jetty} or {@code httpclient}. */
  String name();

  /** The kinds of transport this factory can open; never empty. */
  Set<TransportKind> kinds();

  /**
   * Starts opening a connection and returns at once; never blocks.
   *
   * <p>The outcome reaches {@code listener}: {@link TransportListener#onOpen} when the connection
   * is ready for messages, or {@link TransportListener#onError} / {@link TransportListener#onClose}
   * when it could not be opened (a connect timeout included).
   *
   * @throws IllegalArgumentException if {@code request.kind()} is not in {@link #kinds()}
   * @throws IllegalStateException if the factory is closed
   */
  Transport open(TransportRequest request, TransportListener listener);

  /**
   * Releases what this factory created (for example its own event loop group). Idempotent; never
   * closes resources the user supplied.
   */
  @Override
  void close();
}
