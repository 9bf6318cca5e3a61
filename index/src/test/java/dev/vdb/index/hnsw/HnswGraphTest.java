package dev.vdb.index.hnsw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The node store's layout: upper-level lists in shared int pages, never overlapping, a list's
 * count, checked prefix and floor sharing its first slot, and its memory account.
 */
class HnswGraphTest {

    /** Eleven level-0 pages and several upper-level pages at M = 2 and 16, so that every page table grows. */
    private static final int NODES = 10 * HnswGraph.PAGE_NODES + 1_000;
    private static final int[] MS = {2, 16};

    /** Levels as HnswIndex draws them (mL = 1 / ln M), so about one node in M has upper lists. */
    private static int drawLevel(SplittableRandom random, int m) {
        double u = 1 - random.nextDouble();
        return Math.min(HnswGraph.MAX_LEVEL, (int) (-Math.log(u) / Math.log(m)));
    }

    /** Allocates every node from {@code threads} threads at once (interleaved ordinals); returns Σ levels. */
    private static long allocateAll(HnswGraph graph, int[] levels, int threads) throws InterruptedException {
        AtomicLong upperLists = new AtomicLong();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int first = t;
            workers[t] = Thread.ofPlatform().start(() -> {
                for (int node = first; node < levels.length; node += threads) {
                    assertTrue(graph.claim(node));
                    graph.allocate(node, levels[node]);
                    upperLists.addAndGet(levels[node]);
                }
            });
        }
        for (Thread w : workers) {
            w.join();
        }
        return upperLists.get();
    }

    private static int[] levels(long seed, int m) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] levels = new int[NODES];
        for (int i = 0; i < NODES; i++) {
            levels[i] = drawLevel(random, m);
        }
        levels[17] = HnswGraph.MAX_LEVEL; // the tallest node a graph can hold fits in one page
        return levels;
    }

    /** A list no other (node, level) has: the oracle that no two lists share a slot. */
    private static int[] pattern(int node, int level, int length) {
        int[] list = new int[length];
        for (int i = 0; i < length; i++) {
            list[i] = node * 37 + level * 7 + i;
        }
        return list;
    }

    /** A score of either sign and many magnitudes, different per list. */
    private static float floorScore(int node, int level) {
        return (node % 2 == 0 ? 1 : -1) * (node + 1) * (float) Math.pow(10, level % 7 - 3);
    }

    /**
     * A floor is a lower bound that orders as the scores do, at every M (whose count leaves the
     * floor 26 bits at M = 2, 20 at M = 16, 10 at M = 512): a score is {@link HnswGraph#below} a
     * floor only if below the score it was made from; a score 0.1 % lower is below it at M = 16;
     * the lower of two scores has the lower floor; nothing is below an unknown floor.
     */
    /** A list written without passed counts (a repair, a version-1 file) is unresolved: a descent follows all of it. */
    @Test
    void aListWrittenWithoutPassedCountsIsUnresolvedAndFollowedWhole() {
        HnswGraph graph = new HnswGraph(16);
        graph.claim(0);
        graph.allocate(0, 0);
        graph.setNeighbours(0, 0, new int[] {5, 6, 7}, 3);
        int[] array = graph.level0Page(0);
        int base = graph.level0Base(0);
        assertEquals(graph.unresolved, graph.checked(array, base));
        assertEquals(3, graph.passedOrAll(array, base));
        graph.setNeighbours(0, 0, new int[] {5, 6, 7}, 3, 2, HnswGraph.UNKNOWN_FLOOR, null);
        assertEquals(2, graph.passedOrAll(array, base));
    }

    @Test
    void aFloorIsALowerBoundThatOrdersAsTheScoresDo() {
        SplittableRandom random = new SplittableRandom(5);
        for (int m : new int[] {2, 16, HnswParams.MAX_M}) {
            HnswGraph graph = new HnswGraph(m, 64);
            for (int i = 0; i < 200_000; i++) {
                float a = randomScore(random);
                float b = i % 4 == 0 ? Math.nextDown(a) : randomScore(random);
                int floorA = graph.floorOf(a);
                int floorB = graph.floorOf(b);
                assertTrue(!graph.below(b, floorA) || b < a, m + ": " + b + " below the floor of " + a);
                assertEquals(graph.floorOf(Math.min(a, b)), Math.min(floorA, floorB), m + ": " + a + ", " + b);
                assertTrue(floorA >= HnswGraph.UNKNOWN_FLOOR);
                assertTrue(!graph.below(a, HnswGraph.UNKNOWN_FLOOR));
                if (m == 16 && a != 0) {
                    assertTrue(graph.below(a - Math.abs(a) * 1e-3f, floorA), a + " less 0.1 %");
                }
            }
        }
    }

    private static float randomScore(SplittableRandom random) {
        return (float) ((random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble(-6, 8)));
    }

    /**
     * While a bulk add runs, a level-0 list's scores are those written with it: a list written
     * without scores (a repair, a loaded file) or a change of representation makes them unknown,
     * an append adds one, and none are kept outside a bulk add.
     */
    @Test
    void keptScoresAreThoseOfTheListAsLastWritten() {
        int m = 16;
        HnswGraph graph = new HnswGraph(m);
        int nodes = 3 * graph.pageNodes() + 5;
        for (int node = 0; node < nodes; node++) {
            assertTrue(graph.claim(node));
            graph.allocate(node, 0);
        }
        int maxConn = graph.maxConnections(0);
        float[] out = new float[maxConn];
        int[] ids = pattern(7, 0, maxConn);
        float[] scores = new float[maxConn];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < maxConn; i++) {
            scores[i] = randomScore(random);
        }
        graph.setNeighbours(1, 0, ids, maxConn, 0, HnswGraph.UNKNOWN_FLOOR, scores);
        assertFalse(graph.cachedScores(1, 0, maxConn, out), "not kept: nothing kept");

        long withoutScores = graph.memoryBytes();
        graph.openScoreCache();
        long scoreBytes = (long) graph.capacity() * maxConn * Float.BYTES;
        assertTrue(graph.memoryBytes() - withoutScores >= scoreBytes, "the kept scores' pages are reported");
        assertFalse(graph.cachedScores(1, 0, maxConn, out), "a list written before is unknown");
        graph.setNeighbours(1, 0, ids, maxConn - 1, 0, HnswGraph.UNKNOWN_FLOOR, scores);
        assertTrue(graph.cachedScores(1, 0, maxConn - 1, out));
        assertArrayEquals(Arrays.copyOf(scores, maxConn - 1), Arrays.copyOf(out, maxConn - 1));
        assertFalse(graph.cachedScores(1, 0, maxConn, out), "the slot past the list is unknown");
        graph.cacheScore(1, 0, maxConn - 1, scores[maxConn - 1]);
        assertTrue(graph.cachedScores(1, 0, maxConn, out), "an append keeps its score");
        assertArrayEquals(scores, out);
        graph.setNeighbours(1, 0, ids, 3);
        assertFalse(graph.cachedScores(1, 0, 1, out), "a list written without scores is unknown");
        graph.setNeighbours(nodes - 1, 0, ids, maxConn, 0, HnswGraph.UNKNOWN_FLOOR, scores);
        assertTrue(graph.cachedScores(nodes - 1, 0, maxConn, out), "kept on every page");
        assertArrayEquals(scores, out);
        int grown = nodes + 2 * graph.pageNodes();
        assertTrue(graph.claim(grown));
        graph.allocate(grown, 0);
        assertFalse(graph.cachedScores(grown, 0, 1, out), "a new node's list is unknown");
        graph.setNeighbours(grown, 0, ids, maxConn, 0, HnswGraph.UNKNOWN_FLOOR, scores);
        assertTrue(graph.cachedScores(grown, 0, maxConn, out), "kept on the pages the graph grows by");
        assertArrayEquals(scores, out);

        graph.setNeighbours(2, 0, ids, maxConn, 0, HnswGraph.UNKNOWN_FLOOR, scores);
        graph.openScoreCache(); // a second user at once shares the scores
        graph.closeScoreCache();
        assertTrue(graph.cachedScores(2, 0, maxConn, out), "kept while one user still keeps them");
        graph.forgetScores();
        assertFalse(graph.cachedScores(2, 0, 1, out), "forgotten when inserts score another representation");
        graph.setNeighbours(2, 0, ids, maxConn, 0, HnswGraph.UNKNOWN_FLOOR, scores);
        long withScores = graph.memoryBytes();
        graph.closeScoreCache();
        assertFalse(graph.cachedScores(2, 0, 1, out), "freed when the last user is done");
        assertTrue(withScores - graph.memoryBytes() >= (long) graph.capacity() * maxConn * Float.BYTES);
    }

    @Test
    void everyListOfEveryLevelKeepsWhatWasWrittenToIt() throws InterruptedException {
        for (int m : MS) {
            listsKeepWhatWasWritten(m);
        }
    }

    private static void listsKeepWhatWasWritten(int m) throws InterruptedException {
        int[] levels = levels(1, m);
        HnswGraph graph = new HnswGraph(m);
        allocateAll(graph, levels, 4);
        assertTrue(graph.upperSlotsUsed() > 2L * (HnswGraph.UPPER_INTS_PER_PAGE_NODE * graph.pageNodes()), "the lists span several upper pages");
        for (int node = 0; node < NODES; node++) {
            for (int l = 0; l <= levels[node]; l++) {
                int[] list = pattern(node, l, graph.maxConnections(l));
                graph.setNeighbours(node, l, list, list.length, (node + l) % (list.length + 1), graph.floorOf(floorScore(node, l)),
                        null);
            }
        }
        int[] out = new int[2 * m];
        for (int node = 0; node < NODES; node++) {
            for (int l = 0; l <= levels[node]; l++) {
                int n = graph.neighbours(node, l, out);
                int[] expected = pattern(node, l, graph.maxConnections(l));
                assertEquals(expected.length, n, "node " + node + " level " + l);
                assertArrayEquals(expected, Arrays.copyOf(out, n), "node " + node + " level " + l);
                int[] array = graph.listArray(node, l);
                int base = graph.listBase(node, l);
                assertEquals(n, graph.count(array, base), "the count apart from the checked prefix beside it");
                assertEquals((node + l) % (n + 1), graph.checked(array, base));
                int passed = (node + l) % (n + 1);
                assertEquals(passed == 0 ? n : passed, graph.passedOrAll(array, base), "what a descent follows");
                assertEquals(graph.floorOf(floorScore(node, l)), graph.floor(array, base));
                assertEquals(expected[0], array[base + 1]);
            }
            assertNull(graph.upperList(node, levels[node] + 1), "node " + node + " has no list above its level");
        }
    }

    /**
     * The graph reports the bytes of what it holds: per node of capacity 4·(1+2M) for its level-0
     * list, a state and a level byte and an int offset; per upper list 4·(1+M); no more than the
     * page headers and tables, the unused rest of the last upper page and the page ends skipped
     * so that a node's lists never straddle two pages.
     */
    @Test
    void reportedBytesAreTheListsTheNodesHavePlusBoundedPageSlack() throws InterruptedException {
        for (int m : MS) {
            reportedBytesAreBounded(m);
        }
    }

    private static void reportedBytesAreBounded(int m) throws InterruptedException {
        int[] levels = levels(2, m);
        HnswGraph graph = new HnswGraph(m);
        long upperLists = allocateAll(graph, levels, 2);
        long capacity = graph.capacity();
        long lists = capacity * (4L * (1 + 2 * m) + 1 + 1 + 4) + upperLists * 4L * (1 + m);
        long reported = graph.memoryBytes();
        assertTrue(reported >= lists, "reported " + reported + " < the lists alone " + lists);

        long pageInts = HnswGraph.UPPER_INTS_PER_PAGE_NODE * graph.pageNodes();
        long pages = (graph.upperSlotsUsed() + pageInts - 1) / pageInts;
        long skippedEnds = pages * (long) HnswGraph.MAX_LEVEL * (1 + m) * 4;
        long unusedTail = pages * pageInts * 4 - graph.upperSlotsUsed() * 4;
        long nodePages = capacity / graph.pageNodes();
        // 16-byte array headers; page tables at most twice as long as their pages (they double), 8 bytes a slot
        long headersAndTables = nodePages * 4 * 16 + 4 * (16 + 8 * 2 * nodePages) + pages * 16 + 16 + 8 * 2 * pages;
        assertTrue(reported <= lists + skippedEnds + unusedTail + headersAndTables,
                "reported " + reported + " bytes, more than the lists " + lists + " and the slack "
                        + (skippedEnds + unusedTail + headersAndTables));
        System.out.printf("HNSW graph, M=%d: %.1f bytes per node (%,d nodes of capacity %,d, %.3f upper lists per node)%n",
                m, reported / (double) NODES, NODES, capacity, upperLists / (double) NODES);
    }
}
