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
    /** Ordinals taken from a set at a time (a {@link NodeScorer} scores them in one call). */
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
        Members members = new Members(words, store.size(), deadline);
        for (int n; (n = members.next()) > 0; ) {
            for (int i = 0; i < n; i++) {
                int ordinal = members.ordinals[i];
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
        Members members = new Members(words, scorer.vectors().size(), deadline);
        float[] scores = new float[BATCH];
        for (int n; (n = members.next()) > 0; ) {
            scorer.scoreAll(members.ordinals, n, scores);
            top.offerAll(members.ordinals, scores, n);
        }
    }

    /**
     * The members of a set ({@code words}, a bitset) below {@code limit}, in order, a batch of up
     * to {@value #BATCH} at a time; checks the deadline before every
     * {@value Deadline#STEPS_PER_CHECK} ordinals of the set (every {@code STEPS_PER_CHECK / 64}
     * words). Not thread-safe.
     */
    private static final class Members {
        private static final int WORDS_PER_CHECK = Deadline.STEPS_PER_CHECK / 64;

        final int[] ordinals = new int[BATCH];
        private final long[] words;
        private final int limit;
        private final Deadline deadline;
        /** The word being taken apart, and its members not yet returned. */
        private int word = -1;
        private long bits;

        Members(long[] words, int limit, Deadline deadline) {
            this.words = words;
            this.limit = limit;
            this.deadline = deadline;
        }

        /** Fills {@link #ordinals} with the next members; returns how many (0: none left). */
        int next() {
            int n = 0;
            while (n < BATCH) {
                while (bits == 0) {
                    if (++word >= words.length) {
                        return n;
                    }
                    if (word % WORDS_PER_CHECK == 0) {
                        deadline.check();
                    }
                    bits = words[word];
                }
                int ordinal = (word << 6) + Long.numberOfTrailingZeros(bits);
                if (ordinal >= limit) {
                    word = words.length;
                    bits = 0;
                    return n;
                }
                bits &= bits - 1;
                ordinals[n++] = ordinal;
            }
            return n;
        }
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
