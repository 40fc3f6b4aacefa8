package io.pusheriso.transport.jetty.internal;

import io.pusheriso.PusherConnectionException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;

/**
 * Turns what Jetty reports into errors that say what failed and how to fix it.
 *
 * <p>Stateless and thread-safe.
 */
final class Failures {
  private Failures() {}

  /** The error for a connection to {@code uri} that failed before or after it opened. */
  static PusherConnectionException describe(URI uri, Throwable failure, Duration connectTimeout) {
    Throwable cause = unwrap(failure);
    String target = uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);

    String tlsPrefix = "TLS handshake with " + target + " failed: ";
    CertificateExpiredException expired = find(cause, CertificateExpiredException.class);
    if (expired != null || hasReason(cause, CertPathValidatorException.BasicReason.EXPIRED)) {
      return new PusherConnectionException(
          -1,
          tlsPrefix
              + "the server's certificate has expired ("
              + (expired != null ? expired.getMessage() : cause.getMessage())
              + "); the server must renew it",
          cause);
    }
    CertificateNotYetValidException notYet = find(cause, CertificateNotYetValidException.class);
    if (notYet != null || hasReason(cause, CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
      return new PusherConnectionException(
          -1,
          tlsPrefix
              + "the server's certificate is not valid yet ("
              + (notYet != null ? notYet.getMessage() : cause.getMessage())
              + "); check this machine's clock",
          cause);
    }
    Throwable certificateProblem =
        find(cause, CertPathValidatorException.class, CertPathBuilderException.class);
    if (certificateProblem != null) {
      return new PusherConnectionException(
          -1,
          "TLS handshake with "
              + target
              + " failed: the server's certificate is not trusted ("
              + certificateProblem.getMessage()
              + "). Trust its certificate authority with JettyTransportFactory.builder()"
              + ".trustedCertificates(pemFile), trustStore(...) or sslContext(...)",
          cause);
    }
    CertificateException hostMismatch = find(cause, CertificateException.class);
    if (hostMismatch != null) {
      return new PusherConnectionException(
          -1,
          "TLS handshake with "
              + target
              + " failed: "
              + (namesNoMatch(hostMismatch)
                  ? "the server's certificate does not name host '" + uri.getHost() + "' ("
                  : "the server's certificate was rejected (")
              + hostMismatch.getMessage()
              + "). If it does not name host '"
              + uri.getHost()
              + "', connect with a host name it names",
          cause);
    }
    SSLException tls = find(cause, SSLHandshakeException.class, SSLException.class);
    if (tls != null) {
      return new PusherConnectionException(
          -1, "TLS handshake with " + target + " failed: " + tls.getMessage(), cause);
    }
    UpgradeException upgrade = find(cause, UpgradeException.class);
    if (upgrade != null && upgrade.getResponseStatusCode() > 0) {
      return new PusherConnectionException(
          -1,
          "The server at "
              + target
              + " refused the WebSocket handshake with HTTP status "
              + upgrade.getResponseStatusCode()
              + " ("
              + upgrade.getMessage()
              + "); check the host, port, path and app key",
          cause);
    }
    if (find(cause, TimeoutException.class) != null) {
      return timedOut(uri, connectTimeout, cause);
    }
    if (find(cause, UnknownHostException.class, UnresolvedAddressException.class) != null) {
      return new PusherConnectionException(
          -1, "Cannot resolve host '" + uri.getHost() + "' of " + target, cause);
    }
    ConnectException refused = find(cause, ConnectException.class);
    if (refused != null) {
      return new PusherConnectionException(
          -1, "Cannot connect to " + target + ": " + refused.getMessage(), cause);
    }
    return new PusherConnectionException(
        -1, "The WebSocket connection to " + target + " failed: " + cause, cause);
  }

  /** The error for a handshake that did not finish within the connect timeout. */
  static PusherConnectionException timedOut(URI uri, Duration connectTimeout, Throwable cause) {
    String message =
        "Connecting to "
            + uri.getScheme()
            + "://"
            + uri.getHost()
            + ":"
            + port(uri)
            + " timed out after "
            + connectTimeout.toMillis()
            + " ms (TCP, TLS and WebSocket handshake)";
    return cause == null
        ? new PusherConnectionException(-1, message)
        : new PusherConnectionException(-1, message, cause);
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    return "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static boolean hasReason(Throwable failure, CertPathValidatorException.Reason reason) {
    CertPathValidatorException e = find(failure, CertPathValidatorException.class);
    return e != null && e.getReason() == reason;
  }

  /** The JDK's host name check (sun.security.util.HostnameChecker) says no name matched. */
  private static boolean namesNoMatch(CertificateException e) {
    String m = String.valueOf(e.getMessage());
    return m.startsWith("No subject alternative") || m.startsWith("No name matching");
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
