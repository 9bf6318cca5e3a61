package dev.vdb.bench.filtered;

/**
 * One point of a filtered sweep: a variant at one ef on one filter, over all queries, on one
 * thread.
 *
 * @param filter the filter's label, e.g. {@code freq_rank<5000 (9.8%)}
 * @param fraction mean share of the base the filter admits
 * @param ef beam width (0 where it does not apply)
 * @param meanDistances mean distance computations per query, or -1 when unknown
 * @param shortAnswers queries answered with fewer hits than the filter admits (up to k)
 */
public record FilteredPoint(String filter, double fraction, String variant, int ef, double recall, double qps,
                            double meanMicros, double p50Micros, double p99Micros, double maxMicros,
                            double meanDistances, int shortAnswers) {}
