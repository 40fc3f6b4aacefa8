package io.pusheriso.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Allocated bytes and CPU time of the client side of this JVM: every live Java thread except the bench server's
 * ({@code bench-server-*}) and the harness thread that takes the snapshot. Threads that end between two snapshots
 * are lost; the clients under test keep theirs for the whole measurement.
 *
 * <p>Immutable snapshots; {@link #now()} may be called from any thread.
 */
public final class ThreadStats {

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        MX.setThreadAllocatedMemoryEnabled(true);
        MX.setThreadCpuTimeEnabled(true);
    }

    private final Map<Long, long[]> byThread;

    private ThreadStats(Map<Long, long[]> byThread) {
        this.byThread = byThread;
    }

    public static ThreadStats now() {
        long self = Thread.currentThread().getId();
        long[] ids = MX.getAllThreadIds();
        ThreadInfo[] infos = MX.getThreadInfo(ids);
        Map<Long, long[]> map = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null || ids[i] == self || infos[i].getThreadName().startsWith("bench-server")) {
                continue;
            }
            long alloc = MX.getThreadAllocatedBytes(ids[i]);
            long cpu = MX.getThreadCpuTime(ids[i]);
            if (alloc >= 0 && cpu >= 0) {
                map.put(ids[i], new long[] {alloc, cpu});
            }
        }
        return new ThreadStats(map);
    }

    /** Bytes allocated by client threads since {@code before}. */
    public long allocatedSince(ThreadStats before) {
        return delta(before, 0);
    }

    /** CPU nanoseconds used by client threads since {@code before}. */
    public long cpuSince(ThreadStats before) {
        return delta(before, 1);
    }

    private long delta(ThreadStats before, int k) {
        long sum = 0;
        for (Map.Entry<Long, long[]> e : byThread.entrySet()) {
            long[] b = before.byThread.get(e.getKey());
            sum += e.getValue()[k] - (b == null ? 0 : b[k]);
        }
        return sum;
    }
}
