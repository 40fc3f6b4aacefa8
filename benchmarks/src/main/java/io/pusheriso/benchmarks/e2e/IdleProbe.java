package io.pusheriso.benchmarks.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs in a JVM of its own (started by {@link E2e}) so that what it measures is the client alone: opens one
 * connection (to load the classes and start shared threads), takes a baseline after GC, opens {@code n} more
 * connections, each subscribed to its own channel, lets them sit idle, and prints the heap, RSS and thread
 * deltas as one line {@code RESULT key=value ...}. A failure prints {@code RESULT failed=...} with what was
 * reached (the official client may run out of threads).
 *
 * <p>Usage: {@code IdleProbe <client> <n> <port> <idleSeconds>}. Single-threaded harness.
 */
public final class IdleProbe {

    private IdleProbe() {}

    public static void main(String[] args) throws Exception {
        String kindName = args[0];
        int n = Integer.parseInt(args[1]);
        int port = Integer.parseInt(args[2]);
        int idleSeconds = Integer.parseInt(args[3]);
        Sink sink = new Sink();
        List<Clients.Conn> conns = new ArrayList<>();
        int opened = 0;
        String failure = null;
        long[] base;
        long[] after = null;
        long openNanos = 0;
        try (Clients.Kind kind = Clients.byName(kindName)) {
            conns.add(kind.open(port, List.of("idle-warm"), sink, Clients.Mode.COUNT, () -> {}));
            Thread.sleep(idleSeconds * 1000L);
            base = measure();
            long t0 = System.nanoTime();
            try {
                for (int i = 0; i < n; i++) {
                    conns.add(kind.open(port, List.of("idle-" + i), sink, Clients.Mode.COUNT, () -> {}));
                    opened++;
                }
                openNanos = System.nanoTime() - t0;
                // Idle: let per-connection lanes and timers settle (pusher-iso's own lane thread ends after 2 s).
                Thread.sleep(idleSeconds * 1000L);
                after = measure();
            } catch (Exception | OutOfMemoryError e) {
                failure = e.toString().replace(' ', '_');
                after = measure();
            }
            System.out.printf("RESULT client=%s n=%d opened=%d heap_base=%d heap_after=%d rss_base=%d rss_after=%d "
                            + "threads_base=%d threads_after=%d open_ms=%d%s%n",
                    kindName, n, opened, base[0], after[0], base[1], after[1], base[2], after[2], openNanos / 1_000_000,
                    failure == null ? "" : " failed=" + failure);
            System.out.flush();
            if (Boolean.getBoolean("idle.histo")) {
                // The classes that grew most, for the findings (jcmd's histogram of live objects).
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(ProcessHandle.current().pid()), "GC.class_histogram").inheritIO().start();
                p.waitFor();
            }
            for (Clients.Conn c : conns) {
                try {
                    c.close();
                } catch (RuntimeException ignored) {
                    // closing is not measured; the process exits next
                }
            }
        }
        System.exit(0);
    }

    /** heap used after full GCs, RSS, live threads. */
    static long[] measure() throws InterruptedException, IOException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            mem.gc();
            Thread.sleep(200);
        }
        return new long[] {mem.getHeapMemoryUsage().getUsed(), rss(), ManagementFactory.getThreadMXBean().getThreadCount()};
    }

    static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
