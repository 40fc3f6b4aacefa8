package io.pusheriso;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns why a connection attempt failed into the {@link PusherConnectionException} that error
 * listeners receive: what failed, where, and how to fix it when that is known. The bundled
 * transports already report such exceptions; they are passed on as they are, and anything else (a
 * third-party transport's {@link java.io.IOException}) is described here.
 *
 * <p>Each failure also has a signature: its kind without the numbers in it (ports, timeouts that
 * grow from one attempt to the next), so that the core reports a cause once per outage and not on
 * every retry.
 *
 * <p>Stateless and thread-safe.
 */
final class ConnectFailures {

  private ConnectFailures() {}

  /** What error listeners receive for an attempt whose transport reported {@code error}. */
  static PusherConnectionException describe(String transport, URI uri, Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof PusherConnectionException pce) {
      return pce;
    }
    String what = "Connection attempt over " + transport + " to " + target(uri) + " failed: ";
    if (cause == null) {
      return new PusherConnectionException(-1, what + "the transport gave no reason");
    }
    return new PusherConnectionException(-1, what + cause + hint(uri, cause), cause);
  }

  /** The error for an attempt that closed, with {@code code}, before it opened. */
  static PusherConnectionException closedBeforeOpen(String transport, URI uri, int code, String reason) {
    return new PusherConnectionException(
        code,
        "Connection attempt over "
            + transport
            + " to "
            + target(uri)
            + " closed before it opened, with code "
            + code
            + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")"));
  }

  /** The error for an attempt given up at the search's timeout. */
  static PusherConnectionException timedOut(String transport, URI uri, boolean opened, long timeoutMillis) {
    String where = "Connection attempt over " + transport + " to " + target(uri);
    return new PusherConnectionException(
        -1,
        opened
            ? where
                + " opened but the server sent no pusher:connection_established within "
                + timeoutMillis
                + " ms: check that host and port are a Pusher Channels server's (and its path), and"
                + " that it knows this app key"
            : where
                + " did not open within "
                + timeoutMillis
                + " ms: check the host and port, and any firewall or proxy on the way (connectTimeout"
                + " sets the first attempt's limit)");
  }

  /** The signature of a failure: its class, code and message with every number taken out. */
  static String signature(PusherConnectionException e) {
    Throwable cause = e.getCause();
    return e.code()
        + "|"
        + (cause == null ? "" : cause.getClass().getName())
        + "|"
        + String.valueOf(e.getMessage()).replaceAll("[0-9]+", "#");
  }

  private static String hint(URI uri, Throwable cause) {
    if (find(cause, CertPathValidatorException.class) != null
        || find(cause, CertPathBuilderException.class) != null) {
      return ". The server's TLS certificate is not trusted: trust its certificate authority in the"
          + " transport factory (its trustedCertificates, trustStore or sslContext) or in the JVM's"
          + " trust store";
    }
    if (find(cause, CertificateException.class) != null) {
      return ". The server's TLS certificate was rejected: check that it is valid now and names host '"
          + uri.getHost()
          + "'";
    }
    if (find(cause, SSLException.class) != null) {
      return ". The TLS handshake failed: check that this port speaks TLS (wssPort, httpsPort) and"
          + " the server's certificate";
    }
    if (find(cause, UnknownHostException.class) != null) {
      return ". Host '" + uri.getHost() + "' does not resolve: check host or cluster";
    }
    if (find(cause, ConnectException.class) != null || find(cause, NoRouteToHostException.class) != null) {
      return ". Nothing accepts connections there: check that the server runs and the host and port";
    }
    if (find(cause, SocketTimeoutException.class) != null
        || find(cause, TimeoutException.class) != null
        || cause.getClass().getSimpleName().contains("Timeout")) {
      return ". No answer in time: check the host and port, and any firewall or proxy on the way";
    }
    return "";
  }

  /** Scheme, host, port and path: the query holds only the client's name and version. */
  private static String target(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getPath();
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
