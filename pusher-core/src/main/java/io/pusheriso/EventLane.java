package io.pusheriso;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serial event lane of one client: tasks run one at a time, in submission order, on a backing
 * executor (the user's callback executor or the client's own single daemon thread).
 *
 * <p>Only one drain task is ever outstanding on the backing executor, so a multi-threaded executor
 * still runs the lane serially; a drain gives the executor back after a batch so that a shared one
 * (a Netty event loop) is not monopolized. A task that throws is logged and the lane continues.
 *
 * <p>Thread-safe: {@link #execute} may be called from any thread.
 */
final class EventLane implements Executor {

  private static final Logger LOG = LoggerFactory.getLogger(EventLane.class);
  private static final int BATCH = 256;

  private final Executor backing;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** The one drain task, made once: scheduling a drain allocates nothing of the lane's own. */
  private final Runnable drainTask = this::drain;
  private volatile Thread runner;

  EventLane(Executor backing) {
    this.backing = backing;
  }

  @Override
  public void execute(Runnable task) {
    queue.add(task);
    trySchedule();
  }

  /** Whether the calling thread is running a task of this lane right now. */
  boolean inLane() {
    return runner == Thread.currentThread();
  }

  private void trySchedule() {
    if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
      try {
        backing.execute(drainTask);
      } catch (RejectedExecutionException e) {
        scheduled.set(false);
        int dropped = queue.size();
        queue.clear();
        LOG.debug("Event lane executor refused work (client closed?): dropped {} task(s)", dropped);
      }
    }
  }

  private void drain() {
    Thread previous = runner;
    runner = Thread.currentThread();
    try {
      for (int i = 0; i < BATCH; i++) {
        Runnable task = queue.poll();
        if (task == null) {
          break;
        }
        try {
          task.run();
        } catch (RuntimeException | LinkageError | AssertionError e) {
          LOG.warn("A task on the event lane failed; the lane continues", e);
        }
      }
    } finally {
      runner = previous;
      scheduled.set(false);
      trySchedule();
    }
  }
}
