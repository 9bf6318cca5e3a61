package dev.vdb.embed;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The built-in embedding models by name. Each is loaded on first use (the ONNX model from the
 * classpath, some 90 MB for all-MiniLM-L6-v2, in a second or two) and then shared. Thread-safe.
 */
public final class EmbeddingModels {

    /** all-MiniLM-L6-v2 (sentence-transformers): 384 dimensions, mean pooling, L2-normalised. */
    public static final String ALL_MINILM_L6_V2 = "sentence-transformers/all-MiniLM-L6-v2";

    private static final Map<String, Supplier<EmbeddingModel>> FACTORIES = Map.of(
            ALL_MINILM_L6_V2, MiniLmEmbeddingModel::new);
    private static final Map<String, EmbeddingModel> LOADED = new ConcurrentHashMap<>();

    private EmbeddingModels() {}

    /** The names {@link #get} knows, sorted. */
    public static List<String> names() {
        return FACTORIES.keySet().stream().sorted().toList();
    }

    /**
     * The shared model of that name, loading it on first use.
     *
     * @throws IllegalArgumentException naming the unknown name and the known ones
     */
    public static EmbeddingModel get(String name) {
        Supplier<EmbeddingModel> factory = name == null ? null : FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown embedding model '" + name + "', known: " + names());
        }
        return LOADED.computeIfAbsent(name, n -> factory.get());
    }
}
