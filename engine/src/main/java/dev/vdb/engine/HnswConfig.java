package dev.vdb.engine;

/**
 * HNSW build parameters of a collection.
 *
 * @param m maximum links per node on upper layers (layer 0 keeps 2·m); 2..512
 * @param efConstruct candidate list size while inserting; m..10,000
 */
public record HnswConfig(int m, int efConstruct) {

    public static final int DEFAULT_M = 16;
    public static final int DEFAULT_EF_CONSTRUCT = 100;
    public static final HnswConfig DEFAULT = new HnswConfig(DEFAULT_M, DEFAULT_EF_CONSTRUCT);

    public HnswConfig {
        if (m < 2 || m > 512) {
            throw new IllegalArgumentException("hnsw_config.m must be in 2..512, got " + m);
        }
        if (efConstruct < 1 || efConstruct > 10_000) {
            throw new IllegalArgumentException(
                    "hnsw_config.ef_construct must be in 1..10000, got " + efConstruct);
        }
    }
}
