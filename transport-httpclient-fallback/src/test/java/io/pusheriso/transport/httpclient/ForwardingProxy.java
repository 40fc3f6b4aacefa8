package io.pusheriso.transport.httpclient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real, minimal HTTP forward proxy for plain {@code http} targets, written with the JDK: it reads
 * each absolute-form request, optionally demands Basic credentials with a 407, forwards the request
 * in origin form to the target with {@code Connection: close}, and streams the response back as it
 * arrives. One request per client connection. Records what it forwarded.
 */
final class ForwardingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String expectedAuthorization;
  private final List<String> forwarded = new CopyOnWriteArrayList<>();
  private final List<String> challenged = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  ForwardingProxy(String username, String password) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.expectedAuthorization =
        username == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    Thread acceptor = new Thread(this::acceptLoop, "test-forwarding-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** The request lines the proxy forwarded, as the client sent them (absolute form). */
  List<String> forwarded() {
    return forwarded;
  }

  /** The request lines answered with 407. */
  List<String> challenged() {
    return challenged;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        Thread t = new Thread(() -> handle(client), "test-forwarding-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      String[] lines = head.split("\r\n");
      String requestLine = lines[0];
      String[] parts = requestLine.split(" ");
      URI target = URI.create(parts[1]);
      int contentLength = 0;
      String authorization = null;
      StringBuilder headers = new StringBuilder();
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i];
        String name = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(line.indexOf(':') + 1).trim();
        if (name.equals("content-length")) {
          contentLength = Integer.parseInt(value);
        }
        if (name.equals("proxy-authorization")) {
          authorization = value;
          continue;
        }
        if (name.equals("connection") || name.equals("proxy-connection") || name.equals("keep-alive")) {
          continue;
        }
        headers.append(line).append("\r\n");
      }
      byte[] body = in.readNBytes(contentLength);
      OutputStream out = client.getOutputStream();
      if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
        challenged.add(requestLine);
        out.write(
            ("HTTP/1.1 407 Proxy Authentication Required\r\n"
                    + "Proxy-Authenticate: Basic realm=\"test\"\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return;
      }
      forwarded.add(requestLine);
      try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
        sockets.add(upstream);
        OutputStream up = upstream.getOutputStream();
        String origin = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        up.write(
            (parts[0] + " " + origin + " HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        up.write(body);
        up.flush();
        InputStream down = upstream.getInputStream();
        String responseHead = readHead(down);
        if (responseHead == null) {
          return;
        }
        StringBuilder rewritten = new StringBuilder();
        for (String line : responseHead.split("\r\n")) {
          if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
            rewritten.append(line).append("\r\n");
          }
        }
        rewritten.append("Connection: close\r\n\r\n");
        out.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = down.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // Either side went away: the exchange is over.
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
