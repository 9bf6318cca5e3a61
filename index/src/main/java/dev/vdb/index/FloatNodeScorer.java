package dev.vdb.index;

/**
 * Scores nodes of a {@link VectorStore} (float32 pages on the heap) with the SIMD kernels of
 * {@link VectorKernels}. The query is a {@code (page, offset)} pair: a prepared query at 0 or a
 * stored vector in its page, so a stored node becomes the query without a copy.
 *
 * <p>A Euclidean query that is zero in at least a quarter of its {@link DistanceKernels#BLOCK}-float
 * blocks (images: most of a digit's pixels are background) is scored as
 * {@code |q|² + |x|² - 2 q·x}, the inner product over the query's nonzero blocks only and
 * {@code |x|²} kept by the store: the blocks left out are never read. On 784-d digit images a
 * query has a nonzero value in about half its blocks, and a distance costs about 0.7 of the whole
 * kernel's. The result differs from the direct sum of squares by rounding only (relative 1e-5 at
 * most on those images; a node much nearer the query than their norms is scored directly, see
 * {@link #NEAR}), and is never below 0.
 *
 * <p>Not thread-safe: one per searcher. Allocation-free.
 */
final class FloatNodeScorer implements NodeScorer {

    /**
     * A squared distance below this share of the two squared norms' sum is computed directly, not
     * from the norms: the float sums' errors (a few 1e-6 of the norms) stay below about 1e-4 of
     * what is left. Digit images' nearest neighbours lie at about a tenth, so few are recomputed.
     */
    private static final float NEAR = 1f / 64;

    private final VectorStore store;
    private final int dimension;
    /** EUCLID scores are minus the squared distance; COSINE and DOT are inner products. */
    private final boolean euclid;
    private float[] q;
    private int qOff;
    /** Where {@link #scoreAll} gathers the vectors of a group of eight. */
    private final float[][] pages = new float[8][];
    private final int[] offsets = new int[8];
    /** Whether a Euclidean query may be scored over its nonzero blocks (the store keeps norms). */
    private final boolean blocksPossible;
    /** The query's nonzero blocks, when {@link #sparse}. */
    private final int[] blocks;
    private int blockCount;
    /** Whether the query is scored over its nonzero blocks ({@link #blocks}); then {@link #queryNorm} is its squared norm. */
    private boolean sparse;
    private float queryNorm;

    FloatNodeScorer(VectorStore store, VectorSimilarity similarity) {
        this.store = store;
        this.dimension = store.dimension();
        this.euclid = similarity == VectorSimilarity.EUCLID;
        this.blocksPossible = euclid && store.keepsNorms();
        this.blocks = blocksPossible ? new int[dimension / DistanceKernels.BLOCK] : null;
    }

    @Override
    public GraphVectors vectors() {
        return store;
    }

    @Override
    public void setQuery(float[] preparedQuery) {
        q = preparedQuery;
        qOff = 0;
        findBlocks();
    }

    @Override
    public void setQueryNode(int node) {
        q = store.page(node);
        qOff = store.offset(node);
        // an insert's queries: finding each node's blocks cost more than skipping them saved
        // (a 2-thread build of 20,000 digit images 2.0 s → 2.4 s)
        sparse = false;
    }

    /** Decides whether the query is scored over its nonzero blocks, and lists them. */
    private void findBlocks() {
        if (!blocksPossible) {
            return;
        }
        blockCount = VectorKernels.nonzeroBlocks(q, qOff, dimension, blocks);
        sparse = 4 * blockCount <= 3 * blocks.length;
        if (sparse) {
            queryNorm = VectorKernels.dotBlocks(q, qOff, blocks, blockCount, q, qOff);
        }
    }

    /**
     * Minus the squared distance from the query's squared norm, the node's, and their inner
     * product; for a node much nearer the query than their norms (the distance's square below
     * {@link #NEAR} of their sum), where that difference of large terms would lose the distance
     * (a query half a grey level off a stored image came out at 0), by the direct kernel.
     */
    private float sparseScore(int node, float dot) {
        float norms = queryNorm + store.squaredNorm(node);
        float squared = norms - 2f * dot;
        if (squared < NEAR * norms) {
            return -VectorKernels.squareDistance(q, qOff, store.page(node), store.offset(node), dimension);
        }
        return -squared;
    }

    @Override
    public float score(int node) {
        float[] page = store.page(node);
        int off = store.offset(node);
        if (sparse) {
            return sparseScore(node, VectorKernels.dotBlocks(q, qOff, blocks, blockCount, page, off));
        }
        return euclid
                ? -VectorKernels.squareDistance(q, qOff, page, off, dimension)
                : VectorKernels.dot(q, qOff, page, off, dimension);
    }

    /**
     * Eight vectors at a time while more than four are left, then four. A short last group
     * repeats its last node: the kernel still fetches all of its vectors from memory at once, and
     * a repeated vector costs arithmetic on cached data, where a one-vector kernel would wait for
     * memory one stream at a time. At d = 784 over 20,000 vectors (more than the L3 cache) the
     * one-vector remainders took 13% of the search time, and eight streams fetch 12-20% faster
     * than four.
     */
    @Override
    public void scoreAll(int[] ids, int n, float[] out) {
        if (sparse) {
            scoreAllSparse(ids, n, out);
            return;
        }
        VectorStore vs = store;
        float[] q = this.q;
        int qOff = this.qOff;
        int dim = dimension;
        int last = n - 1;
        int j = 0;
        for (; n - j > 4; j += 8) {
            for (int t = 0; t < 8; t++) {
                int node = ids[Math.min(j + t, last)];
                pages[t] = vs.page(node);
                offsets[t] = vs.offset(node);
            }
            if (euclid) {
                VectorKernels.squareDistance8(q, qOff, pages, offsets, dim, out, j);
            } else {
                VectorKernels.dot8(q, qOff, pages, offsets, dim, out, j);
            }
        }
        if (j < n) {
            int a = ids[j];
            int b = ids[Math.min(j + 1, last)];
            int c = ids[Math.min(j + 2, last)];
            int d = ids[Math.min(j + 3, last)];
            if (euclid) {
                VectorKernels.squareDistance4(q, qOff, vs.page(a), vs.offset(a), vs.page(b), vs.offset(b),
                        vs.page(c), vs.offset(c), vs.page(d), vs.offset(d), dim, out, j);
            } else {
                VectorKernels.dot4(q, qOff, vs.page(a), vs.offset(a), vs.page(b), vs.offset(b),
                        vs.page(c), vs.offset(c), vs.page(d), vs.offset(d), dim, out, j);
            }
        }
        if (euclid) {
            for (int i = 0; i < n; i++) {
                out[i] = -out[i];
            }
        }
    }

    /** {@link #scoreAll} over the query's nonzero blocks: groups of eight, a short last one padded with its last node. */
    private void scoreAllSparse(int[] ids, int n, float[] out) {
        VectorStore vs = store;
        int last = n - 1;
        for (int j = 0; j < n; j += 8) {
            for (int t = 0; t < 8; t++) {
                int node = ids[Math.min(j + t, last)];
                pages[t] = vs.page(node);
                offsets[t] = vs.offset(node);
            }
            VectorKernels.dotBlocks8(q, qOff, blocks, blockCount, pages, offsets, out, j);
        }
        for (int i = 0; i < n; i++) {
            out[i] = sparseScore(ids[i], out[i]);
        }
    }
}
