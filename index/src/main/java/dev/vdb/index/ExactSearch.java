package dev.vdb.index;

/**
 * Brute-force nearest neighbours: scores a prepared query against every live ordinal of
 * {@link FullPrecisionVectors} (or of a filter's matches) and keeps the best in a {@link TopK}. The SIMD path is what the engine
 * serves ({@code params.exact} and the oracle); the scalar path uses plain loops and exists so
 * tests can check the SIMD one against it.
 *
 * <p>The SIMD path over heap pages scores eight ordinals per kernel call ({@link VectorKernels#dot8},
 * {@link VectorKernels#squareDistance8}), as the graph search does: the eight vectors are fetched
 * from memory at once, which matters when a filter's matches lie scattered over the store (one
 * vector at a time waits for each fetch in turn). A short last group repeats its last ordinal.
 * Over a {@link MappedVectorStore} each vector is read into one scratch and scored.
 *
 * <p>Stateless; the caller holds whatever lock keeps {@code live} stable. Allocates a group's
 * small buffers (or one vector's scratch) per call. A scan checks its {@link Deadline} once per
 * {@value Deadline#STEPS_PER_CHECK} ordinals of the set.
 */
public final class ExactSearch {

    /** Ordinals scored per kernel call. */
    private static final int GROUP = 8;
    /** Ordinals a {@link NodeScorer} scores per call. */
    private static final int BATCH = 64;

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
        Group group = scalar || heap == null ? null : new Group(heap, similarity, query, top);
        float[] scratch = heap == null ? new float[store.dimension()] : null;
        int dim = store.dimension();
        int limit = store.size();
        int wordsPerCheck = Deadline.STEPS_PER_CHECK / 64;
        scan:
        for (int w = 0; w < words.length; w++) {
            if (w % wordsPerCheck == 0) {
                deadline.check();
            }
            long bits = words[w];
            while (bits != 0) {
                int ordinal = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (ordinal >= limit) {
                    break scan;
                }
                if (group != null) {
                    group.add(ordinal);
                    continue;
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
                top.offer(scalar
                        ? similarity.scalarScore(query, 0, page, offset, dim)
                        : similarity.score(query, 0, page, offset, dim), ordinal);
            }
        }
        if (group != null) {
            group.flush();
        }
    }

    /**
     * Offers every ordinal of the set {@code words} to {@code top}, scored by {@code scorer}
     * (its query set) in batches of {@value #BATCH}: for vectors whose scorer is exact, such
     * as {@link dev.vdb.index.quant.WholeNumberVectors}' codes, which read a quarter of the
     * floats' bytes. Checks {@code deadline} before every {@value Deadline#STEPS_PER_CHECK}
     * ordinals of the set.
     *
     * @throws DeadlineExceededException when the deadline passed; {@code top} then holds a part
     */
    public static void search(NodeScorer scorer, long[] words, TopK top, Deadline deadline) {
        // walks the set as the float scan does: one walk shared through a batching iterator cost
        // the float scan 5-14 % on 100-d sets of a few thousand cached matches (two pairs)
        int limit = scorer.vectors().size();
        int[] batch = new int[BATCH];
        float[] scores = new float[BATCH];
        int pending = 0;
        int wordsPerCheck = Deadline.STEPS_PER_CHECK / 64;
        scan:
        for (int w = 0; w < words.length; w++) {
            if (w % wordsPerCheck == 0) {
                deadline.check();
            }
            long bits = words[w];
            while (bits != 0) {
                int ordinal = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (ordinal >= limit) {
                    break scan;
                }
                batch[pending++] = ordinal;
                if (pending == BATCH) {
                    offer(scorer, batch, pending, scores, top);
                    pending = 0;
                }
            }
        }
        offer(scorer, batch, pending, scores, top);
    }

    private static void offer(NodeScorer scorer, int[] batch, int n, float[] scores, TopK top) {
        if (n == 0) {
            return;
        }
        scorer.scoreAll(batch, n, scores);
        top.offerAll(batch, scores, n);
    }

    /** Up to {@value #GROUP} ordinals waiting to be scored together, then offered to the top k. Not thread-safe. */
    private static final class Group {
        private final VectorStore store;
        private final boolean euclid;
        private final float[] query;
        private final TopK top;
        private final int[] ordinals = new int[GROUP];
        private final float[][] pages = new float[GROUP][];
        private final int[] offsets = new int[GROUP];
        private final float[] scores = new float[GROUP];
        private int size;

        Group(VectorStore store, VectorSimilarity similarity, float[] query, TopK top) {
            this.store = store;
            this.euclid = similarity == VectorSimilarity.EUCLID;
            this.query = query;
            this.top = top;
        }

        void add(int ordinal) {
            ordinals[size] = ordinal;
            pages[size] = store.page(ordinal);
            offsets[size] = store.offset(ordinal);
            if (++size == GROUP) {
                flush();
            }
        }

        /** Scores and offers the waiting ordinals; a short group repeats its last vector. */
        void flush() {
            if (size == 0) {
                return;
            }
            for (int i = size; i < GROUP; i++) {
                pages[i] = pages[size - 1];
                offsets[i] = offsets[size - 1];
            }
            if (euclid) {
                VectorKernels.squareDistance8(query, 0, pages, offsets, store.dimension(), scores, 0);
            } else {
                VectorKernels.dot8(query, 0, pages, offsets, store.dimension(), scores, 0);
            }
            for (int i = 0; i < size; i++) {
                top.offer(euclid ? -scores[i] : scores[i], ordinals[i]);
            }
            size = 0;
        }
    }
}
