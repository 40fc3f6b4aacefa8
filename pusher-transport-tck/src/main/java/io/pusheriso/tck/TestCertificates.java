package io.pusheriso.tck;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority, made with Bouncy Castle for the TLS tests, that issues server
 * certificates for any names and validity: the embedded server's certificate is always right, and
 * these tests need wrong ones. EC P-256 (milliseconds to generate). A {@link ServerCertificate}
 * becomes a Netty {@link SslContext} (for {@link HostileWsServer}) or a JDK {@link SSLContext}
 * (for the JDK's {@code HttpsServer}).
 *
 * <p>Thread-safety: immutable; thread-safe.
 */
public final class TestCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final X500Name caName;

  /** Makes a new CA, valid from 30 days ago for 60 days, with a random name. */
  public TestCertificates() {
    try {
      caKeys = newKeys();
      caName = new X500Name("CN=pusher tls-test CA " + Long.toHexString(RANDOM.nextLong()));
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              caName,
              serial(),
              Date.from(now.minus(Duration.ofDays(30))),
              Date.from(now.plus(Duration.ofDays(30))),
              caName,
              caKeys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      ca = sign(b);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make the test CA: " + e, e);
    }
  }

  /**
   * A key store trusting this CA only.
   *
   * @return a new PKCS12 store holding the CA certificate
   */
  public KeyStore trustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("tls-test-ca", ca);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A certificate issued by this CA for {@code dnsName} (and, when {@code ip} is not null, that IP
   * address), valid from {@code notBefore} to {@code notAfter}, with its key.
   *
   * @param dnsName the DNS name the certificate is for
   * @param ip an IP address it is also for, or null
   * @param notBefore start of validity
   * @param notAfter end of validity
   * @return the certificate, ready to become a server's TLS context
   */
  public ServerCertificate server(String dnsName, String ip, Instant notBefore, Instant notAfter) {
    return issue(dnsName, ip, notBefore, notAfter);
  }

  /**
   * Valid now (from a day ago for a day).
   *
   * @param dnsName the DNS name the certificate is for
   * @param ip an IP address it is also for, or null
   * @return the certificate
   */
  public ServerCertificate validServer(String dnsName, String ip) {
    Instant now = Instant.now();
    return server(dnsName, ip, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
  }

  /**
   * Expired yesterday.
   *
   * @param dnsName the DNS name the certificate is for
   * @param ip an IP address it is also for, or null
   * @return the certificate
   */
  public ServerCertificate expiredServer(String dnsName, String ip) {
    Instant now = Instant.now();
    return server(dnsName, ip, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
  }

  /**
   * A server certificate issued by the test CA, with its private key, as the TLS context a test
   * server needs.
   *
   * <p>Thread-safety: immutable; thread-safe. Each call makes a new context.
   */
  public static final class ServerCertificate {
    private final PrivateKey key;
    private final X509Certificate cert;
    private final X509Certificate ca;

    private ServerCertificate(PrivateKey key, X509Certificate cert, X509Certificate ca) {
      this.key = key;
      this.cert = cert;
      this.ca = ca;
    }

    /**
     * A Netty server context (JDK provider) presenting the certificate and the CA as its chain, for
     * {@link HostileWsServer}.
     *
     * @return a new context
     */
    public SslContext nettyContext() {
      try {
        return SslContextBuilder.forServer(key, cert, ca).sslProvider(SslProvider.JDK).build();
      } catch (IOException e) {
        throw new IllegalStateException("cannot make the server context: " + e, e);
      }
    }

    /**
     * A JDK server context presenting the certificate and the CA as its chain, for the JDK's
     * {@code HttpsServer}.
     *
     * @return a new context
     */
    public SSLContext jdkContext() {
      try {
        char[] password = "test".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, password, new Certificate[] {cert, ca});
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException("cannot make the server context: " + e, e);
      }
    }
  }

  private ServerCertificate issue(String dnsName, String ip, Instant notBefore, Instant notAfter) {
    try {
      KeyPair keys = newKeys();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              caName,
              serial(),
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Name("CN=" + dnsName),
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      GeneralName[] names =
          ip == null
              ? new GeneralName[] {new GeneralName(GeneralName.dNSName, dnsName)}
              : new GeneralName[] {
                new GeneralName(GeneralName.dNSName, dnsName),
                new GeneralName(GeneralName.iPAddress, ip)
              };
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      return new ServerCertificate(keys.getPrivate(), sign(b), ca);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue the test certificate: " + e, e);
    }
  }

  private X509Certificate sign(X509v3CertificateBuilder b) throws GeneralSecurityException {
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(63, RANDOM).add(BigInteger.ONE);
  }
}
