package dev.vdb.engine.search;

import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.payload.FilterResolver;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.engine.vectors.CollectionVectors;
import dev.vdb.index.Bits;
import dev.vdb.index.Deadline;
import dev.vdb.index.OrdinalSet;
import dev.vdb.index.TopK;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Completes a ranked list with the live points the graph has not linked yet (the backlog an open
 * found, {@link dev.vdb.engine.graph.GraphIndex#unlinked}): those the search admits are scored
 * exactly and merged, each point once, so a search answers in full while the backlog is linked.
 *
 * <p>Stateless; the caller holds the collection's state read lock. Allocates a bitset over the
 * store while a backlog exists, nothing otherwise.
 */
final class UnlinkedScan {

    private UnlinkedScan() {}

    /**
     * Merges the best of {@code unlinked} that are live and pass the filter into the {@code n}
     * ranked hits in {@code ordinals}/{@code scores} (best first, internal scores), keeping
     * {@code k}; returns how many.
     *
     * @param filter   null for none
     * @param matches  the filter's resolved set, or null when it was not resolved
     * @param resolver decides the filter per point when {@code matches} is null
     * @throws NeedsStoredScan when deciding the filter would read more stored payloads than a
     *                         search reads under the lock
     */
    static int merge(int[] unlinked, CollectionVectors vectors, LiveOrdinals live,
                     Filter filter, OrdinalSet matches, Supplier<FilterResolver> resolver, float[] query, int k,
                     int[] ordinals, float[] scores, int n, Deadline deadline) {
        if (unlinked.length == 0) {
            return n;
        }
        int[] ranked = Arrays.copyOf(ordinals, n);
        Arrays.sort(ranked);
        int[] candidates = new int[unlinked.length];
        int count = 0;
        for (int ordinal : unlinked) {
            if (live.get(ordinal) && Arrays.binarySearch(ranked, ordinal) < 0) {
                candidates[count++] = ordinal;
            }
        }
        count = admitted(candidates, count, filter, matches, resolver);
        if (count == 0) {
            return n;
        }
        OrdinalSet scanned = new OrdinalSet(vectors.full().size());
        for (int i = 0; i < count; i++) {
            scanned.add(candidates[i]);
        }
        TopK top = new TopK(k);
        for (int i = 0; i < n; i++) {
            top.offer(scores[i], ordinals[i]);
        }
        vectors.scanExactly(query, scanned.words(), top, deadline);
        return top.drainBestFirst(ordinals, scores);
    }

    /** Keeps, at the front of {@code candidates}, those the filter admits; returns how many. */
    private static int admitted(int[] candidates, int count, Filter filter, OrdinalSet matches,
                                Supplier<FilterResolver> resolver) {
        if (filter == null || count == 0) {
            return count;
        }
        Bits test = matches;
        boolean[] evaluated = null;
        if (test == null) {
            FilterResolver r = resolver.get();
            test = r.perPoint(filter);
            if (test == null) {
                if (count > FilteredSearch.MAX_PAYLOAD_EVALUATIONS) {
                    throw NeedsStoredScan.INSTANCE;
                }
                evaluated = r.evaluateHits(filter, candidates, count);
            }
        }
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (evaluated != null ? evaluated[i] : test.get(candidates[i])) {
                candidates[kept++] = candidates[i];
            }
        }
        return kept;
    }
}
