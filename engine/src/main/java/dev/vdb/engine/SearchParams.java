package dev.vdb.engine;

import java.util.Objects;

/**
 * Per-query search knobs.
 *
 * @param hnswEf HNSW candidate list size, or 0 for the default (max(limit + offset, {@value #DEFAULT_EF}))
 * @param exact answer by brute force (the oracle) instead of the index
 * @param filterStrategy how a filtered vector search runs; {@link FilterStrategy#AUTO} by default
 * @param quantization how a quantized collection uses its codes; null: {@link QuantizationParams#DEFAULT}
 */
public record SearchParams(int hnswEf, boolean exact, FilterStrategy filterStrategy, QuantizationParams quantization) {

    public static final int DEFAULT_EF = 64;
    public static final int MAX_EF = 10_000;
    public static final SearchParams DEFAULT = new SearchParams(0, false, FilterStrategy.AUTO);

    public SearchParams {
        if (hnswEf < 0 || hnswEf > MAX_EF) {
            throw new IllegalArgumentException(
                    "params.hnsw_ef must be in 1.." + MAX_EF + ", got " + hnswEf);
        }
        filterStrategy = Objects.requireNonNullElse(filterStrategy, FilterStrategy.AUTO);
        quantization = Objects.requireNonNullElse(quantization, QuantizationParams.DEFAULT);
    }

    /** ef, exactness and filter strategy with the default quantization use. */
    public SearchParams(int hnswEf, boolean exact, FilterStrategy filterStrategy) {
        this(hnswEf, exact, filterStrategy, QuantizationParams.DEFAULT);
    }

    /** Brute force: exact results, the oracle. */
    public static final SearchParams EXACT = new SearchParams(0, true, FilterStrategy.AUTO);

    /** A graph search with candidate list size {@code hnswEf}. */
    public static SearchParams ef(int hnswEf) {
        return new SearchParams(hnswEf, false, FilterStrategy.AUTO);
    }

    /** ef and exactness with the {@link FilterStrategy#AUTO} planner. */
    public SearchParams(int hnswEf, boolean exact) {
        this(hnswEf, exact, FilterStrategy.AUTO);
    }

    /** The ef a query with this many wanted results runs with. */
    public int efFor(int wanted) {
        return hnswEf > 0 ? Math.max(hnswEf, wanted) : Math.max(DEFAULT_EF, wanted);
    }

    public SearchParams withFilterStrategy(FilterStrategy strategy) {
        return new SearchParams(hnswEf, exact, strategy, quantization);
    }

    public SearchParams withQuantization(QuantizationParams quantization) {
        return new SearchParams(hnswEf, exact, filterStrategy, quantization);
    }
}
