package io.pusheriso;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted auth endpoint on 127.0.0.1: records every request and answers with the configured
 * status and body, optionally holding the answer until the test releases a latch.
 */
final class AuthTestServer implements AutoCloseable {

  /** One request as the server saw it. */
  record Recorded(String method, String path, Headers headers, String body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile int status = 200;
  private volatile byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
  private volatile CountDownLatch hold;

  private AuthTestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static AuthTestServer start() throws IOException {
    return new AuthTestServer();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/pusher/auth");
  }

  AuthTestServer respond(int status, String body) {
    return respond(status, body.getBytes(StandardCharsets.UTF_8));
  }

  AuthTestServer respond(int status, byte[] body) {
    this.status = status;
    this.body = body;
    return this;
  }

  /** Holds every answer until {@code latch} opens (or the server closes). */
  AuthTestServer holdUntil(CountDownLatch latch) {
    this.hold = latch;
    return this;
  }

  /** Holds every answer until the server closes. */
  AuthTestServer neverAnswer() {
    return holdUntil(closed);
  }

  Recorded takeRequest() throws InterruptedException {
    Recorded request = requests.poll(5, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("the server received no request within 5 s");
    }
    return request;
  }

  int pendingRequests() {
    return requests.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String requestBody =
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(
          new Recorded(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders(),
              requestBody));
      CountDownLatch latch = hold;
      if (latch != null) {
        try {
          if (!latch.await(10, TimeUnit.SECONDS) && closed.getCount() > 0) {
            throw new IllegalStateException("the test never released the held answer");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      byte[] answer = body;
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    } catch (IOException clientGone) {
      // The client timed out or cancelled: nothing left to answer.
    }
  }

  @Override
  public void close() {
    closed.countDown();
    CountDownLatch latch = hold;
    if (latch != null) {
      latch.countDown();
    }
    server.stop(0);
    executor.shutdownNow();
  }
}
