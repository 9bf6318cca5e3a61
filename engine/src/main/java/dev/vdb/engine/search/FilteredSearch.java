package dev.vdb.engine.search;

import dev.vdb.engine.SearchParams;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.graph.GraphIndex;
import dev.vdb.engine.payload.FilterResolver;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.index.Bits;
import dev.vdb.index.ExactSearch;
import dev.vdb.index.FilterCostModel;
import dev.vdb.index.OrdinalSet;
import dev.vdb.index.TopK;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.index.hnsw.HnswSearcher;
import java.util.concurrent.atomic.LongAdder;

/**
 * A vector search restricted to the points a filter matches, by one of three plans:
 * <ul>
 *   <li><b>exact</b>: score every matching point (cost: one scan distance per match);</li>
 *   <li><b>graph</b>: an HNSW traversal that walks through every node but admits only matching
 *       ones to the results (cost: {@link FilterCostModel}), which gives up and scans exactly once it has
 *       spent as many distances as there are matches, so a graph that falls into islands under
 *       a selective filter never costs recall;</li>
 *   <li><b>post</b>: an unfiltered search whose hits are checked afterwards, with ef doubled
 *       until {@code limit} hits pass or the index is exhausted.</li>
 * </ul>
 * {@code pre} resolves the filter to its matching set and takes the cheaper of exact and graph;
 * {@code post} is post. {@code auto} does as {@code pre} when the payload indexes resolve the
 * filter cheaply (matches, and ranges over few distinct values); when they decide it but
 * resolving is dear (a range over thousands of distinct values), it estimates the matches from
 * a sample and, when the graph is cheaper, traverses it testing each visited point against the
 * indexes (no set is built), else resolves the set and plans as {@code pre}; when the indexes
 * cannot decide, it resolves by stored payloads if at most
 * {@value #MAX_PAYLOAD_EVALUATIONS} must be read, and otherwise post-filters among the
 * candidates of the indexed clauses, reading payloads for the hits only.
 *
 * <p>Stateless apart from its collection's structures; the caller holds the collection's state
 * read lock.
 */
public final class FilteredSearch {

    /** Most stored payloads {@code auto} reads to resolve a filter the indexes cannot. */
    static final int MAX_PAYLOAD_EVALUATIONS = 4_096;

    /** Checks hits after an unfiltered search. */
    private interface HitCheck {
        boolean[] accepts(int[] ordinals, int n);
    }

    private final VectorStore vectors;
    private final VectorSimilarity similarity;
    private final GraphIndex graph;
    private final LiveOrdinals live;
    /** Distance computations of exact scans over matching sets. */
    private final LongAdder exactDistances = new LongAdder();

    public FilteredSearch(VectorStore vectors, VectorSimilarity similarity, GraphIndex graph, LiveOrdinals live) {
        this.vectors = vectors;
        this.similarity = similarity;
        this.graph = graph;
        this.live = live;
    }

    /** Distance computations of the exact scans this has made (graph searches count in the graph). */
    public long exactDistanceComputations() {
        return exactDistances.sum();
    }

    /**
     * The best {@code wanted} points that {@code filter} matches, best first, into
     * {@code ordinals}/{@code scores}; returns how many.
     */
    public int search(FilterResolver resolver, float[] query, Filter filter, SearchParams params, int wanted, int ef,
               int[] ordinals, float[] scores) {
        if (params.exact()) {
            return exact(query, resolver.resolve(filter), wanted, ordinals, scores);
        }
        return switch (params.filterStrategy()) {
            case PRE -> among(resolver.resolve(filter), query, wanted, ef, ordinals, scores);
            case POST -> {
                OrdinalSet indexed = resolver.resolveIndexed(filter);
                HitCheck check = indexed != null ? bitsCheck(indexed) : (o, n) -> resolver.evaluateHits(filter, o, n);
                yield post(query, live, check, wanted, ef, ordinals, scores);
            }
            case AUTO -> {
                if (resolver.resolvesCheaply(filter)) {
                    yield among(resolver.resolveIndexed(filter), query, wanted, ef, ordinals, scores);
                }
                Bits perPoint = resolver.perPoint(filter);
                if (perPoint != null) {
                    // plan on a sampled estimate: a traversal then tests only the points it visits,
                    // and only the exact plan pays for resolving the whole matching set
                    int estimate = resolver.estimateMatches(perPoint);
                    if (estimate > 0 && FilterCostModel.plan(estimate, live.count(), ef, vectors.dimension()) == FilterCostModel.Plan.GRAPH) {
                        int n = graph.search(query, wanted, ef, perPoint, estimate, ordinals, scores);
                        if (n != HnswSearcher.OVER_BUDGET) {
                            yield n;
                        }
                    }
                    yield among(resolver.resolveIndexed(filter), query, wanted, ef, ordinals, scores);
                }
                OrdinalSet candidates = resolver.candidates(filter);
                if (candidates.cardinality() <= MAX_PAYLOAD_EVALUATIONS) {
                    yield among(resolver.evaluate(filter, candidates), query, wanted, ef, ordinals, scores);
                }
                yield post(query, candidates, (o, n) -> resolver.evaluateHits(filter, o, n), wanted, ef, ordinals, scores);
            }
        };
    }

    /** Pre-filtering: the best of a resolved matching set, by exact scan or filtered traversal. */
    private int among(OrdinalSet matches, float[] query, int wanted, int ef, int[] ordinals, float[] scores) {
        int count = matches.cardinality();
        if (count == 0) {
            return 0;
        }
        if (FilterCostModel.plan(count, live.count(), ef, vectors.dimension()) == FilterCostModel.Plan.GRAPH) {
            int n = graph.search(query, wanted, ef, matches, count, ordinals, scores);
            if (n != HnswSearcher.OVER_BUDGET) {
                return n;
            }
        }
        return exact(query, matches, wanted, ordinals, scores);
    }

    private int exact(float[] query, OrdinalSet matches, int wanted, int[] ordinals, float[] scores) {
        TopK top = new TopK(wanted);
        ExactSearch.search(vectors, similarity, query, matches.words(), top, false);
        exactDistances.add(matches.cardinality());
        return top.drainBestFirst(ordinals, scores);
    }

    /**
     * Post-filtering: searches among {@code traversed} without the filter, keeps the hits
     * {@code check} accepts, and doubles ef until {@code wanted} pass or the index is exhausted.
     */
    private int post(float[] query, Bits traversed, HitCheck check, int wanted, int ef, int[] ordinals,
                     float[] scores) {
        int liveCount = live.count();
        for (int width = Math.max(ef, wanted); ; width = (int) Math.min(2L * width, liveCount)) {
            int asked = Math.max(1, Math.min(width, liveCount));
            int[] hitOrdinals = new int[asked];
            float[] hitScores = new float[asked];
            int n = graph.search(query, asked, width, traversed, hitOrdinals, hitScores);
            boolean[] accepted = check.accepts(hitOrdinals, n);
            int found = 0;
            for (int i = 0; i < n && found < wanted; i++) {
                if (accepted[i]) {
                    ordinals[found] = hitOrdinals[i];
                    scores[found] = hitScores[i];
                    found++;
                }
            }
            if (found >= wanted || n < asked || width >= liveCount) {
                return found;
            }
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
