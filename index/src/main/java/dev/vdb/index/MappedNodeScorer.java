package dev.vdb.index;

/**
 * Scores nodes of a {@link MappedVectorStore} at full precision: each vector is copied out of
 * the mapping into this scorer's buffer (a bulk copy) and scored with the SIMD kernels. What a
 * search that ignores a quantized collection's codes walks.
 *
 * <p>Not thread-safe: one per searcher. Allocation-free after construction.
 */
final class MappedNodeScorer implements NodeScorer {

    private final MappedVectorStore store;
    private final VectorSimilarity similarity;
    private final float[] query;
    private final float[] node;

    MappedNodeScorer(MappedVectorStore store, VectorSimilarity similarity) {
        this.store = store;
        this.similarity = similarity;
        this.query = new float[store.dimension()];
        this.node = new float[store.dimension()];
    }

    @Override
    public GraphVectors vectors() {
        return store;
    }

    @Override
    public void setQuery(float[] preparedQuery) {
        System.arraycopy(preparedQuery, 0, query, 0, query.length);
    }

    @Override
    public void setQueryNode(int ordinal) {
        store.read(ordinal, query);
    }

    @Override
    public float score(int ordinal) {
        store.read(ordinal, node);
        return similarity.score(query, 0, node, 0, node.length);
    }

    @Override
    public void scoreAll(int[] ids, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = score(ids[i]);
        }
    }
}
