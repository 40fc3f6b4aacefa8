package io.pusheriso.transport.httpclient;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP server on loopback that answers the xhr endpoints with whatever a test scripts,
 * hostile answers included, and records every request.
 */
final class ScriptedXhrServer implements AutoCloseable {

  /** What the server answers; {@code endpoint} is xhr_streaming, xhr or xhr_send. */
  @FunctionalInterface
  interface Script {
    void respond(String endpoint, int count, Exchange exchange) throws IOException;
  }

  /** One request and its response. */
  final class Exchange {
    private final HttpExchange http;
    private OutputStream body;

    Exchange(HttpExchange http) {
      this.http = http;
    }

    /** Starts a chunked 200 response. */
    Exchange ok() throws IOException {
      return status(200);
    }

    Exchange status(int code) throws IOException {
      http.getResponseHeaders().add("Content-Type", "application/javascript; charset=UTF-8");
      http.sendResponseHeaders(code, 0);
      body = http.getResponseBody();
      return this;
    }

    /** Writes and flushes, so that the client sees the chunk at once. */
    Exchange write(String text) throws IOException {
      body.write(text.getBytes(StandardCharsets.UTF_8));
      body.flush();
      return this;
    }

    /** Writes {@code text} until the client goes away (the write fails). */
    void writeForever(String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      try {
        while (true) {
          body.write(bytes);
          body.flush();
        }
      } catch (IOException expected) {
        // The client hung up: what the test wanted.
      }
    }

    /** Keeps the response open until the server closes. */
    void hold() throws IOException {
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("server closing");
    }

    void end() throws IOException {
      body.close();
    }

    String requestBody() throws IOException {
      return new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private final CountDownLatch closed = new CountDownLatch(1);
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "scripted-xhr-server");
    t.setDaemon(true);
    return t;
  });
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> hosts = new CopyOnWriteArrayList<>();
  private final List<String> sendBodies = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final List<String> customHeaders = new CopyOnWriteArrayList<>();
  private final AtomicInteger sendsInFlight = new AtomicInteger();
  private final AtomicInteger maxSendsInFlight = new AtomicInteger();

  ScriptedXhrServer(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger[] counts = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
    server.createContext(
        "/",
        http -> {
          String path = http.getRequestURI().getRawPath();
          String endpoint = path.substring(path.lastIndexOf('/') + 1);
          requests.add(http.getRequestMethod() + " " + http.getRequestURI());
          hosts.add(http.getRequestHeaders().getFirst("Host"));
          contentTypes.add(http.getRequestHeaders().getFirst("Content-Type"));
          String custom = http.getRequestHeaders().getFirst("X-Test");
          if (custom != null) {
            customHeaders.add(custom);
          }
          Exchange exchange = new Exchange(http);
          try {
            int count;
            if (endpoint.equals("xhr_send")) {
              int now = sendsInFlight.incrementAndGet();
              maxSendsInFlight.accumulateAndGet(now, Math::max);
              sendBodies.add(exchange.requestBody());
              count = counts[2].getAndIncrement();
            } else {
              exchange.requestBody();
              count = counts[endpoint.equals("xhr") ? 1 : 0].getAndIncrement();
            }
            try {
              script.respond(endpoint, count, exchange);
            } finally {
              if (endpoint.equals("xhr_send")) {
                sendsInFlight.decrementAndGet();
              }
            }
          } catch (IOException e) {
            // The client went away mid-response.
          } finally {
            http.close();
          }
        });
    server.setExecutor(executor);
    server.start();
  }

  /** A 204 as sockjs answers an accepted xhr_send. */
  static void accepted(Exchange exchange) throws IOException {
    exchange.http.sendResponseHeaders(204, -1);
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI base() {
    return URI.create(
        "http://127.0.0.1:" + port() + "/pusher/app/app-key?protocol=7&client=java&version=test");
  }

  List<String> requests() {
    return requests;
  }

  List<String> hosts() {
    return hosts;
  }

  List<String> sendBodies() {
    return sendBodies;
  }

  List<String> contentTypes() {
    return contentTypes;
  }

  List<String> customHeaders() {
    return customHeaders;
  }

  int maxSendsInFlight() {
    return maxSendsInFlight.get();
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
