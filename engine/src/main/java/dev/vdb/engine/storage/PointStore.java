package dev.vdb.engine.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A collection's records in its RocksDB column family, in the layout of {@link PointCodec}: the
 * only place that reads or writes them. Each write is one WriteBatch with the database's write
 * options (synced unless {@link DbOptions#syncWrites} is off). RocksDB failures surface as
 * {@link IllegalStateException} naming the collection and the operation.
 *
 * <p>Thread-safe as RocksDB is; the collection serialises writers. Every call allocates its keys
 * and results.
 */
public final class PointStore {

    private final String collection;
    private final RocksDB db;
    private final KeySpace space;
    private final ColumnFamilyHandle cf;
    private final WriteOptions writeOptions;
    private final StateRecords states;
    private final RawRecords raw;

    /** Receives one stored vector while a collection loads; the array is reused for the next one. */
    public interface VectorVisitor {
        void visit(PointId id, int ordinal, float[] vector);
    }

    /** Receives ids in key order; returns false to stop. */
    public interface IdVisitor {
        boolean visit(PointId id, int ordinal);
    }

    /** Receives one live ordinal and the id its {@code 'o'} key names. */
    public interface OrdinalVisitor {
        void visit(int ordinal, PointId id);
    }

    /** Receives one stored document record (payload and text) with its point's ordinal. */
    public interface DocumentVisitor {
        void visit(PointId id, int ordinal, byte[] document);
    }

    public PointStore(String collection, RocksDB db, KeySpace space, WriteOptions writeOptions) {
        this.collection = collection;
        this.db = db;
        this.space = space;
        this.cf = space.columnFamily();
        this.writeOptions = writeOptions;
        this.states = new StateRecords(collection, db, space, writeOptions);
        this.raw = new RawRecords(collection, db, space);
    }

    /** The records of the collection's derived state (id map, snapshots, graph, index definitions). */
    public StateRecords states() {
        return states;
    }

    /** Where the collection's records live. */
    public KeySpace keySpace() {
        return space;
    }

    /** The records as opaque pairs: for snapshots, restores and offline checks. */
    public RawRecords raw() {
        return raw;
    }

    /** The next ordinal recorded by the last write that handed one out, or 0. */
    public int storedNextOrdinal() {
        byte[] next = get(PointCodec.NEXT_ORDINAL_KEY, "reading the next ordinal");
        return next == null ? 0 : PointCodec.intOf(next);
    }

    /** Visits every stored vector record, in id order. */
    public void forEachVector(VectorVisitor visitor) {
        // a bulk scan: direct buffers (no array per key and value), read-ahead, no block-cache churn
        int p = space.prefixLength();
        ByteBuffer key = ByteBuffer.allocateDirect(p + 1 + 1 + PointId.MAX_STRING_BYTES + 16);
        ByteBuffer value = ByteBuffer.allocateDirect(1 << 12).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[0];
        try (ReadOptions scan = new ReadOptions().setFillCache(false).setReadaheadSize(4 << 20);
             RocksIterator it = db.newIterator(cf, scan)) {
            for (it.seek(space.key(new byte[] {PointCodec.VECTOR})); it.isValid(); it.next()) {
                key.clear();
                int keyLength = it.key(key);
                if (keyLength > key.capacity()) {
                    throw new IllegalStateException("collection '" + collection + "': a stored key of " + keyLength + " bytes");
                }
                if (!space.holds(key, keyLength, PointCodec.VECTOR)) {
                    break;
                }
                value.clear();
                int valueLength = it.value(value);
                if (valueLength > value.capacity()) {
                    value = ByteBuffer.allocateDirect(Integer.highestOneBit(valueLength) << 1).order(ByteOrder.LITTLE_ENDIAN);
                    it.value(value);
                }
                int dimension = PointCodec.dimensionOfVectorRecord(value, valueLength);
                if (vector.length != dimension) {
                    vector = new float[dimension];
                }
                value.position(9);
                value.asFloatBuffer().get(vector);
                visitor.visit(PointCodec.id(key, p + 1, keyLength), value.getInt(1), vector);
            }
            it.status();
        } catch (RocksDBException e) {
            throw failure("loading vectors", e);
        }
    }

    /**
     * Visits every {@code 'o'} key (ordinal → id of a live point), in ordinal order: the live set
     * without reading a vector (a small key and value per point).
     */
    public void forEachOrdinal(OrdinalVisitor visitor) {
        int ordinalAt = space.prefixLength() + 1;
        try (ReadOptions scan = new ReadOptions().setFillCache(false).setReadaheadSize(1 << 20);
             RocksIterator it = db.newIterator(cf, scan)) {
            for (it.seek(space.key(new byte[] {PointCodec.ORDINAL})); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!space.holds(key, PointCodec.ORDINAL)) {
                    break;
                }
                if (key.length != ordinalAt + 4) {
                    throw new IllegalStateException("collection '" + collection + "': an ordinal key of " + key.length + " bytes");
                }
                visitor.visit(ByteBuffer.wrap(key, ordinalAt, 4).getInt(), PointCodec.id(it.value(), 0));
            }
            it.status();
        } catch (RocksDBException e) {
            throw failure("loading ordinals", e);
        }
    }

    /** The vector record of each id, null where absent, read from one consistent view. */
    public List<byte[]> vectorRecords(List<PointId> ids) {
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (PointId id : ids) {
            keys.add(PointCodec.key(PointCodec.VECTOR, PointCodec.idBytes(id)));
        }
        return multiGet(keys, "reading vectors");
    }

    /**
     * Visits stored points in id order from {@code startId} (encoded, inclusive; null for the
     * first) until the visitor returns false.
     */
    public void scanIds(byte[] startId, IdVisitor visitor) {
        try (RocksIterator it = db.newIterator(cf)) {
            for (it.seek(space.key(startId == null ? new byte[] {PointCodec.VECTOR} : PointCodec.key(PointCodec.VECTOR, startId)));
                    it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!space.holds(key, PointCodec.VECTOR) || !visitor.visit(PointCodec.id(key, space.prefixLength() + 1),
                        PointCodec.ordinalOfVectorRecord(it.value()))) {
                    break;
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw failure("scrolling", e);
        }
    }

    /**
     * Visits every stored document record with its ordinal, in id order: vector and document
     * records are written together in one batch, so the two key ranges hold the same ids.
     */
    public void forEachDocument(DocumentVisitor visitor) {
        try (RocksIterator vectors = db.newIterator(cf); RocksIterator docs = db.newIterator(cf)) {
            int idAt = space.prefixLength() + 1;
            vectors.seek(space.key(new byte[] {PointCodec.VECTOR}));
            for (docs.seek(space.key(new byte[] {PointCodec.DOC})); docs.isValid() && space.holds(docs.key(), PointCodec.DOC);
                    docs.next()) {
                byte[] docKey = docs.key();
                byte[] vectorKey = vectors.isValid() ? vectors.key() : null;
                if (vectorKey == null || !space.holds(vectorKey, PointCodec.VECTOR)
                        || !Arrays.equals(vectorKey, idAt, vectorKey.length, docKey, idAt, docKey.length)) {
                    throw new IllegalStateException("collection '" + collection + "': point "
                            + PointCodec.id(docKey, idAt) + " has a document but no vector record");
                }
                visitor.visit(PointCodec.id(docKey, idAt), PointCodec.ordinalOfVectorRecord(vectors.value()), docs.value());
                vectors.next();
            }
            docs.status();
            vectors.status();
        } catch (RocksDBException e) {
            throw failure("reading documents", e);
        }
    }

    /** The stored ordinal of each encoded id, or -1 where there is no point. */
    public int[] ordinalsOf(byte[][] ids) {
        List<byte[]> keys = new ArrayList<>(ids.length);
        for (byte[] id : ids) {
            keys.add(PointCodec.key(PointCodec.VECTOR, id));
        }
        List<byte[]> records = multiGet(keys, "reading ordinals");
        int[] ordinals = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            byte[] record = records.get(i);
            ordinals[i] = record == null ? -1 : PointCodec.ordinalOfVectorRecord(record);
        }
        return ordinals;
    }

    /**
     * Writes an upsert batch: every point's vector and document records, the ordinal → id keys
     * of points whose ordinal changed, and the next ordinal when it moved.
     */
    public void writeUpserts(List<Point> batch, byte[][] ids, int[] oldOrdinals, int[] newOrdinals, int nextOrdinal,
                             boolean nextOrdinalMoved, long sequence) {
        try (WriteBatch wb = new WriteBatch()) {
            log(wb, sequence, ids, oldOrdinals, newOrdinals);
            for (int i = 0; i < batch.size(); i++) {
                Point p = batch.get(i);
                if (newOrdinals[i] != oldOrdinals[i]) {
                    if (oldOrdinals[i] >= 0) {
                        wb.delete(cf, space.key(PointCodec.ordinalKey(oldOrdinals[i])));
                    }
                    wb.put(cf, space.key(PointCodec.ordinalKey(newOrdinals[i])), ids[i]);
                }
                wb.put(cf, space.key(PointCodec.key(PointCodec.VECTOR, ids[i])), PointCodec.vectorRecord(newOrdinals[i], p.vector()));
                wb.put(cf, space.key(PointCodec.key(PointCodec.DOC, ids[i])), PointCodec.docRecord(p.payload(), p.text()));
            }
            if (nextOrdinalMoved) {
                wb.put(cf, space.key(PointCodec.NEXT_ORDINAL_KEY), PointCodec.intValue(nextOrdinal));
            }
            db.write(writeOptions, wb);
        } catch (RocksDBException e) {
            throw failure("upsert", e);
        }
    }

    private void log(WriteBatch wb, long sequence, byte[][] ids, int[] before, int[] after) throws RocksDBException {
        wb.put(cf, space.key(PointCodec.logKey(sequence)), ChangeLog.encode(ids, before, after));
        wb.put(cf, space.key(PointCodec.WRITE_SEQUENCE_KEY), PointCodec.longValue(sequence));
    }

    /** The sequence of the last write stored, or 0. */
    public long storedWriteSequence() {
        byte[] value = get(PointCodec.WRITE_SEQUENCE_KEY, "reading the write sequence");
        return value == null ? 0 : java.nio.ByteBuffer.wrap(value).getLong();
    }

    /** Receives one change-log record. */
    public interface LogVisitor {
        void visit(long sequence, List<ChangeLog.Entry> entries);
    }

    /**
     * Visits the change-log records after {@code afterSequence}, in order; returns the sequence of
     * the first record stored (the log's start), or -1 when the log is empty.
     */
    public long forEachLogRecord(long afterSequence, LogVisitor visitor) {
        long first = -1;
        try (RocksIterator it = db.newIterator(cf)) {
            int sequenceAt = space.prefixLength() + 1;
            it.seek(space.key(new byte[] {PointCodec.LOG}));
            if (it.isValid() && space.holds(it.key(), PointCodec.LOG)) {
                first = java.nio.ByteBuffer.wrap(it.key(), sequenceAt, 8).getLong();
            }
            for (it.seek(space.key(PointCodec.logKey(afterSequence + 1))); it.isValid() && space.holds(it.key(), PointCodec.LOG);
                    it.next()) {
                visitor.visit(java.nio.ByteBuffer.wrap(it.key(), sequenceAt, 8).getLong(), ChangeLog.decode(it.value()));
            }
            it.status();
        } catch (RocksDBException e) {
            throw failure("reading the change log", e);
        }
        return first;
    }

    /** Deletes the change-log records up to {@code sequence} (inclusive): the derived state has them. */
    public void truncateLog(long sequence) {
        try {
            db.deleteRange(cf, writeOptions, space.key(PointCodec.logKey(0)), space.key(PointCodec.logKey(sequence + 1)));
        } catch (RocksDBException e) {
            throw failure("truncating the change log", e);
        }
    }

    /** The id the {@code 'o'} key of {@code ordinal} names, or null. */
    public PointId idOfOrdinal(int ordinal) {
        byte[] id = get(PointCodec.ordinalKey(ordinal), "reading an ordinal's id");
        return id == null ? null : PointCodec.id(id, 0);
    }

    /**
     * Gives the points {@code ids} the ordinals {@code ordinals} (their vector records rewritten
     * with it, and its {@code 'o'} key), and records {@code nextOrdinal}: how an open repairs two
     * points stored with one ordinal. Their old ordinals' keys are left to their owners.
     */
    public void reassignOrdinals(List<PointId> ids, int[] ordinals, int nextOrdinal, long sequence) {
        List<byte[]> records = records(ids);
        try (WriteBatch wb = new WriteBatch()) {
            // logged as new points: their old ordinal belongs to another point, whose entries stay
            byte[][] encoded = ids.stream().map(PointCodec::idBytes).toArray(byte[][]::new);
            int[] none = new int[ids.size()];
            java.util.Arrays.fill(none, -1);
            log(wb, sequence, encoded, none, ordinals);
            for (int i = 0; i < ids.size(); i++) {
                byte[] vectorRecord = records.get(2 * i);
                if (vectorRecord == null) {
                    continue;
                }
                byte[] id = PointCodec.idBytes(ids.get(i));
                wb.put(cf, space.key(PointCodec.key(PointCodec.VECTOR, id)),
                        PointCodec.vectorRecord(ordinals[i], PointCodec.vectorOfRecord(vectorRecord)));
                wb.put(cf, space.key(PointCodec.ordinalKey(ordinals[i])), id);
            }
            wb.put(cf, space.key(PointCodec.NEXT_ORDINAL_KEY), PointCodec.intValue(nextOrdinal));
            db.write(writeOptions, wb);
        } catch (RocksDBException e) {
            throw failure("repairing ordinals", e);
        }
    }

    /** Deletes every record of the points whose ordinal is not -1. */
    public void writeDeletes(byte[][] ids, int[] ordinals, long sequence) {
        try (WriteBatch wb = new WriteBatch()) {
            int[] none = new int[ids.length];
            java.util.Arrays.fill(none, -1);
            log(wb, sequence, ids, ordinals, none);
            for (int i = 0; i < ids.length; i++) {
                if (ordinals[i] >= 0) {
                    wb.delete(cf, space.key(PointCodec.key(PointCodec.VECTOR, ids[i])));
                    wb.delete(cf, space.key(PointCodec.key(PointCodec.DOC, ids[i])));
                    wb.delete(cf, space.key(PointCodec.ordinalKey(ordinals[i])));
                }
            }
            db.write(writeOptions, wb);
        } catch (RocksDBException e) {
            throw failure("delete", e);
        }
    }

    /** The stored points among {@code ids}, in the order asked. */
    public List<Point> read(List<PointId> ids) {
        List<byte[]> records = records(ids);
        List<Point> points = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            byte[] vector = records.get(2 * i);
            byte[] doc = records.get(2 * i + 1);
            if (vector != null && doc != null) {
                points.add(new Point(ids.get(i), PointCodec.vectorOfRecord(vector),
                        PointCodec.payloadMapOfDoc(doc), PointCodec.textOfDoc(doc)));
            }
        }
        return points;
    }

    /**
     * The vector record (at {@code 2i}) and document record (at {@code 2i+1}) of each id, null
     * where absent, read from one consistent view.
     */
    public List<byte[]> records(List<PointId> ids) {
        List<byte[]> keys = new ArrayList<>(2 * ids.size());
        for (PointId id : ids) {
            byte[] idBytes = PointCodec.idBytes(id);
            keys.add(PointCodec.key(PointCodec.VECTOR, idBytes));
            keys.add(PointCodec.key(PointCodec.DOC, idBytes));
        }
        return multiGet(keys, "reading points");
    }

    /** The stored payload of each id, null where the point is gone or has none. */
    public List<ObjectNode> payloads(List<PointId> ids) {
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (PointId id : ids) {
            keys.add(PointCodec.key(PointCodec.DOC, PointCodec.idBytes(id)));
        }
        List<byte[]> docs = multiGet(keys, "reading payloads");
        List<ObjectNode> out = new ArrayList<>(ids.size());
        for (byte[] doc : docs) {
            out.add(doc == null ? null : PointCodec.payloadOfDoc(doc));
        }
        return out;
    }

    /** The collection's records as they stand now, for a scan that holds no lock; close it. */
    public PointSnapshot snapshot() {
        return new PointSnapshot(collection, db, space);
    }

    /** Makes every write so far durable, whatever the write options. */
    public void syncWal() {
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            throw failure("syncing the write-ahead log", e);
        }
    }

    private byte[] get(byte[] key, String operation) {
        try {
            return db.get(cf, space.key(key));
        } catch (RocksDBException e) {
            throw failure(operation, e);
        }
    }

    private List<byte[]> multiGet(List<byte[]> keys, String operation) {
        if (keys.isEmpty()) {
            return List.of();
        }
        try {
            return db.multiGetAsList(Collections.nCopies(keys.size(), cf), keys.stream().map(space::key).toList());
        } catch (RocksDBException e) {
            throw failure(operation, e);
        }
    }

    private IllegalStateException failure(String operation, RocksDBException e) {
        return RocksFailures.of("collection '" + collection + "': " + operation, e);
    }
}
