package io.pusheriso.conformance;

import java.util.List;

/**
 * The transports the suite compares, with the {@code listen} options that select each. Both clients get the
 * same options (the reference client ignores {@code --ws-impl} and {@code --ca}: it trusts the peers' CA
 * through {@code NODE_EXTRA_CA_CERTS} instead). Immutable.
 */
enum ClientTransport {
  NETTY_WS(false, "--transport", "ws", "--ws-impl", "netty"),
  JETTY_WS(false, "--transport", "ws", "--ws-impl", "jetty"),
  WSS(true, "--tls", "--ca", Peers.CA.toString(), "--transport", "ws"),
  XHR_STREAMING(false, "--transport", "xhr_streaming"),
  XHR_POLLING(false, "--transport", "xhr_polling");

  private final boolean tls;
  private final List<String> options;

  ClientTransport(boolean tls, String... options) {
    this.tls = tls;
    this.options = List.of(options);
  }

  /** Whether the client talks to the TLS soketi, which is a separate server: events must be published there. */
  boolean tls() {
    return tls;
  }

  List<String> options() {
    return options;
  }

  /** A short token for channel names: lower case letters only, so it can never look like a socket id. */
  String token() {
    return name().toLowerCase(java.util.Locale.ROOT).replace("_", "");
  }
}
