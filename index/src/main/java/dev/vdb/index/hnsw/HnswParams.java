package dev.vdb.index.hnsw;

/**
 * Build parameters of an HNSW graph (Malkov &amp; Yashunin).
 *
 * @param m           links per node on the upper levels; level 0 keeps up to {@code 2·m}
 * @param efConstruct beam width of the search that finds a new node's neighbours
 * @param seed        seeds the level drawn for each ordinal, so a build is reproducible
 */
public record HnswParams(int m, int efConstruct, long seed) {

    public static final int DEFAULT_M = 16;
    public static final int DEFAULT_EF_CONSTRUCT = 100;
    public static final long DEFAULT_SEED = 42L;
    /** Largest accepted {@code m}: level 0 keeps {@code 2·m} links per node. */
    public static final int MAX_M = 512;
    public static final int MAX_EF_CONSTRUCT = 10_000;

    public static final HnswParams DEFAULT = new HnswParams(DEFAULT_M, DEFAULT_EF_CONSTRUCT, DEFAULT_SEED);

    public HnswParams {
        if (m < 2 || m > MAX_M) {
            throw new IllegalArgumentException("m must be in [2, " + MAX_M + "], got " + m);
        }
        if (efConstruct < 1 || efConstruct > MAX_EF_CONSTRUCT) {
            throw new IllegalArgumentException(
                    "efConstruct must be in [1, " + MAX_EF_CONSTRUCT + "], got " + efConstruct);
        }
    }

    /** Most links a node keeps on {@code level}. */
    public int maxConnections(int level) {
        return level == 0 ? 2 * m : m;
    }

    /** The level-generation factor mL = 1 / ln(M). */
    public double levelMultiplier() {
        return 1.0 / Math.log(m);
    }
}
