package dev.vdb.engine.graph;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.index.hnsw.HnswIndex;
import dev.vdb.index.hnsw.HnswParams;
import java.lang.ref.WeakReference;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run of small batches keeps the graph's level-0 scores once it makes up a quarter of the graph
 * it leaves, as one batch that large would; the watcher drops them once the run has been idle,
 * and a pause that long also ends a run that did not keep them, so adds spread thinly over time
 * never add up to one; the idle time counts from the end of the last add, however long it ran. Runs here go idle after {@link #IDLE_MILLIS}; each batch takes a few
 * milliseconds.
 */
class BulkAddScoresTest {

    private static final int DIM = 8;
    private static final long IDLE_MILLIS = 1_000;

    private final VectorStore store = new VectorStore(DIM);
    private final HnswIndex index = new HnswIndex(store, VectorSimilarity.EUCLID, new HnswParams(8, 32, 1));
    private final SplittableRandom random = new SplittableRandom(5);
    private final BulkAddScores scores = new BulkAddScores(index, TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS));

    @Test
    void aRunIntoAnEmptyGraphKeepsScoresUntilItHasBeenIdle() throws InterruptedException {
        add(100);
        assertTrue(index.keepsScores(), "the first batch builds the whole graph");
        add(100);
        assertTrue(index.keepsScores());
        awaitDropped();
        add(50); // 50 into 200: a new run that does not pay
        assertFalse(index.keepsScores(), "the idle time ended the run");
    }

    @Test
    void smallBatchesIntoALargeGraphKeepScoresOnceTheRunIsAQuarterOfTheGraph() throws InterruptedException {
        add(900);
        awaitDropped();
        add(100); // 100 of 1,000
        add(100); // 200 of 1,100
        assertFalse(index.keepsScores(), "a run of 200 into 900 does not pay");
        add(100); // 300 of 1,200: a quarter
        assertTrue(index.keepsScores(), "a run of 300 into 900 does");
    }

    @Test
    void aPauseAsLongAsTheIdleTimeEndsARunThatDidNotPay() throws InterruptedException {
        add(900);
        awaitDropped();
        for (int i = 0; i < 3; i++) {
            add(100);
            assertFalse(index.keepsScores(), "batch " + i + " of 100 after a pause");
            Thread.sleep(IDLE_MILLIS);
        }
    }

    @Test
    void aLargeBatchThatKeepsScoresOfItsOwnLeavesTheRunsInPlace() throws InterruptedException {
        add(100);
        index.addAll(storeVectors(400), 1); // keeps and drops its own
        assertTrue(index.keepsScores(), "the run still keeps them");
        awaitDropped();
    }

    @Test
    void aWaitingWatcherDoesNotKeepADroppedGraphAlive() throws InterruptedException {
        VectorStore otherStore = new VectorStore(DIM);
        otherStore.set(0, new float[DIM]);
        HnswIndex other = new HnswIndex(otherStore, VectorSimilarity.EUCLID, new HnswParams(8, 32, 1));
        BulkAddScores watched = new BulkAddScores(other, TimeUnit.HOURS.toNanos(1));
        watched.beforeAdds(1);
        other.add(0);
        watched.afterAdds();
        assertTrue(other.keepsScores(), "a watcher waits for the next hour");
        WeakReference<HnswIndex> graph = new WeakReference<>(other);
        other = null;
        watched = null;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (graph.get() != null && System.nanoTime() < end) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(graph.get(), "the graph was collected while its watcher waits");
    }

    @Test
    void aBatchThatTakesLongerThanTheIdleTimeKeepsItsScoresUntilItEnds() throws InterruptedException {
        int[] ordinals = storeVectors(100);
        scores.beforeAdds(ordinals.length);
        for (int ordinal : ordinals) {
            index.add(ordinal);
        }
        Thread.sleep(3 * IDLE_MILLIS); // the batch is still linking, as a large one would be
        assertTrue(index.keepsScores(), "kept while the batch runs");
        scores.afterAdds();
        assertTrue(index.keepsScores(), "the idle time counts from the batch's end");
        awaitDropped();
    }

    /** Adds {@code n} random vectors through {@link BulkAddScores#beforeAdds}, one node at a time. */
    private void add(int n) {
        int[] ordinals = storeVectors(n);
        scores.beforeAdds(n);
        try {
            for (int ordinal : ordinals) {
                index.add(ordinal);
            }
        } finally {
            scores.afterAdds();
        }
    }

    private int[] storeVectors(int n) {
        int[] ordinals = new int[n];
        for (int i = 0; i < n; i++) {
            float[] v = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                v[d] = (float) random.nextGaussian();
            }
            ordinals[i] = store.size();
            store.set(ordinals[i], v);
        }
        return ordinals;
    }

    /** Waits for the watcher to drop the scores: it must, within a generous multiple of the idle time. */
    private void awaitDropped() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30 * IDLE_MILLIS);
        while (index.keepsScores() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertFalse(index.keepsScores(), "the watcher drops the scores once the run is idle");
    }
}
