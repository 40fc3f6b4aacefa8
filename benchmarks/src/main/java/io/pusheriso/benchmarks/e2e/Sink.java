package io.pusheriso.benchmarks.e2e;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Where a client under test reports what it received: it counts events and, in latency runs, records the delay from
 * each frame's intended send time (carried in its data as {@code "t":<System.nanoTime>}) to its delivery.
 *
 * <p>Threading: {@link #event()} and the {@code latency} methods are called by the one thread that delivers a
 * client's events (every client here delivers on one thread at a time); the rest from the harness thread.
 */
public final class Sink {

    private final AtomicLong count = new AtomicLong();
    private volatile long target = Long.MAX_VALUE;
    private volatile CountDownLatch reached = new CountDownLatch(1);
    private volatile long reachedAt;
    private volatile long recordFrom = Long.MAX_VALUE;
    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

    /** Counts one event. */
    public void event() {
        long c = count.incrementAndGet();
        if (c == target) {
            reachedAt = System.nanoTime();
            reached.countDown();
        }
    }

    /** Records the latency of one event whose data (as a string) holds {@code "t":N}, and counts it. */
    public void latency(CharSequence data) {
        long t = parseT(data);
        if (t >= 0) {
            record(t);
            event();
        }
    }

    /** Records the latency of one raw frame whose bytes hold {@code t\":N}, and counts it. */
    public void latency(ByteBuf frame) {
        long t = parseT(frame);
        if (t >= 0) {
            record(t);
            event();
        }
    }

    private void record(long intended) {
        long now = System.nanoTime();
        if (intended >= recordFrom) {
            histogram.recordValue(Math.max(0, now - intended));
        }
    }

    /** Resets the count and waits for {@code target} events from now on. */
    public void expect(long target) {
        count.set(0);
        reached = new CountDownLatch(1);
        this.target = target;
    }

    /** Records latencies only of frames intended at or after {@code nanoTime}; clears the histogram. */
    public void recordFrom(long nanoTime) {
        histogram.reset();
        recordFrom = nanoTime;
    }

    /** Waits for the target; returns the nanoTime it was reached, or -1 on timeout. */
    public long await(long timeout, TimeUnit unit) throws InterruptedException {
        return reached.await(timeout, unit) ? reachedAt : -1;
    }

    public long count() {
        return count.get();
    }

    public Histogram histogram() {
        return histogram;
    }

    /** Finds {@code "t":N} in decoded data or {@code \"t\":N} in a raw frame's text. */
    static long parseT(CharSequence s) {
        int n = s.length();
        for (int i = 1; i + 2 < n; i++) {
            if (s.charAt(i) == 't' && s.charAt(i - 1) == '"') {
                if (s.charAt(i + 1) == '"' && s.charAt(i + 2) == ':') {
                    return digits(s, i + 3);
                }
                if (i + 3 < n && s.charAt(i + 1) == '\\' && s.charAt(i + 2) == '"' && s.charAt(i + 3) == ':') {
                    return digits(s, i + 4);
                }
            }
        }
        return -1; // not a timestamped frame (connection_established, subscription_succeeded)
    }

    private static long digits(CharSequence s, int i) {
        long v = 0;
        int n = s.length();
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return v;
    }

    static long parseT(ByteBuf b) {
        int end = b.writerIndex();
        // The raw frame has the escaped form t\":N inside the data string.
        for (int i = b.readerIndex() + 1; i + 3 < end; i++) {
            if (b.getByte(i) == 't' && b.getByte(i - 1) == '"' && b.getByte(i + 1) == '\\' && b.getByte(i + 2) == '"' && b.getByte(i + 3) == ':') {
                long v = 0;
                int j = i + 4;
                while (j < end && b.getByte(j) >= '0' && b.getByte(j) <= '9') {
                    v = v * 10 + (b.getByte(j++) - '0');
                }
                return v;
            }
        }
        return -1; // not a timestamped frame
    }
}
