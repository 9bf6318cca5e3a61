package dev.vdb.engine;

import java.util.Objects;

/**
 * What a collection is created with and persisted with it; only the quantization changes afterwards.
 *
 * @param dimension vector length, 1..65,536
 * @param distance the metric
 * @param hnsw HNSW build parameters
 * @param text analyzer and BM25 parameters
 * @param quantization how the graph's vectors are compressed, or null for none; changed by
 *     {@link VectorCollection#updateQuantization}, the rest is immutable
 */
public record CollectionConfig(int dimension, Distance distance, HnswConfig hnsw, TextConfig text,
                               QuantizationConfig quantization) {

    public static final int MAX_DIMENSION = 65_536;

    public CollectionConfig {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    "vectors.size must be in 1.." + MAX_DIMENSION + ", got " + dimension);
        }
        Objects.requireNonNull(distance, "distance");
        hnsw = hnsw == null ? HnswConfig.DEFAULT : hnsw;
        text = text == null ? TextConfig.DEFAULT : text;
    }

    /** A config without quantization. */
    public CollectionConfig(int dimension, Distance distance, HnswConfig hnsw, TextConfig text) {
        this(dimension, distance, hnsw, text, null);
    }

    /** This config with {@code quantization} (null: none). */
    public CollectionConfig withQuantization(QuantizationConfig quantization) {
        return new CollectionConfig(dimension, distance, hnsw, text, quantization);
    }

    /** A config with default HNSW and text settings. */
    public static CollectionConfig of(int dimension, Distance distance) {
        return new CollectionConfig(dimension, distance, HnswConfig.DEFAULT, TextConfig.DEFAULT);
    }
}
