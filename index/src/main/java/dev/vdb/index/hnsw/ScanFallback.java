package dev.vdb.index.hnsw;

import dev.vdb.index.PackedHit;
import dev.vdb.index.TopK;

/**
 * How {@link HnswSearcher#searchOrScan} finishes a traversal that gave up: the best of the
 * accepted nodes the traversal scored (still in the searcher's results heap) together with
 * an exact scan of the accepted ordinals it has not visited, so nothing is scored twice.
 *
 * <p>Stateless; runs on the thread that owns the searcher. Allocates a top-k heap and one small
 * batch per call.
 */
final class ScanFallback {

    /** Ordinals scored per kernel call. */
    private static final int BATCH = 64;

    private ScanFallback() {}

    /**
     * The best {@code k} of the held results and the unvisited ordinals of {@code words}, into
     * {@code out}, scored against the searcher's current query.
     */
    static int finish(HnswSearcher searcher, int k, long[] words, SearchResults out) {
        TopK top = new TopK(k);
        LongHeap held = searcher.results;
        while (!held.isEmpty()) {
            long packed = held.pop();
            top.offer(PackedHit.score(packed), PackedHit.ordinal(packed));
        }
        int[] batch = new int[BATCH];
        float[] scores = HnswSearcher.scoreBuffer(BATCH);
        int limit = searcher.storeSize();
        int pending = 0;
        long scanned = 0;
        scan:
        for (int w = 0; w < words.length; w++) {
            long bits = words[w];
            while (bits != 0) {
                int ordinal = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (ordinal >= limit) {
                    break scan;
                }
                if (searcher.visited.visit(ordinal)) {
                    continue; // scored by the traversal: among the held ones if it was good enough
                }
                batch[pending++] = ordinal;
                if (pending == BATCH) {
                    offer(searcher, batch, pending, scores, top);
                    scanned += pending;
                    pending = 0;
                }
            }
        }
        offer(searcher, batch, pending, scores, top);
        scanned += pending;
        searcher.distanceComputations += scanned;
        int[] ordinals = new int[k];
        float[] best = new float[k];
        int n = top.drainBestFirst(ordinals, best);
        out.clear(k);
        for (int i = 0; i < n; i++) {
            out.set(i, ordinals[i], best[i]);
        }
        out.setSize(n);
        return n;
    }

    private static void offer(HnswSearcher searcher, int[] batch, int n, float[] scores, TopK top) {
        if (n == 0) {
            return;
        }
        searcher.scoreAll(batch, n, scores);
        top.offerAll(batch, scores, n);
    }
}
