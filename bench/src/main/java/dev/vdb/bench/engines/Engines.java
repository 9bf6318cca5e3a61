package dev.vdb.bench.engines;

import dev.vdb.index.VectorSimilarity;
import java.util.List;

/** The engines the harness knows, by name. Stateless. */
public final class Engines {

    /** Every engine name, in the order runs use by default. */
    public static final List<String> ALL = List.of("exact", "ours", "ours-index", "lucene", "lucene-hnsw", "jvector",
            "hnswlib");

    /** The HNSW peers that "ours" is compared against. */
    public static final List<String> PEERS = List.of("lucene", "lucene-hnsw", "jvector", "hnswlib");

    private Engines() {}

    /** A new, unbuilt engine. */
    public static AnnEngine create(String name, VectorSimilarity similarity, int m, int efConstruct) {
        return switch (name) {
            case "exact" -> new ExactEngine(similarity);
            case "ours" -> new OursEngine(similarity, m, efConstruct);
            case "ours-index" -> new OursIndexEngine(similarity, m, efConstruct);
            case "lucene" -> new LuceneEngine(similarity, m, efConstruct);
            case "lucene-hnsw" -> new LuceneHnswEngine(similarity, m, efConstruct);
            case "jvector" -> new JVectorEngine(similarity, m, efConstruct);
            case "hnswlib" -> new HnswlibEngine(similarity, m, efConstruct);
            default -> throw new IllegalArgumentException("--engines: unknown engine '" + name + "', expected one of " + ALL);
        };
    }
}
