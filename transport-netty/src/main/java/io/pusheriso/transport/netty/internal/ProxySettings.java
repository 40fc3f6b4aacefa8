package io.pusheriso.transport.netty.internal;

import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Not for public use, may change at any time.
 *
 * <p>A proxy to tunnel connections through: HTTP {@code CONNECT} or SOCKS5, with optional
 * credentials. {@link #toString()} never shows the password. Instances are immutable and
 * thread-safe.
 */
public final class ProxySettings {

  /** The proxy protocol. */
  public enum Type {
    /** HTTP {@code CONNECT} (RFC 9110 section 9.3.6), basic credentials. */
    HTTP,
    /** SOCKS5 (RFC 1928), username/password authentication (RFC 1929). */
    SOCKS5
  }

  private final Type type;
  private final InetSocketAddress address;
  private final String username;
  private final String password;

  /**
   * Creates the settings; {@code username} and {@code password} are both null or both set.
   *
   * @throws IllegalArgumentException if only one of the credentials is given
   */
  public ProxySettings(Type type, InetSocketAddress address, String username, String password) {
    this.type = Objects.requireNonNull(type, "type");
    this.address = Objects.requireNonNull(address, "address");
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException(
          "proxy credentials need both a username and a password (or neither)");
    }
    this.username = username;
    this.password = password;
  }

  /** The protocol. */
  public Type type() {
    return type;
  }

  /** Where the proxy listens. */
  public InetSocketAddress address() {
    return address;
  }

  /** A new handler for one connection, failing the tunnel after {@code connectTimeoutMillis}. */
  public ProxyHandler newHandler(long connectTimeoutMillis) {
    ProxyHandler handler;
    if (type == Type.HTTP) {
      handler =
          username == null
              ? new HttpProxyHandler(address)
              : new HttpProxyHandler(address, username, password);
    } else {
      handler =
          username == null
              ? new Socks5ProxyHandler(address)
              : new Socks5ProxyHandler(address, username, password);
    }
    handler.setConnectTimeoutMillis(connectTimeoutMillis);
    return handler;
  }

  @Override
  public String toString() {
    return type
        + " proxy "
        + address
        + (username == null ? "" : " as " + username + " (password <redacted>)");
  }
}
