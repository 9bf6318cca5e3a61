package dev.vdb.engine.db;

import dev.vdb.engine.DbOptions;
import dev.vdb.engine.collection.ConfigRecorder;
import dev.vdb.engine.collection.RocksCollection;
import dev.vdb.engine.storage.KeySpace;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.engine.write.WriteFaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A collection being recovered from a snapshot: a fresh collection number (its key prefix in the
 * shared column family) that no catalog entry names yet, its derived-file paths, and once filled
 * its loaded {@link RocksCollection}. Until {@link RocksVectorDb#publish} swaps it into the
 * catalog nobody sees it; a crash meanwhile leaves records under a number of no collection and
 * the number's staged mark in the catalog, by which the next open deletes them. {@link #discard}
 * takes it back.
 *
 * <p>Not thread-safe: one recovery fills, loads and publishes or discards it.
 */
final class StagedCollection {

    private final RocksDB db;
    private final ColumnFamilyHandle catalog;
    private final StoredCollection entry;
    private final KeySpace space;
    private final PointStore store;
    private final DerivedFileLayout layout;
    private RocksCollection opened;

    /** A collection to recover, named by {@code entry} (a fresh number), its records in {@code space}. */
    StagedCollection(RocksDB db, ColumnFamilyHandle catalog, StoredCollection entry, KeySpace space,
                     WriteOptions writeOptions, DerivedFileLayout layout) {
        this.db = db;
        this.catalog = catalog;
        this.entry = entry;
        this.space = space;
        this.store = new PointStore(entry.name(), db, space, writeOptions);
        this.layout = layout;
    }

    /** The catalog's mark of staged number {@code number} ({@link StoredCollection#STAGED_PREFIX}). */
    static byte[] markOf(long number) {
        return (StoredCollection.STAGED_PREFIX + number).getBytes(StandardCharsets.UTF_8);
    }

    String name() {
        return entry.name();
    }

    PointStore store() {
        return store;
    }

    CollectionFiles files() {
        return layout.filesOf(entry.fileStem());
    }

    /** The loaded collection, or null before {@link #load}. */
    RocksCollection opened() {
        return opened;
    }

    /** The catalog entry that publishes it. */
    StoredCollection catalogEntry() {
        return entry;
    }

    /** Loads the filled collection as a first call does; once published, {@code recorder} stores its config changes. */
    void load(DbOptions options, WriteFaults faults, ConfigRecorder recorder) {
        opened = RocksCollection.unloaded(entry.name(), entry.config(), store, options, files(), faults, recorder);
        opened.load();
    }

    /** Deletes what it holds (the loaded collection, its records, its files); failures are added to {@code cause}. */
    void discard(Throwable cause) {
        try {
            if (opened != null) {
                opened.drop();
            }
            try (WriteBatch batch = new WriteBatch(); WriteOptions synced = new WriteOptions().setSync(true)) {
                batch.deleteRange(space.columnFamily(), space.start(), space.end());
                batch.delete(catalog, markOf(entry.number()));
                db.write(synced, batch);
            }
            layout.delete(entry.fileStem());
        } catch (RocksDBException | IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
