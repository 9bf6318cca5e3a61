package dev.vdb.index.hnsw;

import dev.vdb.index.GraphVectors;
import dev.vdb.index.VectorSimilarity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A hierarchical navigable small world graph (Malkov &amp; Yashunin) over {@link GraphVectors}
 * (float32 pages or quantized codes), addressed by dense ordinal. Levels are drawn with mL = 1/ln(M) from a
 * generator seeded by {@link HnswParams#seed()} and the ordinal, neighbours are chosen by the
 * paper's heuristic, level 0 keeps up to 2·M links and the upper levels M.
 *
 * <p>The stored vector of an ordinal never changes while it is in the index: an update is a
 * {@link #delete} of the old ordinal and an {@link #add} of a new one. A vector must be in the
 * store, prepared by {@link VectorSimilarity#prepare}, before its ordinal is added.
 *
 * <p>Deletes are tombstones: a deleted node is never returned but searches still walk through
 * it. Once the tombstones not yet repaired exceed {@value #REPAIR_FRACTION} of the live nodes
 * (and at least {@value #REPAIR_MIN_DELETES}), the delete that crosses the threshold runs
 * {@link #repairDeletes} on every core before it returns: in every live list that points at a
 * deleted node, the deleted neighbours give way to their own live neighbours (the live ones
 * stay), and the newcomers link back (see {@code NodeInserter.repair}). After deleting 30% of
 * a set the recall matches a fresh build over the survivors. Deleted nodes keep their own
 * lists, so a search that stands on one can still leave it.
 *
 * <p>Thread safety: {@link #add}, {@link #delete}, {@link #repairDeletes} and searches may run
 * concurrently on any threads; writers lock one node at a time, never the whole graph.
 * {@link #writeTo} must not overlap writes (searches are fine). Searches are allocation-free
 * through {@link HnswSearcher}; adds allocate only the new node's upper-level lists.
 */
public final class HnswIndex {

    /** Unrepaired tombstones, as a fraction of live nodes, that trigger {@link #repairDeletes}. */
    public static final double REPAIR_FRACTION = 0.1;
    /** Fewest unrepaired tombstones that trigger {@link #repairDeletes}. */
    public static final int REPAIR_MIN_DELETES = 64;
    private static final int MAX_LEVEL = 31;

    /** What searches score: replaced by {@link #useVectors}, read once per search. */
    private volatile GraphVectors vectors;
    /** What inserts score (the same, or the full-precision vectors of codes too coarse to build with). */
    private volatile GraphVectors insertVectors;
    private final VectorSimilarity similarity;
    private final HnswParams params;
    private final HnswGraph graph;
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger unrepairedDeletes = new AtomicInteger();
    private final ReentrantLock repairLock = new ReentrantLock();
    /**
     * Inserters for {@link #add} callers and {@link #addAll} workers, one per concurrent one; each
     * holds about 4.1 bytes per node of scratch (its visited set and its beam's scores), so a
     * batch does not allocate it again.
     */
    private final ConcurrentLinkedQueue<NodeInserter> inserters = new ConcurrentLinkedQueue<>();

    public HnswIndex(GraphVectors vectors, VectorSimilarity similarity, HnswParams params) {
        this(vectors, similarity, params, HnswGraph.PAGE_NODES);
    }

    /**
     * An index whose graph allocates {@code pageNodes} nodes at a time (a power of two from
     * {@value #MIN_PAGE_NODES} to {@value HnswGraph#PAGE_NODES}, the default): a graph that stays
     * small (one tenant's) then holds about {@code pageNodes × (2·M + 1)} ints, not the default page's.
     * Fewer if a page of {@code pageNodes} would exceed {@link HnswGraph#MAX_PAGE_BYTES}.
     */
    public HnswIndex(GraphVectors vectors, VectorSimilarity similarity, HnswParams params, int pageNodes) {
        if (vectors == null || similarity == null || params == null) {
            throw new IllegalArgumentException("vectors, similarity and params must not be null, got "
                    + vectors + ", " + similarity + ", " + params);
        }
        if (Integer.bitCount(pageNodes) != 1 || pageNodes < MIN_PAGE_NODES || pageNodes > HnswGraph.PAGE_NODES) {
            throw new IllegalArgumentException("pageNodes must be a power of two in " + MIN_PAGE_NODES + ".."
                    + HnswGraph.PAGE_NODES + ", got " + pageNodes);
        }
        this.vectors = vectors;
        this.insertVectors = vectors;
        this.similarity = similarity;
        this.params = params;
        this.graph = new HnswGraph(params.m(), pageNodes);
    }

    /** The smallest page of nodes a graph may take. */
    public static final int MIN_PAGE_NODES = 64;

    public HnswParams params() {
        return params;
    }

    public VectorSimilarity similarity() {
        return similarity;
    }

    public GraphVectors vectors() {
        return vectors;
    }

    /**
     * Makes searches that start from now on walk {@code searched} and inserts score with
     * {@code inserted} (other representations of the same vectors: codes instead of floats, new
     * codes, or full precision to build with while searches walk coarse codes); those running
     * finish on the old ones. Both must hold every ordinal the current ones do.
     */
    public void useVectors(GraphVectors searched, GraphVectors inserted) {
        for (GraphVectors replacement : new GraphVectors[] {searched, inserted}) {
            if (replacement.dimension() != vectors.dimension() || replacement.size() < vectors.size()) {
                throw new IllegalArgumentException("replacement vectors must have dimension " + vectors.dimension()
                        + " and hold every ordinal the current ones do, got dimension " + replacement.dimension()
                        + " and " + replacement.size() + " vectors");
            }
        }
        insertVectors = inserted;
        vectors = searched;
        graph.forgetFloors(); // they bound the scores of what inserts scored until now
        graph.forgetScores();
        // a pooled inserter's scorer keeps the vectors it last read (a whole set of old codes)
        inserters.clear();
    }

    /** What inserts score. */
    GraphVectors insertVectors() {
        return insertVectors;
    }

    /**
     * Links the vector stored at {@code ordinal} into the graph. Thread-safe, concurrent with
     * searches and other adds.
     *
     * @throws IllegalArgumentException if the ordinal has no vector in the store, is already in
     *     the index, or was deleted (an update takes a new ordinal)
     */
    public void add(int ordinal) {
        NodeInserter inserter = borrowInserter();
        try {
            add(ordinal, inserter);
        } finally {
            giveBack(inserter);
        }
    }

    /** A pooled inserter, or a new one when none is free. */
    private NodeInserter borrowInserter() {
        NodeInserter inserter = inserters.poll();
        return inserter != null ? inserter : newInserter();
    }

    /** Pools {@code inserter} for the next add, unless it scores vectors the index no longer inserts with. */
    private void giveBack(NodeInserter inserter) {
        inserters.offer(inserter);
        if (!inserter.scoresWith(insertVectors)) {
            inserters.remove(inserter); // useVectors ran meanwhile, its clear perhaps before this offer
        }
    }

    /**
     * Adds {@code ordinals} on {@code threads} threads (use every core:
     * {@code Runtime.getRuntime().availableProcessors()}); returns when all are linked. A batch
     * for which {@link #keepingScoresPays} keeps the scores of the level-0 lists while it runs.
     */
    public void addAll(int[] ordinals, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        AtomicInteger next = new AtomicInteger();
        boolean keepScores = keepingScoresPays(ordinals.length, size());
        if (keepScores) {
            startKeepingScores();
        }
        try {
            parallel(threads, () -> i -> {
                NodeInserter inserter = borrowInserter();
                try {
                    int at;
                    while ((at = next.getAndIncrement()) < ordinals.length) {
                        add(ordinals[at], inserter);
                    }
                } finally {
                    giveBack(inserter);
                }
            });
        } finally {
            if (keepScores) {
                stopKeepingScores();
            }
        }
    }

    /**
     * Whether {@code adds} adds into a graph of {@code size} nodes are worth keeping the level-0
     * lists' scores for ({@link #startKeepingScores}): when they make up at least a quarter of the
     * graph they leave. Fewer, into a large graph, would pay that memory for few link backs.
     */
    public static boolean keepingScoresPays(long adds, long size) {
        return 4 * adds >= size + adds;
    }

    /**
     * Keeps the scores of the level-0 lists from now on (those written before stay unknown) until
     * as many {@link #stopKeepingScores} calls: 2M floats per node, as Lucene's builder holds them.
     * A link back to a full list then scores one pair instead of the whole list: 2-thread builds
     * 6 % faster on GloVe-100 and 9 % at d = 784 through {@link #addAll}, 12 % for single adds
     * from two threads at d = 784. {@link #addAll} keeps them for a large batch; a caller that
     * adds a large run through single adds or small batches (a bulk load) keeps them for the run.
     */
    public void startKeepingScores() {
        graph.openScoreCache();
    }

    /** Ends one {@link #startKeepingScores}; the last frees the scores. */
    public void stopKeepingScores() {
        graph.closeScoreCache();
    }

    /** Whether the level-0 lists' scores are kept now. */
    public boolean keepsScores() {
        return graph.keepsScores();
    }

    private void add(int ordinal, NodeInserter inserter) {
        if (ordinal < 0 || ordinal >= vectors.size()) {
            throw new IllegalArgumentException("ordinal must be in [0, " + vectors.size()
                    + ") (vectors in the store), got " + ordinal);
        }
        if (!graph.claim(ordinal)) {
            throw new IllegalArgumentException("ordinal " + ordinal + " is already in the index"
                    + (graph.state(ordinal) == HnswGraph.DELETED ? " as deleted (an update takes a new ordinal)" : ""));
        }
        int level = randomLevel(ordinal);
        graph.allocate(ordinal, level);
        live.incrementAndGet();
        inserter.insert(ordinal, level);
    }

    /**
     * Removes {@code ordinal}: no search returns it afterwards. Returns false (and does
     * nothing) if it was not live. May run {@link #repairDeletes} (see the class comment).
     */
    public boolean delete(int ordinal) {
        if (ordinal < 0 || !graph.markDeleted(ordinal)) {
            return false;
        }
        int alive = live.decrementAndGet();
        int pending = unrepairedDeletes.incrementAndGet();
        if (pending >= REPAIR_MIN_DELETES && pending > REPAIR_FRACTION * alive && repairLock.tryLock()) {
            try {
                repairDeletesLocked(Runtime.getRuntime().availableProcessors());
            } finally {
                repairLock.unlock();
            }
        }
        return true;
    }

    /**
     * Rewrites, on {@code threads} threads, every live neighbour list that points at a
     * deleted node, and moves the entry point off a deleted node.
     */
    public void repairDeletes(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        repairLock.lock();
        try {
            repairDeletesLocked(threads);
        } finally {
            repairLock.unlock();
        }
    }

    private void repairDeletesLocked(int threads) {
        unrepairedDeletes.set(0);
        int capacity = graph.capacity();
        AtomicInteger next = new AtomicInteger();
        int chunk = 256;
        parallel(threads, () -> {
            NodeInserter inserter = newInserter();
            return i -> {
                int from;
                while ((from = next.getAndAdd(chunk)) < capacity) {
                    for (int node = from, to = Math.min(capacity, from + chunk); node < to; node++) {
                        if (graph.state(node) == HnswGraph.LIVE) {
                            inserter.repair(node);
                        }
                    }
                }
            };
        });
        moveEntryOffDeleted();
    }

    /** Replaces a deleted entry point by a live node of the highest level. */
    private void moveEntryOffDeleted() {
        long entry;
        while ((entry = graph.entry.get()) != HnswGraph.NO_ENTRY
                && graph.state(HnswGraph.entryNode(entry)) != HnswGraph.LIVE) {
            int best = -1;
            int bestLevel = -1;
            for (int node = 0, n = graph.capacity(); node < n; node++) {
                if (graph.state(node) == HnswGraph.LIVE && graph.level(node) > bestLevel) {
                    best = node;
                    bestLevel = graph.level(node);
                }
            }
            if (best < 0) {
                // every node is deleted: the tombstone stays the entry and searches find no hits
                return;
            }
            graph.entry.compareAndSet(entry, HnswGraph.packEntry(best, bestLevel));
        }
    }

    /** Whether {@code ordinal} is in the index and not deleted. */
    public boolean contains(int ordinal) {
        return ordinal >= 0 && graph.state(ordinal) == HnswGraph.LIVE;
    }

    /** Deleted nodes that live lists may still point at (none right after {@link #repairDeletes}). */
    public int unrepairedDeletes() {
        return unrepairedDeletes.get();
    }

    /** Live (added and not deleted) nodes. */
    public int size() {
        return live.get();
    }

    /** A new searcher, for one thread. */
    public HnswSearcher newSearcher() {
        return new HnswSearcher(this, false);
    }

    /** Heap bytes held by the graph (vectors not included; see {@link GraphVectors#heapBytes}). */
    public long graphMemoryBytes() {
        return graph.memoryBytes();
    }

    /**
     * Writes the graph (not the vectors) in the format of {@code docs/FORMAT.md}: magic, format
     * version, parameters, nodes, CRC32C. Does not close {@code out}.
     */
    public void writeTo(OutputStream out) throws IOException {
        HnswFormat.write(this, graph, out);
    }

    /**
     * Reads a graph written by {@link #writeTo} over {@code vectors}, which must hold every
     * vector it names.
     *
     * @throws IOException if the stream is truncated, damaged (checksum, bad field) or was
     *     written for another similarity, dimension or format version
     */
    public static HnswIndex readFrom(InputStream in, GraphVectors vectors, VectorSimilarity similarity)
            throws IOException {
        return HnswFormat.read(in, vectors, similarity);
    }

    HnswGraph graph() {
        return graph;
    }

    /** Called by {@link HnswFormat} after loading nodes. */
    void restoreCounts(int liveNodes, int deletedNodes) {
        live.set(liveNodes);
        unrepairedDeletes.set(deletedNodes);
    }

    /** Level of {@code ordinal}: floor(-ln(u) · mL), u uniform in (0, 1], seeded by seed and ordinal. */
    private int randomLevel(int ordinal) {
        double u = 1.0 - new SplittableRandom(params.seed() ^ (ordinal * 0x9E3779B97F4A7C15L)).nextDouble();
        return Math.min(MAX_LEVEL, (int) (-Math.log(u) * params.levelMultiplier()));
    }

    private NodeInserter newInserter() {
        return new NodeInserter(this, params.efConstruct());
    }

    /** Runs one worker per thread (the calling thread is one of them) and rethrows the first failure. */
    private static void parallel(int threads, java.util.function.Supplier<IntConsumer> workers) {
        if (threads == 1) {
            workers.get().accept(0);
            return;
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] started = new Thread[threads - 1];
        for (int t = 0; t < started.length; t++) {
            int id = t + 1;
            started[t] = Thread.ofPlatform().name("hnsw-worker-" + id).start(() -> {
                try {
                    workers.get().accept(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        try {
            workers.get().accept(0);
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
        for (Thread thread : started) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, e);
            }
        }
        Throwable first = failure.get();
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
        if (first != null) {
            throw new IllegalStateException("worker interrupted", first);
        }
    }
}
