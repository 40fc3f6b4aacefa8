package io.pusheriso.transport.httpclient.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time in submission order, on whichever thread finds the lane idle; a task
 * submitted while another runs (from another thread, or from inside the running task) waits for
 * it. Listener calls are thereby serialized and never reentrant, without a thread of their own.
 *
 * <p>Thread-safe.
 */
final class SerialLane {
  private static final Logger LOG = LoggerFactory.getLogger(SerialLane.class);

  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();

  /** Queues the task and runs the lane here unless another thread is running it. */
  void execute(Runnable task) {
    tasks.add(task);
    drain();
  }

  /**
   * Queues the task and runs the lane on {@code executor}, so that a caller inside {@code
   * Transport.close()} never receives a listener call on its own thread; runs here if the executor
   * refuses.
   */
  void executeOn(Executor executor, Runnable task) {
    tasks.add(task);
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      drain();
    }
  }

  /**
   * Takes the lane for a call the caller makes itself, on its own thread, if no thread holds it:
   * the tasks already queued run first, and the caller must then make its call and {@link #leave}.
   * Returns false, having run nothing, if the lane is busy (or this thread is inside a task); the
   * caller must then {@link #execute} instead. This lets a caller hand a listener data that is only
   * valid until it returns, with no task allocated per call.
   */
  boolean tryEnter() {
    if (!pending.compareAndSet(0, 1)) {
      return false;
    }
    runQueued();
    return true;
  }

  /** Gives the lane back after a successful {@link #tryEnter}, running what was queued meanwhile. */
  void leave() {
    int missed = pending.addAndGet(-1);
    if (missed != 0) {
      runFrom(missed);
    }
  }

  private void drain() {
    if (pending.getAndIncrement() != 0) {
      return;
    }
    runFrom(1);
  }

  private void runFrom(int missedSoFar) {
    int missed = missedSoFar;
    do {
      runQueued();
      missed = pending.addAndGet(-missed);
    } while (missed != 0);
  }

  private void runQueued() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        // Listeners must return normally; one that throws must not stall the calls after it.
        LOG.warn("A transport listener threw; the next calls still run", e);
      }
    }
  }
}
