package io.pusheriso;

import io.pusheriso.spi.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Builds the URLs the client connects to, as pusher-js's {@code url_schemes.ts} does, and knows the
 * version this client announces. Stateless apart from the version read once per client.
 *
 * <p>Thread-safe.
 */
final class Endpoints {

  /** Pusher protocol version spoken by this client. */
  static final int PROTOCOL = 7;

  private Endpoints() {}

  /** The client's version from the jar's filtered properties. */
  static String clientVersion() {
    try (InputStream in = Endpoints.class.getResourceAsStream("pusher-core.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "pusher-core.properties is missing from the pusher-core jar: the build is broken");
      }
      Properties p = new Properties();
      p.load(in);
      String version = p.getProperty("version");
      if (version == null || version.isBlank() || version.startsWith("${")) {
        throw new IllegalStateException("pusher-core.properties has no filtered version");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read pusher-core.properties", e);
    }
  }

  /**
   * {@code ws[s]://host:port[/wsPath]/app/KEY?protocol=7&client=java&version=V&flash=false} for
   * WebSockets, {@code http[s]://host:port[/httpPath]/app/KEY?protocol=7&client=java&version=V}
   * for the HTTP kinds.
   */
  static URI uri(PusherOptions o, TransportKind kind, boolean tls, String version) {
    String query =
        "?protocol=" + PROTOCOL + "&client=java&version=" + URLEncoder.encode(version, StandardCharsets.UTF_8);
    String key = URLEncoder.encode(o.appKey(), StandardCharsets.UTF_8);
    if (kind == TransportKind.WEBSOCKET) {
      return URI.create(
          (tls ? "wss://" : "ws://")
              + o.wsHost()
              + ":"
              + (tls ? o.wssPort() : o.wsPort())
              + o.wsPath()
              + "/app/"
              + key
              + query
              + "&flash=false");
    }
    return URI.create(
        (tls ? "https://" : "http://")
            + o.httpHost()
            + ":"
            + (tls ? o.httpsPort() : o.httpPort())
            + o.httpPath()
            + "/app/"
            + key
            + query);
  }
}
