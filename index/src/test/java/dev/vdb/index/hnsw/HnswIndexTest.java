package dev.vdb.index.hnsw;

import static dev.vdb.index.hnsw.TestData.K;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.Bits;
import dev.vdb.index.Deadline;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Metric;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Parameters, edge cases, filters, other similarities and writes concurrent with searches, on small data. */
class HnswIndexTest {

    @Test
    void paramsRejectBadValuesNamingTheField() {
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> new HnswParams(1, 100, 1));
        assertTrue(m.getMessage().contains("m ") && m.getMessage().contains("1"), m.getMessage());
        IllegalArgumentException ef = assertThrows(IllegalArgumentException.class, () -> new HnswParams(16, 0, 1));
        assertTrue(ef.getMessage().contains("efConstruct") && ef.getMessage().contains("0"), ef.getMessage());
        assertEquals(16, HnswParams.DEFAULT.m());
        assertEquals(100, HnswParams.DEFAULT.efConstruct());
        assertEquals(32, HnswParams.DEFAULT.maxConnections(0));
        assertEquals(16, HnswParams.DEFAULT.maxConnections(1));
    }

    @Test
    void emptyAndTinyIndexesAnswerExactly() {
        VectorStore store = new VectorStore(2);
        HnswIndex index = new HnswIndex(store, VectorSimilarity.EUCLID, HnswParams.DEFAULT);
        SearchResults out = new SearchResults();
        assertEquals(0, index.newSearcher().search(new float[] {0, 0}, 5, 10, Bits.ALL, out));
        store.set(0, new float[] {1, 0});
        store.set(1, new float[] {0, 3});
        store.set(2, new float[] {2, 2});
        index.add(0);
        index.add(1);
        index.add(2);
        assertEquals(3, index.newSearcher().search(new float[] {0, 0}, 5, 10, Bits.ALL, out));
        assertArrayEquals(new int[] {0, 2, 1}, out.toOrdinalArray());
        assertEquals(-1f, out.score(0));
        assertTrue(index.delete(0));
        assertFalse(index.contains(0));
        assertEquals(2, index.newSearcher().search(new float[] {0, 0}, 5, 10, Bits.ALL, out));
        assertArrayEquals(new int[] {2, 1}, out.toOrdinalArray());
    }

    @Test
    void sparseOrdinalsFarApartGrowTheGraphAcrossManyPages() {
        VectorStore store = new VectorStore(2);
        HnswIndex index = new HnswIndex(store, VectorSimilarity.EUCLID, HnswParams.DEFAULT);
        int step = 5_003;
        int count = 100;
        for (int i = 0; i < count; i++) {
            store.set(i * step, new float[] {i, 0});
            index.add(i * step);
        }
        assertEquals(count, index.size());
        SearchResults out = new SearchResults();
        HnswSearcher searcher = index.newSearcher();
        for (int i = 0; i < count; i += 7) {
            assertEquals(3, searcher.search(new float[] {i + 0.1f, 0}, 3, 20, Bits.ALL, out));
            assertEquals(i * step, out.ordinal(0), "nearest to " + i);
        }
    }

    @Test
    void searchOrScanAnswersAsTheTraversalWithinBudgetAndExactlyWhenItGivesUp() {
        Dataset d = Dataset.generate(3_000, 20, 16, Metric.COSINE, K, 9);
        VectorStore store = new VectorStore(16);
        HnswIndex index = new HnswIndex(store, VectorSimilarity.COSINE, HnswParams.DEFAULT);
        float[][] prepared = new float[d.base().length][];
        for (int i = 0; i < d.base().length; i++) {
            prepared[i] = VectorSimilarity.COSINE.prepare(d.base()[i]);
            store.set(i, prepared[i]);
            index.add(i);
        }
        long[] words = new long[(d.base().length + 63) / 64];
        for (int i = 0; i < d.base().length; i += 100) {
            words[i >>> 6] |= 1L << i; // 1%: the traversal must walk far to fill ef
        }
        Bits rare = ordinal -> (words[ordinal >>> 6] & (1L << ordinal)) != 0;
        HnswSearcher searcher = index.newSearcher();
        SearchResults free = new SearchResults();
        SearchResults budgeted = new SearchResults();
        for (float[] query : d.queries()) {
            float[] q = VectorSimilarity.COSINE.prepare(query);
            long before = searcher.distanceComputations();
            int n = searcher.search(q, K, 64, rare, free);
            long spent = searcher.distanceComputations() - before;
            // a budget far below the traversal's cost: the exact top K of the accepted points
            assertEquals(K, searcher.searchOrScan(q, K, 64, rare, () -> words, 30, budgeted));
            assertTrue(searcher.scannedLast());
            assertArrayEquals(exactTopAccepted(prepared, rare, q), sorted(budgeted.toOrdinalArray()));
            // an unbounded budget: the traversal's own answer
            assertEquals(n, searcher.searchOrScan(q, K, 64, rare, () -> words, Long.MAX_VALUE / 64, budgeted));
            assertFalse(searcher.scannedLast());
            assertArrayEquals(free.toOrdinalArray(), budgeted.toOrdinalArray());
            assertTrue(spent > 30, "the traversal costs more than the small budget: " + spent);
        }
    }

    /**
     * The beam's near misses: the first ef hits are the plain search's, and the rest are exactly
     * the best accepted nodes the beam scored (its visited set) apart from those, best first.
     */
    @Test
    void searchKeepingMissesAddsTheBestScoredNodesTheBeamDidNotKeep() {
        Dataset d = Dataset.generate(3_000, 20, 16, Metric.COSINE, K, 13);
        VectorStore store = TestData.store(d);
        HnswIndex index = TestData.build(store, VectorSimilarity.COSINE, TestData.range(0, 3_000), 1);
        Bits even = ordinal -> (ordinal & 1) == 0;
        HnswSearcher searcher = index.newSearcher();
        SearchResults beam = new SearchResults();
        SearchResults kept = new SearchResults();
        int ef = 16;
        int misses = 24;
        for (float[] q : TestData.preparedQueries(d)) {
            int n = searcher.search(q, ef, ef, even, beam);
            assertEquals(ef, n);
            int m = searcher.searchKeepingMisses(q, ef, misses, even, Deadline.NONE, kept);
            assertEquals(ef + misses, m, "a graph of 3,000 nodes has that many scored near misses");
            assertArrayEquals(beam.toOrdinalArray(), Arrays.copyOf(kept.toOrdinalArray(), ef));
            // the oracle: every accepted node the beam scored, but for its hits, by score
            Set<Integer> hits = new HashSet<>();
            for (int i = 0; i < ef; i++) {
                hits.add(beam.ordinal(i));
            }
            float[] scored = new float[3_000];
            int count = 0;
            for (int o = 0; o < 3_000; o++) {
                if (searcher.visited.visit(o) && even.get(o) && !hits.contains(o)) {
                    scored[count++] = -store.score(VectorSimilarity.COSINE, q, o);
                }
            }
            Arrays.sort(scored, 0, count); // best first, negated
            for (int i = 0; i < misses; i++) {
                assertEquals(-scored[i], kept.score(ef + i), 1e-5f, "miss " + i);
                assertTrue(kept.score(ef + i) <= kept.score(ef + i - 1));
                assertTrue(even.get(kept.ordinal(ef + i)) && !hits.contains(kept.ordinal(ef + i)));
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> searcher.searchKeepingMisses(new float[16], ef, -1, Bits.ALL, Deadline.NONE, kept));
    }

    /**
     * The descent through the upper levels keeps its visited set from level to level: it takes
     * the steps a descent that forgets it on every level takes (the oracle), with fewer scores.
     */
    @Test
    void theDescentTakesTheSameStepsWithoutScoringANodeTwice() {
        Dataset d = Dataset.generate(6_000, 20, 16, Metric.EUCLID, K, 17);
        HnswIndex index = TestData.build(TestData.store(d), VectorSimilarity.EUCLID, TestData.range(0, 6_000), 1);
        HnswSearcher searcher = index.newSearcher();
        long entry = index.graph().entry.get();
        assertTrue(HnswGraph.entryLevel(entry) >= 2, "the test needs at least two upper levels");
        long kept = 0;
        long forgotten = 0;
        for (float[] q : TestData.preparedQueries(d)) {
            searcher.search(q, K, K, Bits.ALL, new SearchResults()); // sets the query
            int a = HnswGraph.entryNode(entry);
            int b = a;
            float scoreA = searcher.score(a);
            float scoreB = scoreA;
            searcher.startDescent(a);
            for (int level = HnswGraph.entryLevel(entry); level > 0; level--) {
                long before = searcher.distanceComputations();
                a = searcher.greedy(a, scoreA, level);
                scoreA = searcher.greedyScore();
                kept += searcher.distanceComputations() - before;
            }
            for (int level = HnswGraph.entryLevel(entry); level > 0; level--) {
                searcher.startDescent(b);
                long before = searcher.distanceComputations();
                b = searcher.greedy(b, scoreB, level);
                scoreB = searcher.greedyScore();
                forgotten += searcher.distanceComputations() - before;
            }
            assertEquals(b, a);
            assertEquals(scoreB, scoreA);
        }
        assertTrue(kept < forgotten, kept + " scores, against " + forgotten + " forgetting");
    }

    /** The ids of the exact top K among the accepted vectors (scalar scores), ascending. */
    private static int[] exactTopAccepted(float[][] vectors, Bits accept, float[] q) {
        Integer[] ids = java.util.stream.IntStream.range(0, vectors.length).filter(accept::get).boxed().toArray(Integer[]::new);
        Arrays.sort(ids, (a, b) -> Float.compare(VectorSimilarity.COSINE.scalarScore(q, 0, vectors[b], 0, q.length),
                VectorSimilarity.COSINE.scalarScore(q, 0, vectors[a], 0, q.length)));
        return sorted(Arrays.stream(ids).limit(K).mapToInt(Integer::intValue).toArray());
    }

    private static int[] sorted(int[] ids) {
        int[] copy = ids.clone();
        Arrays.sort(copy);
        return copy;
    }

    /**
     * A graph of small pages is the same graph: built one node at a time with the same seed it
     * answers exactly as one of default pages, while a small one holds a fraction of the memory.
     */
    @Test
    void smallPagesHoldTheSameGraphInLessMemory() {
        // fewer nodes than a default page holds (1,024 at M=16: HnswGraph.MAX_PAGE_BYTES caps it)
        Dataset d = Dataset.generate(100, 10, 8, Metric.EUCLID, K, 13);
        VectorStore store = new VectorStore(8);
        HnswIndex pagesDefault = new HnswIndex(store, VectorSimilarity.EUCLID, HnswParams.DEFAULT);
        HnswIndex pages64 = new HnswIndex(store, VectorSimilarity.EUCLID, HnswParams.DEFAULT, HnswIndex.MIN_PAGE_NODES);
        for (int i = 0; i < d.base().length; i++) {
            store.set(i, d.base()[i]);
            pagesDefault.add(i);
            pages64.add(i);
        }
        SearchResults a = new SearchResults();
        SearchResults b = new SearchResults();
        for (float[] q : d.queries()) {
            pagesDefault.newSearcher().search(q, K, 32, Bits.ALL, a);
            pages64.newSearcher().search(q, K, 32, Bits.ALL, b);
            assertArrayEquals(a.toOrdinalArray(), b.toOrdinalArray());
        }
        assertTrue(pages64.graphMemoryBytes() * 4 < pagesDefault.graphMemoryBytes(),
                pages64.graphMemoryBytes() + " vs " + pagesDefault.graphMemoryBytes());
        assertThrows(IllegalArgumentException.class, () -> new HnswIndex(store, VectorSimilarity.EUCLID, HnswParams.DEFAULT, 100));
        assertThrows(IllegalArgumentException.class, () -> new HnswIndex(store, VectorSimilarity.EUCLID, HnswParams.DEFAULT, 32));
    }

    @Test
    void trimmedScratchGivesBackTheRoomOfALargeEfAndSearchesOnAlike() {
        Dataset d = Dataset.generate(6_000, 5, 8, Metric.EUCLID, K, 11);
        VectorStore store = new VectorStore(8);
        HnswIndex index = new HnswIndex(store, VectorSimilarity.EUCLID, HnswParams.DEFAULT);
        for (int i = 0; i < d.base().length; i++) {
            store.set(i, d.base()[i]);
            index.add(i);
        }
        HnswSearcher searcher = index.newSearcher();
        SearchResults out = new SearchResults();
        searcher.search(d.queries()[0], K, 5_000, Bits.ALL, out);
        assertTrue(searcher.heapCapacity() > 2 * HnswSearcher.KEPT_HEAP_CAPACITY, "an ef of 5,000 grew the heaps");
        searcher.trimScratch();
        assertTrue(searcher.heapCapacity() <= 2 * HnswSearcher.KEPT_HEAP_CAPACITY, "trimmed: " + searcher.heapCapacity());
        SearchResults fresh = new SearchResults();
        for (float[] q : d.queries()) {
            searcher.search(q, K, 64, Bits.ALL, out);
            index.newSearcher().search(q, K, 64, Bits.ALL, fresh);
            assertArrayEquals(fresh.toOrdinalArray(), out.toOrdinalArray());
        }
    }

    @Test
    void badCallsAreRejected() {
        VectorStore store = new VectorStore(2);
        store.set(0, new float[] {1, 0});
        HnswIndex index = new HnswIndex(store, VectorSimilarity.EUCLID, HnswParams.DEFAULT);
        index.add(0);
        assertThrows(IllegalArgumentException.class, () -> index.add(0));
        assertThrows(IllegalArgumentException.class, () -> index.add(1));
        assertThrows(IllegalArgumentException.class, () -> index.add(-1));
        index.delete(0);
        IllegalArgumentException readd = assertThrows(IllegalArgumentException.class, () -> index.add(0));
        assertTrue(readd.getMessage().contains("new ordinal"), readd.getMessage());
        HnswSearcher searcher = index.newSearcher();
        SearchResults out = new SearchResults();
        assertThrows(IllegalArgumentException.class, () -> searcher.search(new float[3], 1, 10, Bits.ALL, out));
        assertThrows(IllegalArgumentException.class, () -> searcher.search(new float[2], 0, 10, Bits.ALL, out));
        assertThrows(IllegalArgumentException.class, () -> searcher.search(new float[2], 1, 0, Bits.ALL, out));
        assertThrows(IllegalArgumentException.class, () -> searcher.search(new float[2], 1, 10, null, out));
    }

    @Test
    void concurrentBuildLinksEveryNodeOnEveryLevelItHas() {
        // M=2 makes upper levels common, and the first inserts of a build raise the entry point
        // most often, so many small concurrent builds give racing new-top-level inserts a chance
        int n = 300;
        for (long seed = 1; seed <= 300; seed++) {
            Dataset data = Dataset.generate(n, 1, 8, Metric.EUCLID, K, seed);
            VectorStore store = TestData.store(data);
            HnswIndex index = new HnswIndex(store, VectorSimilarity.EUCLID, new HnswParams(2, 20, seed));
            index.addAll(TestData.range(0, n), 4);
            HnswGraph graph = index.graph();
            int[] nodesOnLevel = new int[64];
            for (int node = 0; node < n; node++) {
                for (int l = 1; l <= graph.level(node); l++) {
                    nodesOnLevel[l]++;
                }
            }
            for (int node = 0; node < n; node++) {
                for (int l = 1; l <= graph.level(node); l++) {
                    int links = graph.count(graph.listArray(node, l), graph.listBase(node, l));
                    assertTrue(nodesOnLevel[l] < 2 || links > 0,
                            "seed " + seed + ": node " + node + " has no links on its level " + l
                                    + " of " + nodesOnLevel[l] + " nodes");
                }
            }
        }
    }

    /**
     * Every level-0 list's floor is the floor of its lowest neighbour score, as the inserter
     * scores them (so a newcomer below it would come last in the full check too, and the one the
     * link-back drops unscored is the one that check would drop): after one-thread and two-thread builds at low and high dimension (where the
     * diversity checks score in groups); unknown only for lists that started empty. After
     * {@link HnswIndex#useVectors} every floor is unknown.
     */
    @Test
    void everyLevelZeroListKeepsTheFloorOfItsLowestNeighbourScore() {
        for (int dim : new int[] {16, NodeInserter.GROUPED_FROM_DIMENSION + 16}) {
            for (int threads : new int[] {1, 2}) {
                Dataset data = Dataset.generate(3_000, 1, dim, Metric.EUCLID, K, dim + threads);
                VectorStore store = TestData.store(data);
                HnswIndex index = TestData.build(store, VectorSimilarity.EUCLID, TestData.range(0, 3_000), threads);
                HnswGraph graph = index.graph();
                HnswSearcher scorer = new HnswSearcher(index, true);
                int[] neighbours = new int[graph.maxConnections(0)];
                int known = 0;
                for (int node = 0; node < 3_000; node++) {
                    int n = graph.neighbours(node, 0, neighbours);
                    scorer.queryNode(node);
                    float lowest = Float.POSITIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        lowest = Math.min(lowest, scorer.score(neighbours[i]));
                    }
                    int floor = graph.floor(graph.level0Page(node), graph.level0Base(node));
                    if (floor != HnswGraph.UNKNOWN_FLOOR) {
                        known++;
                        // within rounding: the inserter's scores come from batch kernels, these from single ones
                        float slack = Math.abs(lowest) * 1e-5f;
                        assertTrue(floor >= graph.floorOf(lowest - slack) && floor <= graph.floorOf(lowest + slack),
                                "d=" + dim + ", " + threads + " threads: node " + node + " has floor " + floor
                                        + ", its lowest score's is " + graph.floorOf(lowest));
                    }
                }
                assertTrue(known > 2_990, "d=" + dim + ", " + threads + " threads: " + known + " floors known");
                index.useVectors(store, store);
                for (int node = 0; node < 3_000; node++) {
                    assertEquals(HnswGraph.UNKNOWN_FLOOR, graph.floor(graph.level0Page(node), graph.level0Base(node)));
                }
            }
        }
    }

    /**
     * Each list's neighbours that passed the diversity check ({@link HnswGraph#checked}) stay
     * farther from every better one of them than from the node, however the link backs of later
     * nodes changed the list: a newcomer that passes makes the passed ones worse than it and
     * closer to it fail. Nearly every list is resolved after a bulk build; a saved graph loads
     * with the same passed counts.
     */
    @Test
    void theNeighboursThatPassedTheDiversityCheckStayDiverseFromEachOther() throws Exception {
        for (int dim : new int[] {16, NodeInserter.GROUPED_FROM_DIMENSION + 16}) {
            for (int threads : new int[] {1, 2}) {
                Dataset data = Dataset.generate(3_000, 1, dim, Metric.EUCLID, K, 3 * dim + threads);
                VectorStore store = TestData.store(data);
                HnswIndex index = TestData.build(store, VectorSimilarity.EUCLID, TestData.range(0, 3_000), threads);
                HnswGraph graph = index.graph();
                HnswSearcher scorer = new HnswSearcher(index, true);
                int[] neighbours = new int[graph.maxConnections(0)];
                float[] scores = new float[neighbours.length];
                int resolved = 0;
                long pairs = 0;
                for (int node = 0; node < 3_000; node++) {
                    int checked = graph.checked(graph.level0Page(node), graph.level0Base(node));
                    if (checked == graph.unresolved) {
                        continue;
                    }
                    resolved++;
                    int n = graph.neighbours(node, 0, neighbours);
                    assertTrue(checked <= n, "node " + node + ": " + checked + " passed of " + n);
                    scorer.queryNode(node);
                    for (int i = 0; i < checked; i++) {
                        scores[i] = scorer.score(neighbours[i]);
                    }
                    for (int i = 0; i < checked; i++) {
                        scorer.queryNode(neighbours[i]);
                        for (int j = 0; j < checked; j++) {
                            if (scores[j] > scores[i]) {
                                pairs++;
                                // within rounding: the inserter's scores come from batch kernels, these from single ones
                                float slack = Math.abs(scores[i]) * 1e-5f;
                                assertTrue(scorer.score(neighbours[j]) <= scores[i] + slack,
                                        "d=" + dim + ", " + threads + " threads: node " + node + "'s neighbour "
                                                + neighbours[i] + " passed but is closer to the better " + neighbours[j]);
                            }
                        }
                    }
                }
                assertTrue(resolved > 2_900, "d=" + dim + ", " + threads + " threads: " + resolved + " lists resolved");
                assertTrue(pairs > 10_000, pairs + " pairs checked");
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                index.writeTo(out);
                HnswGraph loaded = HnswIndex.readFrom(new java.io.ByteArrayInputStream(out.toByteArray()), store,
                        VectorSimilarity.EUCLID).graph();
                for (int node = 0; node < 3_000; node++) {
                    for (int l = 0; l <= graph.level(node); l++) {
                        assertEquals(graph.checked(graph.listArray(node, l), graph.listBase(node, l)),
                                loaded.checked(loaded.listArray(node, l), loaded.listBase(node, l)),
                                "the file keeps node " + node + "'s passed count on level " + l);
                    }
                }
            }
        }
    }

    /** A graph saved by the first format version (no passed counts) loads with every list unresolved. */
    @Test
    void aVersionOneFileLoadsWithItsListsUnresolved() throws Exception {
        VectorStore store = new VectorStore(2);
        float[][] points = {{0f, 0f}, {1f, 0f}, {0f, 1f}};
        for (int i = 0; i < points.length; i++) {
            store.set(i, points[i]);
        }
        java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(256);
        v1.putInt(HnswFormat.MAGIC).putInt(HnswFormat.VERSION_WITHOUT_PASSED);
        v1.putShort((short) 6).put("EUCLID".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        v1.putInt(2).putInt(16).putInt(100).putLong(42L).putInt(points.length).putLong(HnswGraph.packEntry(0, 0));
        for (int node = 0; node < points.length; node++) {
            v1.put(HnswGraph.LIVE).put((byte) 0).putShort((short) 2);
            for (int other = 0; other < points.length; other++) {
                if (other != node) {
                    v1.putInt(other);
                }
            }
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(v1.array(), 0, v1.position());
        v1.putInt((int) crc.getValue());
        HnswIndex loaded = HnswIndex.readFrom(new java.io.ByteArrayInputStream(v1.array(), 0, v1.position()), store,
                VectorSimilarity.EUCLID);
        HnswGraph graph = loaded.graph();
        int[] neighbours = new int[graph.maxConnections(0)];
        for (int node = 0; node < points.length; node++) {
            assertEquals(2, graph.neighbours(node, 0, neighbours));
            assertEquals(graph.unresolved, graph.checked(graph.level0Page(node), graph.level0Base(node)), "node " + node);
        }
        SearchResults out = new SearchResults(1);
        assertEquals(1, loaded.newSearcher().search(new float[] {0.9f, 0.1f}, 1, 10, Bits.ALL, out));
        assertEquals(1, out.ordinal(0));
    }

    @Test
    void euclidAndDotIndexesFindTheExactNeighboursOfGeneratedData() {
        for (VectorSimilarity similarity : new VectorSimilarity[] {VectorSimilarity.EUCLID, VectorSimilarity.DOT}) {
            Dataset data = Dataset.generate(3000, 50, 24, Metric.valueOf(similarity.name()), K, 5);
            VectorStore store = TestData.store(data);
            HnswIndex index = TestData.build(store, similarity, TestData.range(0, 3000), 2);
            double recall = TestData.recall(index, data, TestData.preparedQueries(data), 50, 100);
            assertTrue(recall >= 0.95, similarity + " recall " + recall);
        }
    }

    @Test
    void highDimensionalGraphsWhoseDiversityChecksScoreInGroupsFindTheExactNeighbours() {
        int dim = NodeInserter.GROUPED_FROM_DIMENSION + 272;
        Dataset data = Dataset.generate(2000, 50, dim, Metric.EUCLID, K, 7);
        VectorStore store = TestData.store(data);
        HnswIndex index = TestData.build(store, VectorSimilarity.EUCLID, TestData.range(0, 2000), 2);
        double recall = TestData.recall(index, data, TestData.preparedQueries(data), 50, 100);
        assertTrue(recall >= 0.95, "recall at d=" + dim + ": " + recall);
    }

    @Test
    void onlyAcceptedOrdinalsAreReturned() {
        Dataset data = Dataset.generate(3000, 50, 16, Metric.COSINE, K, 9);
        VectorStore store = TestData.store(data);
        HnswIndex index = TestData.build(store, VectorSimilarity.COSINE, TestData.range(0, 3000), 1);
        Bits even = ordinal -> (ordinal & 1) == 0;
        int[] evens = TestData.range(0, 1500);
        Arrays.setAll(evens, i -> 2 * i);
        HnswSearcher searcher = index.newSearcher();
        SearchResults out = new SearchResults();
        double recall = 0;
        float[][] queries = TestData.preparedQueries(data);
        for (int q = 0; q < 50; q++) {
            assertEquals(K, searcher.search(queries[q], K, 100, even, out));
            for (int i = 0; i < out.size(); i++) {
                assertEquals(0, out.ordinal(i) & 1, "odd ordinal returned");
                if (i > 0) {
                    assertTrue(out.score(i) <= out.score(i - 1), "hits not best first");
                }
            }
            recall += TestData.overlap(out.toOrdinalArray(),
                    TestData.exactTopK(store, VectorSimilarity.COSINE, queries[q], evens, K));
        }
        assertTrue(recall / 50 >= 0.95, "filtered recall " + recall / 50);
    }

    @Test
    void searchesDuringInsertsNeverAnswerShort() throws InterruptedException {
        // M=4 puts a quarter of the nodes on upper levels; a search that descends through a new
        // node linked on an upper level before its level-0 list exists answers with that node alone
        Dataset data = Dataset.generate(20_000, 50, 16, Metric.EUCLID, K, 17);
        VectorStore store = TestData.store(data);
        HnswIndex index = new HnswIndex(store, VectorSimilarity.EUCLID, new HnswParams(4, 100, 17));
        index.addAll(TestData.range(0, 500), 1);
        float[][] queries = TestData.preparedQueries(data);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                index.addAll(TestData.range(500, 20_000), 2);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        HnswSearcher searcher = index.newSearcher();
        SearchResults out = new SearchResults();
        int searches = 0;
        int shortAnswers = 0;
        while (writer.isAlive()) {
            if (searcher.search(queries[searches % queries.length], K, 20, Bits.ALL, out) != K) {
                shortAnswers++;
            }
            searches++;
        }
        writer.join();
        assertEquals(null, failure.get());
        assertEquals(0, shortAnswers, shortAnswers + " of " + searches + " searches during inserts answered short");
    }

    @Test
    void addsAndDeletesConcurrentWithSearchesKeepEveryHitLive() throws InterruptedException {
        Dataset data = Dataset.generate(6000, 50, 32, Metric.COSINE, K, 13);
        VectorStore store = TestData.store(data);
        HnswIndex index = TestData.build(store, VectorSimilarity.COSINE, TestData.range(0, 2000), 1);
        float[][] queries = TestData.preparedQueries(data);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 2000; i < 6000; i++) {
                    index.add(i);
                    if (i % 3 == 0) {
                        index.delete(i - 1500);
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        HnswSearcher searcher = index.newSearcher();
        SearchResults out = new SearchResults();
        int searches = 0;
        while (writer.isAlive() || searches < 100) {
            int n = searcher.search(queries[searches % queries.length], K, 40, Bits.ALL, out);
            assertTrue(n > 0);
            searches++;
        }
        writer.join();
        assertEquals(null, failure.get());
        int[] live = java.util.stream.IntStream.range(0, 6000).filter(index::contains).toArray();
        assertEquals(live.length, index.size());
        double recall = 0;
        for (int q = 0; q < 50; q++) {
            searcher.search(queries[q], K, 100, Bits.ALL, out);
            for (int i = 0; i < out.size(); i++) {
                assertTrue(index.contains(out.ordinal(i)), "deleted ordinal " + out.ordinal(i));
            }
            recall += TestData.overlap(out.toOrdinalArray(),
                    TestData.exactTopK(store, VectorSimilarity.COSINE, queries[q], live, K));
        }
        assertTrue(recall / 50 >= 0.95, "recall after concurrent writes " + recall / 50);
    }

    @Test
    void deleteAndReinsertChurnKeepsTheRecallOfAFreshBuild() {
        // as a store under heavy churn: 30 rounds, each deleting a quarter of the live points and
        // inserting as many new ones; the oracle is a fresh build over the final live points
        int n = 4_000;
        int dim = 32;
        SplittableRandom random = new SplittableRandom(21);
        VectorStore store = new VectorStore(dim);
        HnswIndex index = new HnswIndex(store, VectorSimilarity.EUCLID, HnswParams.DEFAULT);
        int next = 0;
        for (; next < n; next++) {
            store.set(next, gaussian(random, dim));
        }
        index.addAll(TestData.range(0, n), 2);
        for (int round = 0; round < 30; round++) {
            int[] live = java.util.stream.IntStream.range(0, next).filter(index::contains).toArray();
            for (int i = 0; i < live.length / 4; i++) {
                index.delete(live[random.nextInt(live.length)]);
            }
            while (index.size() < n) {
                store.set(next, gaussian(random, dim));
                index.add(next++);
            }
        }
        int[] live = java.util.stream.IntStream.range(0, next).filter(index::contains).toArray();
        HnswIndex fresh = TestData.build(store, VectorSimilarity.EUCLID, live, 2);
        for (int ef : new int[] {50, 400}) {
            double churned = 0;
            double rebuilt = 0;
            HnswSearcher a = index.newSearcher();
            HnswSearcher b = fresh.newSearcher();
            SearchResults out = new SearchResults();
            for (int q = 0; q < 200; q++) {
                float[] query = gaussian(random, dim);
                int[] truth = TestData.exactTopK(store, VectorSimilarity.EUCLID, query, live, K);
                a.search(query, K, ef, Bits.ALL, out);
                churned += TestData.overlap(out.toOrdinalArray(), truth) / 200;
                b.search(query, K, ef, Bits.ALL, out);
                rebuilt += TestData.overlap(out.toOrdinalArray(), truth) / 200;
            }
            System.out.printf("churn at ef %d: recall %.4f, fresh build %.4f%n", ef, churned, rebuilt);
            assertTrue(churned >= rebuilt - 0.01, "after churn at ef " + ef + ": recall " + churned + ", fresh build " + rebuilt);
        }
    }

    private static float[] gaussian(SplittableRandom random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
