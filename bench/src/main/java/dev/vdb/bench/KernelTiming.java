package dev.vdb.bench;

/**
 * Times our SIMD distance kernel on the run's own vectors: queries scored against the base
 * rows in storage order, as the exact scan reads them (streaming, the hardware's best case).
 * This is the "kernel time" of the gap-to-hardware estimate, time per query ÷ (distances ×
 * kernel time); a graph search reads rows in random order, so a gap near 1 is out of reach and
 * the figure shows how much goes to cache misses and bookkeeping. JMH's
 * {@code DistanceKernelsBench} gives the cache-hot figure per dimension. Stateless.
 */
public final class KernelTiming {

    private KernelTiming() {}

    /**
     * Nanoseconds per {@code similarity.score} call: a warm-up of {@code seconds}, then the
     * fastest of five slices of {@code seconds / 5} (other processes only slow a slice down).
     */
    public static double nanosPerDistance(BenchData data, double seconds) {
        float[][] base = data.base();
        float[][] queries = data.queries();
        int dim = data.dimension();
        float sink = 0;
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        for (int q = 0; System.nanoTime() < warmEnd || q < 20; q++) {
            sink += scan(data, queries[q % queries.length], base, dim); // lets C2 compile the loop
        }
        double best = Double.MAX_VALUE;
        for (int slice = 0; slice < 5; slice++) {
            long t0 = System.nanoTime();
            long end = t0 + (long) (seconds * 1e9 / 5);
            long calls = 0;
            long now;
            int q = 0;
            do {
                sink += scan(data, queries[q++ % queries.length], base, dim);
                calls += base.length;
                now = System.nanoTime();
            } while (now < end);
            best = Math.min(best, (now - t0) / (double) calls);
        }
        if (sink == Float.MIN_VALUE) {
            System.out.print(""); // keeps the sums alive
        }
        return best;
    }

    private static float scan(BenchData data, float[] query, float[][] base, int dim) {
        float sum = 0;
        for (float[] row : base) {
            sum += data.similarity().score(query, 0, row, 0, dim);
        }
        return sum;
    }
}
