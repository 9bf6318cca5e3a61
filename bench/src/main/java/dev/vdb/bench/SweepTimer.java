package dev.vdb.bench;

import dev.vdb.bench.engines.AnnEngine;
import dev.vdb.testkit.data.Dataset;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Times one engine's single-thread searches: the warm-up before a sweep and one sweep point
 * (every query once at one ef). Shared by the in-process sweep ({@link BenchRunner}) and the
 * scale run's child JVMs. Stateless.
 */
public final class SweepTimer {

    private SweepTimer() {}

    /**
     * Searches cycling through queries and ef values until every query has run once and
     * {@code seconds} have passed, so the JIT has compiled every path before anything is timed;
     * returns the number of queries run.
     */
    public static int warmUp(AnnEngine engine, float[][] queries, int k, List<Integer> efs, double seconds)
            throws Exception {
        AnnEngine.Session session = engine.newSession();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int i = 0;
        while (i < queries.length || System.nanoTime() < end) {
            session.search(queries[i % queries.length], k, efs.get(i % efs.size()));
            i++;
        }
        return i;
    }

    /** Every query once at {@code ef} on one thread: recall@k against {@code truth}, speed, distances. */
    public static SweepPoint point(AnnEngine engine, float[][] queries, int[][] truth, int k, int ef) throws Exception {
        AnnEngine.Session session = engine.newSession();
        Histogram latencies = new Histogram(3);
        double recall = 0;
        long distances = 0;
        boolean counted = true;
        long total = 0;
        for (int q = 0; q < queries.length; q++) {
            long t0 = System.nanoTime();
            int[] ids = session.search(queries[q], k, ef);
            long nanos = System.nanoTime() - t0;
            total += nanos;
            latencies.recordValue(nanos);
            recall += Dataset.recall(truth[q], ids, k);
            long d = session.lastDistanceComputations();
            counted &= d >= 0;
            distances += d;
        }
        int n = queries.length;
        return new SweepPoint(ef, recall / n, n / (total / 1e9), latencies.getMean() / 1e3,
                latencies.getValueAtPercentile(50) / 1e3, latencies.getValueAtPercentile(99) / 1e3,
                latencies.getMaxValue() / 1e3, counted ? distances / (double) n : -1);
    }
}
