package io.pusheriso.transport.httpclient.internal;

import io.pusheriso.PusherConnectionException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Turns what HttpClient reports into errors that say what failed and how to fix it.
 *
 * <p>Stateless and thread-safe.
 */
final class Failures {
  private Failures() {}

  /** The error for a request to {@code target} ({@code scheme://host:port}) that failed. */
  static PusherConnectionException describe(String target, String host, Throwable failure) {
    Throwable cause = unwrap(failure);
    String prefix = "TLS handshake with " + target + " failed: ";
    CertificateExpiredException expired = find(cause, CertificateExpiredException.class);
    if (expired != null || hasReason(cause, CertPathValidatorException.BasicReason.EXPIRED)) {
      return new PusherConnectionException(
          -1,
          prefix
              + "the server's certificate has expired ("
              + (expired != null ? expired.getMessage() : "validity check failed")
              + "); the server must renew it",
          cause);
    }
    CertificateNotYetValidException notYet = find(cause, CertificateNotYetValidException.class);
    if (notYet != null || hasReason(cause, CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
      return new PusherConnectionException(
          -1,
          prefix
              + "the server's certificate is not valid yet ("
              + (notYet != null ? notYet.getMessage() : "validity check failed")
              + "); check this machine's clock",
          cause);
    }
    Throwable mismatch = hostMismatch(cause);
    if (mismatch != null) {
      return new PusherConnectionException(
          -1,
          prefix
              + "the server's certificate does not name host '"
              + host
              + "' ("
              + mismatch.getMessage()
              + "); connect with a host name the certificate holds",
          cause);
    }
    Throwable untrusted =
        find(cause, CertPathValidatorException.class, CertPathBuilderException.class);
    if (untrusted != null) {
      return new PusherConnectionException(
          -1,
          prefix
              + "the server's certificate is not trusted ("
              + untrusted.getMessage()
              + "). Trust its certificate authority with HttpClientTransportFactory.builder()"
              + ".trustedCertificates(pemFile), trustStore(...) or sslContext(...)",
          cause);
    }
    Throwable rejected = find(cause, CertificateException.class, SSLPeerUnverifiedException.class);
    if (rejected != null) {
      return new PusherConnectionException(
          -1,
          prefix
              + "the server's certificate was rejected ("
              + rejected.getMessage()
              + "). If it does not name host '"
              + host
              + "', connect with a host name it names",
          cause);
    }
    SSLException tls = find(cause, SSLException.class);
    if (tls != null) {
      return new PusherConnectionException(
          -1, "TLS handshake with " + target + " failed: " + tls.getMessage(), cause);
    }
    if (find(cause, UnknownHostException.class) != null) {
      return new PusherConnectionException(
          -1, "Cannot resolve host '" + host + "' of " + target, cause);
    }
    ConnectException refused = find(cause, ConnectException.class);
    if (refused != null) {
      return new PusherConnectionException(
          -1, "Cannot connect to " + target + ": " + refused.getMessage(), cause);
    }
    return new PusherConnectionException(
        -1, "The HTTP connection to " + target + " failed: " + cause, cause);
  }

  /** The error for a session that did not open within the connect timeout. */
  static PusherConnectionException timedOut(String target, Duration connectTimeout) {
    return new PusherConnectionException(
        -1,
        "Connecting to "
            + target
            + " timed out after "
            + connectTimeout.toMillis()
            + " ms (TCP, TLS and the xhr session's open frame)");
  }

  /** A short description of a failure for a close reason. */
  static String brief(Throwable failure) {
    Throwable cause = unwrap(failure);
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static boolean hasReason(Throwable cause, CertPathValidatorException.Reason reason) {
    CertPathValidatorException e = find(cause, CertPathValidatorException.class);
    return e != null && e.getReason() == reason;
  }

  /**
   * A host name check that failed on a trusted chain: the JDK's (a CertificateException "No
   * subject alternative ..." / "No name matching ...") or HttpClient's own verifier (an
   * SSLPeerUnverifiedException "Certificate for <host> doesn't match ...").
   */
  private static Throwable hostMismatch(Throwable cause) {
    int depth = 0;
    for (Throwable t = cause; t != null && depth < 20; t = t.getCause(), depth++) {
      String m = String.valueOf(t.getMessage());
      if ((t instanceof CertificateException
              && (m.startsWith("No subject alternative") || m.startsWith("No name matching")))
          || (t instanceof SSLPeerUnverifiedException && m.contains("doesn't match"))) {
        return t;
      }
    }
    return null;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @SafeVarargs
  private static <T extends Throwable> T find(Throwable failure, Class<? extends T>... types) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
      for (Class<? extends T> type : types) {
        if (type.isInstance(t)) {
          return type.cast(t);
        }
      }
    }
    return null;
  }
}
