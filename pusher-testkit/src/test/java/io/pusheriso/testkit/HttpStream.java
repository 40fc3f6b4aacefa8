package io.pusheriso.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * One HTTP/1.1 POST over a plain socket of its own, its response body read as it arrives and split into lines. A
 * plain socket, because the tests must see the chunks as they come, cut the TCP connection at will, and tell a
 * response that ended normally (last chunk) from one cut off.
 */
final class HttpStream implements AutoCloseable {
    final int status;
    final Map<String, String> headers;
    /** Complete lines of the body (without the newline), in order. */
    final List<String> lines = new CopyOnWriteArrayList<>();
    /** Completes true when the body ended normally, false when the connection was cut or failed. */
    final CompletableFuture<Boolean> ended = new CompletableFuture<>();
    private final Socket socket;
    private final Consumer<String> onLine;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile int bodyBytes;

    private HttpStream(Socket socket, int status, Map<String, String> headers, Consumer<String> onLine) {
        this.socket = socket;
        this.onLine = onLine;
        this.status = status;
        this.headers = headers;
    }

    /** POSTs {@code body} (may be empty) to {@code uri} and returns once the response head has arrived. */
    static HttpStream post(URI uri, SSLContext tls, String body) {
        return post(uri, tls, body, line -> { });
    }

    /** The same, calling {@code onLine} (on the reader thread) for each complete line as it arrives. */
    static HttpStream post(URI uri, SSLContext tls, String body, Consumer<String> onLine) {
        try {
            Socket socket = tls == null ? new Socket(uri.getHost(), uri.getPort())
                    : tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
            socket.setSoTimeout(0);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = readLine(in);
            if (statusLine == null) {
                socket.close();
                throw new IOException("the server closed the connection before answering");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new HashMap<>();
            for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            HttpStream stream = new HttpStream(socket, status, headers, onLine);
            Thread reader = new Thread(() -> stream.readBody(in), "http-stream-reader");
            reader.setDaemon(true);
            reader.start();
            return stream;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readBody(InputStream in) {
        try {
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                while (true) {
                    String size = readLine(in);
                    if (size == null) {
                        throw new IOException("cut off before the last chunk");
                    }
                    int n = Integer.parseInt(size.trim(), 16);
                    if (n == 0) {
                        readLine(in);
                        ended.complete(true);
                        return;
                    }
                    accept(in.readNBytes(n), n);
                    readLine(in);
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            accept(in.readNBytes(length), length);
            ended.complete(true);
        } catch (IOException | RuntimeException e) {
            ended.complete(false);
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void accept(byte[] bytes, int expected) throws IOException {
        if (bytes.length < expected) {
            throw new IOException("cut off inside a chunk");
        }
        bodyBytes += bytes.length;
        synchronized (partial) {
            for (byte b : bytes) {
                if (b == '\n') {
                    String line = partial.toString(StandardCharsets.UTF_8);
                    partial.reset();
                    lines.add(line);
                    onLine.accept(line);
                } else {
                    partial.write(b);
                }
            }
        }
    }

    /** @return the text received after the last newline */
    String partialLine() {
        synchronized (partial) {
            return partial.toString(StandardCharsets.UTF_8);
        }
    }

    /** @return how many body bytes arrived */
    int bodyBytes() {
        return bodyBytes;
    }

    /** @return the whole body once it ended (lines joined with newlines, plus any unterminated rest) */
    String body() {
        ended.orTimeout(10, TimeUnit.SECONDS).join();
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        return sb.append(partialLine()).toString();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    /** Cuts the TCP connection (what a browser does when it aborts an XHR). */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
