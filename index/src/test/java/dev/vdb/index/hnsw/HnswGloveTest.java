package dev.vdb.index.hnsw;

import static dev.vdb.index.hnsw.TestData.K;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.Bits;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.testkit.data.Dataset;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Recall, concurrency, deletes, updates and persistence on GloVe-100 (cosine) against the
 * shared ground truth or brute force; the 2-thread build is made once and shared.
 */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
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
        index = TestData.build(store, TestData.similarity(data), TestData.range(0, data.base().length), THREADS);
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
        HnswIndex single = TestData.build(store, TestData.similarity(data), TestData.range(0, data.base().length), 1);
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
        DeleteRecall.check(data, index, THREADS);
    }

    @Test
    void writeThenReadGivesIdenticalResults() throws IOException {
        byte[] bytes = serialize(index);
        HnswIndex reopened = HnswIndex.readFrom(new ByteArrayInputStream(bytes), store, TestData.similarity(data));
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
                    new ByteArrayInputStream(Arrays.copyOf(bytes, cut)), store, TestData.similarity(data)), "cut at " + cut);
            assertTrue(e.getMessage().contains("HNSW"), e.getMessage());
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 20; trial++) {
            byte[] damaged = bytes.clone();
            int at = trial == 0 ? bytes.length - 1 : random.nextInt(bytes.length);
            damaged[at] ^= (byte) (1 << random.nextInt(8));
            IOException e = assertThrows(IOException.class, () -> HnswIndex.readFrom(
                    new ByteArrayInputStream(damaged), store, TestData.similarity(data)), "bit flipped at byte " + at);
            assertTrue(e.getMessage().contains("HNSW"), e.getMessage());
        }
        assertThrows(IOException.class, () -> HnswIndex.readFrom(
                new ByteArrayInputStream(bytes), store, VectorSimilarity.EUCLID));
    }

    private static byte[] serialize(HnswIndex index) throws IOException {
        return DeleteRecall.serialize(index);
    }
}
