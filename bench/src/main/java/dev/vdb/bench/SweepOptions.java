package dev.vdb.bench;

import dev.vdb.index.VectorSimilarity;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options every recall sweep shares (a picocli mixin): the metric, the HNSW parameters all
 * engines get, k, and the slice of the data used. Filled by picocli, then only read.
 */
public final class SweepOptions {

    @Option(names = "--metric", defaultValue = "cosine", description = "cosine, l2 or dot (default ${DEFAULT-VALUE}).")
    public String metric;

    @Option(names = "--m", defaultValue = "16", description = "HNSW M for every engine (default ${DEFAULT-VALUE}).")
    public int m;

    @Option(names = "--ef-construct", defaultValue = "100",
            description = "HNSW ef_construct / beam width for every engine (default ${DEFAULT-VALUE}).")
    public int efConstruct;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours per query; recall@k (default ${DEFAULT-VALUE}).")
    public int k;

    @Option(names = "--queries", paramLabel = "N", defaultValue = "0", description = "Use the first N queries (default all).")
    public int queries;

    @Option(names = "--base", paramLabel = "N", defaultValue = "0",
            description = "Use the first N base vectors; ground truth is then computed by brute force (default all).")
    public int baseLimit;

    /** The similarity {@code --metric} names. */
    public VectorSimilarity similarity() {
        return switch (metric.toLowerCase(Locale.ROOT)) {
            case "cosine" -> VectorSimilarity.COSINE;
            case "l2" -> VectorSimilarity.EUCLID;
            case "dot" -> VectorSimilarity.DOT;
            default -> throw new IllegalArgumentException("--metric must be cosine, l2 or dot, got '" + metric + "'");
        };
    }
}
