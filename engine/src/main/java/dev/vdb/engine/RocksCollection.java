package dev.vdb.engine;

import dev.vdb.index.Bits;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection stored in its own RocksDB column family (the source of truth), with its vectors
 * held in memory by dense ordinal in a {@link VectorStore}, its live ordinals in
 * {@link LiveOrdinals}, its HNSW graph in a {@link GraphIndex} and its id → ordinal map in an
 * {@link IdMap} file.
 *
 * <p>Thread safety: three per-collection locks, none shared with other collections. Every call
 * holds the read side of {@code lifecycle}; close and drop take its write side, so they wait for
 * running calls and native handles are never used after release. Writers (upsert, delete)
 * serialise on {@code writerLock} while they assign ordinals and write one synced WriteBatch;
 * they store new vectors at fresh ordinals (invisible so far) and then <em>publish</em> the
 * change to the live set under the write side of {@code stateLock}, held only for that swap and
 * never across I/O. Graph inserts run after the writer lock is released, so concurrent upserts
 * index in parallel; the call returns once its points are in the graph. Searches hold the read
 * side of {@code stateLock} and accept only live ordinals, so a deleted id is never returned once
 * its delete has returned, and a changed vector always gets a new ordinal, so the graph never
 * sees a vector change under a running search. A search allocates its result lists and a heap or
 * buffer of {@code limit + offset} entries.
 */
final class RocksCollection implements Collection {

    private static final Logger LOG = LoggerFactory.getLogger(RocksCollection.class);
    /** How often a search that met a concurrent write while fetching payloads starts over. */
    private static final int FETCH_ATTEMPTS = 4;
    private static final String DROPPED = "dropped";

    private final String name;
    private final CollectionConfig config;
    private final VectorSimilarity similarity;
    private final RocksDB db;
    private final ColumnFamilyHandle cf;
    private final WriteOptions writeOptions;
    private final DbOptions options;
    private final CollectionFiles files;
    private final VectorStore vectors;
    private final LiveOrdinals live = new LiveOrdinals();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantLock writerLock = new ReentrantLock();
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    /** Replaced only under both writerLock and stateLock's write side. */
    private IdMap idMap;
    /** Why the id map was rebuilt when this collection was opened, or null when it was reused. */
    private String idMapRebuiltBecause;
    private GraphIndex graph;
    /** Set under the lifecycle write lock; a closed collection answers nothing. */
    private volatile String closedBecause;

    /** What a write changed in the graph: ordinals to link and ordinals to unlink. */
    private record GraphChange(int[] added, int[] removed) {}

    private RocksCollection(String name, CollectionConfig config, RocksDB db, ColumnFamilyHandle cf,
                            WriteOptions writeOptions, DbOptions options, CollectionFiles files) {
        this.name = name;
        this.config = config;
        this.similarity = config.distance().similarity();
        this.db = db;
        this.cf = cf;
        this.writeOptions = writeOptions;
        this.options = options;
        this.files = files;
        this.vectors = new VectorStore(config.dimension());
    }

    /**
     * Loads a collection: every vector from RocksDB into memory, then the id map and the HNSW
     * graph, each verified against what was loaded and repaired or rebuilt. Marks the id map
     * open (unclean) in RocksDB before any write can touch it.
     */
    static RocksCollection open(String name, CollectionConfig config, RocksDB db, ColumnFamilyHandle cf,
                                WriteOptions writeOptions, DbOptions options, CollectionFiles files)
            throws RocksDBException {
        RocksCollection c = new RocksCollection(name, config, db, cf, writeOptions, options, files);
        c.loadVectors();
        // the graph loads (or builds) on another thread while the id map is verified here
        FutureTask<GraphIndex> graphTask = new FutureTask<>(
                () -> GraphIndex.open(name, files.graph(), c.vectors, c.similarity, config.hnsw(), c.live));
        Thread.ofPlatform().name("vdb-open-graph-" + name).start(graphTask);
        try {
            IdMapRecovery.State state = IdMapRecovery.State.decode(db.get(cf, PointCodec.ID_MAP_STATE_KEY));
            IdMapRecovery.Opened opened = IdMapRecovery.openVerified(name, files.idMap(), state, c.live);
            c.idMap = opened.map();
            c.idMapRebuiltBecause = opened.rebuiltBecause();
            c.recordIdMapState(IdMapRecovery.State.open(c.idMap.capacity()));
        } finally {
            c.graph = awaitGraph(name, graphTask);
        }
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

    private void loadVectors() throws RocksDBException {
        byte[] next = db.get(cf, PointCodec.NEXT_ORDINAL_KEY);
        if (next != null) {
            live.advanceNextOrdinal(PointCodec.intOf(next));
        }
        try (RocksIterator it = db.newIterator(cf)) {
            for (it.seek(new byte[] {PointCodec.VECTOR}); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (key[0] != PointCodec.VECTOR) {
                    break;
                }
                byte[] record = it.value();
                int ordinal = PointCodec.ordinalOfVectorRecord(record);
                float[] vector = PointCodec.vectorOfRecord(record);
                if (vector.length != config.dimension()) {
                    throw new IllegalStateException("collection '" + name + "': stored vector of dimension "
                            + vector.length + " in a collection of dimension " + config.dimension());
                }
                vectors.set(ordinal, similarity.prepare(vector));
                live.add(ordinal, PointCodec.id(key, 1));
            }
            it.status();
        }
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
            GraphChange change;
            writerLock.lock();
            try {
                change = writeUpserts(batch);
            } finally {
                writerLock.unlock();
            }
            applyToGraph(change);
            return batch.size();
        } catch (RocksDBException e) {
            throw storageFailure("upsert", e);
        } finally {
            exit();
        }
    }

    /** Writes the batch and publishes it; runs under the writer lock. */
    private GraphChange writeUpserts(List<Point> batch) throws RocksDBException {
        int n = batch.size();
        byte[][] ids = new byte[n][];
        List<byte[]> vectorKeys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids[i] = PointCodec.idBytes(batch.get(i).id());
            vectorKeys.add(PointCodec.key(PointCodec.VECTOR, ids[i]));
        }
        List<byte[]> oldRecords = multiGet(vectorKeys);
        int[] oldOrdinals = new int[n];
        int[] newOrdinals = new int[n];
        float[][] prepared = new float[n][];
        int next = live.nextOrdinal();
        try (WriteBatch wb = new WriteBatch()) {
            for (int i = 0; i < n; i++) {
                Point p = batch.get(i);
                byte[] old = oldRecords.get(i);
                oldOrdinals[i] = old == null ? -1 : PointCodec.ordinalOfVectorRecord(old);
                prepared[i] = similarity.prepare(p.vector());
                if (oldOrdinals[i] >= 0 && sameStoredVector(oldOrdinals[i], prepared[i])) {
                    newOrdinals[i] = oldOrdinals[i];
                } else {
                    newOrdinals[i] = next++;
                    if (oldOrdinals[i] >= 0) {
                        wb.delete(cf, PointCodec.ordinalKey(oldOrdinals[i]));
                    }
                    wb.put(cf, PointCodec.ordinalKey(newOrdinals[i]), ids[i]);
                }
                wb.put(cf, vectorKeys.get(i), PointCodec.vectorRecord(newOrdinals[i], p.vector()));
                wb.put(cf, PointCodec.key(PointCodec.DOC, ids[i]), PointCodec.docRecord(p.payload(), p.text()));
            }
            if (next != live.nextOrdinal()) {
                wb.put(cf, PointCodec.NEXT_ORDINAL_KEY, PointCodec.intValue(next));
            }
            db.write(writeOptions, wb);
        }
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
            }
            live.advanceNextOrdinal(next);
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

    /**
     * Links added ordinals into the graph and unlinks removed ones, outside the writer lock. A
     * later write may have replaced an added ordinal before it was linked (its delete then found
     * nothing to unlink), so an added ordinal that is no longer live is unlinked here.
     */
    private void applyToGraph(GraphChange change) {
        try {
            linkAndUnlink(change);
        } catch (RuntimeException e) {
            LOG.error("collection '{}': indexing a stored write failed; reopening repairs the graph from RocksDB", name, e);
            throw new IllegalStateException("collection '" + name + "': the write is stored but indexing it failed: " + e, e);
        }
    }

    private void linkAndUnlink(GraphChange change) {
        graph.add(change.added());
        for (int ordinal : change.removed()) {
            graph.delete(ordinal);
        }
        int[] gone = new int[change.added().length];
        int goneCount = 0;
        stateLock.readLock().lock();
        try {
            for (int ordinal : change.added()) {
                if (!live.get(ordinal)) {
                    gone[goneCount++] = ordinal;
                }
            }
        } finally {
            stateLock.readLock().unlock();
        }
        for (int i = 0; i < goneCount; i++) {
            graph.delete(gone[i]);
        }
    }

    /** Values of {@code keys} in this column family, null where absent, from one consistent view. */
    private List<byte[]> multiGet(List<byte[]> keys) throws RocksDBException {
        return keys.isEmpty() ? List.of() : db.multiGetAsList(Collections.nCopies(keys.size(), cf), keys);
    }

    private boolean sameStoredVector(int ordinal, float[] prepared) {
        int offset = vectors.offset(ordinal);
        return Arrays.equals(prepared, 0, prepared.length, vectors.page(ordinal), offset, offset + prepared.length);
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
        try {
            recordIdMapState(IdMapRecovery.State.open(idMap.capacity()));
        } catch (RocksDBException e) {
            throw storageFailure("id map growth", e);
        }
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
            List<byte[]> keys = new ArrayList<>(2 * ids.size());
            for (PointId id : ids) {
                byte[] idBytes = PointCodec.idBytes(id);
                keys.add(PointCodec.key(PointCodec.VECTOR, idBytes));
                keys.add(PointCodec.key(PointCodec.DOC, idBytes));
            }
            List<byte[]> values = multiGet(keys);
            List<Point> points = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                byte[] vector = values.get(2 * i);
                byte[] doc = values.get(2 * i + 1);
                if (vector != null && doc != null) {
                    points.add(new Point(ids.get(i), PointCodec.vectorOfRecord(vector),
                            PointCodec.payloadOfDoc(doc), PointCodec.textOfDoc(doc)));
                }
            }
            return points;
        } catch (RocksDBException e) {
            throw storageFailure("get", e);
        } finally {
            exit();
        }
    }

    @Override
    public int delete(List<PointId> ids) {
        PointValidator.validateIds(ids, options.maxBatchPoints());
        List<byte[]> distinct = new ArrayList<>();
        for (PointId id : new LinkedHashSet<>(ids)) {
            distinct.add(PointCodec.idBytes(id));
        }
        if (distinct.isEmpty()) {
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
        } catch (RocksDBException e) {
            throw storageFailure("delete", e);
        } finally {
            exit();
        }
    }

    /** Deletes and publishes; returns the ordinals that were live. Runs under the writer lock. */
    private int[] writeDeletes(List<byte[]> ids) throws RocksDBException {
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (byte[] id : ids) {
            keys.add(PointCodec.key(PointCodec.VECTOR, id));
        }
        List<byte[]> records = multiGet(keys);
        int[] ordinals = new int[ids.size()];
        int existing = 0;
        try (WriteBatch wb = new WriteBatch()) {
            for (int i = 0; i < ids.size(); i++) {
                byte[] record = records.get(i);
                ordinals[i] = record == null ? -1 : PointCodec.ordinalOfVectorRecord(record);
                if (ordinals[i] >= 0) {
                    existing++;
                    wb.delete(cf, keys.get(i));
                    wb.delete(cf, PointCodec.key(PointCodec.DOC, ids.get(i)));
                    wb.delete(cf, PointCodec.ordinalKey(ordinals[i]));
                }
            }
            if (existing == 0) {
                return new int[0];
            }
            db.write(writeOptions, wb);
        }
        int[] removed = new int[existing];
        int r = 0;
        stateLock.writeLock().lock();
        try {
            for (int ordinal : ordinals) {
                if (ordinal >= 0) {
                    live.remove(ordinal);
                    removed[r++] = ordinal;
                }
            }
        } finally {
            stateLock.writeLock().unlock();
        }
        for (int i = 0; i < ids.size(); i++) {
            if (ordinals[i] >= 0) {
                idMap.remove(ids.get(i));
            }
        }
        return removed;
    }

    @Override
    public long count() {
        enter();
        try {
            stateLock.readLock().lock();
            try {
                return live.count();
            } finally {
                stateLock.readLock().unlock();
            }
        } finally {
            exit();
        }
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
        PointValidator.checkVector(request.vector(), config.dimension(), "vector", "");
        float[] query = similarity.prepare(request.vector());
        int wanted = request.limit() + request.offset();
        int ef = request.params().efFor(wanted);
        int[] ordinals = new int[wanted];
        float[] scores = new float[wanted];
        enter();
        try {
            for (int attempt = 1; ; attempt++) {
                stateLock.readLock().lock();
                try {
                    int n;
                    if (request.params().exact() || live.count() <= ef) {
                        TopK top = new TopK(wanted);
                        ExactSearch.search(vectors, similarity, query, live, Bits.ALL, top, false);
                        n = top.drainBestFirst(ordinals, scores);
                    } else {
                        n = graph.search(query, wanted, ef, live, ordinals, scores);
                    }
                    List<ScoredPoint> hits = toHits(ordinals, scores, n, request, attempt == FETCH_ATTEMPTS);
                    if (hits != null) {
                        return hits;
                    }
                } finally {
                    stateLock.readLock().unlock();
                }
            }
        } catch (RocksDBException e) {
            throw storageFailure("search", e);
        } finally {
            exit();
        }
    }

    /**
     * Maps hits to ids (and payloads or vectors, read for the hits only), skipping
     * {@code offset}. Returns null when a hit's stored record no longer holds the scored
     * ordinal (a write is being published) unless {@code dropStale}, which leaves such hits out.
     */
    private List<ScoredPoint> toHits(int[] ordinals, float[] scores, int n, SearchRequest request, boolean dropStale)
            throws RocksDBException {
        int from = Math.min(request.offset(), n);
        List<ScoredPoint> hits = new ArrayList<>(n - from);
        if (!request.withPayload() && !request.withVector()) {
            for (int i = from; i < n; i++) {
                hits.add(new ScoredPoint(live.idOf(ordinals[i]), similarity.toUserScore(scores[i]), null, null));
            }
            return hits;
        }
        List<byte[]> keys = new ArrayList<>(2 * (n - from));
        for (int i = from; i < n; i++) {
            byte[] id = PointCodec.idBytes(live.idOf(ordinals[i]));
            keys.add(PointCodec.key(PointCodec.VECTOR, id));
            keys.add(PointCodec.key(PointCodec.DOC, id));
        }
        List<byte[]> values = multiGet(keys);
        for (int i = from; i < n; i++) {
            byte[] vector = values.get(2 * (i - from));
            byte[] doc = values.get(2 * (i - from) + 1);
            if (vector == null || doc == null || PointCodec.ordinalOfVectorRecord(vector) != ordinals[i]) {
                if (dropStale) {
                    continue;
                }
                return null;
            }
            hits.add(new ScoredPoint(live.idOf(ordinals[i]), similarity.toUserScore(scores[i]),
                    request.withPayload() ? PointCodec.payloadOfDoc(doc) : null,
                    request.withVector() ? PointCodec.vectorOfRecord(vector) : null));
        }
        return hits;
    }

    /** Brute-force top-k with plain loops, for tests comparing it with the SIMD search. */
    List<ScoredPoint> scalarExactSearch(float[] vector, int limit) {
        PointValidator.checkVector(vector, config.dimension(), "vector", "");
        float[] query = similarity.prepare(vector);
        enter();
        stateLock.readLock().lock();
        try {
            TopK top = new TopK(limit);
            ExactSearch.search(vectors, similarity, query, live, Bits.ALL, top, true);
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

    /** Why the id map was rebuilt on open, or null when the file was verified and reused. */
    String idMapRebuiltBecause() {
        return idMapRebuiltBecause;
    }

    /** Why the HNSW graph was replayed or rebuilt on open, or null when the saved one matched. */
    String graphRepairedBecause() {
        return graph.repairedBecause();
    }

    ColumnFamilyHandle columnFamily() {
        return cf;
    }

    /**
     * Stops the collection once running calls have finished. On a database close it saves the
     * HNSW graph and records a clean id-map close in RocksDB; on a drop it deletes both files.
     * Failures are logged: both files are rebuilt from RocksDB on the next open.
     */
    void close(String reason, boolean dropping) {
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
            } else {
                // the graph must never name an ordinal RocksDB could still lose
                db.syncWal();
                graph.save(files.graph());
                recordIdMapState(IdMapRecovery.closeClean(idMap));
            }
        } catch (IOException | RocksDBException | RuntimeException e) {
            LOG.warn("collection '{}': saving derived state on close failed; it will be rebuilt from RocksDB on open",
                    name, e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void recordIdMapState(IdMapRecovery.State state) throws RocksDBException {
        db.put(cf, writeOptions, PointCodec.ID_MAP_STATE_KEY, state.encode());
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

    private RuntimeException storageFailure(String operation, RocksDBException e) {
        return new IllegalStateException("collection '" + name + "': " + operation + " failed in RocksDB: "
                + e.getMessage(), e);
    }
}
