package dev.vdb.engine;

import dev.vdb.index.Bits;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * A collection stored in its own RocksDB column family (the source of truth) with its vectors
 * held in memory by dense ordinal in a {@link VectorStore}, its live ordinals in
 * {@link LiveOrdinals} and its id → ordinal map in an {@link IdMap} file.
 *
 * <p>Thread safety: writers (upsert, delete) serialise on a per-collection {@code writerLock};
 * each validates its batch, writes one synced WriteBatch to RocksDB, stores any new vectors at
 * fresh ordinals (never visible yet) and then <em>publishes</em> the change to the live set
 * under the write side of the per-collection {@code stateLock}, held only for that swap, never
 * across I/O. Readers (search, get, count) hold the read side, so a search sees one published
 * state: a deleted id is never returned once its delete has returned. A changed vector always
 * gets a new ordinal, so an index never sees a vector change under a running search. Collections
 * never share a lock. Search allocates its result lists and a heap of {@code limit + offset}.
 */
final class RocksCollection implements Collection {

    private static final Logger LOG = LoggerFactory.getLogger(RocksCollection.class);
    /** How often a search that met a concurrent write while fetching payloads starts over. */
    private static final int FETCH_ATTEMPTS = 4;

    private final String name;
    private final CollectionConfig config;
    private final VectorSimilarity similarity;
    private final RocksDB db;
    private final ColumnFamilyHandle cf;
    private final WriteOptions writeOptions;
    private final DbOptions options;
    private final VectorStore vectors;
    private final LiveOrdinals live = new LiveOrdinals();
    private final ReentrantLock writerLock = new ReentrantLock();
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    private IdMap idMap;
    /** Why the id map was rebuilt when this collection was opened, or null when it was reused. */
    private String idMapRebuiltBecause;
    /** Set under both locks; a closed collection answers nothing. */
    private volatile String closedBecause;

    private RocksCollection(String name, CollectionConfig config, RocksDB db, ColumnFamilyHandle cf,
                            WriteOptions writeOptions, DbOptions options) {
        this.name = name;
        this.config = config;
        this.similarity = config.distance().similarity();
        this.db = db;
        this.cf = cf;
        this.writeOptions = writeOptions;
        this.options = options;
        this.vectors = new VectorStore(config.dimension());
    }

    /**
     * Loads a collection: every vector from RocksDB into memory, then the id map, verified
     * against what was loaded or rebuilt. Marks the id map open (unclean) in RocksDB before any
     * write can touch it.
     */
    static RocksCollection open(String name, CollectionConfig config, RocksDB db, ColumnFamilyHandle cf,
                                WriteOptions writeOptions, DbOptions options, Path idMapFile)
            throws RocksDBException {
        RocksCollection c = new RocksCollection(name, config, db, cf, writeOptions, options);
        c.loadVectors();
        IdMapRecovery.State state = IdMapRecovery.State.decode(db.get(cf, PointCodec.ID_MAP_STATE_KEY));
        IdMapRecovery.Opened opened = IdMapRecovery.openVerified(name, idMapFile, state, c.live);
        c.idMap = opened.map();
        c.idMapRebuiltBecause = opened.rebuiltBecause();
        c.recordIdMapState(IdMapRecovery.State.open(c.idMap.capacity()));
        return c;
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
        writerLock.lock();
        try {
            ensureOpen();
            return writeUpserts(batch);
        } catch (RocksDBException e) {
            throw storageFailure("upsert", e);
        } finally {
            writerLock.unlock();
        }
    }

    private int writeUpserts(List<Point> batch) throws RocksDBException {
        int n = batch.size();
        byte[][] ids = new byte[n][];
        List<byte[]> vectorKeys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids[i] = PointCodec.idBytes(batch.get(i).id());
            vectorKeys.add(PointCodec.key(PointCodec.VECTOR, ids[i]));
        }
        List<byte[]> oldRecords = db.multiGetAsList(Collections.nCopies(n, cf), vectorKeys);
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
        for (int i = 0; i < n; i++) {
            if (newOrdinals[i] != oldOrdinals[i]) {
                vectors.set(newOrdinals[i], prepared[i]);
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
        return n;
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
        stateLock.readLock().lock();
        try {
            ensureOpen();
            List<byte[]> keys = new ArrayList<>(2 * ids.size());
            for (PointId id : ids) {
                byte[] idBytes = PointCodec.idBytes(id);
                keys.add(PointCodec.key(PointCodec.VECTOR, idBytes));
                keys.add(PointCodec.key(PointCodec.DOC, idBytes));
            }
            List<byte[]> values = db.multiGetAsList(Collections.nCopies(keys.size(), cf), keys);
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
            stateLock.readLock().unlock();
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
        writerLock.lock();
        try {
            ensureOpen();
            List<byte[]> keys = new ArrayList<>(distinct.size());
            for (byte[] id : distinct) {
                keys.add(PointCodec.key(PointCodec.VECTOR, id));
            }
            List<byte[]> records = db.multiGetAsList(Collections.nCopies(keys.size(), cf), keys);
            int[] ordinals = new int[distinct.size()];
            int existing = 0;
            try (WriteBatch wb = new WriteBatch()) {
                for (int i = 0; i < distinct.size(); i++) {
                    byte[] record = records.get(i);
                    ordinals[i] = record == null ? -1 : PointCodec.ordinalOfVectorRecord(record);
                    if (ordinals[i] >= 0) {
                        existing++;
                        wb.delete(cf, keys.get(i));
                        wb.delete(cf, PointCodec.key(PointCodec.DOC, distinct.get(i)));
                        wb.delete(cf, PointCodec.ordinalKey(ordinals[i]));
                    }
                }
                if (existing == 0) {
                    return 0;
                }
                db.write(writeOptions, wb);
            }
            stateLock.writeLock().lock();
            try {
                for (int ordinal : ordinals) {
                    if (ordinal >= 0) {
                        live.remove(ordinal);
                    }
                }
            } finally {
                stateLock.writeLock().unlock();
            }
            for (int i = 0; i < distinct.size(); i++) {
                if (ordinals[i] >= 0) {
                    idMap.remove(distinct.get(i));
                }
            }
            return existing;
        } catch (RocksDBException e) {
            throw storageFailure("delete", e);
        } finally {
            writerLock.unlock();
        }
    }

    @Override
    public long count() {
        stateLock.readLock().lock();
        try {
            ensureOpen();
            return live.count();
        } finally {
            stateLock.readLock().unlock();
        }
    }

    @Override
    public long indexedVectorsCount() {
        return count();
    }

    @Override
    public List<ScoredPoint> search(SearchRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        PointValidator.checkVector(request.vector(), config.dimension(), "vector", "");
        float[] query = similarity.prepare(request.vector());
        int wanted = request.limit() + request.offset();
        for (int attempt = 1; ; attempt++) {
            stateLock.readLock().lock();
            try {
                ensureOpen();
                TopK top = new TopK(wanted);
                ExactSearch.search(vectors, similarity, query, live, Bits.ALL, top, false);
                List<ScoredPoint> hits = toHits(top, request, attempt == FETCH_ATTEMPTS);
                if (hits != null) {
                    return hits;
                }
            } catch (RocksDBException e) {
                throw storageFailure("search", e);
            } finally {
                stateLock.readLock().unlock();
            }
        }
    }

    /**
     * Maps heap entries to ids (and payloads or vectors, read for the hits only), skipping
     * {@code offset}. Returns null when a hit's stored record no longer holds the scored
     * ordinal (a write is being published) unless {@code dropStale}, which leaves such hits out.
     */
    private List<ScoredPoint> toHits(TopK top, SearchRequest request, boolean dropStale) throws RocksDBException {
        int[] ordinals = new int[top.size()];
        float[] scores = new float[top.size()];
        int n = top.drainBestFirst(ordinals, scores);
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
        List<byte[]> values = db.multiGetAsList(Collections.nCopies(keys.size(), cf), keys);
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
        stateLock.readLock().lock();
        try {
            ensureOpen();
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
        }
    }

    /** The id map's ordinal for {@code id}, or -1; for tests and id filters. */
    int idMapOrdinal(PointId id) {
        stateLock.readLock().lock();
        try {
            ensureOpen();
            return idMap.get(PointCodec.idBytes(id));
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /** Why the id map was rebuilt on open, or null when the file was verified and reused. */
    String idMapRebuiltBecause() {
        return idMapRebuiltBecause;
    }

    ColumnFamilyHandle columnFamily() {
        return cf;
    }

    /**
     * Stops the collection: waits for running calls, then closes the id map, recording a clean
     * close in RocksDB (or, when {@code dropping}, deleting the file instead).
     */
    void close(String reason, boolean dropping) {
        writerLock.lock();
        stateLock.writeLock().lock();
        try {
            if (closedBecause != null) {
                return;
            }
            closedBecause = reason;
            if (dropping) {
                idMap.close();
                Files.deleteIfExists(idMap.file());
            } else {
                recordIdMapState(IdMapRecovery.closeClean(idMap));
            }
        } catch (IOException | RocksDBException e) {
            LOG.warn("collection '{}': closing the id map failed; it will be rebuilt on open", name, e);
        } finally {
            stateLock.writeLock().unlock();
            writerLock.unlock();
        }
    }

    private void recordIdMapState(IdMapRecovery.State state) throws RocksDBException {
        db.put(cf, writeOptions, PointCodec.ID_MAP_STATE_KEY, state.encode());
    }

    private void ensureOpen() {
        String reason = closedBecause;
        if (reason != null) {
            if (reason.equals("dropped")) {
                throw new NoSuchCollectionException(name);
            }
            throw new IllegalStateException("collection '" + name + "' is closed: " + reason);
        }
    }

    private RuntimeException storageFailure(String operation, RocksDBException e) {
        return new IllegalStateException("collection '" + name + "': " + operation + " failed in RocksDB: "
                + e.getMessage(), e);
    }
}
