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
 * collection loads or the index is created, in the background ({@link #startBuild}: the
 * collection serves calls meanwhile), and kept current by every write ({@link #apply}), after its
 * publication and before the write returns, as the collection's graph is, also while a graph is
 * still being filled. A tenant that grows past the threshold gets its graph on the write that
 * takes it there.
 *
 * <p>Thread safety: writes apply concurrently with each other and with the build; the
 * membership bookkeeping (which graphs hold a point) is guarded by one lock, held only to update
 * it, to read a tenant's members and to copy vectors, never while linking. Searches take no lock:
 * they use only graphs whose fill has finished ({@code searchable}).
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
    /** Points a build links between checks for {@link #close}: at least GraphIndex's parallel-add size. */
    private static final int LINK_BATCH = 4_096;

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
    /** The initial build's thread; null when there was nothing to build. Set before any call sees this object. */
    private Thread builder;
    /** Set by {@link #close}: the build stops between batches of links. */
    private volatile boolean stopped;

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
     * Starts the initial build of the graphs of every tenant of {@code field} (a keyword index of
     * {@code state}) that holds at least {@link #GRAPH_MIN_POINTS} points, on a daemon thread of
     * its own, and returns at once. Call while no write runs: each graph is registered here, so
     * every later write keeps it current while the thread fills it; a graph becomes searchable
     * once filled. Until then a search of its tenant goes to the planner ({@link TenantIndex}).
     * {@link #close} stops the build and waits for it.
     */
    public static TenantGraphs startBuild(String collection, String field, CollectionVectors vectors,
                                          VectorSimilarity similarity, HnswParams params, CollectionState state) {
        TenantGraphs tenants = new TenantGraphs(collection, field, vectors, similarity, params, state);
        List<TenantGraph> large = state.read(() -> {
            KeywordIndex index = tenants.keywordIndex();
            List<TenantGraph> out = new ArrayList<>();
            for (String tenant : index.heldValues()) {
                if (index.count(tenant) >= GRAPH_MIN_POINTS) {
                    out.add(tenants.register(tenant));
                }
            }
            return out;
        });
        if (large.isEmpty()) {
            return tenants;
        }
        // One platform thread per collection, not a shared pool: a close joins exactly its own
        // build, and one collection's long build never queues another's.
        tenants.builder = Thread.ofPlatform().daemon().name("vdb-tenant-graphs-" + collection)
                .start(() -> tenants.buildAll(large));
        return tenants;
    }

    /** Fills each of {@code large} (registered), until done or {@link #close}d; on the builder thread. */
    private void buildAll(List<TenantGraph> large) {
        long start = System.nanoTime();
        LOG.info("collection '{}': building the graphs of {} tenants of '{}' in the background", collection,
                large.size(), field);
        long points = 0;
        int built = 0;
        try {
            for (TenantGraph graph : large) {
                if (stopped) {
                    break;
                }
                int filled = fill(graph);
                if (filled < 0) {
                    break;
                }
                points += filled;
                built++;
            }
        } catch (RuntimeException | Error e) {
            // the graphs not filled stay unsearchable: their tenants' searches go to the planner
            LOG.error("collection '{}': building the tenant graphs of '{}' failed; tenants without a graph are"
                    + " searched by the filter planner", collection, field, e);
        }
        LOG.info("collection '{}': {} the graphs of {} of {} tenants of '{}' ({} points) in {} ms", collection,
                built == large.size() ? "built" : "stopped building, after", built, large.size(), field, points,
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Stops the initial build and waits for its thread, so nothing reads the collection's vectors
     * once this returns. Runs when the collection unloads or closes, while no call runs.
     */
    public void close() {
        stopped = true;
        Thread thread = builder;
        if (thread == null) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the build still reads the vectors: keep waiting, restore the flag after
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the initial build is still filling graphs. */
    public boolean building() {
        Thread thread = builder;
        return thread != null && thread.isAlive();
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

    /**
     * Adds to {@code problems} where a searchable graph differs from its tenant's postings, or a
     * tenant of at least {@link #GRAPH_MIN_POINTS} points has no graph once the build has ended.
     * Under the state read lock, while no write runs.
     */
    void verify(List<String> problems) {
        KeywordIndex index = keywordIndex();
        for (TenantGraph graph : searchable.values()) {
            String problem = graph.differsFrom(index.ordinalsOf(graph.tenant()), vectors.full());
            if (problem != null) {
                problems.add("collection '" + collection + "': the graph of tenant '" + graph.tenant() + "' " + problem);
            }
        }
        if (!building() && !stopped) {
            for (String tenant : index.heldValues()) {
                if (index.count(tenant) >= GRAPH_MIN_POINTS && !searchable.containsKey(tenant)) {
                    problems.add("collection '" + collection + "': tenant '" + tenant + "' of " + index.count(tenant)
                            + " points has no graph");
                }
            }
        }
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
        toLink.forEach(TenantGraph::linkOrDefer);
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

    /** Registers a graph for {@code tenant}, or returns null when it has one: from now on writes keep it current. */
    private TenantGraph register(String tenant) {
        TenantGraph graph = new TenantGraph(tenant, vectors.dimension(), similarity, params);
        return graphs.putIfAbsent(tenant, graph) == null ? graph : null;
    }

    /** Builds the graph of {@code tenant} (grown past the threshold) on the writing thread, unless it has one. */
    private void create(String tenant) {
        TenantGraph graph = register(tenant);
        if (graph != null) {
            fill(graph);
        }
    }

    /**
     * Fills a registered graph from its tenant's points and makes it searchable; returns the
     * points it was filled with, or -1 when {@link #close} stopped it (it stays unsearchable).
     *
     * <p>Agrees with concurrent writes: the members are read under the owners lock, after the
     * graph was registered. A write whose bookkeeping ran before was published before, so the
     * members read reflect it (a deleted point is not read, one it added is already held and
     * {@link TenantGraph#admit} skips it); one whose bookkeeping runs after finds the graph in
     * the owners of the members and moves or removes them itself. So each point joins once,
     * and a removed one leaves.
     */
    private int fill(TenantGraph graph) {
        int[] members;
        int[] locals;
        synchronized (owners) {
            // the vectors are copied under the state's read side: a quantization switch (its write
            // side) cannot replace and unmap the full-precision vectors meanwhile
            int[][] filled = state.read(() -> {
                int[] held = keywordIndex().ordinalsOf(graph.tenant());
                for (int ordinal : held) {
                    TenantGraph[] had = ownersOf(ordinal);
                    if (!List.of(had).contains(graph)) {
                        TenantGraph[] grown = Arrays.copyOf(had, had.length + 1);
                        grown[had.length] = graph;
                        owners.put(ordinal, grown);
                    }
                }
                return new int[][] {held, graph.admit(held, vectors.full())};
            });
            members = filled[0];
            locals = filled[1];
        }
        // linked in batches (each still parallel), so a close waits for one batch, not a whole tenant
        for (int from = 0; from < locals.length; from += LINK_BATCH) {
            if (stopped) {
                return -1;
            }
            graph.link(Arrays.copyOfRange(locals, from, Math.min(locals.length, from + LINK_BATCH)));
        }
        graph.linkDeferred();
        searchable.put(graph.tenant(), graph);
        return members.length;
    }
}
