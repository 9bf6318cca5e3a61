package dev.vdb.index.hnsw;

import dev.vdb.index.Bits;
import dev.vdb.index.Deadline;
import dev.vdb.index.PackedHit;
import dev.vdb.index.VectorKernels;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import java.util.function.Supplier;

/**
 * Searches one {@link HnswIndex}: a greedy descent through the upper levels, then a beam
 * search of width {@code ef} on level 0. Owns its scratch: two heaps of packed score+ordinal
 * longs (candidates, best-so-far) and an epoch-tagged visited set.
 *
 * <p>Not thread-safe: use one searcher per thread. It may run while other threads add and
 * delete nodes. Allocation-free per query once its scratch has grown to the graph's size and
 * the largest {@code ef} asked for.
 */
public final class HnswSearcher {

    private final HnswGraph graph;
    private final VectorStore store;
    private final int dimension;
    /** EUCLID scores are minus the squared distance; COSINE and DOT are inner products. */
    private final boolean euclid;

    private final LongHeap candidates = new LongHeap(256);
    /** Best nodes so far, the worst on top. */
    final LongHeap results = new LongHeap(256);
    final VisitedSet visited = new VisitedSet();
    /** Unvisited neighbours of the node being expanded, and their scores. */
    private final int[] batch;
    private final float[] batchScores;
    /** Where {@link #scoreAll} gathers the vectors of a group of eight. */
    private final float[][] pages = new float[8][];
    private final int[] offsets = new int[8];
    long distanceComputations;
    /** Distance computations the running level-0 beam may still make; unbounded outside budgeted searches. */
    private long remainingBudget = Long.MAX_VALUE;
    /** Set when a budgeted beam stopped early. */
    private boolean overBudget;
    /** The running level-0 beam's deadline; {@link Deadline#NONE} outside a search that has one. */
    private Deadline deadline = Deadline.NONE;
    /** Whether the last {@link #searchOrScan} finished by the exact scan. */
    private boolean scannedLast;

    /**
     * A filtered traversal's distances over those it makes to fill its beam: 3 to 10 measured
     * (distances × admitted share ÷ ef, 2.9 at 1% to 9.9 at 49%, docs/BENCHMARKS.md); the
     * smallest, so that a traversal is given up early only when it surely cannot finish.
     */
    private static final long TRAVERSAL_PER_FILL = 3;
    /** Heap entries a searcher keeps between searches ({@link #trimScratch}). */
    public static final int KEPT_HEAP_CAPACITY = 4_096;
    /** Score of the node the last {@link #greedy} call returned. */
    private float greedyScore;

    HnswSearcher(HnswGraph graph, VectorStore store, VectorSimilarity similarity) {
        this.graph = graph;
        this.store = store;
        this.dimension = store.dimension();
        this.euclid = similarity == VectorSimilarity.EUCLID;
        this.batch = new int[graph.maxConnections(0)];
        this.batchScores = scoreBuffer(graph.maxConnections(0));
    }

    /**
     * Finds the {@code k} accepted live nodes closest to {@code preparedQuery} (already
     * {@link VectorSimilarity#prepare prepared}), best first, into {@code out}.
     *
     * @param ef     beam width; searches use {@code max(ef, k)}
     * @param accept only accepted ordinals become hits; the search still walks through others
     * @return the number of hits, at most {@code k}
     */
    public int search(float[] preparedQuery, int k, int ef, Bits accept, SearchResults out) {
        return search(preparedQuery, k, ef, accept, Long.MAX_VALUE, Deadline.NONE, out);
    }

    /**
     * As {@link #search(float[], int, int, Bits, SearchResults)}, checking {@code deadline} on
     * level 0 once per {@value Deadline#STEPS_PER_CHECK} distance computations or so.
     *
     * @throws dev.vdb.index.DeadlineExceededException when the deadline passed; the searcher stays usable
     */
    public int search(float[] preparedQuery, int k, int ef, Bits accept, Deadline deadline, SearchResults out) {
        return search(preparedQuery, k, ef, accept, Long.MAX_VALUE, deadline, out);
    }

    /**
     * The filtered plan with its fallback, as Lucene's {@code AbstractKnnVectorQuery} runs it: a
     * traversal as {@link #search(float[], int, int, Bits, SearchResults)} that gives up once it
     * has made {@code budget} distance computations, or earlier while it is still filling its
     * beam when the rate at which it meets accepted nodes says that filling alone would take more
     * (a filter whose matches lie away from the query). It then scans exactly the accepted
     * ordinals of {@code acceptedWords} it has not scored yet, keeping the best it already
     * holds, so the answer is then the exact top {@code k} and the traversal's work is not
     * repeated.
     *
     * @param accept        the filter the traversal tests per node
     * @param acceptedWords the same set as a bitset, asked for only when the scan runs
     * @param budget        distance computations the traversal may make, about what the scan costs
     * @return the number of hits, at most {@code k}
     */
    public int searchOrScan(float[] preparedQuery, int k, int ef, Bits accept, Supplier<long[]> acceptedWords,
                            long budget, SearchResults out) {
        return searchOrScan(preparedQuery, k, ef, accept, acceptedWords, budget, Deadline.NONE, out);
    }

    /**
     * As {@link #searchOrScan(float[], int, int, Bits, Supplier, long, SearchResults)}, checking
     * {@code deadline} on level 0 once per {@value Deadline#STEPS_PER_CHECK} distance computations
     * or so (the fallback scan is bounded by the budget's size).
     *
     * @throws dev.vdb.index.DeadlineExceededException when the deadline passed; the searcher stays usable
     */
    public int searchOrScan(float[] preparedQuery, int k, int ef, Bits accept, Supplier<long[]> acceptedWords,
                            long budget, Deadline deadline, SearchResults out) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be positive, got " + budget);
        }
        int n = search(preparedQuery, k, ef, accept, budget, deadline, out);
        scannedLast = overBudget;
        if (!overBudget) {
            return n;
        }
        overBudget = false;
        return ScanFallback.finish(this, preparedQuery, k, acceptedWords.get(), out);
    }

    /** Whether the last {@link #searchOrScan} gave up its traversal and scanned. */
    public boolean scannedLast() {
        return scannedLast;
    }

    private int search(float[] preparedQuery, int k, int ef, Bits accept, long budget, Deadline deadline,
                       SearchResults out) {
        if (preparedQuery.length != dimension) {
            throw new IllegalArgumentException(
                    "query length must be " + dimension + ", got " + preparedQuery.length);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        if (ef < 1) {
            throw new IllegalArgumentException("ef must be positive, got " + ef);
        }
        if (accept == null) {
            throw new IllegalArgumentException("accept must not be null (use Bits.ALL)");
        }
        out.clear(k);
        long entry = graph.entry.get();
        if (entry == HnswGraph.NO_ENTRY) {
            return 0;
        }
        int node = HnswGraph.entryNode(entry);
        float score = score(preparedQuery, 0, node);
        distanceComputations++;
        for (int level = HnswGraph.entryLevel(entry); level > 0; level--) {
            node = greedy(preparedQuery, 0, node, score, level);
            score = greedyScore;
        }
        startSearch();
        seed(node, score, accept);
        remainingBudget = budget;
        this.deadline = deadline;
        try {
            beam(preparedQuery, 0, 0, Math.max(ef, k), accept);
        } finally {
            remainingBudget = Long.MAX_VALUE;
            this.deadline = Deadline.NONE;
        }
        if (overBudget) {
            return 0; // the caller scans
        }

        LongHeap res = results;
        while (res.size() > k) {
            res.pop();
        }
        int n = res.size();
        for (int i = n - 1; i >= 0; i--) {
            long top = res.pop();
            out.set(i, PackedHit.ordinal(top), PackedHit.score(top));
        }
        out.setSize(n);
        return n;
    }

    /**
     * Gives back heap room a search with a large ef or a long filtered walk grew past
     * {@value #KEPT_HEAP_CAPACITY} entries, so a searcher kept for reuse does not hold it for
     * good. Call between searches.
     */
    public void trimScratch() {
        if (candidates.capacity() > KEPT_HEAP_CAPACITY) {
            candidates.shrinkTo(KEPT_HEAP_CAPACITY);
        }
        if (results.capacity() > KEPT_HEAP_CAPACITY) {
            results.shrinkTo(KEPT_HEAP_CAPACITY);
        }
    }

    /** Entries its heaps hold room for (their scratch, apart from the graph-sized visited set). */
    public int heapCapacity() {
        return candidates.capacity() + results.capacity();
    }

    /** Distance computations this searcher has made, in all searches so far. */
    public long distanceComputations() {
        return distanceComputations;
    }

    // ---- building blocks, shared with the inserter -----------------------------------------

    /** Forgets the previous search: empties the heaps and the visited set. */
    void startSearch() {
        candidates.clear();
        results.clear();
        visited.reset(graph.capacity());
    }

    /** Adds an entry point whose score is known. */
    void seed(int node, float score, Bits accept) {
        if (visited.visit(node)) {
            return;
        }
        long packed = PackedHit.pack(score, node);
        candidates.push(~packed);
        if (graph.state(node) == HnswGraph.LIVE && accept.get(node)) {
            results.push(packed);
        }
    }

    /** Adds an entry point, scoring it. */
    void seed(float[] q, int qOff, int node, Bits accept) {
        distanceComputations++;
        seed(node, score(q, qOff, node), accept);
    }

    /**
     * Beam search on {@code level} from the seeded entry points: afterwards {@link #results}
     * holds up to {@code ef} accepted live nodes, the worst on top. Deleted and rejected nodes
     * are walked through but never enter the results.
     */
    void beam(float[] q, int qOff, int level, int ef, Bits accept) {
        LongHeap cand = candidates;
        LongHeap res = results;
        boolean acceptAll = accept == Bits.ALL;
        boolean allLive = !graph.everDeleted();
        while (res.size() > ef) {
            res.pop();
        }
        float worst = res.size() >= ef ? PackedHit.score(res.peek()) : Float.NEGATIVE_INFINITY;
        boolean budgeted = remainingBudget != Long.MAX_VALUE;
        long computed = 0;
        long counted = 0;
        long nextCheck = Deadline.STEPS_PER_CHECK;
        while (!cand.isEmpty()) {
            if (computed >= nextCheck) {
                nextCheck = computed + Deadline.STEPS_PER_CHECK;
                distanceComputations += computed - counted; // counted even when the check throws
                counted = computed;
                deadline.check();
            }
            long best = ~cand.pop();
            if (PackedHit.score(best) < worst) {
                break;
            }
            int node = PackedHit.ordinal(best);
            int[] list;
            int base;
            if (level == 0) {
                list = graph.level0Page(node);
                base = graph.level0Base(node);
            } else {
                list = graph.upperList(node, level);
                base = graph.upperBase(node, level);
                if (list == null) {
                    continue;
                }
            }
            int count = HnswGraph.count(list, base);
            int fresh = 0;
            for (int i = base + 1, end = base + 1 + count; i < end; i++) {
                int neighbour = list[i];
                if (!visited.visit(neighbour)) {
                    batch[fresh++] = neighbour;
                }
            }
            scoreAll(q, qOff, batch, fresh, batchScores);
            computed += fresh;
            for (int j = 0; j < fresh; j++) {
                float score = batchScores[j];
                if (score > worst) {
                    int neighbour = batch[j];
                    long packed = PackedHit.pack(score, neighbour);
                    cand.push(~packed);
                    if ((allLive || graph.state(neighbour) == HnswGraph.LIVE)
                            && (acceptAll || accept.get(neighbour))) {
                        if (res.size() < ef) {
                            res.push(packed);
                            if (res.size() == ef) {
                                worst = PackedHit.score(res.peek());
                            }
                        } else {
                            res.replaceTop(packed);
                            worst = PackedHit.score(res.peek());
                        }
                    }
                }
            }
            if (budgeted && overBudget(computed, res.size(), ef)) {
                overBudget = true;
                break;
            }
        }
        distanceComputations += computed - counted;
    }

    /**
     * Whether a budgeted beam that has made {@code computed} distance computations and holds
     * {@code held} accepted nodes should give up: it is past its budget, or, still filling its
     * {@code ef} slots, it would need more than the budget at the rate it has met accepted nodes
     * so far: filling takes {@code computed × ef / (held + 1)} (the +1 errs towards going on) and
     * a whole filtered traversal at least {@value #TRAVERSAL_PER_FILL} times that.
     */
    private boolean overBudget(long computed, int held, int ef) {
        return computed > remainingBudget
                || (held < ef && TRAVERSAL_PER_FILL * computed * ef > remainingBudget * (held + 1L));
    }

    /**
     * Greedy walk on {@code level} from {@code node}: moves to a better neighbour until none
     * is better, scoring each node once. Returns the node reached; its score is left in {@link #greedyScore}.
     */
    int greedy(float[] q, int qOff, int node, float score, int level) {
        visited.reset(graph.capacity());
        visited.visit(node);
        boolean moved = true;
        while (moved) {
            moved = false;
            int[] list = graph.listArray(node, level);
            if (list == null) {
                break;
            }
            int base = graph.listBase(node, level);
            int count = HnswGraph.count(list, base);
            int fresh = 0;
            for (int i = base + 1, end = base + 1 + count; i < end; i++) {
                int neighbour = list[i];
                if (!visited.visit(neighbour)) {
                    batch[fresh++] = neighbour;
                }
            }
            scoreAll(q, qOff, batch, fresh, batchScores);
            distanceComputations += fresh;
            for (int i = 0; i < fresh; i++) {
                if (batchScores[i] > score) {
                    score = batchScores[i];
                    node = batch[i];
                    moved = true;
                }
            }
        }
        greedyScore = score;
        return node;
    }

    /**
     * Scores the nodes {@code ids[0..n)} against {@code q} into {@code out}, which must have
     * room for {@link #scoreBuffer}{@code (n)}: eight vectors at a time while more than four
     * are left, then four. A short last group repeats its last node: the kernel still fetches
     * all of its vectors from memory at once, and a repeated vector costs arithmetic on cached
     * data, where a one-vector kernel would wait for memory one stream at a time. At d = 784
     * over 20,000 vectors (more than the L3 cache) the one-vector remainders took 13% of the
     * search time, and eight streams fetch 12-20% faster than four.
     */
    void scoreAll(float[] q, int qOff, int[] ids, int n, float[] out) {
        VectorStore vs = store;
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

    /** A buffer for {@link #scoreAll} of up to {@code n} nodes (its kernels write whole groups). */
    static float[] scoreBuffer(int n) {
        return new float[(n + 7) & ~7];
    }

    /** Ordinals below this have a stored vector. */
    int storeSize() {
        return store.size();
    }

    float greedyScore() {
        return greedyScore;
    }

    float score(float[] q, int qOff, int node) {
        float[] page = store.page(node);
        int off = store.offset(node);
        return euclid
                ? -VectorKernels.squareDistance(q, qOff, page, off, dimension)
                : VectorKernels.dot(q, qOff, page, off, dimension);
    }
}
