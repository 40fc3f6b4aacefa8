package io.pusheriso.tck;

import io.pusheriso.testkit.PusherTestServer;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * What {@link TransportTck#newFactory(TckContext)} needs to configure a factory for one test: the
 * embedded server's trust material and whether the factory must trust it.
 *
 * <p>When {@link #trustServerCertificate()} is false the factory must be built exactly as a user
 * would build it with no TLS configuration (the JVM's default trust), so that the server's
 * certificate, signed by a private CA, is rejected. Instances are immutable and thread-safe.
 */
public final class TckContext {
  private final PusherTestServer server;
  private final boolean trustServerCertificate;

  TckContext(PusherTestServer server, boolean trustServerCertificate) {
    this.server = Objects.requireNonNull(server, "server");
    this.trustServerCertificate = trustServerCertificate;
  }

  /**
   * True when the factory must trust {@link #caCertificateFile()}; false for the JVM default trust.
   */
  public boolean trustServerCertificate() {
    return trustServerCertificate;
  }

  /** The PEM file of the CA that signed the server's certificate (for 127.0.0.1 and localhost). */
  public Path caCertificateFile() {
    return server.caCertificateFile();
  }

  /** The same CA as PEM text. */
  public String caCertificatePem() {
    return server.caCertificatePem();
  }

  /** A key store holding only that CA. */
  public KeyStore trustStore() {
    return server.trustStore();
  }

  /** A client {@link SSLContext} that trusts only that CA. */
  public SSLContext sslContext() {
    return server.clientSslContext();
  }

  /** The embedded server the suite runs against. */
  public PusherTestServer server() {
    return server;
  }

  @Override
  public String toString() {
    return "TckContext[trustServerCertificate=" + trustServerCertificate + "]";
  }
}
