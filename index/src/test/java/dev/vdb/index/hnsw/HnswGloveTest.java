package dev.vdb.index.hnsw;

import static dev.vdb.index.hnsw.TestData.K;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.Bits;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.index.data.Dataset;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Recall, concurrency, deletes, updates and persistence on GloVe-100 (cosine) against the
 * shared ground truth or brute force; the 2-thread build is made once and shared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HnswGloveTest {

    private static final int THREADS = 2;

    private Dataset data;
    private VectorStore store;
    private float[][] queries;
    private HnswIndex index;

    @BeforeAll
    void buildOnce() {
        data = TestData.cosineDataset("glove-100-angular", 20_000, 100);
        store = TestData.store(data);
        queries = TestData.preparedQueries(data);
        index = TestData.build(store, data.similarity(), TestData.range(0, data.base().length), THREADS);
    }

    @Test
    void recallReaches95PercentWithinEf256AndDoesNotFallAsEfRises() {
        int[] efs = {10, 20, 40, 80, 160, 256};
        double[] recalls = new double[efs.length];
        for (int i = 0; i < efs.length; i++) {
            recalls[i] = TestData.recall(index, data, queries, queries.length, efs[i]);
        }
        System.out.println("glove recall@10 at ef " + Arrays.toString(efs) + ": " + Arrays.toString(recalls));
        assertTrue(recalls[efs.length - 1] >= 0.95, "recall@10 at ef 256 is " + recalls[efs.length - 1]);
        for (int i = 1; i < efs.length; i++) {
            assertTrue(recalls[i] >= recalls[i - 1] - 0.002,
                    "recall fell from " + recalls[i - 1] + " to " + recalls[i] + " at ef " + efs[i]);
        }
    }

    @Test
    void concurrentBuildReachesTheRecallOfASingleThreadedBuild() {
        HnswIndex single = TestData.build(store, data.similarity(), TestData.range(0, data.base().length), 1);
        assertEquals(data.base().length, single.size());
        assertEquals(data.base().length, index.size());
        for (int ef : new int[] {24, 64}) {
            double one = TestData.recall(single, data, queries, queries.length, ef);
            double two = TestData.recall(index, data, queries, queries.length, ef);
            assertEquals(one, two, 0.01, "recall at ef " + ef + ": 1 thread " + one + ", " + THREADS + " threads " + two);
        }
    }

    @Test
    void deletesAndUpdatesNeverReturnDeadOrdinalsAndKeepRecallOfAFreshBuild() throws IOException {
        int n = data.base().length;
        VectorStore mutable = TestData.store(data);
        // a copy of the shared build, through the persisted form (cheaper than building again)
        HnswIndex mutated = HnswIndex.readFrom(new ByteArrayInputStream(serialize(index)), mutable, data.similarity());
        SplittableRandom random = new SplittableRandom(3);
        int[] shuffled = TestData.range(0, n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        int deletes = (int) (0.3 * n);
        for (int i = 0; i < deletes; i++) {
            assertTrue(mutated.delete(shuffled[i]));
        }
        assertFalse(mutated.delete(shuffled[0]), "a second delete is a no-op");
        assertEquals(n - deletes, mutated.size());
        int[] survivors = Arrays.copyOfRange(shuffled, deletes, n);
        Arrays.sort(survivors);

        // the reference: a fresh build over the survivors only
        HnswIndex fresh = new HnswIndex(mutable, data.similarity(), HnswParams.DEFAULT);
        fresh.addAll(survivors, THREADS);
        int queryCount = 200;
        int[][] truth = new int[queryCount][];
        for (int q = 0; q < queryCount; q++) {
            truth[q] = TestData.exactTopK(mutable, data.similarity(), queries[q], survivors, K);
        }
        int ef = 16;
        double freshRecall = recallAgainst(fresh, truth, ef, null);
        double afterDeletes = recallAgainst(mutated, truth, ef, mutated);
        System.out.printf("glove after deleting 30%%: recall %.4f, fresh build over survivors %.4f%n", afterDeletes, freshRecall);
        assertTrue(afterDeletes >= freshRecall - 0.02,
                "after deleting 30%: recall " + afterDeletes + ", fresh build " + freshRecall);

        // update 10% of the survivors: delete, then re-add the same vector under a new ordinal
        int updates = survivors.length / 10;
        int[] renamed = new int[n + updates];
        Arrays.setAll(renamed, i -> i);
        for (int i = 0; i < updates; i++) {
            int old = survivors[random.nextInt(survivors.length)];
            if (!mutated.contains(old)) {
                continue;
            }
            int fresher = n + i;
            mutable.set(fresher, mutable.get(old));
            assertTrue(mutated.delete(old));
            mutated.add(fresher);
            renamed[fresher] = old;
        }
        assertEquals(survivors.length, mutated.size());
        int[][] renamedTruth = new int[queryCount][];
        int[] live = IntStream.range(0, n + updates).filter(mutated::contains).toArray();
        for (int q = 0; q < queryCount; q++) {
            int[] top = TestData.exactTopK(mutable, data.similarity(), queries[q], live, K);
            renamedTruth[q] = Arrays.stream(top).map(o -> renamed[o]).toArray();
        }
        double afterUpdates = recallAgainst(mutated, renamedTruth, ef, mutated, renamed);
        System.out.printf("glove after updating 10%%: recall %.4f%n", afterUpdates);
        assertTrue(afterUpdates >= freshRecall - 0.02,
                "after updating 10%: recall " + afterUpdates + ", fresh build " + freshRecall);
    }

    private double recallAgainst(HnswIndex searched, int[][] truth, int ef, HnswIndex liveCheck) {
        int[] identity = IntStream.range(0, store.size()).toArray();
        return recallAgainst(searched, truth, ef, liveCheck, identity);
    }

    /** Recall of {@code searched} against {@code truth}, asserting every hit is live; hits are mapped through {@code rename}. */
    private double recallAgainst(HnswIndex searched, int[][] truth, int ef, HnswIndex liveCheck, int[] rename) {
        HnswSearcher searcher = searched.newSearcher();
        SearchResults out = new SearchResults();
        double sum = 0;
        for (int q = 0; q < truth.length; q++) {
            searcher.search(queries[q], K, ef, Bits.ALL, out);
            int[] found = out.toOrdinalArray();
            assertEquals(K, found.length);
            for (int ordinal : found) {
                if (liveCheck != null) {
                    assertTrue(liveCheck.contains(ordinal), "deleted ordinal " + ordinal + " returned");
                }
            }
            sum += TestData.overlap(Arrays.stream(found).map(o -> rename[o]).toArray(), truth[q]);
        }
        return sum / truth.length;
    }

    @Test
    void writeThenReadGivesIdenticalResults() throws IOException {
        byte[] bytes = serialize(index);
        HnswIndex reopened = HnswIndex.readFrom(new ByteArrayInputStream(bytes), store, data.similarity());
        assertEquals(index.size(), reopened.size());
        HnswSearcher before = index.newSearcher();
        HnswSearcher after = reopened.newSearcher();
        SearchResults a = new SearchResults();
        SearchResults b = new SearchResults();
        for (int q = 0; q < 100; q++) {
            before.search(queries[q], K, 50, Bits.ALL, a);
            after.search(queries[q], K, 50, Bits.ALL, b);
            assertArrayEquals(a.toOrdinalArray(), b.toOrdinalArray(), "query " + q);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.score(i), b.score(i), "query " + q + " hit " + i);
            }
        }
    }

    @Test
    void truncatedOrBitFlippedStreamsAreRejected() throws IOException {
        byte[] bytes = serialize(index);
        for (int cut : new int[] {0, 3, 40, bytes.length / 2, bytes.length - 1}) {
            IOException e = assertThrows(IOException.class, () -> HnswIndex.readFrom(
                    new ByteArrayInputStream(Arrays.copyOf(bytes, cut)), store, data.similarity()), "cut at " + cut);
            assertTrue(e.getMessage().contains("HNSW"), e.getMessage());
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 20; trial++) {
            byte[] damaged = bytes.clone();
            int at = trial == 0 ? bytes.length - 1 : random.nextInt(bytes.length);
            damaged[at] ^= (byte) (1 << random.nextInt(8));
            IOException e = assertThrows(IOException.class, () -> HnswIndex.readFrom(
                    new ByteArrayInputStream(damaged), store, data.similarity()), "bit flipped at byte " + at);
            assertTrue(e.getMessage().contains("HNSW"), e.getMessage());
        }
        assertThrows(IOException.class, () -> HnswIndex.readFrom(
                new ByteArrayInputStream(bytes), store, VectorSimilarity.EUCLID));
    }

    private static byte[] serialize(HnswIndex index) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        index.writeTo(out);
        return out.toByteArray();
    }
}
