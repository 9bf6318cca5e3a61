package dev.vdb.engine.check;

import dev.vdb.engine.DbOptions;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.db.CollectionFiles;
import dev.vdb.engine.db.StoredCollection;
import dev.vdb.engine.idmap.IdMapRecovery;
import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.engine.storage.KeySpace;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.SharedRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WALRecoveryMode;

/**
 * Verifies a stopped database without changing it, as Lucene's {@code CheckIndex} does an index:
 * RocksDB opened read-only (the write-ahead log replayed, a damaged record before its tail
 * refused) and the checksum of every block of every SST file verified; then per collection
 * ({@link CollectionRecordsCheck}) its records, in its own column family (an older store) or
 * under its prefix in the shared one: every vector record well-formed, of the
 * collection's dimension, with an ordinal below the next one and owned by no other point, named
 * by its ordinal's {@code 'o'} key, with a document record, and no {@code 'o'} key or document
 * without its point; and its derived files against the length and CRC32C RocksDB recorded for
 * them, a quantized collection's vector file vector by vector ({@link VectorFileCheck}); and no records in the shared column family under a number of no collection.
 * {@link #repair} rebuilds the derived files (an open and a clean close) when RocksDB
 * itself is sound.
 *
 * <pre>{@code
 * CheckReport report = OfflineCheck.run(Path.of("data"));
 * report.lines().forEach(System.out::println);
 * }</pre>
 *
 * <p>Stateless and thread-safe; reads the whole database once (records are held per collection
 * as id → ordinal maps, so memory grows with the largest collection).
 */
public final class OfflineCheck {

    private OfflineCheck() {}

    /**
     * Checks the database in {@code directory}, which no process may have open: one another process
     * has open is reported as in use (RocksDB's LOCK file is locked); one this JVM has open must be
     * checked with {@link DatabaseCheck} instead (POSIX file locks belong to the process, so probing
     * the LOCK file from here would release RocksDB's own lock).
     */
    public static CheckReport run(Path directory) {
        CheckReport report = new CheckReport();
        Path rocksDir = directory.resolve("rocksdb");
        if (!Files.isRegularFile(rocksDir.resolve("CURRENT"))) {
            report.problem(directory.toString(), "holds no vdb database (no rocksdb/CURRENT)", false);
            return report;
        }
        if (inUse(rocksDir)) {
            report.problem(directory.toString(), "is open in a running process: stop it first (an open database "
                    + "changes under the check)", false);
            return report;
        }
        RocksDB.loadLibrary();
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, rocksDir.toString());
        } catch (RocksDBException e) {
            report.problem("RocksDB", "cannot read its MANIFEST: " + e.getMessage(), false);
            return report;
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (byte[] name : names) {
            descriptors.add(new ColumnFamilyDescriptor(name));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setParanoidChecks(true)
                .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)) {
            RocksDB db;
            try {
                db = RocksDB.openReadOnly(options, rocksDir.toString(), descriptors, handles);
            } catch (RocksDBException e) {
                report.problem("RocksDB", "does not open (MANIFEST, write-ahead log or SST damaged): " + e.getMessage(), false);
                return report;
            }
            try {
                checkRocks(db, report);
                checkCollections(directory, db, names, handles, report);
            } catch (IllegalStateException e) { // a read RocksDB refused (a block failing its checksum)
                report.problem("RocksDB", e.getMessage(), false);
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
                db.close();
            }
        }
        return report;
    }

    /**
     * Checks, and when every problem lies in derived files rebuilds them (opening the database
     * rebuilds each file that fails its check, and a vector file this check found damaged is
     * deleted first, since an open checks only its header and length; closing it saves them all),
     * then checks again.
     * Returns the first report when RocksDB itself is damaged (nothing is changed then).
     */
    public static CheckReport repair(Path directory) {
        CheckReport before = run(directory);
        if (before.clean() || !before.repairable()) {
            return before;
        }
        for (Path file : before.discarded()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file + " to rebuild it", e);
            }
        }
        try (VectorDb db = VectorDb.open(directory, DbOptions.DEFAULT)) {
            db.collectionNames().forEach(name -> db.collection(name).count());
        }
        return run(directory);
    }

    private static boolean inUse(Path rocksDir) {
        Path lockFile = rocksDir.resolve("LOCK");
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock held = lock.tryLock();
            if (held == null) {
                return true;
            }
            held.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this JVM has it open
        } catch (IOException e) {
            return false; // unlockable here: let RocksDB's own open decide
        }
    }

    private static void checkRocks(RocksDB db, CheckReport report) {
        int ssts = db.getLiveFilesMetaData().size();
        try {
            db.verifyChecksum();
            report.checked("RocksDB: opened read-only with its write-ahead log replayed; block checksums of all "
                    + ssts + " SST files verified");
        } catch (RocksDBException e) {
            report.problem("RocksDB", "an SST file fails its checksum: " + e.getMessage(), false);
        }
    }

    private static void checkCollections(Path directory, RocksDB db, List<byte[]> names, List<ColumnFamilyHandle> handles,
                                         CheckReport report) {
        Map<String, ColumnFamilyHandle> byName = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            byName.put(new String(names.get(i), StandardCharsets.UTF_8), handles.get(i));
        }
        ColumnFamilyHandle catalog = byName.get(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8));
        ColumnFamilyHandle points = byName.get(StoredCollection.POINTS_COLUMN_FAMILY);
        Set<Long> numbers = new HashSet<>();
        byte[] prefix = StoredCollection.CATALOG_PREFIX.getBytes(StandardCharsets.UTF_8);
        try (RocksIterator it = db.newIterator(catalog)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                String key = new String(it.key(), StandardCharsets.UTF_8);
                StoredCollection entry;
                try {
                    entry = StoredCollection.decode(it.value());
                } catch (IllegalStateException e) {
                    report.problem("catalog " + key, e.getMessage(), false);
                    continue;
                }
                KeySpace space = spaceOf(entry, byName, points, report);
                if (space == null) {
                    continue;
                }
                if (!space.ownsColumnFamily()) {
                    numbers.add(entry.number());
                }
                CollectionFiles files = CollectionFiles.of(directory, entry.fileStem());
                try (VectorFileCheck vectorFile = entry.config().quantization() == null ? null
                        : VectorFileCheck.open(db, space, entry, files.vectors(), "collection " + entry.name(), report)) {
                    CollectionRecordsCheck records = CollectionRecordsCheck.run(db, space, entry, report,
                            vectorFile == null ? CollectionRecordsCheck.VectorRecords.NONE : vectorFile);
                    checkDerivedFiles(db, space, entry, files, records, vectorFile, report);
                } catch (IllegalStateException e) { // a record RocksDB cannot read (a block failing its checksum)
                    report.problem("collection " + entry.name(), e.getMessage(), false);
                }
            }
        }
        if (points != null) {
            Set<Long> staged = stagedNumbers(db, catalog);
            for (long orphan : SharedRecords.orphanNumbers(db, points, numbers)) {
                boolean marked = staged.contains(orphan);
                report.problem(StoredCollection.POINTS_COLUMN_FAMILY + " column family", "records under collection number "
                        + orphan + ", which no collection has" + (marked ? " (a snapshot recovery cut short; the next open"
                        + " deletes them)" : " and no recovery was filling"), marked);
            }
        }
    }

    /** The numbers a snapshot recovery was filling when it stopped (their staged marks). */
    private static Set<Long> stagedNumbers(RocksDB db, ColumnFamilyHandle catalog) {
        Set<Long> numbers = new HashSet<>();
        byte[] prefix = StoredCollection.STAGED_PREFIX.getBytes(StandardCharsets.UTF_8);
        try (RocksIterator it = db.newIterator(catalog)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                String number = new String(it.key(), prefix.length, it.key().length - prefix.length, StandardCharsets.UTF_8);
                numbers.add(Long.parseLong(number));
            }
        }
        return numbers;
    }

    /** Where the records of {@code entry} live, or null (reported) when that is missing. */
    private static KeySpace spaceOf(StoredCollection entry, Map<String, ColumnFamilyHandle> byName,
                                    ColumnFamilyHandle points, CheckReport report) {
        if (entry.columnFamily() == null) {
            if (points == null) {
                report.problem("collection " + entry.name(), "the shared column family "
                        + StoredCollection.POINTS_COLUMN_FAMILY + " is missing", false);
                return null;
            }
            return KeySpace.shared(points, entry.number());
        }
        ColumnFamilyHandle cf = byName.get(entry.columnFamily());
        if (cf == null) {
            report.problem("collection " + entry.name(), "its column family " + entry.columnFamily() + " is missing", false);
            return null;
        }
        return KeySpace.ownColumnFamily(cf);
    }

    private static void checkDerivedFiles(RocksDB db, KeySpace space, StoredCollection entry, CollectionFiles files,
                                          CollectionRecordsCheck records, VectorFileCheck vectorFile, CheckReport report) {
        String where = "collection " + entry.name();
        List<String> sound = new ArrayList<>();
        checkFile(db, space, PointCodec.GRAPH_STATE_KEY, files.graph(), "HNSW graph", where, sound, report);
        checkFile(db, space, PointCodec.TEXT_INDEX_STATE_KEY, files.text(), "BM25 snapshot", where, sound, report);
        checkFile(db, space, PointCodec.PAYLOAD_INDEX_STATE_KEY, files.payloadIndexes(), "payload-index snapshot", where, sound,
                report);
        checkFile(db, space, PointCodec.CODES_STATE_KEY, files.codes(), "saved codes", where, sound, report);
        IdMapRecovery.State idMap = IdMapRecovery.State.decode(get(db, space, PointCodec.ID_MAP_STATE_KEY));
        if (idMap != null && idMap.clean()) {
            Path file = IdMapRecovery.fileOf(files.idMap(), idMap.generation());
            try {
                DerivedFiles.verify(file, new DerivedFiles.FileState(idMap.length(), idMap.crc(), idMap.asOf()));
                sound.add("id map");
            } catch (IOException e) {
                report.problem(where, "id map " + dirAndName(file) + ": " + e.getMessage(), true);
            }
        } else {
            sound.add("id map (not closed cleanly: rebuilt on open)");
        }
        if (vectorFile != null) {
            String vectors = vectorFile.finish();
            if (vectors != null) {
                sound.add(vectors);
            }
        }
        report.checked(where + ": " + records.points() + " points, ordinals and ids consistent" + (records.sound() ? "" : " except as listed")
                + "; derived files matching their records: " + (sound.isEmpty() ? "none" : String.join(", ", sound)));
    }

    private static void checkFile(RocksDB db, KeySpace space, byte[] stateKey, Path file, String what, String where,
                                  List<String> sound, CheckReport report) {
        DerivedFiles.FileState state = DerivedFiles.FileState.decode(get(db, space, stateKey));
        if (state == null) {
            return; // none recorded: built on open
        }
        try {
            DerivedFiles.verify(file, state);
            sound.add(what);
        } catch (IOException e) {
            report.problem(where, what + " " + dirAndName(file) + ": " + e.getMessage(), true);
        }
    }

    private static String dirAndName(Path file) {
        return file.getParent().getFileName() + "/" + file.getFileName();
    }

    static byte[] get(RocksDB db, KeySpace space, byte[] key) {
        try {
            return db.get(space.columnFamily(), space.key(key));
        } catch (RocksDBException e) {
            throw new IllegalStateException("reading " + new String(key, StandardCharsets.UTF_8) + ": " + e.getMessage(), e);
        }
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
