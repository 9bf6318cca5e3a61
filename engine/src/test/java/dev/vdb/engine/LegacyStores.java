package dev.vdb.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import dev.vdb.engine.storage.KeySpace;
import dev.vdb.engine.storage.SharedRecords;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/** Raw RocksDB access for the storage-layout tests: an older version's store, what a column family holds, the shared one's records. */
final class LegacyStores {

    private LegacyStores() {}

    /**
     * Makes the catalog an older version (format 1) wrote for an empty collection: a column family
     * of its own, named in its catalog entry. The database must be closed.
     */
    static void addFormat1Collection(Path dir, String name, String columnFamily, int dimension) throws Exception {
        Path rocks = Files.createDirectories(dir.resolve("rocksdb"));
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (byte[] family : families(rocks)) {
            descriptors.add(new ColumnFamilyDescriptor(family));
        }
        if (descriptors.isEmpty()) {
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true);
             RocksDB db = RocksDB.open(options, rocks.toString(), descriptors, handles)) {
            handles.add(db.createColumnFamily(new ColumnFamilyDescriptor(columnFamily.getBytes(StandardCharsets.UTF_8))));
            String entry = "{\"format\":1,\"name\":\"" + name + "\",\"columnFamily\":\"" + columnFamily + "\",\"config\":"
                    + "{\"dimension\":" + dimension + ",\"distance\":\"Euclid\",\"hnsw\":{\"m\":16,\"efConstruct\":100},"
                    + "\"text\":{\"analyzer\":\"standard\",\"k1\":1.2,\"b\":0.75}}}";
            db.put(("collection/" + name).getBytes(StandardCharsets.UTF_8), entry.getBytes(StandardCharsets.UTF_8));
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    /** Writes a raw catalog entry (the database closed). */
    static void putCatalogEntry(Path dir, String name, String json) throws Exception {
        putDefault(dir, "collection/" + name, json);
    }

    /** Writes a raw key and value into the default column family (the database closed). */
    static void putDefault(Path dir, String key, String value) throws Exception {
        Path rocks = dir.resolve("rocksdb");
        List<ColumnFamilyDescriptor> descriptors = families(rocks).stream().map(ColumnFamilyDescriptor::new).toList();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (RocksDB db = RocksDB.open(rocks.toString(), descriptors, handles)) {
            db.put(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    /** The keys column family {@code family} holds (the database closed); -1 when there is no such family. */
    static long liveKeys(Path dir, String family) throws Exception {
        Path rocks = dir.resolve("rocksdb");
        List<byte[]> names = families(rocks);
        List<ColumnFamilyDescriptor> descriptors = names.stream().map(ColumnFamilyDescriptor::new).toList();
        int at = names.stream().map(n -> new String(n, StandardCharsets.UTF_8)).toList().indexOf(family);
        if (at < 0) {
            return -1;
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (RocksDB db = RocksDB.openReadOnly(rocks.toString(), descriptors, handles);
             RocksIterator it = db.newIterator(handles.get(at))) {
            long keys = 0;
            for (it.seekToFirst(); it.isValid(); it.next()) {
                keys++;
            }
            return keys;
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    /** The collection numbers holding records in the shared column family, ascending (the database closed). */
    static List<Long> numbersWithRecords(Path dir) throws Exception {
        return withShared(dir, (db, points) -> SharedRecords.orphanNumbers(db, points, Set.of()));
    }

    /** Writes one record under collection number {@code number} in the shared column family (the database closed). */
    static void putShared(Path dir, long number, byte[] localKey, byte[] value) throws Exception {
        withShared(dir, (db, points) -> {
            db.put(points, KeySpace.shared(points, number).key(localKey), value);
            return null;
        });
    }

    private interface SharedAction<T> {
        T run(RocksDB db, ColumnFamilyHandle points) throws Exception;
    }

    private static <T> T withShared(Path dir, SharedAction<T> action) throws Exception {
        Path rocks = dir.resolve("rocksdb");
        List<byte[]> names = families(rocks);
        int at = names.stream().map(n -> new String(n, StandardCharsets.UTF_8)).toList().indexOf("points");
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (RocksDB db = RocksDB.open(rocks.toString(), names.stream().map(ColumnFamilyDescriptor::new).toList(), handles)) {
            return action.run(db, handles.get(at));
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    static List<byte[]> families(Path rocks) throws Exception {
        if (!Files.exists(rocks.resolve("CURRENT"))) {
            return List.of();
        }
        try (Options options = new Options()) {
            return RocksDB.listColumnFamilies(options, rocks.toString());
        }
    }
}
