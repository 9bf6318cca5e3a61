package dev.vdb.cluster.proto;

import java.util.Arrays;
import java.util.List;

/** Latency percentiles and throughput of a prototype run. Not thread-safe: called once at the end. */
final class Stats {
    private Stats() {}

    static void print(String what, int threads, int bytes, int seconds, List<long[]> perThread) {
        int total = 0;
        for (long[] l : perThread) {
            total += (int) l[0];
        }
        long[] all = new long[total];
        int k = 0;
        for (long[] l : perThread) {
            System.arraycopy(l, 1, all, k, (int) l[0]);
            k += (int) l[0];
        }
        Arrays.sort(all);
        System.out.printf("%s threads=%d bytes=%d writes/s=%.0f p50=%.2fms p99=%.2fms%n", what, threads, bytes,
                total / (double) seconds, all[total / 2] / 1e6, all[(int) (total * 0.99)] / 1e6);
    }
}
