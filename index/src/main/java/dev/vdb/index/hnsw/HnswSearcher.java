package dev.vdb.index.hnsw;

import dev.vdb.index.Bits;
import dev.vdb.index.Deadline;
import dev.vdb.index.GraphVectors;
import dev.vdb.index.NodeScorer;
import dev.vdb.index.PackedHit;
import dev.vdb.index.VectorSimilarity;
import java.util.function.Supplier;

/**
 * Searches one {@link HnswIndex}: a greedy descent through the upper levels, then a beam
 * search of width {@code ef} on level 0. Owns its scratch: three heaps of packed score+ordinal
 * longs (candidates, best-so-far, near misses) and an epoch-tagged visited set.
 *
 * <p>Not thread-safe: use one searcher per thread. It may run while other threads add and
 * delete nodes. Allocation-free per query once its scratch has grown to the graph's size and
 * the largest {@code ef} asked for.
 */
public final class HnswSearcher {

    private final HnswGraph graph;
    private final HnswIndex index;
    /** Scores against the vectors the index walks; replaced when the index switches them ({@link #refreshScorer}). */
    private NodeScorer scorer;
    /** Vectors searches walk instead of the index's, or null ({@link #walk}). */
    private GraphVectors override;
    /** Whether this searcher serves an inserter, which scores the index's insert vectors. */
    private final boolean inserting;

    private final LongHeap candidates = new LongHeap(256);
    /** Best nodes so far, the worst on top. */
    final LongHeap results = new LongHeap(256);
    /**
     * Accepted live nodes the running level-0 beam scored but did not keep (evicted from
     * {@link #results} or passed over as no better than its worst), the best {@link #missesWanted}
     * of them, the worst on top. Every one scores at most the beam's final worst: an evicted node
     * was below all the results then, and the results' worst only rises.
     */
    private final LongHeap misses = new LongHeap(256);
    /** Near misses the running level-0 beam keeps; 0 outside {@link #searchKeepingMisses}. */
    private int missesWanted;
    final VisitedSet visited = new VisitedSet();
    /**
     * An inserter's searcher keeps, by ordinal, every score its beams make ({@link #scoredInBeam}):
     * the inserter's diversity checks of its link backs then look up the pairs with the new node
     * (most of them were scored by the beam) instead of computing them again. Null in a query's
     * searcher.
     */
    private float[] beamScores;
    /** Unvisited neighbours of the node being expanded, and their scores. */
    private final int[] batch;
    private final float[] batchScores;
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

    HnswSearcher(HnswIndex index, boolean inserting) {
        this.graph = index.graph();
        this.index = index;
        this.inserting = inserting;
        this.scorer = (inserting ? index.insertVectors() : index.vectors()).newScorer(index.similarity());
        this.batch = new int[graph.maxConnections(0)];
        this.batchScores = scoreBuffer(graph.maxConnections(0));
        this.beamScores = inserting ? new float[0] : null;
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
     * As {@link #search(float[], int, int, Bits, Deadline, SearchResults)} with {@code k = ef},
     * also keeping the beam's nearest misses: up to {@code misses} more accepted live nodes it
     * scored but did not keep (evicted from the beam, or passed over as no better than its
     * worst). The beam walks as it would without them, so the first {@code ef} hits are the same;
     * the misses follow, best first, each scoring at most the last of those. What a search on
     * codes whose estimates err hands its rescoring: a true neighbour the estimate put just
     * outside the beam is then found.
     *
     * @return the number of hits, at most {@code ef + misses}
     * @throws dev.vdb.index.DeadlineExceededException when the deadline passed; the searcher stays usable
     */
    public int searchKeepingMisses(float[] preparedQuery, int ef, int misses, Bits accept, Deadline deadline,
                                   SearchResults out) {
        if (misses < 0) {
            throw new IllegalArgumentException("misses must be non-negative, got " + misses);
        }
        missesWanted = misses;
        try {
            return search(preparedQuery, ef, ef, accept, Long.MAX_VALUE, deadline, out);
        } finally {
            missesWanted = 0;
        }
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
        return ScanFallback.finish(this, k, acceptedWords.get(), out);
    }

    /** Whether the last {@link #searchOrScan} gave up its traversal and scanned. */
    public boolean scannedLast() {
        return scannedLast;
    }

    private int search(float[] preparedQuery, int k, int ef, Bits accept, long budget, Deadline deadline,
                       SearchResults out) {
        refreshScorer();
        if (preparedQuery.length != scorer.vectors().dimension()) {
            throw new IllegalArgumentException(
                    "query length must be " + scorer.vectors().dimension() + ", got " + preparedQuery.length);
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
        out.clear(k + missesWanted);
        long entry = graph.entry.get();
        if (entry == HnswGraph.NO_ENTRY) {
            return 0;
        }
        int node = HnswGraph.entryNode(entry);
        scorer.setQuery(preparedQuery);
        float score = score(node);
        distanceComputations++;
        startDescent(node);
        for (int level = HnswGraph.entryLevel(entry); level > 0; level--) {
            node = greedy(node, score, level);
            score = greedyScore;
        }
        startSearch();
        seed(node, score, accept);
        remainingBudget = budget;
        this.deadline = deadline;
        try {
            beam(0, Math.max(ef, k), accept);
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
        while (!misses.isEmpty()) {
            res.push(misses.pop()); // each scores at most the beam's worst, so they follow its hits
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
        if (misses.capacity() > KEPT_HEAP_CAPACITY) {
            misses.shrinkTo(KEPT_HEAP_CAPACITY);
        }
    }

    /** Entries its heaps hold room for (their scratch, apart from the graph-sized visited set). */
    public int heapCapacity() {
        return candidates.capacity() + results.capacity() + misses.capacity();
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
        misses.clear();
        visited.reset(graph.capacity());
        if (beamScores != null && beamScores.length < graph.capacity()) {
            beamScores = new float[Math.max(graph.capacity(), beamScores.length + (beamScores.length >> 1))];
        }
    }

    /**
     * The score against the query that the beams since the last {@link #startSearch} made for
     * {@code node}, or NaN when they did not score it (every node they visited, they scored).
     * Only an inserter's searcher keeps them.
     */
    float scoredInBeam(int node) {
        return node < beamScores.length && visited.contains(node) ? beamScores[node] : Float.NaN;
    }

    /** Adds an entry point whose score is known. */
    void seed(int node, float score, Bits accept) {
        if (visited.visit(node)) {
            return;
        }
        if (beamScores != null && node < beamScores.length) {
            beamScores[node] = score;
        }
        long packed = PackedHit.pack(score, node);
        candidates.push(~packed);
        if (graph.state(node) == HnswGraph.LIVE && accept.get(node)) {
            results.push(packed);
        }
    }

    /**
     * Scores against the vectors the index walks now: after the index switched them (a
     * quantization change), the next search or insert takes a scorer over the new ones.
     */
    void refreshScorer() {
        GraphVectors current = override != null ? override : inserting ? index.insertVectors() : index.vectors();
        if (scorer.vectors() != current) {
            scorer = current.newScorer(index.similarity());
        }
    }

    /** The vectors the scorer reads. */
    GraphVectors scorerVectors() {
        return scorer.vectors();
    }

    /**
     * Makes the searches that follow walk {@code vectors} (the same ordinals in another
     * representation: a quantized collection's full-precision vectors) instead of the index's;
     * null walks the index's again.
     */
    public void walk(GraphVectors vectors) {
        override = vectors;
    }

    /** Makes the stored vector of {@code node} the query of the scores that follow. */
    void queryNode(int node) {
        scorer.setQueryNode(node);
    }

    /**
     * Beam search on {@code level} from the seeded entry points: afterwards {@link #results}
     * holds up to {@code ef} accepted live nodes, the worst on top, and {@link #misses} the
     * best {@link #missesWanted} near misses on level 0. Deleted and rejected nodes are walked
     * through but never enter either.
     */
    void beam(int level, int ef, Bits accept) {
        LongHeap cand = candidates;
        LongHeap res = results;
        boolean acceptAll = accept == Bits.ALL;
        boolean allLive = !graph.everDeleted();
        while (res.size() > ef) {
            res.pop();
        }
        float worst = res.size() >= ef ? PackedHit.score(res.peek()) : Float.NEGATIVE_INFINITY;
        int missRoom = level == 0 ? missesWanted : 0;
        // what a node must beat to be kept as a near miss: never, when none are wanted
        float missBound = missRoom > 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        boolean budgeted = remainingBudget != Long.MAX_VALUE;
        long computed = 0;
        long counted = 0;
        // the first check comes before the first expansion: a branch that every call takes (one
        // first taken only after the JIT had compiled the beam made it compile the beam again)
        long nextCheck = 0;
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
            int fresh = collectFresh(list, base, graph.count(list, base));
            scorer.scoreAll(batch, fresh, batchScores);
            computed += fresh;
            if (beamScores != null) {
                keepBeamScores(fresh);
            }
            int better = keepAbove(fresh, Math.min(worst, missBound));
            for (int j = 0; j < better; j++) {
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
                            long evicted = res.peek();
                            res.replaceTop(packed);
                            worst = PackedHit.score(res.peek());
                            if (PackedHit.score(evicted) > missBound) {
                                missBound = keepMiss(evicted, missRoom);
                            }
                        }
                    }
                } else if (score > missBound) {
                    int neighbour = batch[j];
                    if ((allLive || graph.state(neighbour) == HnswGraph.LIVE)
                            && (acceptAll || accept.get(neighbour))) {
                        missBound = keepMiss(PackedHit.pack(score, neighbour), missRoom);
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

    /*
     * The loops of a beam's expansion sit in small methods of their own (inlined once compiled):
     * each loop of beam's own made the JIT compile the whole of beam again (on-stack replacement
     * at that loop) in a fresh JVM's first build.
     */

    /**
     * Puts the unvisited of the {@code count} neighbours at {@code base} in {@code list} into
     * {@link #batch}, marking them visited; returns how many. Without a branch on each (the
     * next one writes past a visited one).
     */
    private int collectFresh(int[] list, int base, int count) {
        int fresh = 0;
        for (int i = base + 1, end = base + 1 + count; i < end; i++) {
            int neighbour = list[i];
            batch[fresh] = neighbour;
            fresh += visited.visitFresh(neighbour);
        }
        return fresh;
    }

    /** Notes the scores of {@link #batch}{@code [0..fresh)} in {@link #beamScores}. */
    private void keepBeamScores(int fresh) {
        float[] kept = beamScores;
        for (int j = 0; j < fresh; j++) {
            if (batch[j] < kept.length) { // a node added since the search started
                kept[batch[j]] = batchScores[j];
            }
        }
    }

    /**
     * Moves those of {@link #batch}{@code [0..fresh)} that score above {@code bound} (the ones
     * that may enter the heaps) to its front, with their scores; returns how many. Without a
     * branch on each, as in {@link #collectFresh}; the caller checks each again, as the bounds rise.
     */
    private int keepAbove(int fresh, float bound) {
        int better = 0;
        for (int j = 0; j < fresh; j++) {
            float score = batchScores[j];
            batch[better] = batch[j];
            batchScores[better] = score;
            better += score > bound ? 1 : 0;
        }
        return better;
    }

    /**
     * Keeps {@code packed} among the best {@code room} near misses; returns what a later one must
     * score above to be kept.
     */
    private float keepMiss(long packed, int room) {
        LongHeap m = misses;
        if (m.size() < room) {
            m.push(packed);
            return m.size() < room ? Float.NEGATIVE_INFINITY : PackedHit.score(m.peek());
        }
        if (packed > m.peek()) {
            m.replaceTop(packed);
        }
        return PackedHit.score(m.peek());
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

    /** Starts a descent through the upper levels from the scored entry point {@code node}. */
    void startDescent(int node) {
        visited.reset(graph.capacity());
        visited.visit(node);
    }

    /**
     * Greedy walk on {@code level} from {@code node}: moves to a better neighbour until none
     * is better, scoring only nodes not seen since {@link #startDescent}. A node seen on a
     * higher level scored no better than the node that walk ended on (a greedy walk ends on the
     * best node it scored), so skipping it changes no step. Returns the node reached; its score
     * is left in {@link #greedyScore}.
     *
     * <p>A query's walk follows only the neighbours that passed the diversity check where a list
     * knows them ({@link HnswGraph#passedOrAll}): the pruned fill of an upper list (each closer
     * to a passed neighbour than to the node) seldom leads the walk anywhere those do not, and
     * it cost the descent to level 0 a fifth of a query's distance computations on the image set
     * at ef 10. Skipping it: 8 % fewer distances per query there, 2-4 % on GloVe and WordNet at
     * recall 0.95, the same recall for the distances made (docs/BENCHMARKS.md). An insert's
     * walk, whose end seeds the lists it builds, takes every neighbour as before.
     */
    int greedy(int node, float score, int level) {
        boolean moved = true;
        while (moved) {
            moved = false;
            int[] list = graph.listArray(node, level);
            if (list == null) {
                break;
            }
            int base = graph.listBase(node, level);
            // a query's descent follows the links that passed the diversity check; an insert's all
            int count = inserting ? graph.count(list, base) : graph.passedOrAll(list, base);
            int fresh = 0;
            for (int i = base + 1, end = base + 1 + count; i < end; i++) {
                int neighbour = list[i];
                batch[fresh] = neighbour; // kept when fresh: the next one writes past it
                fresh += visited.visitFresh(neighbour);
            }
            scorer.scoreAll(batch, fresh, batchScores);
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

    /** Scores of the query against {@code ids[0..n)} into {@code out} (room for {@link #scoreBuffer}{@code (n)}). */
    void scoreAll(int[] ids, int n, float[] out) {
        scorer.scoreAll(ids, n, out);
    }

    /** A buffer for {@link #scoreAll} of up to {@code n} nodes (kernels write whole groups of eight). */
    static float[] scoreBuffer(int n) {
        return new float[(n + 7) & ~7];
    }

    /** Ordinals below this have a stored vector. */
    int storeSize() {
        return scorer.vectors().size();
    }

    float greedyScore() {
        return greedyScore;
    }

    float score(int node) {
        return scorer.score(node);
    }
}
