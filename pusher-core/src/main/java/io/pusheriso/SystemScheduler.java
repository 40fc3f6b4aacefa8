package io.pusheriso;

import io.pusheriso.spi.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The default {@link Scheduler}: {@link System#nanoTime()} and the JDK's shared delay scheduler
 * behind {@link CompletableFuture#completeOnTimeout}, so that the client starts no timer thread of
 * its own. The tasks only hand work to the event lane, so the shared thread is never held.
 *
 * <p>Cancelling completes the future, which also removes the pending JDK timer.
 *
 * <p>Thread-safe and stateless.
 */
final class SystemScheduler implements Scheduler {

  @Override
  public long nowMillis() {
    return System.nanoTime() / 1_000_000L;
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    CompletableFuture<Boolean> timer = new CompletableFuture<>();
    timer.thenAccept(
        fired -> {
          if (fired) {
            task.run();
          }
        });
    timer.completeOnTimeout(Boolean.TRUE, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    return () -> timer.complete(Boolean.FALSE);
  }
}
