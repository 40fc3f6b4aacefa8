package io.pusheriso.spi;

import java.time.Duration;

/**
 * The source of time and delayed tasks for one client: the real clock by default, a fake one in
 * tests.
 *
 * <p>Implementations must be thread-safe. Tasks may run on any thread: the core hands them to its
 * event lane itself.
 */
public interface Scheduler {

  /** A monotonic time in milliseconds, as from {@code System.nanoTime() / 1_000_000}. */
  long nowMillis();

  /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduled task that can still be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run yet; idempotent. */
    void cancel();
  }
}
