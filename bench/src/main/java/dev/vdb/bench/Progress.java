package dev.vdb.bench;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Periodic progress lines for a long phase: count, total, rate and elapsed time, at most one
 * line every {@link #INTERVAL_NANOS}. Thread-safe: {@link #advance} may be called from many
 * threads; it allocates only when it prints.
 */
public final class Progress {

    static final long INTERVAL_NANOS = 5_000_000_000L;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastPrint = new AtomicLong(start);

    public Progress(String label, long total, PrintStream out) {
        this.label = label;
        this.total = total;
        this.out = out;
    }

    /** A progress that never prints (warm-up, tests of single calls). */
    public static Progress silent() {
        return new Progress("", 0, null);
    }

    /** Records {@code n} more units of work and prints a line when the interval has passed. */
    public void advance(long n) {
        long now = done.addAndGet(n);
        if (out == null) {
            return;
        }
        long t = System.nanoTime();
        long last = lastPrint.get();
        if (t - last >= INTERVAL_NANOS && lastPrint.compareAndSet(last, t)) {
            print(now, t);
        }
    }

    /** Prints the final line of the phase. */
    public void finish() {
        if (out != null) {
            print(done.get(), System.nanoTime());
        }
    }

    private void print(long count, long now) {
        double seconds = (now - start) / 1e9;
        out.printf("  %s: %,d/%,d (%.0f%%) %,.0f/s, %.1f s%n", label, count, total,
                total > 0 ? 100.0 * count / total : 100.0, count / Math.max(seconds, 1e-9), seconds);
    }
}
