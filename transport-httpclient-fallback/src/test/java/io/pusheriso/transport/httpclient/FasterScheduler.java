package io.pusheriso.transport.httpclient;

import io.pusheriso.spi.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real clock run {@code speedup} times faster, through the core's public {@link Scheduler}
 * port: every delay of the client (pusher-js's 5 s before the HTTP fallback without TLS, 4 s before
 * polling, connect timeouts, backoff) passes in a fraction of the time, while the transports and
 * the server keep real time. Not a fake clock: tasks run on their own as time passes.
 *
 * <p>Thread-safe and stateless.
 */
final class FasterScheduler implements Scheduler {
  private final int speedup;

  FasterScheduler(int speedup) {
    this.speedup = speedup;
  }

  @Override
  public long nowMillis() {
    return System.nanoTime() / 1_000_000L * speedup;
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
    timer.completeOnTimeout(
        Boolean.TRUE, Math.max(0, delay.toMillis() / speedup), TimeUnit.MILLISECONDS);
    return () -> timer.complete(Boolean.FALSE);
  }
}
