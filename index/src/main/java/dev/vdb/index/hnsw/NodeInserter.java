package dev.vdb.index.hnsw;

import dev.vdb.index.Bits;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import java.util.Arrays;

/**
 * Links nodes into an {@link HnswGraph}: finds a new node's neighbours level by level with a
 * beam search of width ef_construct, keeps a diverse subset (the paper's heuristic), links
 * both ways and shrinks overfull lists with the same heuristic. Also repairs lists that point
 * at deleted nodes.
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
    private final int[] selected;
    private final int[] neighbours;
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
        this.shrink = new long[maxConn0 + 1];
        this.neighbours = new int[maxConn0];
        this.hop = new int[maxConn0];
    }

    /**
     * Links {@code node}, already {@link HnswGraph#allocate allocated} at {@code level} and
     * marked live, into the graph.
     */
    void insert(int node, int level) {
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
        searcher.startSearch();
        searcher.seed(cur, curScore, Bits.ALL);
        for (int l = Math.min(level, entryLevel); l >= 0; l--) {
            searcher.beam(q, qOff, l, efConstruct, Bits.ALL);
            int n = drainBestFirst(searcher.results);
            int links = selectDiverse(sorted, n, graph.maxConnections(l), node);
            System.arraycopy(selected, 0, neighbours, 0, links);
            synchronized (graph.lock(node)) {
                graph.setNeighbours(node, l, neighbours, links);
            }
            for (int i = 0; i < links; i++) {
                linkBack(neighbours[i], node, l);
            }
            if (l > 0) {
                // the next level starts from every node this one found
                searcher.startSearch();
                for (int i = 0; i < n; i++) {
                    searcher.seed(Packed.ordinal(sorted[i]), Packed.score(sorted[i]), Bits.ALL);
                }
            }
        }
        long current;
        while (level > HnswGraph.entryLevel(current = graph.entry.get())) {
            if (graph.entry.compareAndSet(current, HnswGraph.packEntry(node, level))) {
                break;
            }
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
            for (int i = 0; i < count; i++) {
                int other = list[base + 1 + i];
                shrink[i] = Packed.pack(searcher.score(t, tOff, other), other);
            }
            shrink[count] = Packed.pack(searcher.score(t, tOff, node), node);
            sortBestFirst(shrink, count + 1);
            int links = selectDiverse(shrink, count + 1, maxConn, target);
            graph.setNeighbours(target, level, selected, links);
        }
    }

    /**
     * Rewrites {@code node}'s lists that point at deleted nodes: the candidates are its live
     * neighbours and the live neighbours of its deleted neighbours, cut by the heuristic.
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
                    } else {
                        int hops = graph.neighbours(nb, level, hop);
                        for (int j = 0; j < hops; j++) {
                            int second = hop[j];
                            if (!seen.visit(second) && graph.state(second) == HnswGraph.LIVE) {
                                n = addCandidate(t, tOff, second, n);
                            }
                        }
                    }
                }
                sortBestFirst(sorted, n);
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
     * The paper's heuristic: walking candidates best first, keeps one unless it is closer to
     * an already kept neighbour than to the base node. Fills {@link #selected}; returns how
     * many it kept.
     */
    private int selectDiverse(long[] candidates, int n, int maxConn, int base) {
        int kept = 0;
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
            }
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
