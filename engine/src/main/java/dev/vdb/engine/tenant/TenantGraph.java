package dev.vdb.engine.tenant;

import dev.vdb.engine.graph.GraphIndex;
import dev.vdb.index.Bits;
import dev.vdb.index.Deadline;
import dev.vdb.index.OrdinalSet;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.FullPrecisionVectors;
import dev.vdb.index.VectorStore;
import dev.vdb.index.quant.WholeNumberVectors;
import dev.vdb.index.hnsw.HnswIndex;
import dev.vdb.index.hnsw.HnswParams;
import java.util.Arrays;
import java.util.function.Supplier;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;

/**
 * One tenant's HNSW graph: a copy of the tenant's vectors under dense local ordinals, in their
 * own store (so a tenant's search touches only its own memory, as Qdrant co-locates a tenant's
 * points), the graph over them, and the map from local ordinals back to the collection's.
 *
 * <p>It holds a superset of the tenant's live points: a point that died or moved to another
 * tenant may stay until its removal is applied, so a search accepts a node only when the
 * collection's filter (an exact test at one published state) accepts its collection ordinal.
 *
 * <p>Thread safety: {@link #admit} and {@link #remove} hold this object's monitor for their
 * bookkeeping; linking ({@link #link}) runs outside it. Until the graph is filled only the
 * filling thread links (writes defer theirs to it); then writes link concurrently with each
 * other and with searches, as the collection's graph does. Searches take no lock: they read the local → global
 * array through a volatile field and skip a node whose entry is not yet there.
 */
final class TenantGraph {

    private static final int NONE = -1;
    /** Nodes per page of a tenant's graph: a small tenant's graph takes about 34 KB, not the default page's 540 KB (M = 16). */
    private static final int PAGE_NODES = 256;
    /** Points {@link #estimateMatches} tests. */
    private static final int ESTIMATE_SAMPLE = 128;

    private final String tenant;
    private final VectorStore vectors;
    /**
     * Exact one-byte codes of {@link #vectors} that the graph walks while every vector admitted is
     * whole numbers in a byte's range, as a collection's graph does; null for cosine.
     */
    private final WholeNumberVectors wholeNumbers;
    private final GraphIndex graph;
    /** Local ordinal → collection ordinal; grown by copy and republished, so searches read a consistent array. */
    private volatile int[] globals = unset(new int[16], 0);
    /** Collection ordinal → local ordinal of the points held; guarded by this. */
    private final Int2IntHashMap localOf = new Int2IntHashMap(NONE);
    /** Local ordinals handed out; guarded by this. */
    private int next;
    /** Admitted local ordinals a write left to the fill; null once filled; guarded by this. */
    private IntArrayList deferred = new IntArrayList();
    /** Local ordinals removed before they were linked, which {@link #link} deletes; guarded by this. */
    private final IntHashSet removedUnlinked = new IntHashSet();

    TenantGraph(String tenant, int dimension, VectorSimilarity similarity, HnswParams params) {
        this.tenant = tenant;
        this.vectors = VectorStore.scoredWith(dimension, similarity);
        this.wholeNumbers = WholeNumberVectors.over(vectors, similarity);
        this.graph = GraphIndex.over(new HnswIndex(wholeNumbers != null ? wholeNumbers : vectors, similarity, params,
                PAGE_NODES));
    }

    String tenant() {
        return tenant;
    }

    /** Points linked into the graph and not removed. */
    int size() {
        return graph.size();
    }

    /** Distance computations this graph's searches have made. */
    long searchDistanceComputations() {
        return graph.searchDistanceComputations();
    }

    /**
     * Copies the vectors of the collection ordinals not held yet from {@code source} under fresh
     * local ordinals and returns those, to be {@link #link linked}.
     */
    synchronized int[] admit(int[] globalOrdinals, FullPrecisionVectors source) {
        float[] vector = new float[vectors.dimension()];
        int[] fresh = new int[globalOrdinals.length];
        int n = 0;
        int[] table = globals;
        for (int global : globalOrdinals) {
            if (localOf.get(global) != NONE) {
                continue;
            }
            int local = next++;
            source.read(global, vector);
            vectors.set(local, vector);
            if (wholeNumbers != null) {
                wholeNumbers.encode(local, vector); // before the local ordinal is published below
            }
            if (local >= table.length) {
                table = unset(Arrays.copyOf(table, Math.max(local + 1, table.length * 2)), table.length);
            }
            table[local] = global;
            localOf.put(global, local);
            fresh[n++] = local;
        }
        globals = table;
        return Arrays.copyOf(fresh, n);
    }

    /**
     * Links local ordinals a write admitted, or, while the graph is being filled, leaves them to
     * the fill ({@link #linkDeferred}): an unfilled graph is linked by its filling thread only.
     */
    void linkOrDefer(int[] locals) {
        synchronized (this) {
            if (deferred != null) {
                for (int local : locals) {
                    deferred.addInt(local);
                }
                return;
            }
        }
        link(locals);
    }

    /**
     * Links what writes admitted while the graph was being filled, until none is left; then
     * writes link their own. On the filling thread, after it linked its own points.
     */
    void linkDeferred() {
        while (true) {
            int[] locals;
            synchronized (this) {
                if (deferred.isEmpty()) {
                    deferred = null;
                    return;
                }
                locals = deferred.toIntArray();
                deferred.clear();
            }
            link(locals);
        }
    }

    /**
     * Links admitted local ordinals into the graph (on every core for a large batch), then
     * unlinks those {@link #remove}d before they were linked.
     */
    void link(int[] locals) {
        if (locals.length == 0) {
            return;
        }
        graph.add(locals);
        synchronized (this) {
            if (!removedUnlinked.isEmpty()) {
                for (int local : locals) {
                    if (removedUnlinked.remove(local)) {
                        graph.delete(local);
                    }
                }
            }
        }
    }

    /**
     * Unlinks the collection ordinal {@code global}; false when it is not held. A point admitted
     * but not linked yet (a build links its admitted points batch by batch, long after) cannot be
     * deleted from the graph now: {@link #link} deletes it once linked.
     */
    synchronized boolean remove(int global) {
        int local = localOf.remove(global);
        if (local == NONE) {
            return false;
        }
        if (!graph.delete(local)) {
            removedUnlinked.add(local);
        }
        return true;
    }

    /**
     * Null when this graph holds and has linked exactly the collection ordinals {@code members},
     * each with its vector in {@code source}, else what differs. While no write or fill runs on it.
     */
    synchronized String differsFrom(int[] members, FullPrecisionVectors source) {
        int missing = 0;
        float[] stored = new float[source.dimension()];
        for (int global : members) {
            int local = localOf.get(global);
            if (local == NONE) {
                missing++;
                continue;
            }
            source.read(global, stored);
            if (!Arrays.equals(vectors.get(local), stored)) {
                return "holds point " + global + " with another vector than the collection's";
            } else if (!graph.contains(local)) {
                return "holds point " + global + " unlinked";
            }
        }
        int extra = localOf.size() - (members.length - missing);
        if (missing > 0 || extra > 0 || graph.size() != localOf.size()) {
            return "holds " + localOf.size() + " points (" + graph.size() + " linked), " + missing + " of the tenant's "
                    + members.length + " missing and " + extra + " not the tenant's";
        }
        return null;
    }

    /**
     * About how many of the held points {@code accept} admits, from up to {@value #ESTIMATE_SAMPLE}
     * of them spread evenly over the local ordinals (a fixed sample: a query plans alike each time).
     */
    int estimateMatches(Bits accept) {
        int[] table = globals;
        int held = Math.min(table.length, vectors.size());
        if (held == 0) {
            return 0;
        }
        int step = Math.max(1, held / ESTIMATE_SAMPLE);
        int sampled = 0;
        int accepted = 0;
        for (int local = 0; local < held; local += step) {
            if (table[local] != NONE && graph.contains(local)) {
                sampled++;
                accepted += accept.get(table[local]) ? 1 : 0;
            }
        }
        return sampled == 0 ? 0 : (int) ((long) accepted * graph.size() / sampled);
    }

    /**
     * The {@code k} best points {@code accept} admits (a test on collection ordinals), best first,
     * as collection ordinals into {@code ordinals}/{@code scores}; returns how many. A traversal
     * of the tenant's graph with the budget of the scan of {@code matches} (estimated by
     * {@code budget}); past it, the scan of the matches it holds ({@link GraphIndex#searchOrScan}).
     */
    int search(float[] query, int k, int ef, Bits accept, Supplier<OrdinalSet> matches, long budget,
               Deadline deadline, int[] ordinals, float[] scores) {
        int[] table = globals;
        Bits local = ordinal -> ordinal < table.length && table[ordinal] != NONE && accept.get(table[ordinal]);
        int n = graph.searchOrScan(query, k, ef, local, () -> toLocal(matches.get(), table), budget, deadline,
                ordinals, scores);
        for (int i = 0; i < n; i++) {
            ordinals[i] = table[ordinals[i]];
        }
        return n;
    }

    /** Marks entries from {@code from} on as not handed out, so a search never reads a default 0 as an ordinal. */
    private static int[] unset(int[] table, int from) {
        Arrays.fill(table, from, table.length, NONE);
        return table;
    }

    /** The local ordinals of the held points in {@code matches}. */
    private OrdinalSet toLocal(OrdinalSet matches, int[] table) {
        int held = Math.min(table.length, vectors.size());
        OrdinalSet out = new OrdinalSet(Math.max(held, 1));
        for (int local = 0; local < held; local++) {
            if (table[local] != NONE && graph.contains(local) && matches.get(table[local])) {
                out.add(local);
            }
        }
        return out;
    }
}
