package dev.vdb.bench.http;

import java.util.Arrays;

/**
 * Latencies of one load thread, in a preallocated array (no boxing while recording). Not
 * thread-safe: one per thread, merged after the run.
 */
final class LoadRecorder {
    private final long[] nanos;
    private int n;
    private long errors;

    LoadRecorder(int capacity) {
        nanos = new long[capacity];
    }

    void record(long latencyNanos) {
        if (n < nanos.length) {
            nanos[n] = latencyNanos;
        }
        n++;
    }

    void error() {
        errors++;
    }

    long count() {
        return n;
    }

    long errors() {
        return errors;
    }

    /** The latencies of all recorders, sorted. */
    static long[] sortedLatencies(LoadRecorder[] recorders) {
        int total = 0;
        for (LoadRecorder r : recorders) {
            total += Math.min(r.n, r.nanos.length);
        }
        long[] all = new long[total];
        int at = 0;
        for (LoadRecorder r : recorders) {
            int k = Math.min(r.n, r.nanos.length);
            System.arraycopy(r.nanos, 0, all, at, k);
            at += k;
        }
        Arrays.sort(all);
        return all;
    }

    static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
