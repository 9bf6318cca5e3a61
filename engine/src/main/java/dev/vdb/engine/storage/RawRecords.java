package dev.vdb.engine.storage;

import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A collection's records as opaque key-value pairs, keys relative to the collection (the layout
 * of {@link PointCodec}, without the {@link KeySpace}'s prefix, whichever layout holds them): read whole at one moment for a snapshot
 * or an offline check, and written whole into an empty collection when a snapshot is restored.
 *
 * <p>Thread-safe as RocksDB is. Each record visited is a fresh pair of arrays.
 */
public final class RawRecords {

    /** Receives one record; the arrays are the visitor's to keep. */
    public interface Visitor {
        void visit(byte[] key, byte[] value);
    }

    private final String collection;
    private final RocksDB db;
    private final KeySpace space;

    RawRecords(String collection, RocksDB db, KeySpace space) {
        this.collection = collection;
        this.db = db;
        this.space = space;
    }

    /** Visits every record in key order as of {@code at}, or as of now when {@code at} is null. */
    public void forEach(StoreSnapshot at, Visitor visitor) {
        try (ReadOptions options = at == null ? new ReadOptions().setFillCache(false) : at.readOptions();
             RocksIterator it = db.newIterator(space.columnFamily(), options)) {
            for (it.seek(space.start()); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!space.contains(key)) {
                    break;
                }
                visitor.visit(space.local(key), it.value());
            }
            it.status();
        } catch (RocksDBException e) {
            throw RocksFailures.of("collection '" + collection + "': reading its records", e);
        }
    }

    /** The value of {@code key} as of {@code at}, or null. */
    public byte[] get(StoreSnapshot at, byte[] key) {
        try (ReadOptions options = at.readOptions()) {
            return db.get(space.columnFamily(), options, space.key(key));
        } catch (RocksDBException e) {
            throw RocksFailures.of("collection '" + collection + "': reading a record", e);
        }
    }

    /**
     * Writes records as one batch, not synced: for filling a collection no one uses yet, which
     * the caller makes durable with {@link PointStore#syncWal} before publishing it.
     */
    public void write(List<byte[]> keys, List<byte[]> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values");
        }
        try (WriteBatch batch = new WriteBatch(); WriteOptions unsynced = new WriteOptions()) {
            for (int i = 0; i < keys.size(); i++) {
                batch.put(space.columnFamily(), space.key(keys.get(i)), values.get(i));
            }
            db.write(unsynced, batch);
        } catch (RocksDBException e) {
            throw RocksFailures.of("collection '" + collection + "': writing restored records", e);
        }
    }
}
