package dev.vdb.engine.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The shared {@code points} column family seen by collection number ({@link KeySpace}): which
 * numbers hold records. A snapshot recovery fills a fresh number before the catalog names it, so
 * a crash before its catalog batch leaves records under a number of no collection (and a staged
 * mark by which the next open deletes them); the offline check finds such numbers here.
 *
 * <p>Stateless and thread-safe; one seek per number that holds records.
 */
public final class SharedRecords {

    private SharedRecords() {}

    /** The numbers that hold records in {@code cf} but are not in {@code live}, ascending. */
    public static List<Long> orphanNumbers(RocksDB db, ColumnFamilyHandle cf, Set<Long> live) {
        List<Long> orphans = new ArrayList<>();
        try (ReadOptions options = new ReadOptions().setFillCache(false); RocksIterator it = db.newIterator(cf, options)) {
            it.seekToFirst();
            while (it.isValid()) {
                byte[] key = it.key();
                if (key.length < Long.BYTES) {
                    throw new IllegalStateException("the shared column family holds a key of " + key.length
                            + " bytes, shorter than a collection prefix: the RocksDB data is damaged");
                }
                long number = ByteBuffer.wrap(key, 0, Long.BYTES).getLong();
                if (!live.contains(number)) {
                    orphans.add(number);
                }
                if (number == -1) {
                    break; // all ones: the last prefix in byte order
                }
                it.seek(KeySpace.prefixOf(number + 1));
            }
            it.status();
        } catch (RocksDBException e) {
            throw RocksFailures.of("listing the collections of the shared column family", e);
        }
        return orphans;
    }
}
