package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.engine.check.DatabaseCheck;
import dev.vdb.engine.idmap.IdMapRecovery;
import dev.vdb.engine.storage.ChangeLog;
import dev.vdb.engine.storage.KeySpace;
import dev.vdb.engine.storage.PointCodec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The Chronicle Map id map is derived state: a clean reopen reuses it, and a missing, truncated,
 * bit-flipped, uncleanly closed or stale file (RocksDB written behind its back) is detected and
 * rebuilt so that it maps every id exactly as RocksDB does.
 */
class IdMapRecoveryTest {

    private static final int POINTS = 2_000;

    @TempDir
    Path dir;
    /** The points written before the damage. */
    final List<PointId> ids = new ArrayList<>();

    @BeforeEach
    void fill() {
        SplittableRandom random = new SplittableRandom(3);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(8, Distance.COSINE));
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < POINTS; i++) {
                PointId id = i % 2 == 0 ? PointId.of(i) : PointId.of("id-" + i);
                ids.add(id);
                points.add(new Point(id, PointsTest.randomVector(random, 8), null, null));
            }
            c.upsert(points);
            // changed vectors move to new ordinals, so the map is not the identity
            c.upsert(List.of(new Point(ids.get(5), PointsTest.randomVector(random, 8), null, null)));
            assertTrue(DatabaseCheck.check(db).clean());
        }
    }

    private Path idMapFile() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("idmap"))) {
            return files.findFirst().orElseThrow();
        }
    }

    /**
     * Reopens, checks that the id map agrees with RocksDB for every point and that exactly
     * {@code expected} are there; returns the rebuild reason.
     */
    private String reopenAndCheck(List<PointId> expected) {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            DatabaseCheck.Report report = DatabaseCheck.check(db);
            assertTrue(report.clean(), report.toString());
            assertEquals(expected.size(), c.count());
            assertEquals(expected.size(), c.get(expected).size());
            return c.diagnostics().idMapRecovery();
        }
    }

    @Test
    void cleanReopenReusesTheVerifiedFile() {
        assertNull(reopenAndCheck(ids));
        assertNull(reopenAndCheck(ids));
    }

    /**
     * An id map that can be neither verified nor rebuilt (a non-empty directory where its file
     * goes) fails the open with the id map's own error, not an error about reporting it (the load
     * used to add the failure it rethrew to itself as suppressed, which Java refuses).
     */
    @Test
    void anIdMapThatCannotBeRebuiltFailsTheOpenWithItsOwnError() throws IOException {
        Path file = idMapFile();
        Files.delete(file);
        Files.createDirectories(file.resolve("in-the-way"));
        try (VectorDb db = VectorDb.open(dir)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> db.collection("c").count());
            List<String> chain = new ArrayList<>();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.add(t.getClass().getSimpleName() + ": " + t.getMessage());
                for (Throwable s : t.getSuppressed()) {
                    chain.add("suppressed " + s.getClass().getSimpleName() + ": " + s.getMessage());
                }
            }
            assertTrue(chain.stream().noneMatch(m -> m.contains("Self-suppression")), String.join("\n", chain));
            assertTrue(chain.stream().anyMatch(m -> m.contains(file.getFileName().toString())), String.join("\n", chain));
        }
    }

    @Test
    void missingFileIsRebuilt() throws IOException {
        Files.delete(idMapFile());
        assertTrue(reopenAndCheck(ids).contains("missing"));
        assertNull(reopenAndCheck(ids), "the rebuilt file is reused after a clean close");
    }

    @Test
    void bitFlipIsDetectedAndRebuilt() throws IOException {
        Path file = idMapFile();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            for (long at = 100; at < raf.length(); at += raf.length() / 7) {
                raf.seek(at);
                int b = raf.read();
                raf.seek(at);
                raf.write(b ^ 0x5a);
            }
        }
        assertTrue(reopenAndCheck(ids).contains("checksum"));
    }

    @Test
    void truncatedFileIsDetectedAndRebuilt() throws IOException {
        Path file = idMapFile();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 3);
        }
        assertTrue(reopenAndCheck(ids).contains("length"));
    }

    @Test
    void uncleanCloseIsRebuilt() throws Exception {
        withRawRocksDb((db, cf, space) -> {
            // not closed cleanly: the state a killed process leaves
            IdMapRecovery.State clean = IdMapRecovery.State.decode(db.get(cf, space.key(PointCodec.ID_MAP_STATE_KEY)));
            db.put(cf, space.key(PointCodec.ID_MAP_STATE_KEY), new IdMapRecovery.State(false, clean.generation(), clean.capacity(),
                    clean.averageKeyBytes(), clean.keyBytes(), 0, 0, -1).encode());
        });
        assertTrue(reopenAndCheck(ids).contains("not closed cleanly"));
    }

    @Test
    void staleFileIsDetectedWhenRocksDbChangedBehindIt() throws Exception {
        // a write the id map never saw: one point deleted and another added (same count), with its
        // change-log record, as a crash between the RocksDB write and the id-map update leaves it
        PointId added = PointId.of("added");
        PointId removed = ids.get(0);
        long[] read = new long[3];
        withRawRocksDb((db, cf, space) -> {
            read[0] = PointCodec.ordinalOfVectorRecord(db.get(cf, space.key(PointCodec.key(PointCodec.VECTOR, PointCodec.idBytes(removed)))));
            read[1] = PointCodec.intOf(db.get(cf, space.key(PointCodec.NEXT_ORDINAL_KEY)));
            read[2] = java.nio.ByteBuffer.wrap(db.get(cf, space.key(PointCodec.WRITE_SEQUENCE_KEY))).getLong();
        });
        int removedOrdinal = (int) read[0];
        int addedOrdinal = (int) read[1];
        long sequence = read[2] + 1;
        withRawRocksDb((db, cf, space) -> {
            try (WriteBatch wb = new WriteBatch(); WriteOptions sync = new WriteOptions().setSync(true)) {
                byte[] addedId = PointCodec.idBytes(added);
                wb.put(cf, space.key(PointCodec.logKey(sequence)), ChangeLog.encode(new byte[][] {addedId, PointCodec.idBytes(removed)},
                        new int[] {-1, removedOrdinal}, new int[] {addedOrdinal, -1}));
                wb.put(cf, space.key(PointCodec.WRITE_SEQUENCE_KEY), PointCodec.longValue(sequence));
                wb.put(cf, space.key(PointCodec.key(PointCodec.VECTOR, addedId)), PointCodec.vectorRecord(addedOrdinal, new float[] {1, 0, 0, 0, 0, 0, 0, 0}));
                wb.put(cf, space.key(PointCodec.key(PointCodec.DOC, addedId)), PointCodec.docRecord(Map.of(), null));
                wb.put(cf, space.key(PointCodec.ordinalKey(addedOrdinal)), addedId);
                wb.put(cf, space.key(PointCodec.NEXT_ORDINAL_KEY), PointCodec.intValue(addedOrdinal + 1));
                byte[] removedId = PointCodec.idBytes(removed);
                wb.delete(cf, space.key(PointCodec.key(PointCodec.VECTOR, removedId)));
                wb.delete(cf, space.key(PointCodec.key(PointCodec.DOC, removedId)));
                wb.delete(cf, space.key(PointCodec.ordinalKey(removedOrdinal)));
                db.write(sync, wb);
            }
        });
        List<PointId> expected = new ArrayList<>(ids);
        expected.remove(removed);
        expected.add(added);
        String reason = reopenAndCheck(expected);
        assertNotNull(reason);
        assertTrue(reason.contains("RocksDB holds write " + sequence), reason);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertEquals(added, c.search(SearchRequest.of(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, 1)).get(0).id());
            // the next write continues after the ordinal RocksDB recorded: no two points share one
            c.upsert(List.of(Point.of("later", new float[] {0, 1, 0, 0, 0, 0, 0, 0})));
            assertTrue(DatabaseCheck.check(db).clean());
            assertEquals(PointId.of("later"), c.search(SearchRequest.of(new float[] {0, 1, 0, 0, 0, 0, 0, 0}, 1)).get(0).id());
        }
    }

    @Test
    void twoPointsStoredWithOneOrdinalBothSurviveTheOpen() throws Exception {
        // as a write that failed after its commit used to leave it (an ordinal handed out twice):
        // a new point stored with the ordinal of an existing one, whose 'o' key still names the old
        PointId intruder = PointId.of("intruder");
        PointId owner = ids.get(3);
        float[] vector = {0, 0, 0, 0, 0, 0, 0, 1};
        withRawRocksDb((db, cf, space) -> {
            int shared = PointCodec.ordinalOfVectorRecord(db.get(cf, space.key(PointCodec.key(PointCodec.VECTOR, PointCodec.idBytes(owner)))));
            try (WriteBatch wb = new WriteBatch(); WriteOptions sync = new WriteOptions().setSync(true)) {
                byte[] id = PointCodec.idBytes(intruder);
                wb.put(cf, space.key(PointCodec.key(PointCodec.VECTOR, id)), PointCodec.vectorRecord(shared, vector));
                wb.put(cf, space.key(PointCodec.key(PointCodec.DOC, id)), PointCodec.docRecord(Map.of("k", 1), null));
                db.write(sync, wb);
            }
        });
        List<PointId> expected = new ArrayList<>(ids);
        expected.add(intruder);
        reopenAndCheck(expected);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertEquals(intruder, c.search(SearchRequest.of(vector, 1)).get(0).id());
            assertEquals(Map.of("k", 1), c.get(intruder).orElseThrow().payload());
            assertTrue(c.get(owner).isPresent());
        }
    }

    interface RawAction {
        void run(RocksDB db, ColumnFamilyHandle cf, KeySpace space) throws Exception;
    }

    /** Runs {@code action} on the collection's records (in the shared column family) with the database closed. */
    private void withRawRocksDb(RawAction action) throws Exception {
        String path = dir.resolve("rocksdb").toString();
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, path);
        }
        List<ColumnFamilyDescriptor> descriptors = names.stream().map(ColumnFamilyDescriptor::new).toList();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (RocksDB db = RocksDB.open(path, descriptors, handles)) {
            ColumnFamilyHandle cf = handles.get(names.stream().map(n -> new String(n, StandardCharsets.UTF_8)).toList().indexOf("points"));
            long number = new ObjectMapper().readTree(db.get("collection/c".getBytes(StandardCharsets.UTF_8))).get("number").asLong();
            action.run(db, cf, KeySpace.shared(cf, number));
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
