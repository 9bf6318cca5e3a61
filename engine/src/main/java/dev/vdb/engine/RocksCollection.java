package dev.vdb.engine;

import dev.vdb.engine.filter.Filter;
import dev.vdb.index.Bits;
import dev.vdb.index.TopK;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.index.text.AnalyzedText;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection: its records in RocksDB ({@link PointStore}, the source of truth), its vectors
 * held in memory by dense ordinal in a {@link VectorStore}, its live ordinals in
 * {@link LiveOrdinals}, its HNSW graph in a {@link GraphIndex}, its id → ordinal map in an
 * {@link IdMap} file and its points' texts in a {@link TextIndex} (BM25, saved on close);
 * {@link HybridSearch} ranks vector, text and hybrid searches.
 *
 * <p>Thread safety: four per-collection locks, none shared with other collections. Every call
 * holds the read side of {@code lifecycle}; close and drop take its write side, so they wait for
 * running calls and native handles are never used after release. Writers (upsert, delete)
 * serialise on {@code writerLock} while they assign ordinals and write one synced WriteBatch;
 * they store new vectors at fresh ordinals (invisible so far) and then <em>publish</em> the
 * change to the live set and the text index (texts analysed before the writer lock) under the
 * write side of {@code stateLock}, held only for that swap and never across I/O. Graph inserts
 * run after the writer lock is released, so concurrent upserts index in parallel, holding the
 * read side of {@code graphLock}, whose write side a checkpoint (saving the graph every so many
 * changes) takes; the call returns once its points are in the graph. Searches hold the read
 * side of {@code stateLock} and accept only live ordinals, so a deleted id is never returned once
 * its delete has returned, and a changed vector always gets a new ordinal, so the graph never
 * sees a vector change under a running search. A search allocates its result lists and a heap or
 * buffer of {@code limit + offset} entries.
 */
final class RocksCollection implements VectorCollection {

    private static final Logger LOG = LoggerFactory.getLogger(RocksCollection.class);
    /**
     * How often a search that met a concurrent write while fetching payloads runs; the last time
     * it waits for writers, so it always answers in full.
     */
    private static final int FETCH_ATTEMPTS = 4;
    private static final String DROPPED = "dropped";
    /** Graph changes since the last save that trigger a checkpoint: at least this many ... */
    static final long CHECKPOINT_MIN_CHANGES = 10_000;
    /** ... and at least this fraction of the graph, so a crash replays a bounded tail. */
    private static final double CHECKPOINT_FRACTION = 0.25;

    private final String name;
    private final CollectionConfig config;
    private final VectorSimilarity similarity;
    private final PointStore store;
    private final DbOptions options;
    private final CollectionFiles files;
    private final VectorStore vectors;
    private final LiveOrdinals live = new LiveOrdinals();
    /** Mutated under writerLock plus the write side of stateLock; read under either. */
    private final PayloadIndexes payloadIndexes = new PayloadIndexes();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantLock writerLock = new ReentrantLock();
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    /** Graph changes hold the read side; a checkpoint (saving the graph) takes the write side. */
    private final ReentrantReadWriteLock graphLock = new ReentrantReadWriteLock();
    /** Replaced only under both writerLock and stateLock's write side. */
    private IdMap idMap;
    /** Why the id map was rebuilt when this collection was opened, or null when it was reused. */
    private String idMapRebuiltBecause;
    private GraphIndex graph;
    /** The points' texts for BM25; loaded from its snapshot or rebuilt from RocksDB on open. */
    private TextIndex text;
    private HybridSearch searches;
    private FilteredSearch filteredSearch;
    /** Set under the lifecycle write lock; a closed collection answers nothing. */
    private volatile String closedBecause;

    /** What a write changed in the graph: ordinals to link and ordinals to unlink. */
    private record GraphChange(int[] added, int[] removed) {}

    private RocksCollection(String name, CollectionConfig config, PointStore store, DbOptions options,
                            CollectionFiles files) {
        this.name = name;
        this.config = config;
        this.similarity = config.distance().similarity();
        this.store = store;
        this.options = options;
        this.files = files;
        this.vectors = new VectorStore(config.dimension());
    }

    /**
     * Loads a collection: every vector from RocksDB into memory, then the id map and the HNSW
     * graph (on two threads), each verified against what was loaded and repaired or rebuilt.
     * Marks the id map open (unclean) in RocksDB before any write can touch it.
     */
    static RocksCollection open(String name, CollectionConfig config, PointStore store, DbOptions options,
                                CollectionFiles files) {
        RocksCollection c = new RocksCollection(name, config, store, options, files);
        c.loadVectors();
        FutureTask<GraphIndex> graphTask = new FutureTask<>(
                () -> GraphIndex.open(name, files.graph(), c.vectors, c.similarity, config.hnsw(), c.live));
        Thread.ofPlatform().name("vdb-open-graph-" + name).start(graphTask);
        try {
            IdMapRecovery.Opened opened = IdMapRecovery.openVerified(name, files.idMap(), store.idMapState(), c.live);
            c.idMap = opened.map();
            c.idMapRebuiltBecause = opened.rebuiltBecause();
            store.recordIdMapState(IdMapRecovery.State.open(c.idMap.capacity()));
            c.loadPayloadIndexes();
            c.text = TextIndex.open(name, config.text(), store, files.text(), c.live);
        } finally {
            c.graph = awaitGraph(name, graphTask);
        }
        c.filteredSearch = new FilteredSearch(c.vectors, c.similarity, c.graph, c.live);
        c.searches = new HybridSearch(c.similarity, c::vectorSearch, c.text);
        return c;
    }

    private static GraphIndex awaitGraph(String name, FutureTask<GraphIndex> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("collection '" + name + "': opening the HNSW graph failed", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loadVectors() {
        live.advanceNextOrdinal(store.storedNextOrdinal());
        store.forEachVector((id, ordinal, vector) -> {
            if (vector.length != config.dimension()) {
                throw new IllegalStateException("collection '" + name + "': stored vector of dimension "
                        + vector.length + " in a collection of dimension " + config.dimension());
            }
            vectors.set(ordinal, similarity.prepare(vector));
            live.add(ordinal, id);
        });
    }

    /** Builds the persisted payload indexes from the stored payloads, in one pass. */
    private void loadPayloadIndexes() {
        Map<String, PayloadSchema> definitions = PayloadIndexes.decodeDefinitions(store.payloadIndexDefinitions());
        if (definitions.isEmpty()) {
            return;
        }
        definitions.forEach((field, schema) -> payloadIndexes.put(new PayloadFieldIndex(field, schema)));
        store.forEachDocument((id, ordinal, doc) -> payloadIndexes.add(ordinal, PointCodec.payloadOfDoc(doc)));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CollectionConfig config() {
        return config;
    }

    @Override
    public int upsert(List<Point> points) {
        PointValidator.validateBatch(points, config.dimension(), options.maxBatchPoints());
        Map<PointId, Point> byId = new LinkedHashMap<>();
        for (Point p : points) {
            byId.remove(p.id());
            byId.put(p.id(), p);
        }
        if (byId.isEmpty()) {
            return 0;
        }
        List<Point> batch = new ArrayList<>(byId.values());
        enter();
        try {
            AnalyzedText[] texts = text.analyse(batch);
            GraphChange change;
            writerLock.lock();
            try {
                change = writeUpserts(batch, texts);
            } finally {
                writerLock.unlock();
            }
            applyToGraph(change);
            return batch.size();
        } finally {
            exit();
        }
    }

    @Override
    public int setPayload(PointSelector points, Map<String, ?> payload) {
        Map<String, Object> added = PayloadValues.copyOf(payload);
        return rewrite(points, p -> {
            Map<String, Object> merged = new LinkedHashMap<>(p.payload());
            merged.putAll(added);
            return new Point(p.id(), p.vector(), merged, p.text());
        });
    }

    @Override
    public int overwritePayload(PointSelector points, Map<String, ?> payload) {
        Map<String, Object> replacement = PayloadValues.copyOf(payload);
        return rewrite(points, p -> new Point(p.id(), p.vector(), replacement, p.text()));
    }

    @Override
    public int deletePayloadKeys(PointSelector points, List<String> keys) {
        if (keys == null || keys.isEmpty() || keys.stream().anyMatch(k -> k == null || k.isEmpty())) {
            throw new IllegalArgumentException("keys must be a non-empty list of non-empty strings, got " + keys);
        }
        return rewrite(points, p -> {
            Map<String, Object> kept = new LinkedHashMap<>(p.payload());
            kept.keySet().removeAll(keys);
            return new Point(p.id(), p.vector(), kept, p.text());
        });
    }

    @Override
    public int clearPayload(PointSelector points) {
        return rewrite(points, p -> new Point(p.id(), p.vector(), null, p.text()));
    }

    @Override
    public int updateVectors(Map<PointId, float[]> vectors) {
        if (vectors == null) {
            throw new IllegalArgumentException("vectors must not be null");
        }
        if (vectors.size() > options.maxBatchPoints()) {
            throw new IllegalArgumentException("vectors holds " + vectors.size()
                    + " points, more than the batch limit of " + options.maxBatchPoints());
        }
        vectors.forEach((id, vector) -> {
            if (id == null) {
                throw new IllegalArgumentException("vectors must not hold a null id");
            }
            PointValidator.checkVector(vector, config.dimension(), "vector", " (id " + id + ")");
        });
        List<PointId> ids = List.copyOf(vectors.keySet());
        return rewrite(PointSelector.ids(ids), p -> new Point(p.id(), vectors.get(p.id()).clone(), p.payload(), p.text()),
                found -> {
                    if (found.size() != ids.size()) {
                        java.util.Set<PointId> present = new java.util.HashSet<>();
                        found.forEach(p -> present.add(p.id()));
                        PointId missing = ids.stream().filter(id -> !present.contains(id)).findFirst().orElseThrow();
                        throw new IllegalArgumentException("point " + missing + " does not exist: its vector cannot be updated");
                    }
                });
    }

    private int rewrite(PointSelector points, java.util.function.UnaryOperator<Point> change) {
        return rewrite(points, change, found -> { });
    }

    /**
     * Reads the selected points, changes each and writes them back as one upsert, all under the
     * writer lock, so no other write comes between the read and the write.
     */
    private int rewrite(PointSelector points, java.util.function.UnaryOperator<Point> change,
                        java.util.function.Consumer<List<Point>> checkFound) {
        if (points == null) {
            throw new IllegalArgumentException("points must not be null");
        }
        if (points instanceof PointSelector.Ids ids) {
            PointValidator.validateIds(ids.ids(), options.maxBatchPoints());
        }
        enter();
        try {
            GraphChange graphChange;
            int changed;
            writerLock.lock();
            try {
                List<PointId> ids = switch (points) {
                    case PointSelector.Ids list -> new ArrayList<>(new LinkedHashSet<>(list.ids()));
                    case PointSelector.ByFilter f -> matchingIds(f.filter());
                };
                List<Point> found = ids.isEmpty() ? List.of() : store.read(ids);
                checkFound.accept(found);
                if (found.isEmpty()) {
                    return 0;
                }
                List<Point> batch = found.stream().map(change).toList();
                graphChange = writeUpserts(batch, text.analyse(batch));
                changed = batch.size();
            } finally {
                writerLock.unlock();
            }
            applyToGraph(graphChange);
            return changed;
        } finally {
            exit();
        }
    }

    /** The ids of the live points {@code filter} matches, at the published state; under the writer lock. */
    private List<PointId> matchingIds(Filter filter) {
        stateLock.readLock().lock();
        try {
            int[] matches = resolver().resolve(filter).toArray();
            List<PointId> ids = new ArrayList<>(matches.length);
            for (int ordinal : matches) {
                ids.add(live.idOf(ordinal));
            }
            return ids;
        } finally {
            stateLock.readLock().unlock();
        }
    }

    @Override
    public ScrollPage scroll(ScrollRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        enter();
        try {
            List<PointId> ids = new ArrayList<>(request.limit() + 1);
            if (request.orderBy() != null) {
                readPublished(() -> {
                    orderedIds(request, ids);
                    return null;
                });
            } else {
                OrdinalSet matches = request.filter() == null ? null
                        : readPublished(() -> resolver().resolve(request.filter()));
                store.scanIds(request.offset() == null ? null : PointCodec.idBytes(request.offset()), (id, ordinal) -> {
                    if (matches == null || matches.get(ordinal)) {
                        ids.add(id);
                    }
                    return ids.size() <= request.limit();
                });
            }
            PointId next = null;
            if (request.orderBy() == null && ids.size() > request.limit()) {
                next = ids.remove(request.limit());
            }
            List<Point> points = new ArrayList<>(ids.size());
            for (Point p : store.read(ids)) {
                points.add(new Point(p.id(), request.withVector() ? p.vector() : null,
                        request.withPayload() ? p.payload() : null, request.withPayload() ? p.text() : null));
            }
            return new ScrollPage(points, next);
        } finally {
            exit();
        }
    }

    /** The first ids by the order-by field's values; under the state read lock. */
    private void orderedIds(ScrollRequest request, List<PointId> out) {
        ScrollRequest.OrderBy orderBy = request.orderBy();
        PayloadFieldIndex index = payloadIndexes.field(orderBy.key());
        if (index == null || (index.schema() != PayloadSchema.INTEGER && index.schema() != PayloadSchema.FLOAT)) {
            throw new IllegalArgumentException("order_by.key '" + orderBy.key()
                    + "' needs an integer or float payload index on that field");
        }
        OrdinalSet matches = request.filter() == null ? null : resolver().resolve(request.filter());
        index.forEachInOrder(orderBy.descending(), orderBy.startFrom(), ordinal -> {
            if (live.get(ordinal) && (matches == null || matches.get(ordinal))) {
                out.add(live.idOf(ordinal));
            }
            return out.size() < request.limit();
        });
    }

    /** Writes the batch and publishes it; runs under the writer lock. */
    private GraphChange writeUpserts(List<Point> batch, AnalyzedText[] texts) {
        int n = batch.size();
        byte[][] ids = new byte[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = PointCodec.idBytes(batch.get(i).id());
        }
        int[] oldOrdinals = store.ordinalsOf(ids);
        int[] newOrdinals = new int[n];
        float[][] prepared = new float[n][];
        int nextBefore = live.nextOrdinal();
        if (nextBefore > Integer.MAX_VALUE - n) {
            throw new IllegalStateException("collection '" + name + "' has used up its " + Integer.MAX_VALUE
                    + " ordinals (every vector change takes one); copy its points into a new collection");
        }
        int next = nextBefore;
        for (int i = 0; i < n; i++) {
            prepared[i] = similarity.prepare(batch.get(i).vector());
            boolean keepsVector = oldOrdinals[i] >= 0 && sameStoredVector(oldOrdinals[i], prepared[i]);
            newOrdinals[i] = keepsVector ? oldOrdinals[i] : next++;
        }
        store.writeUpserts(batch, ids, oldOrdinals, newOrdinals, next, next != nextBefore);

        int[] added = new int[n];
        int[] removed = new int[n];
        int addedCount = 0;
        int removedCount = 0;
        for (int i = 0; i < n; i++) {
            if (newOrdinals[i] != oldOrdinals[i]) {
                vectors.set(newOrdinals[i], prepared[i]);
                added[addedCount++] = newOrdinals[i];
                if (oldOrdinals[i] >= 0) {
                    removed[removedCount++] = oldOrdinals[i];
                }
            }
        }
        stateLock.writeLock().lock();
        try {
            for (int i = 0; i < n; i++) {
                if (newOrdinals[i] != oldOrdinals[i]) {
                    if (oldOrdinals[i] >= 0) {
                        live.remove(oldOrdinals[i]);
                    }
                    live.add(newOrdinals[i], batch.get(i).id());
                }
                if (oldOrdinals[i] >= 0) {
                    payloadIndexes.remove(oldOrdinals[i]);
                }
                payloadIndexes.add(newOrdinals[i], batch.get(i).payload());
            }
            live.advanceNextOrdinal(next);
            text.apply(texts, oldOrdinals, newOrdinals);
        } finally {
            stateLock.writeLock().unlock();
        }
        for (int i = 0; i < n; i++) {
            if (newOrdinals[i] != oldOrdinals[i]) {
                putIdMapped(ids[i], newOrdinals[i]);
            }
        }
        return new GraphChange(Arrays.copyOf(added, addedCount), Arrays.copyOf(removed, removedCount));
    }

    private boolean sameStoredVector(int ordinal, float[] prepared) {
        int offset = vectors.offset(ordinal);
        return Arrays.equals(prepared, 0, prepared.length, vectors.page(ordinal), offset, offset + prepared.length);
    }

    /**
     * Links added ordinals into the graph and unlinks removed ones, outside the writer lock. A
     * later write may have replaced an added ordinal before it was linked (its delete then found
     * nothing to unlink), so an added ordinal that is no longer live is unlinked here.
     */
    private void applyToGraph(GraphChange change) {
        graphLock.readLock().lock();
        try {
            graph.add(change.added());
            for (int ordinal : change.removed()) {
                graph.delete(ordinal);
            }
            for (int ordinal : noLongerLive(change.added())) {
                graph.delete(ordinal);
            }
        } catch (RuntimeException e) {
            LOG.error("collection '{}': indexing a stored write failed; reopening repairs the graph from RocksDB", name, e);
            throw new IllegalStateException("collection '" + name + "': the write is stored but indexing it failed: " + e, e);
        } finally {
            graphLock.readLock().unlock();
        }
        checkpointIfDue();
    }

    /**
     * Saves the graph once enough has changed since the last save, so that a crash replays only
     * a bounded tail on open. Runs on the writing thread when no other graph change is running
     * (searches go on); skipped, to be retried by a later write, when one is.
     */
    private void checkpointIfDue() {
        long changes = graph.changesSinceSave();
        if (changes < CHECKPOINT_MIN_CHANGES || changes < CHECKPOINT_FRACTION * graph.size()
                || !graphLock.writeLock().tryLock()) {
            return;
        }
        try {
            // the graph must never name an ordinal RocksDB could still lose
            store.syncWal();
            graph.save(files.graph());
        } catch (IOException | RuntimeException e) {
            LOG.warn("collection '{}': saving an HNSW checkpoint failed; the next one or close retries", name, e);
        } finally {
            graphLock.writeLock().unlock();
        }
    }

    private int[] noLongerLive(int[] ordinals) {
        stateLock.readLock().lock();
        try {
            return Arrays.stream(ordinals).filter(o -> !live.get(o)).toArray();
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /** Records {@code id → ordinal} in the id map, growing the file when it is full. */
    private void putIdMapped(byte[] id, int ordinal) {
        if (idMap.size() >= idMap.capacity()) {
            growIdMap();
        }
        try {
            idMap.put(id, ordinal);
        } catch (IllegalStateException full) {
            LOG.info("collection '{}': id map full at {} ids, growing it", name, idMap.size());
            growIdMap();
            idMap.put(id, ordinal);
        }
    }

    /** Rebuilds the id map with twice the room; readers wait, as they may be using the old one. */
    private void growIdMap() {
        stateLock.writeLock().lock();
        try {
            idMap.close();
            idMap = IdMapRecovery.rebuild(idMap.file(), live);
        } finally {
            stateLock.writeLock().unlock();
        }
        store.recordIdMapState(IdMapRecovery.State.open(idMap.capacity()));
    }

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
        enter();
        try {
            return store.read(ids);
        } finally {
            exit();
        }
    }

    @Override
    public int delete(List<PointId> ids) {
        PointValidator.validateIds(ids, options.maxBatchPoints());
        byte[][] distinct = new LinkedHashSet<>(ids).stream().map(PointCodec::idBytes).toArray(byte[][]::new);
        if (distinct.length == 0) {
            return 0;
        }
        enter();
        try {
            int[] removed;
            writerLock.lock();
            try {
                removed = writeDeletes(distinct);
            } finally {
                writerLock.unlock();
            }
            applyToGraph(new GraphChange(new int[0], removed));
            return removed.length;
        } finally {
            exit();
        }
    }

    /** Deletes and publishes; returns the ordinals that were live. Runs under the writer lock. */
    private int[] writeDeletes(byte[][] ids) {
        int[] ordinals = store.ordinalsOf(ids);
        int[] removed = Arrays.stream(ordinals).filter(o -> o >= 0).toArray();
        if (removed.length == 0) {
            return removed;
        }
        store.writeDeletes(ids, ordinals);
        stateLock.writeLock().lock();
        try {
            for (int ordinal : removed) {
                live.remove(ordinal);
                payloadIndexes.remove(ordinal);
            }
            text.delete(removed);
        } finally {
            stateLock.writeLock().unlock();
        }
        for (int i = 0; i < ids.length; i++) {
            if (ordinals[i] >= 0) {
                idMap.remove(ids[i]);
            }
        }
        return removed;
    }

    @Override
    public long count() {
        return readPublished(() -> (long) live.count());
    }

    /** Runs {@code read} in a call, at one published state (under the state read lock). */
    private <T> T readPublished(Supplier<T> read) {
        enter();
        try {
            stateLock.readLock().lock();
            try {
                return read.get();
            } finally {
                stateLock.readLock().unlock();
            }
        } finally {
            exit();
        }
    }

    @Override
    public int deleteByFilter(Filter filter) {
        requireFilter(filter);
        enter();
        try {
            int[] removed;
            writerLock.lock();
            try {
                // resolved under the writer lock, so no write changes what matches before it is deleted
                byte[][] ids;
                stateLock.readLock().lock();
                try {
                    int[] matches = resolver().resolve(filter).toArray();
                    ids = new byte[matches.length][];
                    for (int i = 0; i < matches.length; i++) {
                        ids[i] = PointCodec.idBytes(live.idOf(matches[i]));
                    }
                } finally {
                    stateLock.readLock().unlock();
                }
                removed = ids.length == 0 ? new int[0] : writeDeletes(ids);
            } finally {
                writerLock.unlock();
            }
            applyToGraph(new GraphChange(new int[0], removed));
            return removed.length;
        } finally {
            exit();
        }
    }

    @Override
    public long count(Filter filter) {
        requireFilter(filter);
        return readPublished(() -> (long) resolver().resolve(filter).cardinality());
    }

    private static void requireFilter(Filter filter) {
        if (filter == null) {
            throw new IllegalArgumentException("filter must not be null");
        }
    }

    /** Resolves filters at the current published state; use under the state read lock. */
    private FilterResolver resolver() {
        return new FilterResolver(live, payloadIndexes, id -> idMap.get(PointCodec.idBytes(id)), store::payloads);
    }

    @Override
    public void createPayloadIndex(String field, PayloadSchema schema) {
        if (field == null || field.isEmpty()) {
            throw new IllegalArgumentException("field_name must be a non-empty string, got " + (field == null ? "nothing" : "''"));
        }
        if (schema == null) {
            throw new IllegalArgumentException("field_schema must be one of keyword, integer, float, bool, got nothing");
        }
        enter();
        try {
            writerLock.lock();
            try {
                PayloadFieldIndex existing = payloadIndexes.field(field);
                if (existing != null) {
                    if (existing.schema() != schema) {
                        throw new CollectionConflictException("collection '" + name + "' has a " + existing.schema().apiName()
                                + " index on '" + field + "', which differs from the requested " + schema.apiName());
                    }
                    return;
                }
                // no write runs while the writer lock is held: what is stored is what is published
                PayloadFieldIndex index = new PayloadFieldIndex(field, schema);
                store.forEachDocument((id, ordinal, doc) -> index.add(ordinal, PointCodec.payloadOfDoc(doc)));
                Map<String, PayloadSchema> definitions = new LinkedHashMap<>(payloadIndexes.schemas());
                definitions.put(field, schema);
                store.writePayloadIndexDefinitions(PayloadIndexes.encodeDefinitions(definitions));
                stateLock.writeLock().lock();
                try {
                    payloadIndexes.put(index);
                } finally {
                    stateLock.writeLock().unlock();
                }
                LOG.info("collection '{}': {} index on '{}' built over {} points", name, schema.apiName(), field,
                        index.indexedOrdinals());
            } finally {
                writerLock.unlock();
            }
        } finally {
            exit();
        }
    }

    @Override
    public Map<String, PayloadSchema> payloadIndexes() {
        return readPublished(payloadIndexes::schemas);
    }

    @Override
    public long indexedVectorsCount() {
        enter();
        try {
            return graph.size();
        } finally {
            exit();
        }
    }

    @Override
    public List<ScoredPoint> search(SearchRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        float[] query = null;
        if (request.vector() != null) {
            PointValidator.checkVector(request.vector(), config.dimension(), "vector", "");
            query = similarity.prepare(request.vector());
        }
        HybridSearch.checkText(request.text());
        enter();
        try {
            for (int attempt = 1; ; attempt++) {
                // The last attempt also holds the writer lock: no write is then between its
                // RocksDB batch and its publication, so no hit can be stale and none is dropped.
                boolean last = attempt == FETCH_ATTEMPTS;
                if (last) {
                    writerLock.lock();
                }
                stateLock.readLock().lock();
                try {
                    // What a text search admits: the live ordinals, or those the filter matches
                    // (resolved only when there is a text to rank); vector search plans its own filtering.
                    Bits textAccept = request.text() == null ? null
                            : request.filter() == null ? live : resolver().resolve(request.filter());
                    HybridSearch.Ranking ranking = searches.rank(request, query, textAccept);
                    List<ScoredPoint> hits = toHits(ranking, request);
                    if (hits != null) {
                        return hits;
                    }
                    if (last) {
                        throw new IllegalStateException("collection '" + name
                                + "': a search met a stale hit while no write was running (a bug)");
                    }
                } finally {
                    stateLock.readLock().unlock();
                    if (last) {
                        writerLock.unlock();
                    }
                }
            }
        } finally {
            exit();
        }
    }

    /**
     * The {@code k} best ordinals for a prepared query, best first, among the live points
     * {@code filter} matches (all when null): filtered searches as {@link FilteredSearch} plans
     * them, others by brute force when asked (or when the collection is no larger than ef), else
     * by the graph; returns how many. The caller holds the state read lock.
     */
    private int vectorSearch(float[] query, Filter filter, int k, SearchParams params, int[] ordinals, float[] scores) {
        int ef = params.efFor(k);
        if (filter != null) {
            return filteredSearch.search(resolver(), query, filter, params, k, ef, ordinals, scores);
        }
        if (params.exact() || live.count() <= ef) {
            TopK top = new TopK(k);
            ExactSearch.search(vectors, similarity, query, live.words(), top, false);
            return top.drainBestFirst(ordinals, scores);
        }
        return graph.search(query, k, ef, live, ordinals, scores);
    }

    /**
     * Maps ranked ordinals to ids (and payloads or vectors, read for the hits only), skipping
     * {@code offset}. Returns null when a hit's stored record no longer holds the ranked
     * ordinal (a write is between its RocksDB batch and its publication).
     */
    private List<ScoredPoint> toHits(HybridSearch.Ranking ranking, SearchRequest request) {
        int[] ordinals = ranking.ordinals();
        int n = withinThreshold(ranking, request);
        int from = Math.min(request.offset(), n);
        List<ScoredPoint> hits = new ArrayList<>(n - from);
        if (!request.withPayload() && !request.withVector()) {
            for (int i = from; i < n; i++) {
                hits.add(new ScoredPoint(live.idOf(ordinals[i]), ranking.scores()[i], null, null, explanation(ranking, i)));
            }
            return hits;
        }
        List<PointId> ids = new ArrayList<>(n - from);
        for (int i = from; i < n; i++) {
            ids.add(live.idOf(ordinals[i]));
        }
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

    private static HitExplanation explanation(HybridSearch.Ranking ranking, int i) {
        return ranking.explanations() == null ? null : ranking.explanations()[i];
    }

    /** Brute-force top-k with plain loops, for tests comparing it with the SIMD search. */
    List<ScoredPoint> scalarExactSearch(float[] vector, int limit) {
        PointValidator.checkVector(vector, config.dimension(), "vector", "");
        float[] query = similarity.prepare(vector);
        enter();
        stateLock.readLock().lock();
        try {
            TopK top = new TopK(limit);
            ExactSearch.search(vectors, similarity, query, live.words(), top, true);
            int[] ordinals = new int[top.size()];
            float[] scores = new float[top.size()];
            int n = top.drainBestFirst(ordinals, scores);
            List<ScoredPoint> hits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                hits.add(new ScoredPoint(live.idOf(ordinals[i]), similarity.toUserScore(scores[i]), null, null));
            }
            return hits;
        } finally {
            stateLock.readLock().unlock();
            exit();
        }
    }

    /** The id map's ordinal for {@code id}, or -1; for tests and id filters. */
    int idMapOrdinal(PointId id) {
        enter();
        stateLock.readLock().lock();
        try {
            return idMap.get(PointCodec.idBytes(id));
        } finally {
            stateLock.readLock().unlock();
            exit();
        }
    }

    /**
     * Distance computations of searches so far: every graph traversal plus the exact scans of
     * filtered searches (the planner's currency; for tests and metrics).
     */
    long searchDistanceComputations() {
        return graph.searchDistanceComputations() + filteredSearch.exactDistanceComputations();
    }

    /** Why the id map was rebuilt on open, or null when the file was verified and reused. */
    String idMapRebuiltBecause() {
        return idMapRebuiltBecause;
    }

    /** Why the HNSW graph was replayed or rebuilt on open, or null when the saved one matched. */
    String graphRepairedBecause() {
        return graph.repairedBecause();
    }

    PointStore store() {
        return store;
    }

    /** The BM25 index, for tests of its statistics. */
    TextIndex textIndex() {
        return text;
    }

    /**
     * Stops the collection once running calls have finished, saving the HNSW graph and the
     * BM25 snapshot and recording a clean id-map close and the snapshot in RocksDB. Failures are
     * logged: the files are rebuilt from RocksDB on the next open.
     */
    void close(String reason) {
        stop(reason, false);
    }

    /** Stops the collection once running calls have finished and deletes its derived files. */
    void drop() {
        stop(DROPPED, true);
    }

    private void stop(String reason, boolean dropping) {
        lifecycle.writeLock().lock();
        try {
            if (closedBecause != null) {
                return;
            }
            closedBecause = reason;
            if (dropping) {
                idMap.close();
                Files.deleteIfExists(files.idMap());
                Files.deleteIfExists(files.graph());
                Files.deleteIfExists(files.text());
            } else {
                try {
                    // the graph must never name an ordinal RocksDB could still lose
                    store.syncWal();
                    graph.save(files.graph());
                    store.recordIdMapState(IdMapRecovery.closeClean(idMap));
                    store.recordTextIndexState(text.save(files.text()));
                } finally {
                    // also when RocksDB refused the above (a full disk): release the mapped file;
                    // without a recorded clean close the next open rebuilds it (close is idempotent)
                    idMap.close();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("collection '{}': saving derived state on close failed; it will be rebuilt from RocksDB on open",
                    name, e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** Enters a call: holds the lifecycle read lock until {@link #exit}, or throws if closed. */
    private void enter() {
        lifecycle.readLock().lock();
        String reason = closedBecause;
        if (reason != null) {
            lifecycle.readLock().unlock();
            if (reason.equals(DROPPED)) {
                throw new NoSuchCollectionException(name);
            }
            throw new IllegalStateException("collection '" + name + "' is closed: " + reason);
        }
    }

    private void exit() {
        lifecycle.readLock().unlock();
    }
}
