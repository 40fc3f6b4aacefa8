package io.pusheriso.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One {@code listen} client running as a child process, its JSON-lines transcript collected as it is printed.
 *
 * <p>Thread-safe: the transcript is appended by a reader thread and read by the test thread.
 */
final class ListenProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String label;
  private final List<String> command;
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final StringBuffer stderr = new StringBuffer();
  private volatile int linesBeforeStop = -1;
  private volatile boolean outputEnded;

  private ListenProcess(String label, List<String> command, Process process) {
    this.label = label;
    this.command = List.copyOf(command);
    this.process = process;
    pump(process.getInputStream(), lines::add, label + "-stdout", () -> outputEnded = true);
    pump(process.getErrorStream(), line -> stderr.append(line).append('\n'), label + "-stderr", () -> { });
  }

  static ListenProcess start(String label, ClientKind kind, List<String> listenOptions) {
    List<String> command = kind.command(listenOptions);
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().putAll(kind.environment());
    try {
      return new ListenProcess(label, command, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  private static void pump(InputStream in, Consumer<String> sink, String name, Runnable atEnd) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          sink.accept(line);
        }
      } catch (IOException e) {
        sink.accept("<stream closed: " + e.getMessage() + ">");
      } finally {
        atEnd.run();
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  String label() {
    return label;
  }

  /** Every line printed so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * The transcript to compare: the lines printed before {@link #stop()} was called. What a client prints
   * while shutting down on SIGTERM is not compared, because the reference client has no SIGTERM handler (node
   * exits at once, printing nothing) while {@code listen} disconnects cleanly as DESIGN.md asks.
   */
  List<String> transcript() {
    List<String> all = lines();
    int end = linesBeforeStop;
    return end < 0 ? all : all.subList(0, Math.min(end, all.size()));
  }

  /** The parsed lines so far; a line that is not JSON is skipped here (the comparison shows it). */
  List<JsonNode> records() {
    List<JsonNode> records = new ArrayList<>();
    for (String line : lines()) {
      parse(line).ifPresent(records::add);
    }
    return records;
  }

  static Optional<JsonNode> parse(String line) {
    try {
      JsonNode node = JSON.readTree(line);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  long count(Predicate<JsonNode> predicate) {
    return records().stream().filter(predicate).count();
  }

  /** Whether the client has exited and everything it printed has been read: it can print nothing more. */
  boolean finished() {
    return outputEnded && !process.isAlive();
  }

  /** Sends SIGTERM, as a user would, without waiting; the transcript to compare ends here. */
  void terminate() {
    if (linesBeforeStop < 0) {
      linesBeforeStop = lines.size();
    }
    process.destroy();
  }

  /** Ends the client with SIGTERM and waits for it; a client that ignores it is killed. */
  void stop() {
    terminate();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }

  /** Everything needed to understand a failure: the command, the transcript and what went to stderr. */
  String describe() {
    StringBuilder text = new StringBuilder();
    text.append("--- ").append(label).append(": ").append(String.join(" ", command)).append('\n');
    text.append(process.isAlive() ? "    (running)\n" : "    (exit code " + process.exitValue() + ")\n");
    List<String> all = lines();
    for (int i = 0; i < all.size(); ) {
      int next = i + 1;
      while (next < all.size() && all.get(next).equals(all.get(i))) {
        next++;
      }
      text.append("    ").append(all.get(i)).append(next - i > 1 ? "   (x" + (next - i) + " in a row)" : "").append('\n');
      i = next;
    }
    String err = stderr.toString().strip();
    if (!err.isEmpty()) {
      text.append("    stderr:\n");
      err.lines().limit(40).forEach(line -> text.append("    ! ").append(line).append('\n'));
    }
    return text.toString();
  }
}
