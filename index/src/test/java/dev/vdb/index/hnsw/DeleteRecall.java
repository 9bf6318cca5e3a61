package dev.vdb.index.hnsw;

import static dev.vdb.index.hnsw.TestData.K;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.Bits;
import dev.vdb.index.VectorStore;
import dev.vdb.testkit.data.Dataset;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The delete check every dataset's HNSW test runs: delete 30% of a built graph, then update 10%
 * of the survivors; no dead ordinal is ever returned and recall stays within 0.02 of a fresh
 * build over the same survivors (the oracle: what the graph would be had the deleted points
 * never been there), both against exact search.
 */
final class DeleteRecall {

    private DeleteRecall() {}

    static void check(Dataset data, HnswIndex built, int threads) throws IOException {
        int n = data.base().length;
        float[][] queries = TestData.preparedQueries(data);
        VectorStore mutable = TestData.store(data);
        // a copy of the shared build, through the persisted form (cheaper than building again)
        HnswIndex mutated = HnswIndex.readFrom(new ByteArrayInputStream(serialize(built)), mutable, TestData.similarity(data));
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

        HnswIndex fresh = new HnswIndex(mutable, TestData.similarity(data), HnswParams.DEFAULT);
        fresh.addAll(survivors, threads);
        int queryCount = Math.min(200, queries.length);
        int[][] truth = new int[queryCount][];
        for (int q = 0; q < queryCount; q++) {
            truth[q] = TestData.exactTopK(mutable, TestData.similarity(data), queries[q], survivors, K);
        }
        int ef = 16;
        int[] identity = IntStream.range(0, n).toArray();
        double freshRecall = recall(fresh, queries, truth, ef, null, identity);
        double afterDeletes = recall(mutated, queries, truth, ef, mutated, identity);
        System.out.printf("%s after deleting 30%%: recall %.4f, fresh build over survivors %.4f%n",
                data.name(), afterDeletes, freshRecall);
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
            int[] top = TestData.exactTopK(mutable, TestData.similarity(data), queries[q], live, K);
            renamedTruth[q] = Arrays.stream(top).map(o -> renamed[o]).toArray();
        }
        double afterUpdates = recall(mutated, queries, renamedTruth, ef, mutated, renamed);
        System.out.printf("%s after updating 10%%: recall %.4f%n", data.name(), afterUpdates);
        assertTrue(afterUpdates >= freshRecall - 0.02,
                "after updating 10%: recall " + afterUpdates + ", fresh build " + freshRecall);
    }

    /** Recall of {@code searched} against {@code truth}, asserting every hit is live; hits are mapped through {@code rename}. */
    private static double recall(HnswIndex searched, float[][] queries, int[][] truth, int ef, HnswIndex liveCheck,
                                 int[] rename) {
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

    static byte[] serialize(HnswIndex index) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        index.writeTo(out);
        return out.toByteArray();
    }
}
