package dev.vdb.bench;

/**
 * One point of a single-thread ef sweep: recall@k and speed over all queries.
 *
 * @param ef beam width (0 for the exact scan, which has none)
 * @param meanDistances mean distance computations per query, or -1 when unknown
 */
public record SweepPoint(int ef, double recall, double qps, double meanMicros, double p50Micros,
                         double p99Micros, double maxMicros, double meanDistances) {}
