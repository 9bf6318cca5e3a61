package dev.vdb.bench;

import java.util.List;

/**
 * The resolved settings of one run (after defaults and {@code --quick}).
 *
 * @param efs the ef sweep, ascending
 * @param singleThreadBuild also time a one-thread build of engines that build concurrently
 * @param warmBuilds untimed builds of each engine before its timed ones, in the same JVM (0: the
 *                   timed builds also pay for compiling the engine's code)
 * @param warmupSeconds least time each engine searches before the sweep is timed
 * @param rounds passes over the queries per sweep point; the fastest is kept
 */
public record BenchOptions(List<String> engines, int m, int efConstruct, List<Integer> efs, int k,
                           int threads, boolean singleThreadBuild, int warmBuilds, double warmupSeconds,
                           int rounds) {

    public BenchOptions {
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("--engines must name at least one engine");
        }
        if (m < 2) {
            throw new IllegalArgumentException("--m must be at least 2, got " + m);
        }
        if (efConstruct < 1) {
            throw new IllegalArgumentException("--ef-construct must be positive, got " + efConstruct);
        }
        if (k < 1) {
            throw new IllegalArgumentException("--k must be positive, got " + k);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be positive, got " + threads);
        }
        if (warmBuilds < 0) {
            throw new IllegalArgumentException("--warm-builds must be >= 0, got " + warmBuilds);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be positive, got " + rounds);
        }
        if (warmupSeconds < 0) {
            throw new IllegalArgumentException("--warmup-seconds must be >= 0, got " + warmupSeconds);
        }
        for (int ef : efs) {
            if (ef < k) {
                throw new IllegalArgumentException("--ef values must be at least --k (" + k + "), got " + ef);
            }
        }
        efs = efs.stream().sorted().distinct().toList();
        engines = List.copyOf(engines);
    }
}
