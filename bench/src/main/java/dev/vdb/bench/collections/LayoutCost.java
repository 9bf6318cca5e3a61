package dev.vdb.bench.collections;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB's own cost of holding many small collections, with the options the engine uses, in
 * the two layouts a collection could have: a column family per collection (created, then given
 * a catalog entry and a few records, as a create did before) or a key prefix per collection in
 * one shared column family (one synced batch per create). For each count: the mean create time
 * of the last tenth, the disk used after a clean close, the time to reopen and the resident
 * memory the reopened database adds once every collection took one write.
 */
final class LayoutCost {

    private LayoutCost() {}

    enum Layout { COLUMN_FAMILY, KEY_PREFIX }

    record Result(Layout layout, int count, double lastTenthCreateMillis, long diskBytes, double reopenSeconds,
                  long residentBytesAfterWrites) {}

    static Result measure(Layout layout, int count, Path dir) throws RocksDBException, IOException {
        RocksDB.loadLibrary();
        double lastTenth;
        try (Handles h = Handles.open(dir, List.of())) {
            long tenthStart = 0;
            int tenth = Math.max(1, count / 10);
            for (int i = 0; i < count; i++) {
                if (i == count - tenth) {
                    tenthStart = System.nanoTime();
                }
                create(h, layout, i);
            }
            lastTenth = (System.nanoTime() - tenthStart) / 1e6 / tenth;
        }
        long disk = Sizes.diskBytes(dir);
        long rssBefore = Sizes.residentBytes();
        long t0 = System.nanoTime();
        try (Handles h = Handles.open(dir, existingFamilies(dir))) {
            double reopen = (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < count; i++) {
                write(h, layout, i);
            }
            long rss = Sizes.residentBytes() - rssBefore;
            return new Result(layout, count, lastTenth, disk, reopen, rss);
        }
    }

    static void print(PrintStream out, Result r) {
        out.printf(Locale.ROOT, "  %-14s %,7d collections: create %7.2f ms (last tenth), disk %,9d B each, reopen %6.2f s,"
                        + " resident after one write each %,9d B each%n", r.layout().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                r.count(), r.lastTenthCreateMillis(), r.diskBytes() / r.count(), r.reopenSeconds(),
                r.residentBytesAfterWrites() / r.count());
    }

    private static void create(Handles h, Layout layout, int i) throws RocksDBException {
        byte[] catalogKey = ("collection/c" + i).getBytes(StandardCharsets.UTF_8);
        byte[] catalogValue = ("{\"format\":1,\"name\":\"c" + i + "\",\"config\":{\"dimension\":64}}").getBytes(StandardCharsets.UTF_8);
        if (layout == Layout.COLUMN_FAMILY) {
            String name = "c.c" + i;
            h.byName.put(name, h.db.createColumnFamily(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), h.cfOptions)));
            h.db.put(h.catalog(), h.sync, catalogKey, catalogValue);
        } else {
            try (WriteBatch wb = new WriteBatch()) {
                wb.put(h.catalog(), catalogKey, catalogValue);
                wb.put(h.shared(), key(i, "m", "summary"), new byte[17]);
                h.db.write(h.sync, wb);
            }
        }
    }

    /** One small point-sized write into collection {@code i}: its memtable (or the shared one) takes it. */
    private static void write(Handles h, Layout layout, int i) throws RocksDBException {
        if (layout == Layout.COLUMN_FAMILY) {
            h.db.put(h.family(i), h.sync, "v1".getBytes(StandardCharsets.UTF_8), new byte[64 * 4 + 9]);
        } else {
            h.db.put(h.shared(), h.sync, key(i, "v", "1"), new byte[64 * 4 + 9]);
        }
    }

    private static byte[] key(int collection, String kind, String rest) {
        byte[] tail = (kind + rest).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + tail.length).putLong(collection).put(tail).array();
    }

    private static List<byte[]> existingFamilies(Path dir) throws RocksDBException {
        try (Options options = new Options()) {
            return RocksDB.listColumnFamilies(options, dir.toString());
        }
    }

    /** A database with its handles by family name; "points" is the shared family of the prefix layout. */
    private static final class Handles implements AutoCloseable {
        final DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        final ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
        final WriteOptions sync = new WriteOptions().setSync(true);
        final Map<String, ColumnFamilyHandle> byName = new HashMap<>();
        RocksDB db;

        static Handles open(Path dir, List<byte[]> families) throws RocksDBException, IOException {
            Files.createDirectories(dir);
            Handles h = new Handles();
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, h.cfOptions));
            descriptors.add(new ColumnFamilyDescriptor(SHARED, h.cfOptions));
            for (byte[] f : families) {
                if (!Arrays.equals(f, RocksDB.DEFAULT_COLUMN_FAMILY) && !Arrays.equals(f, SHARED)) {
                    descriptors.add(new ColumnFamilyDescriptor(f, h.cfOptions));
                }
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            h.db = RocksDB.open(h.dbOptions, dir.toString(), descriptors, handles);
            for (int i = 0; i < handles.size(); i++) {
                h.byName.put(new String(descriptors.get(i).getName(), StandardCharsets.UTF_8), handles.get(i));
            }
            return h;
        }

        ColumnFamilyHandle catalog() {
            return byName.get("default");
        }

        ColumnFamilyHandle shared() {
            return byName.get("points");
        }

        ColumnFamilyHandle family(int collection) {
            return byName.get("c.c" + collection);
        }

        @Override
        public void close() {
            byName.values().forEach(ColumnFamilyHandle::close);
            db.close();
            sync.close();
            cfOptions.close();
            dbOptions.close();
        }
    }

    private static final byte[] SHARED = "points".getBytes(StandardCharsets.UTF_8);
}
