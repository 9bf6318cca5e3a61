package dev.vdb.engine.tenant;

import dev.vdb.engine.FilterStrategy;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.graph.GraphChange;
import dev.vdb.engine.payload.FilterResolver;
import dev.vdb.engine.payload.field.KeywordIndex;
import dev.vdb.engine.state.CollectionState;
import dev.vdb.engine.vectors.CollectionVectors;
import dev.vdb.index.Bits;
import dev.vdb.index.Deadline;
import dev.vdb.index.FullPrecisionVectors;
import dev.vdb.index.TopK;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.hnsw.HnswParams;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A collection's {@code is_tenant} index, when it has one: routes the searches filtered to one
 * tenant (a {@code must} {@code match} of one string on the tenant field, possibly beside other
 * conditions) to that tenant's graph ({@link TenantGraphs}), and keeps the graphs current.
 *
 * <p>The plan, per query: a tenant with a graph is searched in its graph, as a collection of
 * that tenant alone would be, with the filter as an exact per-point test and the budget of the
 * scan of the filter's matches ({@link TenantGraph#search}): other conditions that admit few of
 * the tenant's points make the traversal give up and scan those in the tenant's own store.
 * A tenant too small for a graph, filtered on alone, is scanned from its postings. Anything
 * else (an exact search, {@code post}, a filter the indexes cannot decide, a small tenant with
 * other conditions) goes to the collection's filter planner.
 *
 * <p>A tenant whose graph is still being built (after a load, in the background) is searched as
 * one without a graph: its filter goes to the planner, exact over the published state.
 *
 * <p>Thread-safe: the graphs are published through a volatile field when the build starts and
 * each becomes searchable once filled; a search runs under the collection's state read lock.
 */
public final class TenantIndex {

    private final String collection;
    private final CollectionVectors vectors;
    private final VectorSimilarity similarity;
    private final HnswParams params;
    private final CollectionState state;
    private volatile TenantGraphs graphs;
    /** Distance computations of the scans of tenants without a graph. */
    private final LongAdder scanDistances = new LongAdder();
    /** Distance computations of graphs {@link #disable}d since, so that the count never goes down. */
    private final LongAdder retiredDistances = new LongAdder();

    public TenantIndex(String collection, CollectionVectors vectors, VectorSimilarity similarity, HnswParams params,
                       CollectionState state) {
        this.collection = collection;
        this.vectors = vectors;
        this.similarity = similarity;
        this.params = params;
        this.state = state;
    }

    /** The tenant field, or null when the collection has no {@code is_tenant} index. */
    public String field() {
        TenantGraphs current = graphs;
        return current == null ? null : current.field();
    }

    /**
     * Starts building the graphs of the tenants of {@code field} (a keyword index of the
     * collection) in the background and routes each tenant's searches to its graph once built:
     * once, when the collection loads or the index is created, while no write runs. Returns at
     * once; {@link #close} stops the build.
     */
    public void enable(String field) {
        graphs = TenantGraphs.startBuild(collection, field, vectors, similarity, params, state);
    }

    /**
     * Drops the graphs (the tenant field's index is being dropped): stops a running build and
     * routes every tenant's searches to the filter planner; writes stop updating the graphs. A
     * search that took the graphs before still finishes on them. While no write runs.
     */
    public void disable() {
        TenantGraphs current = graphs;
        if (current != null) {
            graphs = null;
            current.close();
            retiredDistances.add(current.searchDistanceComputations());
        }
    }

    /** Whether the graphs' initial build is still running. */
    public boolean building() {
        TenantGraphs current = graphs;
        return current != null && current.building();
    }

    /**
     * Stops a running initial build and waits for it: once this returns nothing reads the
     * collection's vectors for the tenants. When the collection unloads or closes, while no call runs.
     */
    public void close() {
        TenantGraphs current = graphs;
        if (current != null) {
            current.close();
        }
    }

    /** Adds to {@code problems} where the built tenant graphs differ from the postings; under the state read lock, no write running. */
    public void verify(List<String> problems) {
        TenantGraphs current = graphs;
        if (current != null) {
            current.verify(problems);
        }
    }

    /** Distance computations the searches of the tenants' graphs and the scans of small tenants have made. */
    public long distanceComputations() {
        TenantGraphs current = graphs;
        return scanDistances.sum() + retiredDistances.sum() + (current == null ? 0 : current.searchDistanceComputations());
    }

    /** Keeps the graphs current with a published write. */
    public void apply(GraphChange change) {
        TenantGraphs current = graphs;
        if (current != null) {
            current.apply(change.removed(), change.published());
        }
    }

    /**
     * The best {@code k} points {@code filter} matches, best first, into {@code ordinals}/{@code
     * scores}, when the filter names one tenant: searched in its graph, or scanned from its
     * postings when it has none and the filter is the tenant alone; returns how many, or -1 when
     * the collection's filter planner should answer instead. Under the state read lock.
     */
    public int search(FilterResolver resolver, float[] query, Filter filter, SearchParams params, int k, int ef,
                      int[] ordinals, float[] scores, Deadline deadline) {
        TenantGraphs current = graphs;
        if (current == null || params.exact() || params.filterStrategy() == FilterStrategy.POST) {
            return -1;
        }
        Filter.MatchValue condition = tenantCondition(filter, current.field());
        if (condition == null) {
            return -1;
        }
        String tenant = (String) condition.value();
        TenantGraph graph = current.graphOf(tenant);
        boolean tenantAlone = filter == condition || filter instanceof Filter.Bool b && b.must().size() == 1
                && b.must().getFirst() == condition && b.should().isEmpty() && b.mustNot().isEmpty();
        if (graph == null) {
            // a tenant too small for a graph (its points scanned straight from the postings), or
            // one whose graph is still being built (the planner, past the scan's size)
            return tenantAlone ? scan(current, tenant, query, k, ordinals, scores, deadline) : -1;
        }
        Bits accept;
        int matches;
        if (tenantAlone) {
            // the tenant alone: its postings are the matches
            accept = current.keywordIndex().holding(tenant);
            matches = current.keywordIndex().count(tenant);
        } else {
            accept = resolver.perPoint(filter);
            if (accept == null) {
                return -1;
            }
            matches = graph.estimateMatches(accept);
        }
        if (matches == 0) {
            return -1; // nothing or little matches: the planner resolves and scans
        }
        return graph.search(query, k, ef, accept, () -> resolver.resolveIndexed(filter), matches, deadline,
                ordinals, scores);
    }

    /**
     * The exact top {@code k} of a tenant without a graph (fewer than
     * {@value TenantGraphs#GRAPH_MIN_POINTS} points when it was last looked at): each of its points
     * scored, with no set of the collection's size built. Checks {@code deadline} once, it
     * scores at most a few hundred points.
     */
    private int scan(TenantGraphs current, String tenant, float[] query, int k, int[] ordinals, float[] scores,
                     Deadline deadline) {
        KeywordIndex index = current.keywordIndex();
        if (index.count(tenant) > TenantGraphs.GRAPH_MIN_POINTS) {
            return -1; // grown, its graph not built yet: the planner
        }
        deadline.check();
        TopK top = new TopK(k);
        FullPrecisionVectors full = vectors.full();
        float[] vector = new float[full.dimension()];
        index.forEachHolding(tenant, ordinal -> {
            full.read(ordinal, vector);
            top.offer(similarity.score(query, 0, vector, 0, vector.length), ordinal);
        });
        scanDistances.add(index.count(tenant));
        return top.drainBestFirst(ordinals, scores);
    }

    /**
     * The {@code match} of one string on {@code field} that {@code filter} requires: the filter
     * itself, or one of its {@code must} clauses; else null.
     */
    static Filter.MatchValue tenantCondition(Filter filter, String field) {
        if (filter instanceof Filter.MatchValue m) {
            return m.key().equals(field) && m.value() instanceof String ? m : null;
        }
        if (filter instanceof Filter.Bool b) {
            for (Filter clause : b.must()) {
                Filter.MatchValue m = tenantCondition(clause, field);
                if (m != null) {
                    return m;
                }
            }
        }
        return null;
    }
}
