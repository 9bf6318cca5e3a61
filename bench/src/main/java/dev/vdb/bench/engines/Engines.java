package dev.vdb.bench.engines;

import dev.vdb.engine.QuantizationConfig;
import dev.vdb.index.VectorSimilarity;
import java.util.List;

/** The engines the harness knows, by name. Stateless. */
public final class Engines {

    /** Every float32 engine, in the order runs use by default. */
    public static final List<String> ALL = List.of("exact", "ours", "ours-index", "lucene", "lucene-hnsw", "jvector",
            "hnswlib");

    /**
     * The quantized engines (issue 16): ours with int8 and binary codes (with and without
     * rescoring), Lucene's scalar quantization at 7 and 4 bits and its 1-bit BBQ, jvector with
     * product quantization. Run by naming them in {@code --engines}.
     */
    public static final List<String> QUANTIZED = List.of("ours-int8", "ours-int8-norescore", "ours-binary",
            "ours-binary-norescore", "lucene-int7", "lucene-int4", "lucene-bbq", "jvector-pq");

    /** The HNSW peers that "ours" is compared against. */
    public static final List<String> PEERS = List.of("lucene", "lucene-hnsw", "jvector", "hnswlib");

    /** The quantized peers that "ours-int8" and "ours-binary" are compared against. */
    public static final List<String> QUANTIZED_PEERS = List.of("lucene-int7", "lucene-int4", "lucene-bbq", "jvector-pq");

    private Engines() {}

    /** The peers an engine of ours is compared against: the quantized ones for a quantized engine. */
    public static List<String> peersOf(String ours) {
        return QUANTIZED.contains(ours) ? QUANTIZED_PEERS : PEERS;
    }

    /** A new, unbuilt engine. */
    public static AnnEngine create(String name, VectorSimilarity similarity, int m, int efConstruct) {
        return switch (name) {
            case "exact" -> new ExactEngine(similarity);
            case "ours" -> new OursEngine(similarity, m, efConstruct);
            case "ours-index" -> new OursIndexEngine(similarity, m, efConstruct);
            case "ours-int8", "ours-int8-norescore" ->
                    new OursEngine(name, similarity, m, efConstruct, QuantizationConfig.int8(), !name.endsWith("-norescore"));
            case "ours-binary", "ours-binary-norescore" ->
                    new OursEngine(name, similarity, m, efConstruct, QuantizationConfig.binary(), !name.endsWith("-norescore"));
            case "lucene" -> new LuceneEngine(similarity, m, efConstruct);
            case "lucene-int7" -> new LuceneEngine(similarity, m, efConstruct, LuceneEngine.Quantization.INT7);
            case "lucene-int4" -> new LuceneEngine(similarity, m, efConstruct, LuceneEngine.Quantization.INT4);
            case "lucene-bbq" -> new LuceneEngine(similarity, m, efConstruct, LuceneEngine.Quantization.BINARY);
            case "lucene-hnsw" -> new LuceneHnswEngine(similarity, m, efConstruct);
            case "jvector" -> new JVectorEngine(similarity, m, efConstruct);
            case "jvector-pq" -> new JVectorEngine(similarity, m, efConstruct, true);
            case "hnswlib" -> new HnswlibEngine(similarity, m, efConstruct);
            default -> throw new IllegalArgumentException("--engines: unknown engine '" + name + "', expected one of "
                    + ALL + " or " + QUANTIZED);
        };
    }
}
