package dev.vdb.engine;

/**
 * Per-query search knobs.
 *
 * @param hnswEf HNSW candidate list size, or 0 for the default (max(limit + offset, {@value #DEFAULT_EF}))
 * @param exact answer by brute force (the oracle) instead of the index
 */
public record SearchParams(int hnswEf, boolean exact) {

    public static final int DEFAULT_EF = 64;
    public static final int MAX_EF = 10_000;
    public static final SearchParams DEFAULT = new SearchParams(0, false);

    public SearchParams {
        if (hnswEf < 0 || hnswEf > MAX_EF) {
            throw new IllegalArgumentException(
                    "params.hnsw_ef must be in 1.." + MAX_EF + ", got " + hnswEf);
        }
    }

    /** The ef a query with this many wanted results runs with. */
    public int efFor(int wanted) {
        return hnswEf > 0 ? Math.max(hnswEf, wanted) : Math.max(DEFAULT_EF, wanted);
    }
}
