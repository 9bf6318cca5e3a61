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

    /** Mean nanoseconds per {@code similarity.score} call over about {@code seconds}. */
    public static double nanosPerDistance(BenchData data, double seconds) {
        float[][] base = data.base();
        float[][] queries = data.queries();
        int dim = data.dimension();
        float sink = scan(data, queries[0], base, dim); // compiles the loop before timing
        sink += scan(data, queries[queries.length - 1], base, dim);
        long calls = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        long now;
        int q = 0;
        do {
            sink += scan(data, queries[q++ % queries.length], base, dim);
            calls += base.length;
            now = System.nanoTime();
        } while (now < end);
        if (sink == Float.MIN_VALUE) {
            System.out.print(""); // keeps the sums alive
        }
        return (now - t0) / (double) calls;
    }

    private static float scan(BenchData data, float[] query, float[][] base, int dim) {
        float sum = 0;
        for (float[] row : base) {
            sum += data.similarity().score(query, 0, row, 0, dim);
        }
        return sum;
    }
}
