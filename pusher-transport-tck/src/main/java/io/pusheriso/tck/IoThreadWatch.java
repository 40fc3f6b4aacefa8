package io.pusheriso.tck;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches for exceptions that escape to an I/O thread while a test runs: the JVM's default
 * uncaught exception handler, and the log lines (slf4j-simple writes them to {@code System.err},
 * read at each write) with which Netty, Jetty and the transports report an exception nobody
 * handled. Shared by the transport modules' hostile-input tests.
 *
 * <p>Thread-safety: not thread-safe to start and close (it swaps JVM-wide settings, so one watch
 * at a time, started and closed by the test thread); the recording itself is, from any thread.
 */
public final class IoThreadWatch implements AutoCloseable {

  /** Log text that only appears when an exception was not handled where it happened. */
  private static final List<String> ALARMS =
      List.of(
          "reached at the tail of the pipeline", // Netty: exceptionCaught nobody handled
          "A task raised an exception", // Netty: a task on an event loop threw
          "Exception in thread", // the JVM's default report of an uncaught exception
          "listener threw", // the transports: a listener call threw
          "Unexpected exception", // Jetty's catch-alls
          "OutOfMemoryError",
          "StackOverflowError",
          "NullPointerException",
          "ClassCastException",
          "IndexOutOfBoundsException");

  private final Thread.UncaughtExceptionHandler previousHandler;
  private final PrintStream previousErr;
  private final List<String> uncaught = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private IoThreadWatch() {
    previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    previousErr = System.err;
    Thread.setDefaultUncaughtExceptionHandler(
        (t, e) -> uncaught.add(t.getName() + ": " + e));
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            synchronized (captured) {
              captured.write(b);
            }
            previousErr.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            synchronized (captured) {
              captured.write(b, off, len);
            }
            previousErr.write(b, off, len);
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /**
   * Starts watching: installs a default uncaught exception handler and tees {@code System.err}.
   *
   * @return the watch, to be closed by the caller
   */
  public static IoThreadWatch start() {
    return new IoThreadWatch();
  }

  /**
   * Uncaught exceptions and alarming log lines seen so far.
   *
   * @return a new list, empty when all is well
   */
  public List<String> problems() {
    List<String> found = new ArrayList<>(uncaught);
    String text;
    synchronized (captured) {
      text = captured.toString(StandardCharsets.UTF_8);
    }
    for (String line : text.split("\n")) {
      for (String alarm : ALARMS) {
        if (line.contains(alarm)) {
          found.add(line);
          break;
        }
      }
    }
    return found;
  }

  /**
   * The exceptions that reached the default uncaught exception handler so far, as {@code "thread:
   * exception"}; with the watch started, the JVM no longer prints them to {@code System.err}.
   *
   * @return a copy, in order
   */
  public List<String> uncaught() {
    return List.copyOf(uncaught);
  }

  /**
   * Everything logged to {@code System.err} since the watch started.
   *
   * @return the text
   */
  public String log() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** Restores {@code System.err} and the previous default uncaught exception handler. */
  @Override
  public void close() {
    System.err.flush();
    System.setErr(previousErr);
    Thread.setDefaultUncaughtExceptionHandler(previousHandler);
  }
}
