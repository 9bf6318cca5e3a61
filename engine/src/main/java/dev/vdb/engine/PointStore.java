package dev.vdb.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
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
final class PointStore {

    private final String collection;
    private final RocksDB db;
    private final ColumnFamilyHandle cf;
    private final WriteOptions writeOptions;

    /** Receives one stored vector while a collection loads. */
    interface VectorVisitor {
        void visit(PointId id, int ordinal, float[] vector);
    }

    /** Receives ids in key order; returns false to stop. */
    interface IdVisitor {
        boolean visit(PointId id, int ordinal);
    }

    /** Receives one stored document record (payload and text) with its point's ordinal. */
    interface DocumentVisitor {
        void visit(PointId id, int ordinal, byte[] document);
    }

    PointStore(String collection, RocksDB db, ColumnFamilyHandle cf, WriteOptions writeOptions) {
        this.collection = collection;
        this.db = db;
        this.cf = cf;
        this.writeOptions = writeOptions;
    }

    ColumnFamilyHandle columnFamily() {
        return cf;
    }

    /** The next ordinal recorded by the last write that handed one out, or 0. */
    int storedNextOrdinal() {
        byte[] next = get(PointCodec.NEXT_ORDINAL_KEY, "reading the next ordinal");
        return next == null ? 0 : PointCodec.intOf(next);
    }

    /** Visits every stored vector record, in id order. */
    void forEachVector(VectorVisitor visitor) {
        try (RocksIterator it = db.newIterator(cf)) {
            for (it.seek(new byte[] {PointCodec.VECTOR}); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (key[0] != PointCodec.VECTOR) {
                    break;
                }
                byte[] record = it.value();
                visitor.visit(PointCodec.id(key, 1), PointCodec.ordinalOfVectorRecord(record),
                        PointCodec.vectorOfRecord(record));
            }
            it.status();
        } catch (RocksDBException e) {
            throw failure("loading vectors", e);
        }
    }

    /**
     * Visits stored points in id order from {@code startId} (encoded, inclusive; null for the
     * first) until the visitor returns false.
     */
    void scanIds(byte[] startId, IdVisitor visitor) {
        try (RocksIterator it = db.newIterator(cf)) {
            for (it.seek(startId == null ? new byte[] {PointCodec.VECTOR} : PointCodec.key(PointCodec.VECTOR, startId));
                    it.isValid(); it.next()) {
                byte[] key = it.key();
                if (key[0] != PointCodec.VECTOR
                        || !visitor.visit(PointCodec.id(key, 1), PointCodec.ordinalOfVectorRecord(it.value()))) {
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
    void forEachDocument(DocumentVisitor visitor) {
        try (RocksIterator vectors = db.newIterator(cf); RocksIterator docs = db.newIterator(cf)) {
            vectors.seek(new byte[] {PointCodec.VECTOR});
            for (docs.seek(new byte[] {PointCodec.DOC}); docs.isValid() && docs.key()[0] == PointCodec.DOC; docs.next()) {
                byte[] docKey = docs.key();
                if (!vectors.isValid() || vectors.key()[0] != PointCodec.VECTOR
                        || !Arrays.equals(vectors.key(), 1, vectors.key().length, docKey, 1, docKey.length)) {
                    throw new IllegalStateException("collection '" + collection + "': point "
                            + PointCodec.id(docKey, 1) + " has a document but no vector record");
                }
                visitor.visit(PointCodec.id(docKey, 1), PointCodec.ordinalOfVectorRecord(vectors.value()), docs.value());
                vectors.next();
            }
            docs.status();
            vectors.status();
        } catch (RocksDBException e) {
            throw failure("reading documents", e);
        }
    }

    /** The persisted payload index definitions, or null when none were ever created. */
    byte[] payloadIndexDefinitions() {
        return get(PointCodec.PAYLOAD_INDEXES_KEY, "reading the payload index definitions");
    }

    void writePayloadIndexDefinitions(byte[] definitions) {
        try {
            db.put(cf, writeOptions, PointCodec.PAYLOAD_INDEXES_KEY, definitions);
        } catch (RocksDBException e) {
            throw failure("recording the payload index definitions", e);
        }
    }

    /** The stored ordinal of each encoded id, or -1 where there is no point. */
    int[] ordinalsOf(byte[][] ids) {
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
    void writeUpserts(List<Point> batch, byte[][] ids, int[] oldOrdinals, int[] newOrdinals, int nextOrdinal,
                      boolean nextOrdinalMoved) {
        try (WriteBatch wb = new WriteBatch()) {
            for (int i = 0; i < batch.size(); i++) {
                Point p = batch.get(i);
                if (newOrdinals[i] != oldOrdinals[i]) {
                    if (oldOrdinals[i] >= 0) {
                        wb.delete(cf, PointCodec.ordinalKey(oldOrdinals[i]));
                    }
                    wb.put(cf, PointCodec.ordinalKey(newOrdinals[i]), ids[i]);
                }
                wb.put(cf, PointCodec.key(PointCodec.VECTOR, ids[i]), PointCodec.vectorRecord(newOrdinals[i], p.vector()));
                wb.put(cf, PointCodec.key(PointCodec.DOC, ids[i]), PointCodec.docRecord(p.payload(), p.text()));
            }
            if (nextOrdinalMoved) {
                wb.put(cf, PointCodec.NEXT_ORDINAL_KEY, PointCodec.intValue(nextOrdinal));
            }
            db.write(writeOptions, wb);
        } catch (RocksDBException e) {
            throw failure("upsert", e);
        }
    }

    /** Deletes every record of the points whose ordinal is not -1. */
    void writeDeletes(byte[][] ids, int[] ordinals) {
        try (WriteBatch wb = new WriteBatch()) {
            for (int i = 0; i < ids.length; i++) {
                if (ordinals[i] >= 0) {
                    wb.delete(cf, PointCodec.key(PointCodec.VECTOR, ids[i]));
                    wb.delete(cf, PointCodec.key(PointCodec.DOC, ids[i]));
                    wb.delete(cf, PointCodec.ordinalKey(ordinals[i]));
                }
            }
            db.write(writeOptions, wb);
        } catch (RocksDBException e) {
            throw failure("delete", e);
        }
    }

    /** The stored points among {@code ids}, in the order asked. */
    List<Point> read(List<PointId> ids) {
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
    List<byte[]> records(List<PointId> ids) {
        List<byte[]> keys = new ArrayList<>(2 * ids.size());
        for (PointId id : ids) {
            byte[] idBytes = PointCodec.idBytes(id);
            keys.add(PointCodec.key(PointCodec.VECTOR, idBytes));
            keys.add(PointCodec.key(PointCodec.DOC, idBytes));
        }
        return multiGet(keys, "reading points");
    }

    /** The stored payload of each id, null where the point is gone or has none. */
    List<ObjectNode> payloads(List<PointId> ids) {
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

    /** What the last close recorded about the id-map file, or null. */
    IdMapRecovery.State idMapState() {
        return IdMapRecovery.State.decode(get(PointCodec.ID_MAP_STATE_KEY, "reading the id-map state"));
    }

    void recordIdMapState(IdMapRecovery.State state) {
        try {
            db.put(cf, writeOptions, PointCodec.ID_MAP_STATE_KEY, state.encode());
        } catch (RocksDBException e) {
            throw failure("recording the id-map state", e);
        }
    }

    /** What the last close recorded about the BM25 snapshot file, or null. */
    TextIndex.SnapshotState textIndexState() {
        return TextIndex.SnapshotState.decode(get(PointCodec.TEXT_INDEX_STATE_KEY, "reading the text-index state"));
    }

    void recordTextIndexState(TextIndex.SnapshotState state) {
        try {
            db.put(cf, writeOptions, PointCodec.TEXT_INDEX_STATE_KEY, state.encode());
        } catch (RocksDBException e) {
            throw failure("recording the text-index state", e);
        }
    }

    /** Makes every write so far durable, whatever the write options. */
    void syncWal() {
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            throw failure("syncing the write-ahead log", e);
        }
    }

    private byte[] get(byte[] key, String operation) {
        try {
            return db.get(cf, key);
        } catch (RocksDBException e) {
            throw failure(operation, e);
        }
    }

    private List<byte[]> multiGet(List<byte[]> keys, String operation) {
        if (keys.isEmpty()) {
            return List.of();
        }
        try {
            return db.multiGetAsList(Collections.nCopies(keys.size(), cf), keys);
        } catch (RocksDBException e) {
            throw failure(operation, e);
        }
    }

    private IllegalStateException failure(String operation, RocksDBException e) {
        String message = "collection '" + collection + "': " + operation + " failed in RocksDB: " + e.getMessage();
        return isNoSpace(e) ? new StorageFullException(message + NO_SPACE_HINT, e) : new IllegalStateException(message, e);
    }

    /**
     * After a failed write-ahead-log append RocksDB keeps refusing writes (the error is sticky and
     * RocksJava has no {@code resume()}); reads go on, and a reopen recovers every acknowledged
     * write. The refused write is not visible; like a write cut short by a crash, it is not
     * acknowledged, so a reopen may or may not find it.
     */
    private static final String NO_SPACE_HINT = " (the disk is full: this write is not acknowledged and later writes"
            + " are refused too; reads still work; free space and reopen the database to write again)";

    private static boolean isNoSpace(RocksDBException e) {
        return (e.getStatus() != null && e.getStatus().getSubCode() == Status.SubCode.NoSpace)
                || String.valueOf(e.getMessage()).contains("No space left on device");
    }
}
