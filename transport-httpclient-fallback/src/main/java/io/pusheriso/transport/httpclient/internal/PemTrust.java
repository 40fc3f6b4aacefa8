package io.pusheriso.transport.httpclient.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Not for public use, may change at any time. Reads trusted certificate authorities from a PEM
 * file.
 *
 * <p>Stateless and thread-safe.
 */
public final class PemTrust {
  private PemTrust() {}

  /**
   * A key store holding every certificate of the PEM file.
   *
   * @throws IllegalArgumentException if the file cannot be read or holds no X.509 certificate
   */
  public static KeyStore load(Path pemFile) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pemFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read the trusted certificates file " + pemFile + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "The trusted certificates file "
              + pemFile
              + " is not a PEM file of X.509 certificates: "
              + e.getMessage(),
          e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          "The trusted certificates file " + pemFile + " holds no certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int index = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + index++, certificate);
      }
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot build an in-memory trust store: " + e, e);
    }
  }
}
