package dev.vdb.engine.graph;

import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.index.Bits;
import dev.vdb.engine.vectors.CollectionVectors;
import dev.vdb.index.Deadline;
import dev.vdb.index.GraphVectors;
import dev.vdb.index.OrdinalSet;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.hnsw.HnswIndex;
import dev.vdb.index.hnsw.HnswParams;
import dev.vdb.index.hnsw.HnswSearcher;
import dev.vdb.index.hnsw.SearchResults;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection's HNSW graph ({@link HnswIndex}) over its {@link CollectionVectors}, with what the
 * engine adds around it: the graph file (saved on close, loaded on open), reconciliation with
 * the live ordinals from RocksDB on open, and a small pool of searchers.
 *
 * <p>The graph is derived state. On open a saved graph is used only after its checksum and
 * structure pass ({@link HnswIndex#readFrom}), and it is then brought in line with RocksDB: live
 * ordinals it lacks are added and ordinals it holds that are no longer live are deleted (an
 * ordinal's vector never changes, so a graph node is either right or dead). A missing or damaged
 * file, or one that lags by more than half the collection, is rebuilt instead. Either way a
 * search never answers from a graph that disagrees with RocksDB. Deletes are applied before open
 * returns; the live ordinals the saved graph lacks (the writes after its last checkpoint) become
 * the graph's <em>backlog</em>, linked in the background ({@link BacklogLinker}) while searches
 * score the part not linked yet exactly ({@link #unlinked}), so the time to the first search
 * does not grow with the tail a crash left.
 *
 * <p>Thread safety: {@link #add}, {@link #delete} and {@link #search} may run concurrently;
 * {@link #save} must not overlap adds and deletes (searches are fine). The backlog has one
 * linking thread, which advances {@link #backlogLinked} after each chunk's nodes are linked, so a
 * reader of {@link #unlinked} never misses a node that is neither linked nor listed. A search borrows a searcher (scratch owned by one
 * thread at a time) from a bounded queue instead of a ThreadLocal, so pooled scratch dies with
 * the collection; it allocates only when the pool is empty.
 */
public final class GraphIndex {

    private static final Logger LOG = LoggerFactory.getLogger(GraphIndex.class);
    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    /**
     * Adds at least this large are linked on the cores no other write is linking on: a batch of
     * 1,000 images from one writer thread links in 1.38-1.49 s per 20,000 instead of 2.49-2.64,
     * one of 64 in 1.66-2.02 s instead of 2.45-2.59 (docs/BENCHMARKS.md, "Eleventh session").
     */
    static final int PARALLEL_ADD_MIN = 64;
    private static final int[] NO_ORDINALS = new int[0];

    private final HnswIndex index;
    private final BlockingQueue<Searcher> searchers = new ArrayBlockingQueue<>(2 * THREADS);
    /** What open had to do: null when the saved graph matched RocksDB, else the log line's gist. */
    private final String repairedBecause;
    /** Whether the graph differs from the saved file: repaired on open, or changed since. */
    private volatile boolean unsaved;
    /** Nodes added or deleted since the graph was loaded or last saved. */
    private final LongAdder changesSinceSave = new LongAdder();
    /** Distance computations made by searches, for metrics and the planner's tests. */
    private final LongAdder searchDistances = new LongAdder();
    /** Filtered traversals that gave up and scanned. */
    private final LongAdder fallbackScans = new LongAdder();
    /** Live ordinals open found missing from the saved graph, in the order they are linked. */
    private final int[] backlog;
    /** How many of {@link #backlog} are linked; written by the linking thread only. */
    private volatile int backlogLinked;

    /** Writes in {@link #add} now: a batch takes the cores the others leave it. */
    private final AtomicInteger linkingWrites = new AtomicInteger();
    /** Keeps the graph's level-0 scores while a bulk load's small batches come in. */
    private final BulkAddScores bulkAddScores;

    /** A searcher with its result buffer, used by one thread at a time. */
    private record Searcher(HnswSearcher searcher, SearchResults results) {}

    private GraphIndex(HnswIndex index, String repairedBecause, int[] backlog) {
        this.index = index;
        this.repairedBecause = repairedBecause;
        this.unsaved = repairedBecause != null;
        this.backlog = backlog;
        this.bulkAddScores = new BulkAddScores(index, BulkAddScores.IDLE_NANOS);
    }

    /**
     * A graph of nodes added from now on (a tenant's graph, over its own store), with the pool and
     * counters of a collection's graph but no file of its own.
     */
    public static GraphIndex over(HnswIndex index) {
        return new GraphIndex(index, null, NO_ORDINALS);
    }

    /** Null when open found the saved graph in line with RocksDB, else why it was replayed or rebuilt. */
    public String repairedBecause() {
        return repairedBecause;
    }

    /** The index parameters of a collection's configuration. */
    public static HnswParams params(HnswConfig config) {
        return new HnswParams(config.m(), config.efConstruct(), HnswParams.DEFAULT_SEED);
    }

    /**
     * Loads the graph saved in {@code file} and reconciles it with {@code live}, or builds one.
     * The store must hold every live vector; ordinals below {@code live.nextOrdinal()} that are
     * not live may be named by a saved graph, so the store is sized to cover them.
     */
    public static GraphIndex open(String collection, Path file, DerivedFiles.FileState state,
                                  CollectionVectors collectionVectors, VectorSimilarity similarity, HnswConfig config,
                                  LiveOrdinals live) {
        if (live.nextOrdinal() > collectionVectors.full().size()) {
            // dead ordinals keep a zero vector: a saved graph may still walk through them
            collectionVectors.set(live.nextOrdinal() - 1, new float[collectionVectors.dimension()]);
        }
        GraphVectors vectors = collectionVectors.graphVectors();
        int[] liveOrdinals = live.toArray();
        HnswIndex loaded = null;
        String problem = null;
        if (!Files.isRegularFile(file)) {
            problem = "no saved graph";
        } else {
            if (state != null) {
                try {
                    DerivedFiles.verify(file, state);
                } catch (IOException e) {
                    // an older save (a crash between the file's commit and its record, or a file
                    // put back by hand): usable if its own checks pass, and then reconciled
                    LOG.info("collection '{}': the saved graph is not the last one recorded ({})", collection,
                            e.getMessage());
                }
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                loaded = HnswIndex.readFrom(in, vectors, similarity);
                loaded.useVectors(vectors, collectionVectors.current().insertVectors());
                problem = null;
            } catch (IOException | RuntimeException e) {
                problem = "the saved graph " + file.getFileName() + " is unusable (" + e.getMessage() + ")";
            }
        }
        if (loaded != null && !loaded.params().equals(params(config))) {
            problem = "the saved graph was built with " + loaded.params() + ", not " + params(config);
            loaded = null;
        }
        if (loaded != null) {
            try {
                GraphIndex reconciled = reconcile(collection, loaded, liveOrdinals, live);
                if (reconciled != null) {
                    return reconciled;
                }
                problem = "the saved graph lags RocksDB by more than half the collection";
            } catch (RuntimeException e) {
                problem = "the saved graph cannot be reconciled with RocksDB (" + e.getMessage() + ")";
            }
        }
        if (liveOrdinals.length > 0 || Files.exists(file)) {
            LOG.warn("collection '{}': {}; building the HNSW graph from RocksDB ({} points)",
                    collection, problem, liveOrdinals.length);
        }
        HnswIndex built = new HnswIndex(vectors, similarity, params(config));
        built.useVectors(vectors, collectionVectors.current().insertVectors());
        built.addAll(liveOrdinals, liveOrdinals.length >= PARALLEL_ADD_MIN ? THREADS : 1);
        return new GraphIndex(built, "rebuilt: " + problem, NO_ORDINALS);
    }

    /**
     * Replays the deletes missing from a loaded graph and makes the missing adds its backlog, or
     * returns null when a rebuild is cheaper.
     */
    private static GraphIndex reconcile(String collection, HnswIndex loaded, int[] liveOrdinals, LiveOrdinals live) {
        int[] missing = new int[liveOrdinals.length];
        int missingCount = 0;
        for (int ordinal : liveOrdinals) {
            if (!loaded.contains(ordinal)) {
                missing[missingCount++] = ordinal;
            }
        }
        int staleCount = loaded.size() - (liveOrdinals.length - missingCount);
        if (missingCount + staleCount > Math.max(1_000, liveOrdinals.length / 2)) {
            return null;
        }
        String replayed = null;
        if (missingCount > 0 || staleCount > 0) {
            replayed = "replayed " + missingCount + " adds and " + staleCount + " deletes";
            LOG.warn("collection '{}': the saved HNSW graph is stale; {} from RocksDB", collection, replayed);
        }
        for (int ordinal = 0, n = loaded.vectors().size(); staleCount > 0 && ordinal < n; ordinal++) {
            if (loaded.contains(ordinal) && !live.get(ordinal)) {
                loaded.delete(ordinal);
            }
        }
        if (loaded.unrepairedDeletes() > 0) {
            // the vectors of deleted points are gone from RocksDB (zero in the store, or stale in a
            // reused vector file): repaired,
            // no live list leads a search through them
            loaded.repairDeletes(THREADS);
        }
        return new GraphIndex(loaded, replayed, Arrays.copyOf(missing, missingCount));
    }

    /**
     * The live ordinals the graph may not have linked yet: the part of the backlog open left
     * (empty once linked). Some may be linked meanwhile, so a search that scores these exactly
     * merges them with its graph hits without counting one twice. A copy.
     */
    public int[] unlinked() {
        int linked = backlogLinked;
        return linked == backlog.length ? NO_ORDINALS : Arrays.copyOfRange(backlog, linked, backlog.length);
    }

    /** Whether part of the backlog is not linked yet. */
    public boolean hasBacklog() {
        return backlogLinked < backlog.length;
    }

    /** The next at most {@code max} ordinals of the backlog to link (empty when none is left). Linking thread only. */
    int[] nextBacklogChunk(int max) {
        int linked = backlogLinked;
        return Arrays.copyOfRange(backlog, linked, Math.min(backlog.length, linked + max));
    }

    /** Records that the chunk {@link #nextBacklogChunk} gave is linked. Linking thread only. */
    void backlogChunkLinked(int count) {
        backlogLinked = backlogLinked + count;
    }

    /**
     * Links new ordinals (their vectors already stored), a batch of {@value #PARALLEL_ADD_MIN} or
     * more on the cores other writes are not linking on (a lone writer's batch on all); keeps
     * the level-0 scores through a run of batches that builds a large part of the graph
     * ({@link BulkAddScores}).
     */
    public void add(int[] ordinals) {
        unsaved = true;
        changesSinceSave.add(ordinals.length);
        int writes = linkingWrites.incrementAndGet();
        try {
            bulkAddScores.beforeAdds(ordinals.length);
            int threads = ordinals.length >= PARALLEL_ADD_MIN ? Math.max(1, THREADS / writes) : 1;
            // one pooled inserter per thread for the whole batch, not one borrowed per point: an
            // inserter's buffers then stay in the cache of the core that links with them
            index.addAll(ordinals, threads);
        } finally {
            linkingWrites.decrementAndGet();
            bulkAddScores.afterAdds();
        }
    }

    /** Deletes {@code ordinal}; false (nothing changes) when it is not live in the graph (not added yet, or deleted). */
    public boolean delete(int ordinal) {
        unsaved = true;
        changesSinceSave.increment();
        return index.delete(ordinal);
    }

    /**
     * Makes searches and inserts that start from now on use {@code searched} and {@code inserted} (see
     * {@link HnswIndex#useVectors}); a quantization change calls it under the state's write side.
     */
    public void useVectors(GraphVectors searched, GraphVectors inserted) {
        index.useVectors(searched, inserted);
        // a pooled searcher's scorer keeps the vectors it last read (a whole set of old codes);
        // one in use now refreshes its scorer on its next search
        searchers.clear();
    }

    /** Heap the graph's structure holds (not its vectors). */
    public long memoryBytes() {
        return index.graphMemoryBytes();
    }

    /** Distance computations all searches of this graph have made. */
    public long searchDistanceComputations() {
        return searchDistances.sum();
    }

    /** Nodes added or deleted since the graph was loaded or last saved. */
    public long changesSinceSave() {
        return changesSinceSave.sum();
    }

    /** Whether {@code ordinal} is a live node of the graph. */
    public boolean contains(int ordinal) {
        return index.contains(ordinal);
    }

    /** Live nodes in the graph. */
    public int size() {
        return index.size();
    }

    /**
     * The {@code k} best accepted ordinals for a prepared query into {@code ordinals} and
     * {@code scores}, best first; returns how many.
     */
    public int search(float[] query, int k, int ef, Bits accept, int[] ordinals, float[] scores) {
        return search(query, k, ef, accept, Deadline.NONE, ordinals, scores);
    }

    /**
     * As {@link #search(float[], int, int, Bits, int[], float[])}, stopping at {@code deadline}
     * ({@link dev.vdb.index.DeadlineExceededException}; the searcher goes back to the pool usable).
     */
    public int search(float[] query, int k, int ef, Bits accept, Deadline deadline, int[] ordinals, float[] scores) {
        return search(query, k, ef, accept, null, deadline, ordinals, scores);
    }

    /**
     * As {@link #search(float[], int, int, Bits, Deadline, int[], float[])}, walking {@code walked}
     * (the same ordinals in another representation) instead of the index's vectors; null: the index's.
     */
    public int search(float[] query, int k, int ef, Bits accept, GraphVectors walked, Deadline deadline,
                      int[] ordinals, float[] scores) {
        return withSearcher(k, ordinals, scores, (searcher, out) -> {
            searcher.walk(walked);
            try {
                return searcher.search(query, k, ef, accept, deadline, out);
            } finally {
                searcher.walk(null);
            }
        });
    }

    /**
     * The {@code ef} best accepted ordinals a beam of width {@code ef} finds, then up to
     * {@code misses} more it scored but did not keep, best first
     * ({@link HnswSearcher#searchKeepingMisses}); returns how many.
     */
    public int searchKeepingMisses(float[] query, int ef, int misses, Bits accept, Deadline deadline, int[] ordinals,
                                   float[] scores) {
        return withSearcher(ef + misses, ordinals, scores,
                (searcher, out) -> searcher.searchKeepingMisses(query, ef, misses, accept, deadline, out));
    }

    /**
     * The filtered plan ({@link HnswSearcher#searchOrScan}): a traversal of at most about
     * {@code budget} distance computations, else an exact scan of {@code matches} that reuses
     * what the traversal scored.
     *
     * @param accept  the filter, tested per visited node
     * @param matches the same set, resolved only if the scan runs
     */
    public int searchOrScan(float[] query, int k, int ef, Bits accept, Supplier<OrdinalSet> matches, long budget,
                            int[] ordinals, float[] scores) {
        return searchOrScan(query, k, ef, accept, matches, budget, Deadline.NONE, ordinals, scores);
    }

    /**
     * As {@link #searchOrScan(float[], int, int, Bits, Supplier, long, int[], float[])}, stopping
     * at {@code deadline} ({@link dev.vdb.index.DeadlineExceededException}; the searcher goes back
     * to the pool usable).
     */
    public int searchOrScan(float[] query, int k, int ef, Bits accept, Supplier<OrdinalSet> matches, long budget,
                            Deadline deadline, int[] ordinals, float[] scores) {
        return withSearcher(k, ordinals, scores, (searcher, out) -> {
            int n = searcher.searchOrScan(query, k, ef, accept, () -> matches.get().words(), budget, deadline, out);
            if (searcher.scannedLast()) {
                fallbackScans.increment();
            }
            return n;
        });
    }

    /** Filtered traversals that gave up and finished by an exact scan. */
    public long fallbackScans() {
        return fallbackScans.sum();
    }

    private interface SearchCall {
        int run(HnswSearcher searcher, SearchResults out);
    }

    /** Runs {@code call} on a pooled searcher and copies its hits out; heaps a call grew are trimmed before reuse. */
    private int withSearcher(int k, int[] ordinals, float[] scores, SearchCall call) {
        Searcher s = searchers.poll();
        if (s == null) {
            s = new Searcher(index.newSearcher(), new SearchResults(k));
        }
        long before = s.searcher().distanceComputations();
        try {
            int n;
            try {
                n = call.run(s.searcher(), s.results());
            } finally {
                searchDistances.add(s.searcher().distanceComputations() - before); // counted even on a timeout
            }
            for (int i = 0; i < n; i++) {
                ordinals[i] = s.results().ordinal(i);
                scores[i] = s.results().score(i);
            }
            return n;
        } finally {
            s.searcher().trimScratch();
            if (s.results().capacity() <= HnswSearcher.KEPT_HEAP_CAPACITY) {
                searchers.offer(s);
            }
        }
    }

    /**
     * Writes the graph to {@code file} by the derived-file protocol ({@link DerivedFiles#commit})
     * and returns the state to record in RocksDB, or null when the file already holds exactly
     * this graph.
     */
    public DerivedFiles.FileState save(Path file) throws IOException {
        if (!unsaved && Files.isRegularFile(file)) {
            return null;
        }
        DerivedFiles.FileState state = DerivedFiles.commit(file, index::writeTo, 0);
        unsaved = false;
        changesSinceSave.reset();
        return state;
    }
}
