package io.pusheriso.cli.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Not for public use, may change at any time.
 *
 * <p>The entry point of {@code pusher-cli.jar}. Writes UTF-8 whatever the platform's encoding, and
 * turns SIGTERM and SIGINT into a clean stop: the running command disconnects, then the process
 * exits 0.
 *
 * <p>Not thread-safe: run once, by the launcher.
 */
public final class Main {

  private static final Duration SIGNAL_GRACE = Duration.ofSeconds(5);

  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
    StopSignal stop = new StopSignal();
    Thread hook = new Thread(() -> onSignal(stop, out), "pusher-cli-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    int code = PusherCli.commandLine(out, err, stop).execute(args);
    out.flush();
    err.flush();
    try {
      // Exiting normally: the hook has nothing to stop.
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // A signal is being handled: the hook ends the process once the command has finished.
    }
    System.exit(code);
  }

  /**
   * SIGTERM or SIGINT: ask the command to stop, give it a moment to disconnect cleanly, and end
   * with status 0 (a signal would otherwise make it 143 or 130).
   */
  private static void onSignal(StopSignal stop, PrintWriter out) {
    if (!stop.isStarted()) {
      // Nothing to disconnect (demo, or still parsing arguments): the usual signal exit.
      return;
    }
    stop.request();
    boolean clean;
    try {
      clean = stop.awaitFinished(SIGNAL_GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    }
    out.flush();
    if (clean) {
      Runtime.getRuntime().halt(0);
    }
  }
}
