package dev.vdb.engine.search;

import dev.vdb.engine.SearchParams;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.graph.GraphIndex;
import dev.vdb.engine.payload.FilterResolver;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.engine.vectors.CollectionVectors;
import dev.vdb.index.Bits;
import dev.vdb.index.Deadline;
import dev.vdb.index.FilterCostModel;
import dev.vdb.index.OrdinalSet;
import dev.vdb.index.TopK;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A vector search restricted to the points a filter matches, by one of three plans:
 * <ul>
 *   <li><b>exact</b>: score every matching point (cost: one scan distance per match);</li>
 *   <li><b>graph</b>: an HNSW traversal that walks through every node but admits only matching
 *       ones, with a budget of the exact scan's distance computations (one per match); a
 *       traversal that exceeds it (or, while filling its beam, meets matches too rarely to
 *       finish within it) gives up and scans the matches it has not scored, keeping the best it
 *       found ({@link GraphIndex#searchOrScan}). A filter correlated with the query is answered
 *       at about the cost of an unfiltered search; one whose matches lie away from the query
 *       costs the scan plus the part of the budget spent;</li>
 *   <li><b>post</b>: an unfiltered search whose hits are checked afterwards, ef widened (at
 *       most to {@link SearchParams#MAX_EF}) while the share of hits that pass says the next
 *       width will find {@code limit}; otherwise it gives way to the pre-filtered plan.</li>
 * </ul>
 * {@code pre} resolves the filter to its matching set and runs the graph plan (or the exact
 * one when even an unfiltered traversal at this ef would cost more than the scan,
 * {@link FilterCostModel#worthTraversing}); {@code post} is
 * post. {@code auto} does as {@code pre} when the payload indexes resolve the filter cheaply;
 * when they decide it but resolving is dear (a range over thousands of distinct values), it
 * estimates the matches from a sample and traverses testing each visited point against the
 * indexes, resolving the set only if the scan runs; when the indexes cannot decide, it resolves
 * by stored payloads if at most {@value #MAX_PAYLOAD_EVALUATIONS} must be read, and otherwise
 * post-filters among the candidates of the indexed clauses, reading payloads for the hits only.
 *
 * <p>Stateless apart from its collection's structures; the caller holds the collection's state
 * read lock.
 */
final class FilteredSearch {

    /** Most stored payloads {@code auto} reads to resolve a filter the indexes cannot. */
    static final int MAX_PAYLOAD_EVALUATIONS = 4_096;

    /** Checks hits after an unfiltered search. */
    private interface HitCheck {
        boolean[] accepts(int[] ordinals, int n);
    }

    private final CollectionVectors vectors;
    private final GraphIndex graph;
    private final LiveOrdinals live;
    /** Distance computations of exact scans over matching sets. */
    private final LongAdder exactDistances = new LongAdder();

    FilteredSearch(CollectionVectors vectors, GraphIndex graph, LiveOrdinals live) {
        this.vectors = vectors;
        this.graph = graph;
        this.live = live;
    }

    /** Distance computations of the exact scans this has made (graph searches count in the graph). */
    long exactDistanceComputations() {
        return exactDistances.sum();
    }

    /**
     * The best {@code wanted} points that {@code filter} matches, best first, into
     * {@code ordinals}/{@code scores}; returns how many. Traversals and scans stop at
     * {@code deadline} (the resolver's payload reads at its own).
     *
     * @param resolved the live ordinals {@code filter} matches when the caller has resolved it
     *     (by {@link StoredFilterScan}), else null
     * @throws NeedsStoredScan when the plan would read more than {@value #MAX_PAYLOAD_EVALUATIONS}
     *     stored payloads under the caller's lock and {@code resolved} is null
     */
    int search(FilterResolver resolver, float[] query, Filter filter, OrdinalSet resolved, SearchParams params,
               int wanted, int ef, int[] ordinals, float[] scores, Deadline deadline) {
        if (resolved != null) {
            return params.exact() ? exact(query, resolved, wanted, ordinals, scores, deadline)
                    : among(resolved, query, wanted, ef, ordinals, scores, deadline);
        }
        if (params.exact()) {
            return exact(query, resolveBounded(resolver, filter), wanted, ordinals, scores, deadline);
        }
        return switch (params.filterStrategy()) {
            case PRE -> among(resolveBounded(resolver, filter), query, wanted, ef, ordinals, scores, deadline);
            case POST -> {
                OrdinalSet indexed = resolver.resolveIndexed(filter);
                HitCheck check = indexed != null ? bitsCheck(indexed) : (o, n) -> resolver.evaluateHits(filter, o, n);
                Supplier<OrdinalSet> matches = indexed != null ? () -> indexed : () -> resolveBounded(resolver, filter);
                yield post(query, live, check, matches, wanted, ef, ordinals, scores, deadline);
            }
            case AUTO -> {
                if (resolver.resolvesCheaply(filter)) {
                    yield among(resolver.resolveIndexed(filter), query, wanted, ef, ordinals, scores, deadline);
                }
                Bits perPoint = resolver.perPoint(filter);
                if (perPoint != null) {
                    // a traversal tests only the points it visits; only the scan needs the whole set
                    int estimate = resolver.estimateMatches(perPoint);
                    if (estimate > 0 && FilterCostModel.worthTraversing(estimate, ef, vectors.dimension())) {
                        yield graph.searchOrScan(query, wanted, ef, perPoint, () -> resolver.resolveIndexed(filter),
                                estimate, deadline, ordinals, scores);
                    }
                    yield among(resolver.resolveIndexed(filter), query, wanted, ef, ordinals, scores, deadline);
                }
                OrdinalSet candidates = resolver.candidates(filter);
                if (candidates.cardinality() <= MAX_PAYLOAD_EVALUATIONS) {
                    yield among(resolver.evaluate(filter, candidates), query, wanted, ef, ordinals, scores, deadline);
                }
                yield post(query, candidates, (o, n) -> resolver.evaluateHits(filter, o, n),
                        () -> { throw NeedsStoredScan.INSTANCE; }, wanted, ef, ordinals, scores, deadline);
            }
        };
    }

    /**
     * What {@code filter} matches, when the indexes decide it or at most
     * {@value #MAX_PAYLOAD_EVALUATIONS} stored payloads must be read; else {@link NeedsStoredScan}.
     */
    private static OrdinalSet resolveBounded(FilterResolver resolver, Filter filter) {
        OrdinalSet indexed = resolver.resolveIndexed(filter);
        if (indexed != null) {
            return indexed;
        }
        OrdinalSet candidates = resolver.candidates(filter);
        if (candidates.cardinality() > MAX_PAYLOAD_EVALUATIONS) {
            throw NeedsStoredScan.INSTANCE;
        }
        return resolver.evaluate(filter, candidates);
    }

    /** Pre-filtering: the best of a resolved matching set, by budgeted traversal or exact scan. */
    private int among(OrdinalSet matches, float[] query, int wanted, int ef, int[] ordinals, float[] scores,
                      Deadline deadline) {
        int count = matches.cardinality();
        if (count == 0) {
            return 0;
        }
        if (FilterCostModel.worthTraversing(count, ef, vectors.dimension())) {
            // budget: the scan's distance computations, one per match
            return graph.searchOrScan(query, wanted, ef, matches, () -> matches, count, deadline, ordinals, scores);
        }
        return exact(query, matches, wanted, ordinals, scores, deadline);
    }

    private int exact(float[] query, OrdinalSet matches, int wanted, int[] ordinals, float[] scores, Deadline deadline) {
        TopK top = new TopK(wanted);
        vectors.scanExactly(query, matches.words(), top, deadline);
        exactDistances.add(matches.cardinality());
        return top.drainBestFirst(ordinals, scores);
    }

    /**
     * Post-filtering: searches among {@code traversed} without the filter and keeps the hits
     * {@code check} accepts. While too few pass, it widens ef to what the share that passed
     * says will suffice (at least doubling), never past {@link SearchParams#MAX_EF}; when that
     * would not do, it gives way to the pre-filtered plan over {@code resolved}. So it checks at
     * most about {@code 2 × MAX_EF} hits and its buffers never exceed {@code MAX_EF}.
     */
    private int post(float[] query, Bits traversed, HitCheck check, Supplier<OrdinalSet> resolved, int wanted,
                     int ef, int[] ordinals, float[] scores, Deadline deadline) {
        int liveCount = live.count();
        int width = Math.min(Math.max(ef, wanted), SearchParams.MAX_EF);
        while (true) {
            int asked = Math.max(1, Math.min(width, liveCount));
            int[] hitOrdinals = new int[asked];
            float[] hitScores = new float[asked];
            int n = graph.search(query, asked, width, traversed, deadline, hitOrdinals, hitScores);
            boolean[] accepted = check.accepts(hitOrdinals, n);
            int found = 0;
            for (int i = 0; i < n && found < wanted; i++) {
                if (accepted[i]) {
                    ordinals[found] = hitOrdinals[i];
                    scores[found] = hitScores[i];
                    found++;
                }
            }
            if (found >= wanted || n < asked) {
                return found; // enough, or every point the traversal can reach was checked
            }
            long needed = found == 0 ? Long.MAX_VALUE : 2L * asked * wanted / found;
            if (needed > SearchParams.MAX_EF || width >= SearchParams.MAX_EF) {
                return among(resolved.get(), query, wanted, ef, ordinals, scores, deadline);
            }
            width = (int) Math.min(SearchParams.MAX_EF, Math.max(2L * width, needed));
        }
    }

    private static HitCheck bitsCheck(OrdinalSet matches) {
        return (hits, n) -> {
            boolean[] accepted = new boolean[n];
            for (int i = 0; i < n; i++) {
                accepted[i] = matches.get(hits[i]);
            }
            return accepted;
        };
    }
}
