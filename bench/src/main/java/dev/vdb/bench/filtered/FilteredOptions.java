package dev.vdb.bench.filtered;

import java.util.List;

/**
 * The resolved settings of one filtered run.
 *
 * @param engines the built engines (ours, ours-index, lucene, jvector); each brings its variants
 * @param efs the ef sweep, ascending
 * @param warmupSeconds least time each variant searches before timing starts
 * @param rounds passes over the queries per point; the fastest is kept
 */
public record FilteredOptions(List<String> engines, int m, int efConstruct, List<Integer> efs, int k, int threads,
                              double warmupSeconds, int rounds) {

    public static final List<String> ENGINES = List.of("ours", "ours-index", "lucene", "jvector");

    public FilteredOptions {
        for (String e : engines) {
            if (!ENGINES.contains(e)) {
                throw new IllegalArgumentException("--engines: unknown engine '" + e + "' for a filtered run, expected some of " + ENGINES);
            }
        }
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("--engines must name at least one engine");
        }
        if (m < 2 || efConstruct < 1 || k < 1 || threads < 1 || rounds < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("--m >= 2, --ef-construct, --k, --threads, --rounds >= 1 and --warmup-seconds >= 0 are required, got m="
                    + m + ", ef_construct=" + efConstruct + ", k=" + k + ", threads=" + threads + ", rounds=" + rounds
                    + ", warm-up " + warmupSeconds);
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
