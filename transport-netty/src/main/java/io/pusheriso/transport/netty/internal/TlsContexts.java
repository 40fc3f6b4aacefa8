package io.pusheriso.transport.netty.internal;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Not for public use, may change at any time.
 *
 * <p>Builds client {@link SslContext}s. Stateless; thread-safe.
 */
public final class TlsContexts {

  private TlsContexts() {}

  /**
   * A client context trusting only the certificates of {@code pemFile}.
   *
   * @throws IllegalArgumentException if the file cannot be read or holds no certificate
   */
  public static SslContext trusting(Path pemFile, boolean hostnameVerification) {
    List<X509Certificate> certificates = new ArrayList<>();
    try (InputStream in = Files.newInputStream(pemFile)) {
      Collection<? extends Certificate> read =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      for (Certificate c : read) {
        if (c instanceof X509Certificate) {
          certificates.add((X509Certificate) c);
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read trusted certificates from " + pemFile + ": " + e, e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          pemFile + " holds no X.509 certificate: expected PEM (-----BEGIN CERTIFICATE-----)");
    }
    return build(SslContextBuilder.forClient().trustManager(certificates), hostnameVerification);
  }

  /**
   * A client context trusting the certificates of {@code trustStore}.
   *
   * @throws IllegalArgumentException if the key store cannot be used as a trust store
   */
  public static SslContext trusting(KeyStore trustStore, boolean hostnameVerification) {
    TrustManagerFactory tmf;
    try {
      tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use the key store as a trust store: " + e, e);
    }
    return build(SslContextBuilder.forClient().trustManager(tmf), hostnameVerification);
  }

  /** A client context with the JVM's default trust (its {@code cacerts}). */
  public static SslContext jvmDefault(boolean hostnameVerification) {
    return build(SslContextBuilder.forClient(), hostnameVerification);
  }

  private static SslContext build(SslContextBuilder builder, boolean hostnameVerification) {
    // "HTTPS" makes the JDK engine check the certificate against the host (RFC 2818 / 6125).
    builder.endpointIdentificationAlgorithm(hostnameVerification ? "HTTPS" : null);
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot create the TLS context: " + e.getMessage(), e);
    }
  }
}
