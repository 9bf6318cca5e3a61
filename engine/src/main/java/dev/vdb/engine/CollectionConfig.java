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
 * @param vectorName the name Qdrant's API gives the collection's one vector ({@code ""}, the
 *     default, for its unnamed vector; e.g. {@code "dense"}); the engine does not use it
 */
public record CollectionConfig(int dimension, Distance distance, HnswConfig hnsw, TextConfig text,
                               QuantizationConfig quantization, String vectorName) {

    public static final int MAX_DIMENSION = 65_536;
    /** Longest vector name accepted. */
    public static final int MAX_VECTOR_NAME_LENGTH = 64;
    /** What a query's {@code using} names for the points' texts (BM25), so no vector may be named so. */
    public static final String TEXT_VECTOR = "text";

    public CollectionConfig {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    "vectors.size must be in 1.." + MAX_DIMENSION + ", got " + dimension);
        }
        Objects.requireNonNull(distance, "distance");
        hnsw = hnsw == null ? HnswConfig.DEFAULT : hnsw;
        text = text == null ? TextConfig.DEFAULT : text;
        vectorName = vectorName == null ? "" : vectorName;
        if (vectorName.length() > MAX_VECTOR_NAME_LENGTH || vectorName.equals(TEXT_VECTOR)) {
            throw new IllegalArgumentException("the vector's name must have at most " + MAX_VECTOR_NAME_LENGTH
                    + " characters and not be \"" + TEXT_VECTOR + "\" (a query's using \"text\" searches the points' "
                    + "texts), got \"" + vectorName + "\"");
        }
    }

    /** A config of the unnamed vector. */
    public CollectionConfig(int dimension, Distance distance, HnswConfig hnsw, TextConfig text,
                            QuantizationConfig quantization) {
        this(dimension, distance, hnsw, text, quantization, "");
    }

    /** A config of the unnamed vector, without quantization. */
    public CollectionConfig(int dimension, Distance distance, HnswConfig hnsw, TextConfig text) {
        this(dimension, distance, hnsw, text, null, "");
    }

    /** This config with {@code quantization} (null: none). */
    public CollectionConfig withQuantization(QuantizationConfig quantization) {
        return new CollectionConfig(dimension, distance, hnsw, text, quantization, vectorName);
    }

    /** This config with its vector named {@code vectorName} ({@code ""}: unnamed). */
    public CollectionConfig withVectorName(String vectorName) {
        return new CollectionConfig(dimension, distance, hnsw, text, quantization, vectorName);
    }

    /** A config with default HNSW and text settings. */
    public static CollectionConfig of(int dimension, Distance distance) {
        return new CollectionConfig(dimension, distance, HnswConfig.DEFAULT, TextConfig.DEFAULT);
    }
}
