package io.pusheriso.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates of a {@code --ca} PEM file, checked up front so that a wrong path or a file
 * that holds no certificate is a usage error and not a TLS failure later.
 *
 * <p>Immutable and thread-safe.
 */
final class TrustedCertificates {

  private final Path file;
  private final KeyStore trustStore;

  private TrustedCertificates(Path file, KeyStore trustStore) {
    this.file = file;
    this.trustStore = trustStore;
  }

  /**
   * Reads every certificate of a PEM file.
   *
   * @throws IllegalArgumentException with a one-line message when the file is missing, unreadable or
   *     holds no certificate
   */
  static TrustedCertificates read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("CA file not found: " + file);
    }
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(file)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("CA file " + file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("CA file " + file + " holds no certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      return new TrustedCertificates(file, store);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot build a trust store from " + file + ": " + e.getMessage(), e);
    }
  }

  /** The PEM file. */
  Path file() {
    return file;
  }

  /** An SSL context that trusts these certificates only (for the auth endpoints' HTTP client). */
  SSLContext sslContext() {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot build an SSL context from " + file + ": " + e.getMessage(), e);
    }
  }
}
