package dev.vdb.engine.collection;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.CollectionDiagnostics;
import dev.vdb.engine.CollectionMemory;
import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.FacetHit;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.PointSelector;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.ScrollPage;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.db.CollectionFiles;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.graph.GraphChange;
import dev.vdb.engine.search.HybridSearch;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.engine.write.CommittedWriteException;
import dev.vdb.engine.write.PointEdits;
import dev.vdb.engine.write.PointValidator;
import dev.vdb.engine.write.PointWriter;
import dev.vdb.engine.write.WriteFaults;
import dev.vdb.engine.write.WriteStep;
import dev.vdb.index.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection of the embedded database: checks each call's arguments, runs it inside the
 * collection's {@link CallGuard} against what is loaded in memory ({@link LoadedCollection}),
 * and keeps that in line with RocksDB, the source of truth.
 *
 * <p>A collection loads on its first call, not when the database opens, and when
 * {@link DbOptions#unloadAfterIdle} is set, {@link #unloadIfIdle} releases its memory after that
 * long untouched (saving its derived files as a close does); the next call loads it again.
 *
 * <p>Should applying a committed write in memory fail ({@link CommittedWriteException}: out of
 * memory, say), the collection reloads itself from RocksDB, which holds the write, and the call
 * returns as if nothing had happened; calls that start meanwhile wait for the reload. Should the
 * reload fail too, calls fail with its error until a later one reloads successfully.
 *
 * <p>Thread safety: every method is thread-safe; see {@link LoadedCollection}'s parts for the
 * locks (a writer lock, the published state's read-write lock, graph maintenance's lock).
 */
public final class RocksCollection implements VectorCollection {

    private static final Logger LOG = LoggerFactory.getLogger(RocksCollection.class);

    private final String name;
    /** Replaced only by {@link #updateQuantization}, under {@link #configLock}, after the catalog holds it. */
    private volatile CollectionConfig config;
    private final Object configLock = new Object();
    private final ConfigRecorder configRecorder;
    private final PointStore store;
    private final DbOptions options;
    private final CollectionFiles files;
    private final WriteFaults faults;
    private final CallGuard guard;
    /** Replaced only while the guard is held exclusively; null before the first call, when unloaded or after a reload failed. */
    private volatile LoadedCollection loaded;
    /** {@link System#nanoTime} of the last call's start: what {@link #unloadIfIdle} measures. */
    private volatile long lastCallNanos = System.nanoTime();
    /** Why the last reload failed, or null. */
    private volatile RuntimeException reloadFailure;

    private RocksCollection(String name, CollectionConfig config, PointStore store, DbOptions options,
                            CollectionFiles files, WriteFaults faults, ConfigRecorder configRecorder) {
        this.name = name;
        this.configRecorder = configRecorder;
        this.config = config;
        this.store = store;
        this.options = options;
        this.files = files;
        this.faults = faults;
        this.guard = new CallGuard(name);
    }

    /** A collection stored in RocksDB, loaded into memory by its first call. */
    public static RocksCollection unloaded(String name, CollectionConfig config, PointStore store, DbOptions options,
                                           CollectionFiles files, WriteFaults faults, ConfigRecorder configRecorder) {
        return new RocksCollection(name, config, store, options, files, faults, configRecorder);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Records the new quantization in the catalog, then has the loaded collection rebuild its
     * vectors in the background ({@link dev.vdb.engine.vectors.Requantizer}); an unloaded one
     * loads with it.
     */
    @Override
    public void updateQuantization(QuantizationConfig quantization) {
        synchronized (configLock) {
            CollectionConfig next = config.withQuantization(quantization);
            if (next.equals(config)) {
                return;
            }
            configRecorder.record(name, next);
            config = next;
            try (CallGuard.Call ignored = guard.enter()) {
                LoadedCollection c = loaded;
                if (c != null) {
                    c.requantizer.request(quantization);
                }
            }
        }
    }

    /**
     * Waits until no quantization build runs or is pending (tests and tools; searches never need
     * to); true unless {@code timeout} passed first or the collection is not loaded.
     */
    public boolean awaitQuantization(Duration timeout) throws InterruptedException {
        LoadedCollection c = loaded;
        return c != null && c.requantizer.awaitIdle(timeout.toMillis());
    }

    @Override
    public CollectionMemory memory() {
        try (CallGuard.Call ignored = guard.enter()) {
            LoadedCollection c = loaded;
            return c == null ? new CollectionMemory(0, 0, 0) : c.memory();
        }
    }

    @Override
    public CollectionConfig config() {
        return config;
    }

    public PointStore store() {
        return store;
    }

    /** Where the collection's derived files live. */
    public CollectionFiles files() {
        return files;
    }

    /** Holds the collection still for a snapshot ({@link SnapshotHold}); the caller closes it. */
    public SnapshotHold holdForSnapshot() {
        while (true) {
            CallGuard.Call call = guard.enter();
            LoadedCollection c = loaded;
            if (c != null) {
                return new SnapshotHold(this, call, c.checkpointLock());
            }
            call.close();
            reload(null, null);
        }
    }

    // ---- writes ------------------------------------------------------------------------------

    @Override
    public int upsert(List<Point> points) {
        PointValidator.validateBatch(points, config.dimension(), options);
        Map<PointId, Point> byId = new LinkedHashMap<>();
        for (Point p : points) {
            byId.remove(p.id());
            byId.put(p.id(), p);
        }
        if (byId.isEmpty()) {
            return 0;
        }
        List<Point> batch = new ArrayList<>(byId.values());
        return write(c -> {
            GraphChange change = c.writer.upsert(batch, c.state.text().analyse(batch));
            applyToGraph(c, change, batch.size());
            return batch.size();
        });
    }

    @Override
    public int delete(List<PointId> ids) {
        PointValidator.validateIds(ids, options.maxBatchPoints());
        byte[][] distinct = new LinkedHashSet<>(ids).stream().map(PointCodec::idBytes).toArray(byte[][]::new);
        if (distinct.length == 0) {
            return 0;
        }
        return write(c -> {
            int[] removed = c.writer.delete(distinct);
            applyToGraph(c, GraphChange.removing(removed), removed.length);
            return removed.length;
        });
    }

    @Override
    public int deleteByFilter(Filter filter, Duration timeout) {
        requireFilter(filter);
        return QueryDeadlines.within("delete by filter", timeout, deadline -> write(c -> {
            int[] removed = c.writer.deleteMatching(filter, store::payloads, deadline);
            applyToGraph(c, GraphChange.removing(removed), removed.length);
            return removed.length;
        }));
    }

    @Override
    public int setPayload(PointSelector points, Map<String, ?> payload) {
        return rewrite(points, PointEdits.mergePayload(payload), found -> { });
    }

    @Override
    public int overwritePayload(PointSelector points, Map<String, ?> payload) {
        return rewrite(points, PointEdits.replacePayload(payload), found -> { });
    }

    @Override
    public int deletePayloadKeys(PointSelector points, List<String> keys) {
        return rewrite(points, PointEdits.removePayloadKeys(keys), found -> { });
    }

    @Override
    public int clearPayload(PointSelector points) {
        return rewrite(points, PointEdits.replacePayload(null), found -> { });
    }

    @Override
    public int updateVectors(Map<PointId, float[]> vectors) {
        PointEdits.validateVectors(vectors, config.dimension(), options.maxBatchPoints());
        List<PointId> ids = List.copyOf(vectors.keySet());
        return rewrite(PointSelector.ids(ids), PointEdits.replaceVectors(vectors), PointEdits.requireAll(ids));
    }

    /** Reads the selected points, changes each and writes them back as one upsert, no write in between. */
    private int rewrite(PointSelector points, UnaryOperator<Point> change, Consumer<List<Point>> check) {
        if (points == null) {
            throw new IllegalArgumentException("points must not be null");
        }
        if (points instanceof PointSelector.Ids list) {
            PointValidator.validateIds(list.ids(), options.maxBatchPoints());
        }
        return write(c -> {
            PointWriter.Rewritten done = c.writer.rewrite(() -> switch (points) {
                case PointSelector.Ids list -> new ArrayList<>(new LinkedHashSet<>(list.ids()));
                case PointSelector.ByFilter f -> c.writer.matchingIds(f.filter(), store::payloads);
            }, p -> PointValidator.checkPayload(change.apply(p), options.maxPayloadBytes(), "payload"), check,
                    c.state.text()::analyse);
            applyToGraph(c, done.graphChange(), done.points());
            return done.points();
        });
    }

    /** Links and unlinks a committed write's ordinals; a failure is a committed write not applied. */
    private void applyToGraph(LoadedCollection c, GraphChange change, int written) {
        try {
            faults.at(WriteStep.GRAPH);
            c.graph.apply(change, c::notLive);
            c.tenants.apply(change);
            c.requantizer.retrainIfGrown(c.state.read(() -> c.state.live().count()));
            c.requantizer.dropRetiredWholeNumbers();
            c.checkpointIfDue();
        } catch (RuntimeException | Error e) {
            throw new CommittedWriteException(name, e, written);
        }
    }

    @Override
    public void createPayloadIndex(String field, PayloadSchema schema) {
        createPayloadIndex(field, schema, false);
    }

    @Override
    public void createPayloadIndex(String field, PayloadSchema schema, boolean isTenant) {
        if (field == null || field.isEmpty()) {
            throw new IllegalArgumentException("field_name must be a non-empty string, got " + (field == null ? "nothing" : "''"));
        }
        if (schema == null) {
            throw new IllegalArgumentException("field_schema must be one of " + PayloadSchema.names() + ", got nothing");
        }
        if (isTenant && schema != PayloadSchema.KEYWORD) {
            throw new IllegalArgumentException("is_tenant applies to keyword indexes only, got field_schema "
                    + schema.apiName() + " for '" + field + "'");
        }
        call(c -> {
            c.payloadIndexWriter.create(field, schema, isTenant, c.tenants);
            return null;
        });
    }

    @Override
    public boolean deletePayloadIndex(String field) {
        if (field == null || field.isEmpty()) {
            throw new IllegalArgumentException("field_name must be a non-empty string, got " + (field == null ? "nothing" : "''"));
        }
        return call(c -> c.payloadIndexWriter.drop(field, c.tenants));
    }

    @Override
    public Optional<String> tenantField() {
        return call(c -> Optional.ofNullable(c.tenants.field()));
    }

    // ---- reads -------------------------------------------------------------------------------

    @Override
    public Optional<Point> get(PointId id) {
        if (id == null) {
            throw new IllegalArgumentException("id must not be null");
        }
        List<Point> found = get(List.of(id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public List<Point> get(List<PointId> ids) {
        PointValidator.validateIds(ids, options.maxBatchPoints());
        return call(c -> store.read(ids));
    }

    @Override
    public long count() {
        return call(c -> c.searches.count(null, Deadline.NONE));
    }

    @Override
    public long count(Filter filter, Duration timeout) {
        requireFilter(filter);
        return QueryDeadlines.within("count", timeout, deadline -> call(c -> c.searches.count(filter, deadline)));
    }

    @Override
    public List<FacetHit> facet(String key, Filter filter, int limit) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must name a payload field, got " + (key == null ? "none" : "an empty name"));
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return call(c -> c.searches.facet(key, filter, limit));
    }

    @Override
    public Map<String, PayloadSchema> payloadIndexes() {
        return call(c -> c.state.read(c.state.payloadIndexes()::schemas));
    }

    @Override
    public long indexedVectorsCount() {
        return call(c -> (long) c.graph.graph().size());
    }

    @Override
    public List<ScoredPoint> search(SearchRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        float[] query = null;
        if (request.vector() != null) {
            PointValidator.checkVector(request.vector(), config.dimension(), "vector", "");
            query = config.distance().similarity().prepare(request.vector());
        }
        HybridSearch.checkText(request.text());
        float[] prepared = query;
        return QueryDeadlines.within("search", request.timeout(),
                deadline -> call(c -> c.searches.search(request, prepared, deadline)));
    }

    @Override
    public ScrollPage scroll(ScrollRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        return call(c -> c.scroller.scroll(request));
    }

    @Override
    public List<Point> sample(ScrollRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        return call(c -> c.scroller.sample(request));
    }

    @Override
    public CollectionDiagnostics diagnostics() {
        return call(LoadedCollection::diagnostics);
    }

    /**
     * Checks that memory and the derived structures agree with RocksDB (see
     * {@code DatabaseCheck}); returns the problems found, none when all agree. Waits for running
     * writes and blocks new ones while it scans.
     */
    public List<String> verify() {
        return call(LoadedCollection::verify);
    }

    private static void requireFilter(Filter filter) {
        if (filter == null) {
            throw new IllegalArgumentException("filter must not be null");
        }
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    @Override
    public boolean isLoaded() {
        return loaded != null;
    }

    /**
     * Releases the collection's memory, saving its derived files as a close does, when no call
     * has started for {@code idleNanos} and none runs; the next call loads it again. Never waits
     * for a running call. Returns whether it unloaded.
     */
    public boolean unloadIfIdle(long idleNanos) {
        if (loaded == null || System.nanoTime() - lastCallNanos < idleNanos) {
            return false;
        }
        return guard.tryExclusive(() -> {
            LoadedCollection c = loaded;
            if (c == null || System.nanoTime() - lastCallNanos < idleNanos) {
                return false;
            }
            try {
                c.saveAndRelease();
            } finally {
                loaded = null; // after the save: whoever sees the collection unloaded finds its files written
            }
            LOG.info("collection '{}': unloaded after {} s idle", name, (System.nanoTime() - lastCallNanos) / 1_000_000_000L);
            return true;
        });
    }

    /** Runs {@code action} in a call against the loaded collection, loading it first when needed. */
    private <T> T call(Function<LoadedCollection, T> action) {
        lastCallNanos = System.nanoTime();
        while (true) {
            try (CallGuard.Call ignored = guard.enter()) {
                LoadedCollection c = loaded;
                if (c != null) {
                    return action.apply(c);
                }
            }
            reload(null, null);
        }
    }

    /**
     * Runs a write in a call; when it was committed but could not be applied in memory, reloads
     * the collection from RocksDB (which has it) and returns what the write stored.
     */
    private int write(Function<LoadedCollection, Integer> action) {
        LoadedCollection before = null;
        lastCallNanos = System.nanoTime();
        try {
            while (true) {
                try (CallGuard.Call ignored = guard.enter()) {
                    before = loaded;
                    if (before != null) {
                        return action.apply(before);
                    }
                }
                reload(null, null);
            }
        } catch (CommittedWriteException e) {
            LOG.error("{}; reloading it from RocksDB", e.getMessage(), e);
            reload(before, e);
            return e.written();
        }
    }

    /**
     * Replaces {@code stale} (what a failed write left wrong; null when nothing is loaded) by a
     * fresh load from RocksDB, once no call runs; nothing when it was replaced meanwhile.
     *
     * @throws RuntimeException the load's failure, which later calls also meet until one succeeds
     */
    private void reload(LoadedCollection stale, CommittedWriteException cause) {
        guard.exclusive(() -> {
            if (loaded != stale) {
                return; // another call reloaded meanwhile
            }
            loaded = null;
            if (stale != null) {
                stale.release();
            }
            try {
                long start = System.nanoTime();
                loaded = CollectionLoader.load(name, config, store, files, faults);
                reloadFailure = null;
                LOG.info("collection '{}': {} from RocksDB in {} ms", name, stale == null ? "loaded" : "reloaded",
                        (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException | Error e) {
                reloadFailure = e instanceof RuntimeException re ? re
                        : new IllegalStateException("collection '" + name + "': reloading from RocksDB failed: " + e, e);
            }
        });
        RuntimeException failure = reloadFailure;
        if (failure != null && loaded == null) {
            throw failure;
        }
    }

    /**
     * Stops the collection once running calls have finished, saving the HNSW graph and the
     * BM25 snapshot and recording a clean id-map close in RocksDB.
     */
    public void close(String reason) {
        guard.close(reason, () -> {
            if (loaded != null) {
                loaded.saveAndRelease();
            }
        });
    }

    /**
     * Runs {@code swap} once no call runs and none can start (calls arriving meanwhile wait); if
     * it returns, the collection is closed for {@code reason} and its memory released (a snapshot
     * recovery put another collection in its place; the database deletes its records and files).
     * If it throws, nothing changes.
     */
    public void replace(String reason, Runnable swap) {
        guard.closeAfter(reason, () -> {
            swap.run();
            if (loaded != null) {
                loaded.release();
            }
        });
    }

    /** Loads the collection now if it is not loaded (a recovery proves a restored collection loads). */
    public void load() {
        call(c -> Boolean.TRUE);
    }

    /** Stops the collection once running calls have finished, releasing its memory (the database deletes its data). */
    public void drop() {
        guard.close(CallGuard.DROPPED, () -> {
            if (loaded != null) {
                loaded.release();
            }
        });
    }
}
