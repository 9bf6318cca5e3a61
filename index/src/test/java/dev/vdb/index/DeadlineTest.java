package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.hnsw.HnswIndex;
import dev.vdb.index.hnsw.HnswParams;
import dev.vdb.index.hnsw.HnswSearcher;
import dev.vdb.index.hnsw.SearchResults;
import dev.vdb.index.text.Bm25Params;
import dev.vdb.index.text.Bm25Query;
import dev.vdb.index.text.Bm25Searcher;
import dev.vdb.index.text.InvertedIndex;
import dev.vdb.index.text.StandardAnalyzer;
import dev.vdb.index.text.TextHits;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * A query's loops stop at its deadline (issue 14, item 2), observed without timing: the deadline
 * runs on a clock that reads "before" for its first {@code K} reads and "past" after, and counts
 * its reads. A loop that stops at the first check past the deadline reads the clock exactly
 * {@code K + 1} times and has done at most one more stretch of work since its last check; a loop
 * that went on would read the clock again, and would have done the whole work. The searchers
 * stay usable afterwards.
 */
class DeadlineTest {
    private static final int DIM = 16;
    private static final int POINTS = 6_000;
    /** Checks that pass before the clock reads "past". */
    private static final int K = 2;

    /** A nanosecond clock that passes the deadline on its {@code K + 1}-th read after the deadline was made. */
    private static final class SteppingClock implements LongSupplier {
        final AtomicInteger reads = new AtomicInteger(-1); // the first read makes the deadline

        @Override
        public long getAsLong() {
            return reads.incrementAndGet() <= K ? 0 : Long.MAX_VALUE / 2;
        }
    }

    private static VectorStore vectors() {
        VectorStore store = new VectorStore(DIM);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < POINTS; i++) {
            float[] v = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                v[j] = (float) random.nextDouble(-1, 1);
            }
            store.set(i, v);
        }
        return store;
    }

    @Test
    void anExactScanStopsAtTheFirstCheckPastItsDeadline() {
        VectorStore store = vectors();
        float[] query = store.get(0);
        SteppingClock clock = new SteppingClock();
        Deadline deadline = Deadline.after(Duration.ofSeconds(1), clock);
        assertTrue(Deadline.STEPS_PER_CHECK * (K + 1) < POINTS, "a scan that went on would check again");
        assertThrows(DeadlineExceededException.class, () -> ExactSearch.search(store, VectorSimilarity.EUCLID, query,
                allWords(POINTS), new TopK(10), true, deadline));
        assertEquals(K + 1, clock.reads.get(), "the scan read the clock once per check and stopped at the first past it");
    }

    @Test
    void aGraphSearchStopsWithinOneStretchOfItsLastCheckAndTheSearcherStaysUsable() {
        VectorStore store = vectors();
        HnswIndex index = new HnswIndex(store, VectorSimilarity.EUCLID, HnswParams.DEFAULT);
        int[] ordinals = new int[POINTS];
        for (int i = 0; i < POINTS; i++) {
            ordinals[i] = i;
        }
        index.addAll(ordinals, 1);
        float[] query = store.get(1);
        HnswSearcher fresh = index.newSearcher();
        SearchResults unbounded = new SearchResults();
        int n = fresh.search(query, 10, 2_000, Bits.ALL, unbounded);
        long fullCost = fresh.distanceComputations();

        HnswSearcher searcher = index.newSearcher();
        SteppingClock clock = new SteppingClock();
        assertThrows(DeadlineExceededException.class, () -> searcher.search(query, 10, 2_000, Bits.ALL,
                Deadline.after(Duration.ofSeconds(1), clock), new SearchResults()));
        assertEquals(K + 1, clock.reads.get(), "the traversal stopped at the first check past the deadline");
        long stoppedAfter = searcher.distanceComputations();
        // the descent through the upper levels, and a level-0 beam of one, cost this much
        HnswSearcher descent = index.newSearcher();
        descent.search(query, 1, 1, Bits.ALL, new SearchResults());
        long bound = descent.distanceComputations() + (K + 1L) * (Deadline.STEPS_PER_CHECK + 2 * HnswParams.DEFAULT.m());
        assertTrue(bound < fullCost, "the test must cut the search short: bound " + bound + ", whole " + fullCost);
        assertTrue(stoppedAfter <= bound, "stopped after " + stoppedAfter + " distances, more than one stretch "
                + "past the last check (" + bound + "); the whole search costs " + fullCost);

        SearchResults again = new SearchResults();
        assertEquals(n, searcher.search(query, 10, 2_000, Bits.ALL, again));
        for (int i = 0; i < n; i++) {
            assertEquals(unbounded.ordinal(i), again.ordinal(i), "the searcher answers as a fresh one");
        }
    }

    @Test
    void aBm25SearchStopsBeforeTheWindowPastItsDeadlineAndTheSearcherStaysUsable() {
        InvertedIndex index = new InvertedIndex(StandardAnalyzer.INSTANCE);
        for (int i = 0; i < 40_000; i++) {
            index.put(i, "flow over plate number " + (i % 97) + (i % 5 == 0 ? " laminar" : ""));
        }
        Bm25Searcher searcher = new Bm25Searcher(index, Bm25Params.DEFAULT);
        Bm25Query query = Bm25Query.parse(index, "laminar flow plate");
        TextHits expected = new Bm25Searcher(index, Bm25Params.DEFAULT).search(query, 10, Bits.ALL);
        SteppingClock clock = new SteppingClock();
        assertThrows(DeadlineExceededException.class,
                () -> searcher.search(query, 10, Bits.ALL, Deadline.after(Duration.ofSeconds(1), clock)));
        assertEquals(K + 1, clock.reads.get(), "one check per window, none after the first past the deadline");
        TextHits again = searcher.search(query, 10, Bits.ALL);
        assertArrayEquals(expected.ordinals(), again.ordinals());
        assertArrayEquals(expected.scores(), again.scores());
    }

    @Test
    void noDeadlineNeverReadsAClockAndAFarOneNeverFires() {
        VectorStore store = vectors();
        TopK top = new TopK(5);
        ExactSearch.search(store, VectorSimilarity.DOT, store.get(3), allWords(POINTS), top, false, Deadline.NONE);
        TopK far = new TopK(5);
        ExactSearch.search(store, VectorSimilarity.DOT, store.get(3), allWords(POINTS), far, false,
                Deadline.after(Duration.ofDays(1)));
        int[] a = new int[5];
        int[] b = new int[5];
        top.drainBestFirst(a, new float[5]);
        far.drainBestFirst(b, new float[5]);
        assertArrayEquals(a, b);
        assertThrows(IllegalArgumentException.class, () -> Deadline.after(Duration.ZERO));
    }

    private static long[] allWords(int n) {
        long[] words = new long[(n + 63) / 64];
        for (int i = 0; i < n; i++) {
            words[i >>> 6] |= 1L << i;
        }
        return words;
    }
}
