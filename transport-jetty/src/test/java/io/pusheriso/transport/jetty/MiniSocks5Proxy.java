package io.pusheriso.transport.jetty;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal SOCKS5 proxy (RFC 1928, no authentication, CONNECT only) on loopback with plain sockets
 * and two copier threads per tunnel; records each target it connected to.
 */
final class MiniSocks5Proxy implements AutoCloseable {
  private final ServerSocket listener;
  private final List<String> targets = new CopyOnWriteArrayList<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  MiniSocks5Proxy() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    start("socks5-accept", this::acceptLoop);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The {@code host:port} of every tunnel opened, in order. */
  List<String> targets() {
    return List.copyOf(targets);
  }

  private void start(String name, Runnable body) {
    Thread thread =
        new Thread(
            () -> {
              try {
                body.run();
              } finally {
                threads.remove(Thread.currentThread());
              }
            },
            name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        start("socks5-tunnel", () -> tunnel(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void tunnel(Socket client) {
    try (client) {
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      if (in.readUnsignedByte() != 5) {
        return;
      }
      in.skipNBytes(in.readUnsignedByte()); // offered methods
      out.write(new byte[] {5, 0}); // no authentication
      if (in.readUnsignedByte() != 5 || in.readUnsignedByte() != 1) {
        return; // only CONNECT
      }
      in.readUnsignedByte(); // reserved
      String host;
      int type = in.readUnsignedByte();
      if (type == 1) {
        host = InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
      } else if (type == 3) {
        host = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
      } else {
        host = InetAddress.getByAddress(in.readNBytes(16)).getHostAddress();
      }
      int port = in.readUnsignedShort();
      try (Socket upstream = new Socket()) {
        sockets.add(upstream);
        upstream.connect(new InetSocketAddress(host, port), 5000);
        targets.add(host + ":" + port);
        out.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        out.flush();
        start("socks5-copy", () -> copy(upstream, client));
        copy(client, upstream);
      }
    } catch (IOException e) {
      // The tunnel ends when either side closes.
    }
  }

  private static void copy(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[16 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side closed.
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException e) {
        // Already closed.
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    try {
      for (Thread thread : threads) {
        thread.join(5000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
