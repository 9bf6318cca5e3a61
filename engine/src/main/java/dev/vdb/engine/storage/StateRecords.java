package dev.vdb.engine.storage;

import dev.vdb.engine.idmap.IdMapRecovery;
import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.engine.recovery.VectorFileState;
import java.nio.charset.StandardCharsets;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * What RocksDB records about a collection's derived state, beside its points: the payload index
 * definitions and, for each derived file (id map, BM25 and payload-index snapshots, HNSW graph),
 * the state its last save or close recorded, by which the next open trusts or rebuilds it.
 *
 * <p>Thread-safe as RocksDB is; each record is one key written alone.
 */
public final class StateRecords {

    private final String collection;
    private final RocksDB db;
    private final KeySpace space;
    private final ColumnFamilyHandle cf;
    private final WriteOptions writeOptions;

    StateRecords(String collection, RocksDB db, KeySpace space, WriteOptions writeOptions) {
        this.collection = collection;
        this.db = db;
        this.space = space;
        this.cf = space.columnFamily();
        this.writeOptions = writeOptions;
    }

    /** The persisted payload index definitions, or null when none were ever created. */
    public byte[] payloadIndexDefinitions() {
        return get(PointCodec.PAYLOAD_INDEXES_KEY, "reading the payload index definitions");
    }

    public void writePayloadIndexDefinitions(byte[] definitions) {
        try {
            db.put(cf, writeOptions, space.key(PointCodec.PAYLOAD_INDEXES_KEY), definitions);
        } catch (RocksDBException e) {
            throw failure("recording the payload index definitions", e);
        }
    }

    /** The field of the collection's {@code is_tenant} keyword index, or null when it has none. */
    public String tenantField() {
        byte[] stored = get(PointCodec.TENANT_FIELD_KEY, "reading the tenant field");
        return stored == null ? null : new String(stored, StandardCharsets.UTF_8);
    }

    /** Forgets the tenant field (its index was dropped). */
    public void deleteTenantField() {
        putOrDelete(PointCodec.TENANT_FIELD_KEY, null, "forgetting the tenant field");
    }

    public void writeTenantField(String field) {
        try {
            db.put(cf, writeOptions, space.key(PointCodec.TENANT_FIELD_KEY),
                    field.getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw failure("recording the tenant field", e);
        }
    }

    /** What the last close recorded about the id-map file, or null. */
    public IdMapRecovery.State idMapState() {
        return IdMapRecovery.State.decode(get(PointCodec.ID_MAP_STATE_KEY, "reading the id-map state"));
    }

    public void recordIdMapState(IdMapRecovery.State state) {
        try {
            db.put(cf, writeOptions, space.key(PointCodec.ID_MAP_STATE_KEY), state.encode());
        } catch (RocksDBException e) {
            throw failure("recording the id-map state", e);
        }
    }

    /** What the last close recorded about the BM25 snapshot file, or null. */
    public DerivedFiles.FileState textIndexState() {
        return DerivedFiles.FileState.decode(get(PointCodec.TEXT_INDEX_STATE_KEY, "reading the text-index state"));
    }

    public void recordTextIndexState(DerivedFiles.FileState state) {
        try {
            db.put(cf, writeOptions, space.key(PointCodec.TEXT_INDEX_STATE_KEY), state.encode());
        } catch (RocksDBException e) {
            throw failure("recording the text-index state", e);
        }
    }

    /** What the last save recorded about the HNSW graph file, or null. */
    public DerivedFiles.FileState graphState() {
        return DerivedFiles.FileState.decode(get(PointCodec.GRAPH_STATE_KEY, "reading the graph state"));
    }

    public void recordGraphState(DerivedFiles.FileState state) {
        try {
            db.put(cf, writeOptions, space.key(PointCodec.GRAPH_STATE_KEY), state.encode());
        } catch (RocksDBException e) {
            throw failure("recording the graph state", e);
        }
    }

    /**
     * The state of the payload-index snapshot a clean close saved, or null when there is none or
     * the collection has been open since (the snapshot may then be stale).
     */
    public DerivedFiles.FileState payloadIndexState() {
        return DerivedFiles.FileState.decode(get(PointCodec.PAYLOAD_INDEX_STATE_KEY, "reading the payload-index state"));
    }

    /** Records a clean close's payload-index snapshot; null records that none is current (on open). */
    public void recordPayloadIndexState(DerivedFiles.FileState state) {
        putOrDelete(PointCodec.PAYLOAD_INDEX_STATE_KEY, state == null ? null : state.encode(),
                "recording the payload-index state");
    }

    /**
     * What the last checkpoint or close recorded about the memory-mapped full-precision vector
     * file (its generation and how many of its vectors were durable), or null.
     */
    public VectorFileState vectorFileState() {
        return VectorFileState.decode(get(PointCodec.VECTOR_FILE_STATE_KEY, "reading the vector-file state"));
    }

    /** Records the vector file's state; null records that none is (the file is gone or replaced). */
    public void recordVectorFileState(VectorFileState state) {
        putOrDelete(PointCodec.VECTOR_FILE_STATE_KEY, state == null ? null : state.encode(),
                "recording the vector-file state");
    }

    /** The state of the codes file the last checkpoint or close saved (see {@code SavedCodes}), or null. */
    public DerivedFiles.FileState codesState() {
        return DerivedFiles.FileState.decode(get(PointCodec.CODES_STATE_KEY, "reading the codes-file state"));
    }

    /** Records the codes file's state; null records that none is (the collection is not quantized any more). */
    public void recordCodesState(DerivedFiles.FileState state) {
        putOrDelete(PointCodec.CODES_STATE_KEY, state == null ? null : state.encode(),
                "recording the codes-file state");
    }

    /** Puts {@code value} at {@code key}, or deletes the key when it is null. */
    private void putOrDelete(byte[] key, byte[] value, String operation) {
        try {
            if (value == null) {
                db.delete(cf, writeOptions, space.key(key));
            } else {
                db.put(cf, writeOptions, space.key(key), value);
            }
        } catch (RocksDBException e) {
            throw failure(operation, e);
        }
    }

    private byte[] get(byte[] key, String operation) {
        try {
            return db.get(cf, space.key(key));
        } catch (RocksDBException e) {
            throw failure(operation, e);
        }
    }

    private IllegalStateException failure(String operation, RocksDBException e) {
        return RocksFailures.of("collection '" + collection + "': " + operation, e);
    }
}
