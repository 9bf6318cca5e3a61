package dev.vdb.engine.db;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.collection.RocksCollection;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.engine.storage.RocksFailures;
import dev.vdb.engine.write.WriteFaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * A collection being recovered from a snapshot: a fresh column family that no catalog entry names
 * yet, its derived-file paths, and once filled its loaded {@link RocksCollection}. Until
 * {@link RocksVectorDb#publish} swaps it into the catalog nobody sees it; a crash meanwhile leaves
 * an orphan column family that the next open drops. {@link #discard} takes it back.
 *
 * <p>Not thread-safe: one recovery fills, loads and publishes or discards it.
 */
final class StagedCollection {

    private final RocksDB db;
    private final String name;
    private final CollectionConfig config;
    private final String columnFamily;
    private final ColumnFamilyHandle handle;
    private final PointStore store;
    private final CollectionFiles files;
    private RocksCollection opened;

    private StagedCollection(RocksDB db, String name, CollectionConfig config, String columnFamily,
                             ColumnFamilyHandle handle, PointStore store, CollectionFiles files) {
        this.db = db;
        this.name = name;
        this.config = config;
        this.columnFamily = columnFamily;
        this.handle = handle;
        this.store = store;
        this.files = files;
    }

    /** Creates the column family {@code c.<name>.<uuid>} of the database in {@code directory}. */
    static StagedCollection create(RocksDB db, ColumnFamilyOptions cfOptions, WriteOptions writeOptions, Path directory,
                                   String name, CollectionConfig config) {
        String cfName = "c." + name + "." + UUID.randomUUID();
        try {
            ColumnFamilyHandle cf = db.createColumnFamily(
                    new ColumnFamilyDescriptor(cfName.getBytes(StandardCharsets.UTF_8), cfOptions));
            return new StagedCollection(db, name, config, cfName, cf, new PointStore(name, db, cf, writeOptions),
                    CollectionFiles.of(directory, cfName));
        } catch (RocksDBException e) {
            throw RocksFailures.of("recovering collection '" + name + "'", e);
        }
    }

    String name() {
        return name;
    }

    PointStore store() {
        return store;
    }

    CollectionFiles files() {
        return files;
    }

    /** The loaded collection, or null before {@link #load}. */
    RocksCollection opened() {
        return opened;
    }

    /** The catalog entry that publishes it. */
    StoredCollection catalogEntry() {
        return new StoredCollection(StoredCollection.FORMAT, name, columnFamily, config);
    }

    /** Loads the filled collection as an open does. */
    void load(DbOptions options, WriteFaults faults) {
        opened = RocksCollection.open(name, config, store, options, files, faults);
    }

    /** Drops what it holds (the loaded collection, the column family, the files); failures are added to {@code cause}. */
    void discard(Throwable cause) {
        try {
            if (opened != null) {
                opened.drop();
            }
            db.dropColumnFamily(handle);
            files.deleteAll();
        } catch (RocksDBException | IOException | RuntimeException e) {
            cause.addSuppressed(e);
        } finally {
            handle.close();
        }
    }
}
