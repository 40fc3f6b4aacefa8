package io.pusheriso.transport.httpclient;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
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
 * these tests need wrong ones (copied from transport-netty's tests, which test trees cannot share;
 * here the server side is a JDK {@link SSLContext} for {@code HttpsServer}). EC P-256 (milliseconds to generate). Immutable; thread-safe.
 */
final class TestCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final X500Name caName;

  TestCertificates() {
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

  /** A key store trusting this CA only. */
  KeyStore trustStore() {
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
   * A server TLS context presenting a certificate issued by this CA for {@code dnsName} (and,
   * when {@code ip} is not null, that IP address), valid from {@code notBefore} to {@code
   * notAfter}.
   */
  SSLContext server(String dnsName, String ip, Instant notBefore, Instant notAfter) {
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
      X509Certificate cert = sign(b);
      char[] password = "test".toCharArray();
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", keys.getPrivate(), password, new Certificate[] {cert, ca});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue the test certificate: " + e, e);
    }
  }

  /** Valid now (from a day ago for a day). */
  SSLContext validServer(String dnsName, String ip) {
    Instant now = Instant.now();
    return server(dnsName, ip, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
  }

  /** Expired yesterday. */
  SSLContext expiredServer(String dnsName, String ip) {
    Instant now = Instant.now();
    return server(dnsName, ip, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
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
