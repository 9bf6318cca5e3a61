package dev.vdb.index;


/**
 * Brute-force nearest neighbours: scores a prepared query against every live ordinal of
 * {@link FullPrecisionVectors} (or of a filter's matches) and keeps the best in a {@link TopK}. The SIMD path is what the engine
 * serves ({@code params.exact} and the oracle); the scalar path uses plain loops and exists so
 * tests can check the SIMD one against it.
 *
 * <p>Stateless; the caller holds whatever lock keeps {@code live} stable. Allocates nothing over
 * a {@link VectorStore}, one vector's scratch over a {@link MappedVectorStore}.
 * A scan checks its {@link Deadline} once per {@value Deadline#STEPS_PER_CHECK} ordinals of the set.
 */
public final class ExactSearch {

    private ExactSearch() {}

    /**
     * Offers every ordinal of the set {@code words} (a bitset: the live ordinals, or those a
     * filter matched) to {@code top}.
     */
    public static void search(FullPrecisionVectors store, VectorSimilarity similarity, float[] query, long[] words,
                              TopK top, boolean scalar) {
        search(store, similarity, query, words, top, scalar, Deadline.NONE);
    }

    /**
     * As {@link #search(FullPrecisionVectors, VectorSimilarity, float[], long[], TopK, boolean)}, checking
     * {@code deadline} before every {@value Deadline#STEPS_PER_CHECK} ordinals of the set.
     *
     * @throws DeadlineExceededException when the deadline passed; {@code top} then holds a part
     */
    public static void search(FullPrecisionVectors store, VectorSimilarity similarity, float[] query, long[] words,
                              TopK top, boolean scalar, Deadline deadline) {
        VectorStore heap = store instanceof VectorStore vs ? vs : null;
        float[] scratch = heap == null ? new float[store.dimension()] : null;
        int dim = store.dimension();
        int limit = store.size();
        int wordsPerCheck = Deadline.STEPS_PER_CHECK / 64;
        for (int w = 0; w < words.length; w++) {
            if (w % wordsPerCheck == 0) {
                deadline.check();
            }
            long bits = words[w];
            while (bits != 0) {
                int ordinal = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (ordinal >= limit) {
                    return;
                }
                float[] page;
                int offset;
                if (heap != null) {
                    page = heap.page(ordinal);
                    offset = heap.offset(ordinal);
                } else {
                    store.read(ordinal, scratch);
                    page = scratch;
                    offset = 0;
                }
                float score = scalar
                        ? similarity.scalarScore(query, 0, page, offset, dim)
                        : similarity.score(query, 0, page, offset, dim);
                top.offer(score, ordinal);
            }
        }
    }
}
