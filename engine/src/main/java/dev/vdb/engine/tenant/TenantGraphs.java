package dev.vdb.engine.tenant;

import dev.vdb.engine.payload.field.FieldIndex;
import dev.vdb.engine.payload.field.KeywordIndex;
import dev.vdb.engine.state.CollectionState;
import dev.vdb.engine.vectors.CollectionVectors;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.hnsw.HnswParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-tenant HNSW graphs of a collection's {@code is_tenant} keyword field: a graph for each
 * tenant (a value of the field) holding at least {@link #GRAPH_MIN_POINTS} points, so a search
 * filtered to that tenant walks a graph of the tenant's points only and costs what a collection
 * of that tenant alone would. Smaller tenants have no graph: scanning their points costs about
 * what a traversal would ({@link TenantIndex} scans them).
 *
 * <p>Derived state, kept in memory: built from the keyword index and the vectors when a
 * collection loads or the index is created, then kept current by every write ({@link #apply}),
 * after its publication and before the write returns, as the collection's graph is. A tenant
 * that grows past the threshold gets its graph on the write that takes it there.
 *
 * <p>Thread safety: writes apply concurrently; the membership bookkeeping (which graphs hold a
 * point) is guarded by one lock, held only to update it and to copy vectors, never while
 * linking. Searches take no lock: they use only graphs whose initial build has finished.
 */
public final class TenantGraphs {

    private static final Logger LOG = LoggerFactory.getLogger(TenantGraphs.class);
    /**
     * A tenant of at least this many points gets a graph. Below it an exact scan of its points
     * costs about what a traversal would; above it a traversal of the tenant's own, cache-
     * resident graph beats scanning its points scattered through the collection's store: scanned,
     * tenants of 683-975 points answered at 0.46x their own collection's queries/s
     * (docs/BENCHMARKS.md, "Tenants in one collection").
     */
    static final int GRAPH_MIN_POINTS = 256;
    private static final TenantGraph[] NO_GRAPHS = new TenantGraph[0];

    private final String collection;
    private final String field;
    private final CollectionVectors vectors;
    private final VectorSimilarity similarity;
    private final HnswParams params;
    private final CollectionState state;
    /** Every graph, also those still being built: writes keep them all current. */
    private final Map<String, TenantGraph> graphs = new ConcurrentHashMap<>();
    /** The graphs searches may use: their initial build has finished. */
    private final Map<String, TenantGraph> searchable = new ConcurrentHashMap<>();
    /** Collection ordinal → the graphs holding it; guarded by itself. */
    private final Int2ObjectHashMap<TenantGraph[]> owners = new Int2ObjectHashMap<>();

    private TenantGraphs(String collection, String field, CollectionVectors vectors, VectorSimilarity similarity,
                         HnswParams params, CollectionState state) {
        this.collection = collection;
        this.field = field;
        this.vectors = vectors;
        this.similarity = similarity;
        this.params = params;
        this.state = state;
    }

    /**
     * Builds the graphs of every tenant of {@code field} (a keyword index of {@code state}) that
     * holds at least {@link #GRAPH_MIN_POINTS} points.
     */
    public static TenantGraphs build(String collection, String field, CollectionVectors vectors,
                                     VectorSimilarity similarity, HnswParams params, CollectionState state) {
        TenantGraphs tenants = new TenantGraphs(collection, field, vectors, similarity, params, state);
        long start = System.nanoTime();
        List<String> large = state.read(() -> {
            KeywordIndex index = tenants.keywordIndex();
            List<String> out = new ArrayList<>();
            for (String tenant : index.heldValues()) {
                if (index.count(tenant) >= GRAPH_MIN_POINTS) {
                    out.add(tenant);
                }
            }
            return out;
        });
        long points = 0;
        for (String tenant : large) {
            points += tenants.create(tenant);
        }
        if (!large.isEmpty()) {
            LOG.info("collection '{}': built the graphs of {} tenants of '{}' ({} points) in {} ms", collection,
                    large.size(), field, points, (System.nanoTime() - start) / 1_000_000);
        }
        return tenants;
    }

    /** The {@code is_tenant} field. */
    public String field() {
        return field;
    }

    /** The graph of {@code tenant} once searchable, else null (a tenant too small for one). */
    TenantGraph graphOf(String tenant) {
        return searchable.get(tenant);
    }

    /** Distance computations the searches of every graph have made. */
    long searchDistanceComputations() {
        long sum = 0;
        for (TenantGraph graph : graphs.values()) {
            sum += graph.searchDistanceComputations();
        }
        return sum;
    }

    /** The index the graphs follow; under the state read lock. */
    KeywordIndex keywordIndex() {
        FieldIndex index = state.payloadIndexes().field(field);
        if (!(index instanceof KeywordIndex keyword)) {
            throw new IllegalStateException("collection '" + collection + "': the tenant field '" + field
                    + "' has no keyword index");
        }
        return keyword;
    }

    /**
     * Applies a published write: {@code removed} ordinals leave every graph; each of
     * {@code published} (new or with a changed payload) joins the graphs of the tenants it now
     * holds and leaves the others; a tenant that now reaches {@link #GRAPH_MIN_POINTS} gets its graph.
     * Reads each point's tenants as published now, so writes applied out of order still agree.
     */
    public void apply(int[] removed, int[] published) {
        if (removed.length == 0 && published.length == 0) {
            return;
        }
        List<String> grown = new ArrayList<>();
        String[][] tenantsOf = state.read(() -> {
            KeywordIndex index = keywordIndex();
            String[][] out = new String[published.length][];
            for (int i = 0; i < published.length; i++) {
                out[i] = state.live().get(published[i]) ? index.valuesOf(published[i]) : new String[0];
                for (String tenant : out[i]) {
                    if (!graphs.containsKey(tenant) && !grown.contains(tenant)
                            && index.count(tenant) >= GRAPH_MIN_POINTS) {
                        grown.add(tenant);
                    }
                }
            }
            return out;
        });
        Map<TenantGraph, int[]> toLink = new IdentityHashMap<>();
        synchronized (owners) {
            for (int ordinal : removed) {
                for (TenantGraph graph : ownersOf(ordinal)) {
                    graph.remove(ordinal);
                }
                owners.remove(ordinal);
            }
            Map<TenantGraph, IntArrayList> joining = new IdentityHashMap<>();
            for (int i = 0; i < published.length; i++) {
                move(published[i], tenantsOf[i], joining);
            }
            joining.forEach((graph, ordinals) -> toLink.put(graph, graph.admit(ordinals.toIntArray(), vectors.full())));
        }
        toLink.forEach(TenantGraph::link);
        for (String tenant : grown) {
            create(tenant);
        }
    }

    /** Moves {@code ordinal} into the graphs of {@code tenants} (collected in {@code joining}) and out of the rest. */
    private void move(int ordinal, String[] tenants, Map<TenantGraph, IntArrayList> joining) {
        TenantGraph[] had = ownersOf(ordinal);
        List<TenantGraph> target = new ArrayList<>(tenants.length);
        for (String tenant : tenants) {
            TenantGraph graph = graphs.get(tenant);
            if (graph != null) {
                target.add(graph);
            }
        }
        for (TenantGraph graph : had) {
            if (!target.contains(graph)) {
                graph.remove(ordinal);
            }
        }
        for (TenantGraph graph : target) {
            if (!List.of(had).contains(graph)) {
                joining.computeIfAbsent(graph, g -> new IntArrayList()).addInt(ordinal);
            }
        }
        if (target.isEmpty()) {
            owners.remove(ordinal);
        } else {
            owners.put(ordinal, target.toArray(NO_GRAPHS));
        }
    }

    private TenantGraph[] ownersOf(int ordinal) {
        TenantGraph[] had = owners.get(ordinal);
        return had == null ? NO_GRAPHS : had;
    }

    /**
     * Builds {@code tenant}'s graph from its points: registered first, so writes applied
     * meanwhile join it, then filled from the points published so far, then made searchable.
     * Returns the points it was built with (0 when another thread builds it).
     */
    private int create(String tenant) {
        TenantGraph graph = new TenantGraph(tenant, vectors.dimension(), similarity, params);
        if (graphs.putIfAbsent(tenant, graph) != null) {
            return 0;
        }
        int[] members = state.read(() -> keywordIndex().ordinalsOf(tenant));
        int[] locals;
        synchronized (owners) {
            for (int ordinal : members) {
                TenantGraph[] had = ownersOf(ordinal);
                if (!List.of(had).contains(graph)) {
                    TenantGraph[] grown = Arrays.copyOf(had, had.length + 1);
                    grown[had.length] = graph;
                    owners.put(ordinal, grown);
                }
            }
            locals = graph.admit(members, vectors.full());
        }
        graph.link(locals);
        searchable.put(tenant, graph);
        return members.length;
    }
}
