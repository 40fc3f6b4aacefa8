package io.pusheriso.transport.jetty;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny WebSocket server on plain sockets that records the handshake request headers of each
 * connection, greets with one text message and a ping, records pongs and answers a close frame;
 * enough to see what a client puts on the wire.
 */
final class HandshakeRecordingServer implements AutoCloseable {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final ServerSocket listener;
  private final List<Map<String, String>> handshakes = new CopyOnWriteArrayList<>();
  private final List<String> pongs = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  HandshakeRecordingServer() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "handshake-server");
    acceptor.setDaemon(true);
    threads.add(acceptor);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The request line ({@code ":request"}) and headers (lower-case names) of each handshake. */
  List<Map<String, String>> handshakes() {
    return List.copyOf(handshakes);
  }

  /** The payloads of the pong frames received. */
  List<String> pongs() {
    return List.copyOf(pongs);
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket socket = listener.accept();
        sockets.add(socket);
        serve(socket);
      } catch (IOException e) {
        // Closed, or the client went away: serve the next one.
      }
    }
  }

  private void serve(Socket socket) throws IOException {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      Map<String, String> headers = new TreeMap<>();
      String requestLine = readLine(in);
      headers.put(":request", requestLine);
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        int colon = line.indexOf(':');
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      handshakes.add(headers);
      String accept = accept(headers.get("sec-websocket-key"));
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + accept
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] hello = "{\"event\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
      out.write(0x81);
      out.write(hello.length);
      out.write(hello);
      byte[] ping = "are-you-there".getBytes(StandardCharsets.UTF_8);
      out.write(0x89);
      out.write(ping.length);
      out.write(ping);
      out.flush();
      DataInputStream frames = new DataInputStream(in);
      while (true) {
        int first = frames.readUnsignedByte();
        int second = frames.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
          length = frames.readUnsignedShort();
        } else if (length == 127) {
          length = frames.readLong();
        }
        byte[] mask = frames.readNBytes(4);
        byte[] payload = frames.readNBytes((int) length);
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i % 4];
        }
        if ((first & 0x0f) == 0xA) {
          pongs.add(new String(payload, StandardCharsets.UTF_8));
        }
        if ((first & 0x0f) == 8) {
          out.write(0x88);
          out.write(payload.length);
          out.write(payload);
          out.flush();
          return;
        }
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("end of stream in the handshake");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static String accept(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
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
