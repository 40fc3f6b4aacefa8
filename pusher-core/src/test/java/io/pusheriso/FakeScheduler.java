package io.pusheriso;

import io.pusheriso.spi.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** A manual clock: tasks run only when a test advances time. Thread-safe. */
final class FakeScheduler implements Scheduler {

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq));
  private long now = 1_000_000;
  private long seq;

  private static final class Task {
    final long due;
    final long seq;
    final Runnable run;
    boolean cancelled;

    Task(long due, long seq, Runnable run) {
      this.due = due;
      this.seq = seq;
      this.run = run;
    }
  }

  @Override
  public synchronized long nowMillis() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(now + Math.max(0, delay.toMillis()), seq++, task);
    tasks.add(t);
    return () -> {
      synchronized (FakeScheduler.this) {
        t.cancelled = true;
        tasks.remove(t);
      }
    };
  }

  /** Advances the clock, running every task that falls due, in order, outside the lock. */
  void advance(Duration d) {
    long target;
    synchronized (this) {
      target = now + d.toMillis();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = Math.max(now, next.due);
      }
      if (!next.cancelled) {
        next.run.run();
      }
    }
  }

  /** Runs what is due now. */
  void runDue() {
    advance(Duration.ZERO);
  }

  /** Delays of the pending tasks from now, for assertions. */
  synchronized List<Long> pendingDelays() {
    List<Long> out = new ArrayList<>();
    for (Task t : tasks) {
      out.add(t.due - now);
    }
    out.sort(Long::compare);
    return out;
  }
}
