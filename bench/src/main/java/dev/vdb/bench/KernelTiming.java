package dev.vdb.bench;

import java.util.SplittableRandom;

/**
 * Times our SIMD distance kernel on the run's own vectors: a query against base rows taken in
 * random order, as a graph search reads them (so cache misses are included). This is the
 * "kernel time" in the gap-to-hardware estimate, time per query ÷ (distances × kernel time);
 * JMH's {@code DistanceKernelsBench} gives the cache-hot figure. Stateless.
 */
public final class KernelTiming {

    private KernelTiming() {}

    /** Mean nanoseconds per {@code similarity.score} call over about {@code seconds}. */
    public static double nanosPerDistance(BenchData data, double seconds) {
        float[][] base = data.base();
        float[][] queries = data.queries();
        int dim = data.dimension();
        SplittableRandom random = new SplittableRandom(11);
        int[] rows = new int[1 << 16];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.nextInt(base.length);
        }
        float sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += data.similarity().score(queries[i % queries.length], 0, base[rows[i & (rows.length - 1)]], 0, dim);
        }
        long calls = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        long now;
        do {
            for (int i = 0; i < rows.length; i++) {
                sink += data.similarity().score(queries[i % queries.length], 0, base[rows[i]], 0, dim);
            }
            calls += rows.length;
            now = System.nanoTime();
        } while (now < end);
        if (sink == Float.MIN_VALUE) {
            System.out.print(""); // keeps the sum alive
        }
        return (now - t0) / (double) calls;
    }
}
