package io.pusheriso.cli.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks a running command to stop (SIGTERM, SIGINT) and lets the signal's thread wait until the
 * command has disconnected cleanly.
 *
 * <p>Thread-safe.
 */
final class StopSignal {

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean started;

  /** A command that stops on request is running. */
  void started() {
    started = true;
  }

  /** Whether a command that stops on request has started. */
  boolean isStarted() {
    return started;
  }

  /** Asks the command to stop. */
  void request() {
    requested.countDown();
  }

  /** Waits up to {@code timeout} (forever when zero) for a stop request; true when one came. */
  boolean await(Duration timeout) throws InterruptedException {
    if (timeout.isZero()) {
      requested.await();
      return true;
    }
    return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The command has cleaned up. */
  void finished() {
    finished.countDown();
  }

  /** Waits up to {@code timeout} for the command to finish; true when it did. */
  boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
