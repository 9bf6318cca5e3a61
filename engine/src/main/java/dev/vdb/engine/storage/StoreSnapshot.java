package dev.vdb.engine.storage;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.Snapshot;

/**
 * The whole store as it was at one moment (a RocksDB snapshot): reads through it see every write
 * committed before it was taken and none after, across all collections. Close it to let RocksDB
 * drop the versions it pins.
 *
 * <p>Thread-safe for reads; {@link #close} once no read uses it.
 */
public final class StoreSnapshot implements AutoCloseable {

    private final RocksDB db;
    private final Snapshot snapshot;

    private StoreSnapshot(RocksDB db, Snapshot snapshot) {
        this.db = db;
        this.snapshot = snapshot;
    }

    /** The store as it is now. */
    public static StoreSnapshot take(RocksDB db) {
        return new StoreSnapshot(db, db.getSnapshot());
    }

    /** Read options that read at this moment (the caller closes them). */
    ReadOptions readOptions() {
        return new ReadOptions().setSnapshot(snapshot).setFillCache(false).setReadaheadSize(4 << 20);
    }

    @Override
    public void close() {
        db.releaseSnapshot(snapshot);
    }
}
