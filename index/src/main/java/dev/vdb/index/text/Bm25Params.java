package dev.vdb.index.text;

/**
 * BM25 parameters, as Lucene's {@code BM25Similarity}: {@code k1} (term-frequency saturation,
 * finite and >= 0) and {@code b} (length normalisation, 0 to 1).
 *
 * <p>Immutable and thread-safe.
 *
 * @param k1 term-frequency saturation; {@link #DEFAULT_K1} by default
 * @param b length normalisation; {@link #DEFAULT_B} by default
 */
public record Bm25Params(float k1, float b) {

    /** Lucene's and Elasticsearch's default k1. */
    public static final float DEFAULT_K1 = 1.2f;

    /** Lucene's and Elasticsearch's default b. */
    public static final float DEFAULT_B = 0.75f;

    /** k1 = 1.2, b = 0.75. */
    public static final Bm25Params DEFAULT = new Bm25Params(DEFAULT_K1, DEFAULT_B);

    /** @throws IllegalArgumentException naming the parameter when k1 or b is out of range */
    public Bm25Params {
        if (!Float.isFinite(k1) || k1 < 0) {
            throw new IllegalArgumentException("text.bm25.k1: must be a finite value >= 0, got " + k1);
        }
        if (Float.isNaN(b) || b < 0 || b > 1) {
            throw new IllegalArgumentException("text.bm25.b: must be between 0 and 1, got " + b);
        }
    }
}
