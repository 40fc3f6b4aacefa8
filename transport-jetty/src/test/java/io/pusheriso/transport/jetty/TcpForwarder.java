package io.pusheriso.transport.jetty;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards TCP connections from {@code bindAddress} to a target port on 127.0.0.1, so that a TLS
 * server can be reached under an address its certificate does not name.
 */
final class TcpForwarder implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  TcpForwarder(String bindAddress, int targetPort) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getByName(bindAddress));
    this.targetPort = targetPort;
    start(this::acceptLoop);
  }

  int port() {
    return listener.getLocalPort();
  }

  private void start(Runnable body) {
    Thread thread =
        new Thread(
            () -> {
              try {
                body.run();
              } finally {
                threads.remove(Thread.currentThread());
              }
            },
            "tcp-forwarder");
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket upstream = new Socket();
        sockets.add(client);
        sockets.add(upstream);
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
        start(() -> copy(client, upstream));
        start(() -> copy(upstream, client));
      } catch (IOException e) {
        // Closed, or the target refused: keep serving until closed.
      }
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
      to.shutdownOutput();
    } catch (IOException e) {
      // One side closed.
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
