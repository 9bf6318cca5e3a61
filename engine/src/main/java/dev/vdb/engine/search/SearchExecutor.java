package dev.vdb.engine.search;

import dev.vdb.engine.FacetHit;
import dev.vdb.engine.PointId;
import dev.vdb.engine.QuantizationParams;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.graph.GraphIndex;
import dev.vdb.engine.payload.FilterResolver;
import dev.vdb.engine.payload.field.FieldIndex;
import dev.vdb.engine.state.CollectionState;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.engine.tenant.TenantIndex;
import dev.vdb.engine.vectors.CollectionVectors;
import dev.vdb.engine.write.PointWriter;
import dev.vdb.index.Bits;
import dev.vdb.index.Deadline;
import dev.vdb.index.OrdinalSet;
import dev.vdb.index.TopK;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.GraphVectors;
import dev.vdb.index.quant.QuantizedVectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Answers a collection's searches: ranks ordinals ({@link HybridSearch} over the vector retriever
 * below and the BM25 index), then maps them to ids, payloads and vectors.
 *
 * <p>The vector retriever routes a query: a filter naming one tenant of the {@code is_tenant}
 * field goes to that tenant's graph when it has one ({@link TenantIndex}), another filter to
 * {@link FilteredSearch}'s planner; an
 * exact request, or a collection no larger than ef, is scanned by brute force; the rest walks
 * the HNSW graph. In a quantized collection the graph walks codes with a beam of
 * {@code max(ef, oversampling × k)}; its nodes, and as many of its nearest misses as the codes
 * call for ({@code Quantizer#candidatesPerBeamSlot}: binary codes, unfiltered), are rescored with
 * full-precision vectors ({@link Rescorer}) unless the request says {@code rescore: false};
 * {@code ignore: true} walks the full-precision vectors instead (a filtered search still walks
 * codes, then rescores).
 * While the graph's backlog (points an open found missing from the saved graph) is linked, those
 * points are scored exactly and merged in ({@link UnlinkedScan}).
 *
 * <p>Ranking runs at one published state (the state lock's read side). Payloads and vectors are
 * read from RocksDB for the hits only; a write may sit between its RocksDB batch and its
 * publication, so a hit whose stored record no longer holds its ranked ordinal makes the search
 * run again, and the last of {@value #FETCH_ATTEMPTS} attempts holds the writer lock, when no
 * write is in between: a search always answers in full and never returns a stale hit.
 *
 * <p>Ranking and counting stop at their {@link Deadline} (the loops below check it); mapping the
 * ranked hits to ids and payloads, which reads only the hits, does not.
 *
 * <p>Thread-safe. A search allocates its result lists and a heap or buffer of
 * {@code limit + offset} entries.
 */
public final class SearchExecutor {

    private static final int FETCH_ATTEMPTS = 4;

    private final String collection;
    private final VectorSimilarity similarity;
    private final CollectionVectors vectors;
    private final GraphIndex graph;
    private final CollectionState state;
    private final PointStore store;
    private final PointWriter writer;
    private final FilteredSearch filtered;
    private final StoredFilterScan storedScan;
    private final TenantIndex tenants;

    public SearchExecutor(String collection, VectorSimilarity similarity, CollectionVectors vectors, GraphIndex graph,
                          CollectionState state, PointStore store, PointWriter writer, TenantIndex tenants) {
        this.collection = collection;
        this.similarity = similarity;
        this.vectors = vectors;
        this.graph = graph;
        this.state = state;
        this.store = store;
        this.writer = writer;
        this.filtered = new FilteredSearch(vectors, graph, state.live());
        this.storedScan = new StoredFilterScan(state, writer, store);
        this.tenants = tenants;
    }

    /**
     * The hits of {@code request}, best first.
     *
     * @param query the request's vector prepared for the similarity, or null for a text search
     */
    public List<ScoredPoint> search(SearchRequest request, float[] query, Deadline deadline) {
        Filter filter = request.filter();
        // a text side needs the whole matching set: a filter the indexes cannot decide is resolved
        // first, by stored payloads read with no lock held
        boolean scanFirst = filter != null && request.text() != null && !decidedByIndexes(filter);
        StoredFilterScan.Matches resolved = scanFirst ? storedScan.resolve(filter, deadline) : null;
        try {
            return search(request, query, resolved, deadline);
        } catch (NeedsStoredScan e) {
            // the vector plan would read too many stored payloads under the lock: resolve first
            return search(request, query, storedScan.resolve(filter, deadline), deadline);
        }
    }

    private List<ScoredPoint> search(SearchRequest request, float[] query, StoredFilterScan.Matches resolved,
                                     Deadline deadline) {
        for (int attempt = 1; ; attempt++) {
            if (attempt == FETCH_ATTEMPTS) {
                List<ScoredPoint> hits = writer.whileNoWriteRuns(() -> attempt(request, query, resolved, deadline));
                if (hits == null) {
                    throw new IllegalStateException("collection '" + collection
                            + "': a search met a stale hit while no write was running (a bug)");
                }
                return hits;
            }
            List<ScoredPoint> hits = attempt(request, query, resolved, deadline);
            if (hits != null) {
                return hits;
            }
        }
    }

    private List<ScoredPoint> attempt(SearchRequest request, float[] query, StoredFilterScan.Matches resolved,
                                      Deadline deadline) {
        deadline.check(); // a search that starts late (it waited for a lock) does not start at all
        return state.read(() -> {
            Filter filter = request.filter();
            FilterResolver resolver = state.resolver(store::payloads, deadline);
            OrdinalSet matches = resolved == null ? null : resolved.current(state.live(), resolver, filter);
            // What a text search admits: the live ordinals, or those the filter matches (resolved
            // only when there is a text to rank); the vector side plans its own filtering.
            Bits textAccept = request.text() == null ? null
                    : filter == null ? state.live() : matches != null ? matches : resolver.resolve(filter);
            HybridSearch hybrid = new HybridSearch(similarity,
                    (q, f, k, params, ordinals, scores, d) -> vectorSearch(q, f, matches, k, params, ordinals, scores, d),
                    state.text());
            return toHits(hybrid.rank(request, query, textAccept, deadline), request);
        });
    }

    private boolean decidedByIndexes(Filter filter) {
        return state.read(() -> state.resolver(store::payloads).perPoint(filter) != null);
    }

    /**
     * Points {@code filter} matches (all live points for null), at one published state. A filter
     * the indexes cannot decide is resolved by stored payloads read with no lock held, within
     * {@code deadline}.
     */
    public long count(Filter filter, Deadline deadline) {
        if (filter == null) {
            return state.read(() -> (long) state.live().count());
        }
        return matching(filter, deadline).cardinality();
    }

    /** The live points {@code filter} matches: from the payload indexes when they decide it, else a scan of stored payloads. */
    private OrdinalSet matching(Filter filter, Deadline deadline) {
        OrdinalSet indexed = state.read(() -> state.resolver(store::payloads, deadline).resolveIndexed(filter));
        return indexed != null ? indexed : storedScan.resolve(filter, deadline).ordinals();
    }

    /**
     * {@link dev.vdb.engine.VectorCollection#facet}: the values of {@code key}'s payload index
     * counted over the points {@code filter} matches ({@link #matching}, as {@link #count}),
     * most frequent first, ties by value.
     */
    public List<FacetHit> facet(String key, Filter filter, int limit) {
        Bits counted = filter == null ? null : matching(filter, Deadline.NONE);
        List<FacetHit> hits = new ArrayList<>();
        state.read(() -> {
            FieldIndex index = state.payloadIndexes().forKey(key);
            if (index == null) {
                throw new IllegalArgumentException("facet needs a keyword, integer or bool payload index on '" + key
                        + "' (create one with PUT /collections/{name}/index or createPayloadIndex)");
            }
            index.countValues(counted, (value, count) -> hits.add(new FacetHit(value, count)));
            return null;
        });
        hits.sort(FacetHit.ORDER);
        return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
    }

    /**
     * Distance computations searches have made: graph traversals (the tenants' graphs too) plus
     * the exact scans of filtered searches (the planner's currency).
     */
    public long distanceComputations() {
        return graph.searchDistanceComputations() + filtered.exactDistanceComputations() + tenants.distanceComputations();
    }

    /**
     * The {@code k} best ordinals for a prepared query, best first, among the live points
     * {@code filter} matches (all when null; {@code matches} when the caller resolved it); returns
     * how many. Under the state read lock.
     */
    private int vectorSearch(float[] query, Filter filter, OrdinalSet matches, int k, SearchParams params,
                             int[] ordinals, float[] scores, Deadline deadline) {
        int ef = params.efFor(k);
        QuantizationParams quantization = params.quantization();
        QuantizedVectors codes = params.exact() ? null : vectors.codes();
        boolean walkFull = codes != null && quantization.ignore() && filter == null;
        int n;
        if (codes == null || walkFull || !(quantization.rescore() || quantization.ignore())) {
            n = rank(query, filter, matches, k, ef, 0, params, walkFull, ordinals, scores, deadline);
        } else {
            int beam = Math.max(ef, (int) Math.min(SearchParams.MAX_EF, Math.ceil(quantization.oversampling() * k)));
            int misses = filter == null ? beam * (codes.quantizer().candidatesPerBeamSlot() - 1) : 0;
            int[] found = new int[beam + misses];
            float[] estimates = new float[beam + misses];
            int m = rank(query, filter, matches, beam, beam, misses, params, false, found, estimates, deadline);
            n = Rescorer.rescore(vectors.full(), similarity, query, found, m, k, ordinals, scores);
        }
        if (params.exact() || !graph.hasBacklog()) {
            return n; // the scan saw every live point, or the graph holds them all
        }
        // points an open found missing from the saved graph, while they are linked
        return UnlinkedScan.merge(graph.unlinked(), vectors, state.live(), filter, matches,
                () -> state.resolver(store::payloads, deadline), query, k, ordinals, scores, n, deadline);
    }

    /**
     * The {@code k} best ordinals by the vectors the graph walks (the full-precision ones with
     * {@code walkFull}), or by exact search, best first; returns how many. An unfiltered graph
     * walk then adds up to {@code misses} of its beam's nearest misses (with {@code k = ef}).
     */
    private int rank(float[] query, Filter filter, OrdinalSet matches, int k, int ef, int misses, SearchParams params,
                     boolean walkFull, int[] ordinals, float[] scores, Deadline deadline) {
        LiveOrdinals live = state.live();
        if (filter != null) {
            FilterResolver resolver = state.resolver(store::payloads, deadline);
            int n = matches == null ? tenants.search(resolver, query, filter, params, k, ef, ordinals, scores, deadline) : -1;
            return n >= 0 ? n : filtered.search(resolver, query, filter, matches, params, k, ef, ordinals, scores, deadline);
        }
        if (params.exact() || live.count() <= ef) {
            TopK top = new TopK(k);
            vectors.scanExactly(query, live.words(), top, deadline);
            return top.drainBestFirst(ordinals, scores);
        }
        if (misses > 0) {
            return graph.searchKeepingMisses(query, ef, misses, live, deadline, ordinals, scores);
        }
        GraphVectors walked = walkFull ? (GraphVectors) vectors.full() : null;
        return graph.search(query, k, ef, live, walked, deadline, ordinals, scores);
    }

    /**
     * Maps ranked ordinals to hits (payloads and vectors read for the hits only), skipping
     * {@code offset} and those past the score threshold. Returns null when a hit's stored record
     * no longer holds the ranked ordinal (a write is between its RocksDB batch and its publication).
     */
    private List<ScoredPoint> toHits(HybridSearch.Ranking ranking, SearchRequest request) {
        int[] ordinals = ranking.ordinals();
        int n = withinThreshold(ranking, request);
        int from = Math.min(request.offset(), n);
        PointId[] idArray = new PointId[n - from];
        state.live().idsOf(ordinals, from, n, idArray);
        List<ScoredPoint> hits = new ArrayList<>(n - from);
        if (!request.withPayload() && !request.withVector()) {
            for (int i = from; i < n; i++) {
                hits.add(new ScoredPoint(idArray[i - from], ranking.scores()[i], null, null, explanation(ranking, i)));
            }
            return hits;
        }
        List<PointId> ids = Arrays.asList(idArray);
        List<byte[]> records = store.records(ids);
        for (int i = from; i < n; i++) {
            byte[] vector = records.get(2 * (i - from));
            byte[] doc = records.get(2 * (i - from) + 1);
            if (vector == null || doc == null || PointCodec.ordinalOfVectorRecord(vector) != ordinals[i]) {
                return null;
            }
            hits.add(new ScoredPoint(ids.get(i - from), ranking.scores()[i],
                    request.withPayload() ? PointCodec.payloadMapOfDoc(doc) : null,
                    request.withVector() ? PointCodec.vectorOfRecord(vector) : null, explanation(ranking, i)));
        }
        return hits;
    }

    /** How many of the ranked hits pass the request's score threshold (all when it has none). */
    private int withinThreshold(HybridSearch.Ranking ranking, SearchRequest request) {
        Float threshold = request.scoreThreshold();
        if (threshold == null) {
            return ranking.size();
        }
        boolean distance = request.text() == null && !similarity.higherUserScoreIsCloser();
        int n = 0;
        while (n < ranking.size() && (distance ? ranking.scores()[n] <= threshold : ranking.scores()[n] >= threshold)) {
            n++;
        }
        return n;
    }

    private static dev.vdb.engine.HitExplanation explanation(HybridSearch.Ranking ranking, int i) {
        return ranking.explanations() == null ? null : ranking.explanations()[i];
    }
}
