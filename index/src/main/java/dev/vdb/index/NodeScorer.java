package dev.vdb.index;

/**
 * Scores graph nodes against one query at a time, over the representation a graph walks
 * ({@link GraphVectors}): float32 pages or quantized codes. The query is set first, either a
 * prepared vector or a stored node; every score afterwards is against it, higher is closer.
 *
 * <p>Not thread-safe: one per searcher or inserter. Allocation-free after construction.
 */
public interface NodeScorer {

    /** The vectors this scorer reads. */
    GraphVectors vectors();

    /** Makes {@code preparedQuery} ({@link VectorSimilarity#prepare prepared}) the query; encodes it for codes. */
    void setQuery(float[] preparedQuery);

    /** Makes the stored vector of {@code node} the query (no copy). */
    void setQueryNode(int node);

    /** Score of the query against {@code node}. */
    float score(int node);

    /**
     * Scores of the query against {@code ids[0..n)} into {@code out}, which must have room for
     * {@code (n + 7) & ~7} entries (kernels may write whole groups of eight).
     */
    void scoreAll(int[] ids, int n, float[] out);
}
