package dev.vdb.index.hnsw;

import dev.vdb.index.Bits;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import java.util.Arrays;

/**
 * Links nodes into an {@link HnswGraph}: finds a new node's neighbours level by level with a
 * beam search of width ef_construct, keeps a diverse subset (the paper's heuristic, keeping
 * pruned connections to fill the list) and links both ways; a full list that gains a
 * neighbour drops its least diverse one. Also repairs lists that point at deleted nodes.
 *
 * <p>Not thread-safe: one inserter per thread; many inserters may work on one graph at once
 * (they lock one node at a time). Allocation-free after warm-up, except a new node's lists.
 */
final class NodeInserter {

    private final HnswGraph graph;
    private final VectorStore store;
    private final HnswSearcher searcher;
    private final int efConstruct;

    /** Candidates best first, as packed score+ordinal. */
    private long[] sorted;
    /** Scratch of {@link #linkBack}, apart from {@link #sorted} which the insert still needs. */
    private final long[] shrink;
    private final int[] shrinkIds;
    private final float[] shrinkScores;
    private final int[] selected;
    /** Candidates the heuristic passed over, best first. */
    private final int[] pruned;
    private final int[] neighbours;
    /**
     * Per level of the node being linked: the neighbours chosen (the first {@link #chosenCount}),
     * and whether a concurrent insert had filled its list first. Grown to the highest level seen.
     */
    private int[][] chosen = new int[0][];
    private int[] chosenCount = new int[0];
    private boolean[] mergeChosen = new boolean[0];
    private final int[] hop;
    private final VisitedSet seen = new VisitedSet();

    NodeInserter(HnswGraph graph, VectorStore store, VectorSimilarity similarity, int efConstruct) {
        this.graph = graph;
        this.store = store;
        this.searcher = new HnswSearcher(graph, store, similarity);
        this.efConstruct = efConstruct;
        int maxConn0 = graph.maxConnections(0);
        this.sorted = new long[Math.max(efConstruct, maxConn0 * (maxConn0 + 1)) + 1];
        this.selected = new int[maxConn0];
        this.pruned = new int[maxConn0];
        this.shrink = new long[maxConn0 + 1];
        this.shrinkIds = new int[maxConn0];
        this.shrinkScores = new float[maxConn0];
        this.neighbours = new int[maxConn0];
        this.hop = new int[maxConn0];
    }

    /**
     * Links {@code node}, already {@link HnswGraph#allocate allocated} at {@code level} and
     * marked live, into the graph.
     */
    void insert(int node, int level) {
        if (level > HnswGraph.entryLevel(graph.entry.get())) {
            synchronized (graph.newTopLevelLock) {
                link(node, level);
            }
        } else {
            link(node, level);
        }
    }

    private void link(int node, int level) {
        float[] q = store.page(node);
        int qOff = store.offset(node);
        long entry;
        while ((entry = graph.entry.get()) == HnswGraph.NO_ENTRY) {
            if (graph.entry.compareAndSet(HnswGraph.NO_ENTRY, HnswGraph.packEntry(node, level))) {
                return;
            }
        }
        int entryLevel = HnswGraph.entryLevel(entry);
        int cur = HnswGraph.entryNode(entry);
        float curScore = searcher.score(q, qOff, cur);
        for (int l = entryLevel; l > level; l--) {
            cur = searcher.greedy(q, qOff, cur, curScore, l);
            curScore = searcher.greedyScore();
        }
        // First the node's own lists on every level, while no other node links to it yet; then
        // the links back, from level 0 up. So a search that reaches the node on some level finds
        // its lists below filled: were a level linked back before the lower lists existed, a
        // search descending through it would start level 0 from a node with no neighbours and
        // answer short.
        int top = Math.min(level, entryLevel);
        growChosen(top);
        searcher.startSearch();
        searcher.seed(cur, curScore, Bits.ALL);
        for (int l = top; l >= 0; l--) {
            searcher.beam(q, qOff, l, efConstruct, Bits.ALL);
            int n = drainBestFirst(searcher.results);
            int links = selectDiverse(sorted, n, graph.maxConnections(l), node);
            System.arraycopy(selected, 0, chosen[l], 0, links);
            chosenCount[l] = links;
            synchronized (graph.lock(node)) {
                int[] list = graph.listArray(node, l);
                int base = graph.listBase(node, l);
                mergeChosen[l] = list[base] != 0;
                if (!mergeChosen[l]) {
                    graph.setNeighbours(node, l, chosen[l], links);
                }
            }
            if (l > 0) {
                // the next level starts from every node this one found
                searcher.startSearch();
                for (int i = 0; i < n; i++) {
                    searcher.seed(Packed.ordinal(sorted[i]), Packed.score(sorted[i]), Bits.ALL);
                }
            }
        }
        for (int l = 0; l <= top; l++) {
            for (int i = 0; i < chosenCount[l]; i++) {
                int neighbour = chosen[l][i];
                if (mergeChosen[l]) {
                    // a concurrent insert found this node first and linked to it: merge, not overwrite
                    linkBack(node, neighbour, l);
                }
                linkBack(neighbour, node, l);
            }
        }
        long current;
        while (level > HnswGraph.entryLevel(current = graph.entry.get())) {
            if (graph.entry.compareAndSet(current, HnswGraph.packEntry(node, level))) {
                break;
            }
        }
    }

    private void growChosen(int top) {
        int had = chosen.length;
        if (had > top) {
            return;
        }
        chosen = Arrays.copyOf(chosen, top + 1);
        chosenCount = Arrays.copyOf(chosenCount, top + 1);
        mergeChosen = Arrays.copyOf(mergeChosen, top + 1);
        for (int l = had; l <= top; l++) {
            chosen[l] = new int[graph.maxConnections(l)];
        }
    }

    /** Adds {@code node} to {@code target}'s list on {@code level}, shrinking it if full. */
    private void linkBack(int target, int node, int level) {
        int maxConn = graph.maxConnections(level);
        synchronized (graph.lock(target)) {
            int[] list = graph.listArray(target, level);
            if (list == null) {
                return;
            }
            int base = graph.listBase(target, level);
            int count = list[base];
            for (int i = 1; i <= count; i++) {
                if (list[base + i] == node) {
                    return;
                }
            }
            if (count < maxConn) {
                list[base + 1 + count] = node;
                HnswGraph.publishCount(list, base, count + 1);
                return;
            }
            float[] t = store.page(target);
            int tOff = store.offset(target);
            System.arraycopy(list, base + 1, shrinkIds, 0, count);
            searcher.scoreAll(t, tOff, shrinkIds, count, shrinkScores);
            for (int i = 0; i < count; i++) {
                shrink[i] = Packed.pack(shrinkScores[i], shrinkIds[i]);
            }
            shrink[count] = Packed.pack(searcher.score(t, tOff, node), node);
            sortBestFirst(shrink, count + 1);
            int drop = leastDiverse(shrink, count + 1);
            if (Packed.ordinal(shrink[drop]) == node) {
                return;
            }
            int links = 0;
            for (int i = 0; i <= count; i++) {
                if (i != drop) {
                    selected[links++] = Packed.ordinal(shrink[i]);
                }
            }
            graph.setNeighbours(target, level, selected, links);
        }
    }

    /**
     * Which of a full list plus one newcomer ({@code candidates} best first) to drop: a deleted
     * one; else, by Lucene's rule, the worst one that is closer to a better neighbour than to
     * the target; else the worst. Cheaper than re-running the heuristic on every back-link (about
     * 40% fewer distance computations per insert), and it keeps lists full.
     */
    private int leastDiverse(long[] candidates, int n) {
        for (int i = n - 1; i >= 0; i--) {
            if (graph.state(Packed.ordinal(candidates[i])) != HnswGraph.LIVE) {
                return i;
            }
        }
        for (int i = n - 1; i > 0; i--) {
            int c = Packed.ordinal(candidates[i]);
            float toTarget = Packed.score(candidates[i]);
            float[] cv = store.page(c);
            int cOff = store.offset(c);
            for (int j = 0; j < i; j++) {
                if (searcher.score(cv, cOff, Packed.ordinal(candidates[j])) > toTarget) {
                    return i;
                }
            }
        }
        return n - 1;
    }

    /**
     * Rewrites {@code node}'s lists that point at deleted nodes: the candidates are its live
     * neighbours and their and its deleted neighbours' live neighbours; the best ef_construct
     * of them are cut by the heuristic. (Two hops through every neighbour, not only through
     * the deleted ones, halves the recall loss after deleting 30% of GloVe.)
     */
    void repair(int node) {
        int top = graph.level(node);
        float[] t = store.page(node);
        int tOff = store.offset(node);
        for (int level = 0; level <= top; level++) {
            synchronized (graph.lock(node)) {
                int count = graph.neighbours(node, level, neighbours);
                boolean stale = false;
                for (int i = 0; i < count; i++) {
                    stale |= graph.state(neighbours[i]) != HnswGraph.LIVE;
                }
                if (!stale) {
                    continue;
                }
                seen.reset(graph.capacity());
                seen.visit(node);
                int n = 0;
                for (int i = 0; i < count; i++) {
                    int nb = neighbours[i];
                    if (seen.visit(nb)) {
                        continue;
                    }
                    if (graph.state(nb) == HnswGraph.LIVE) {
                        n = addCandidate(t, tOff, nb, n);
                    }
                    int hops = graph.neighbours(nb, level, hop);
                    for (int j = 0; j < hops; j++) {
                        int second = hop[j];
                        if (!seen.visit(second) && graph.state(second) == HnswGraph.LIVE) {
                            n = addCandidate(t, tOff, second, n);
                        }
                    }
                }
                sortBestFirst(sorted, n);
                n = Math.min(n, efConstruct);
                int links = selectDiverse(sorted, n, graph.maxConnections(level), node);
                graph.setNeighbours(node, level, selected, links);
            }
        }
    }

    private int addCandidate(float[] t, int tOff, int candidate, int n) {
        if (n == sorted.length) {
            sorted = Arrays.copyOf(sorted, n * 2);
        }
        sorted[n] = Packed.pack(searcher.score(t, tOff, candidate), candidate);
        return n + 1;
    }

    /**
     * The paper's heuristic with keepPrunedConnections: walking candidates best first, keeps
     * one unless it is closer to an already kept neighbour than to the base node; then fills
     * the free slots with the best pruned ones (full lists cost more per hop but save hops:
     * about 6-12% fewer distance computations at recall 0.95 on GloVe and WordNet). Fills
     * {@link #selected}; returns how many it kept.
     */
    private int selectDiverse(long[] candidates, int n, int maxConn, int base) {
        int kept = 0;
        int prunedCount = 0;
        for (int i = 0; i < n && kept < maxConn; i++) {
            int c = Packed.ordinal(candidates[i]);
            if (c == base || graph.state(c) != HnswGraph.LIVE) {
                continue;
            }
            float toBase = Packed.score(candidates[i]);
            float[] cv = store.page(c);
            int cOff = store.offset(c);
            boolean diverse = true;
            for (int j = 0; j < kept; j++) {
                if (searcher.score(cv, cOff, selected[j]) > toBase) {
                    diverse = false;
                    break;
                }
            }
            if (diverse) {
                selected[kept++] = c;
            } else if (prunedCount < maxConn) {
                pruned[prunedCount++] = c;
            }
        }
        for (int i = 0; i < prunedCount && kept < maxConn; i++) {
            selected[kept++] = pruned[i];
        }
        return kept;
    }

    /** Empties a results heap (worst on top) into {@link #sorted}, best first. */
    private int drainBestFirst(LongHeap heap) {
        int n = heap.size();
        if (sorted.length < n) {
            sorted = new long[n];
        }
        for (int i = n - 1; i >= 0; i--) {
            sorted[i] = heap.pop();
        }
        return n;
    }

    private static void sortBestFirst(long[] values, int n) {
        Arrays.sort(values, 0, n);
        for (int i = 0, j = n - 1; i < j; i++, j--) {
            long tmp = values[i];
            values[i] = values[j];
            values[j] = tmp;
        }
    }
}
