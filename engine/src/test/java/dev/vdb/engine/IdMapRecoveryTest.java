package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
    /** id → ordinal as the id map held it before the damage (RocksDB agrees). */
    final Map<PointId, Integer> before = new HashMap<>();
    final List<PointId> ids = new ArrayList<>();

    @BeforeEach
    void fill() {
        SplittableRandom random = new SplittableRandom(3);
        try (VectorDb db = VectorDb.open(dir)) {
            RocksCollection c = (RocksCollection) db.createCollection("c", CollectionConfig.of(8, Distance.COSINE));
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < POINTS; i++) {
                PointId id = i % 2 == 0 ? PointId.of(i) : PointId.of("id-" + i);
                ids.add(id);
                points.add(new Point(id, PointsTest.randomVector(random, 8), null, null));
            }
            c.upsert(points);
            // changed vectors move to new ordinals, so the map is not the identity
            c.upsert(List.of(new Point(ids.get(5), PointsTest.randomVector(random, 8), null, null)));
            for (PointId id : ids) {
                before.put(id, c.idMapOrdinal(id));
            }
        }
        assertEquals(POINTS, before.values().stream().distinct().count());
        assertEquals(POINTS, (int) before.get(ids.get(5)), "the updated point got the next ordinal");
    }

    private Path idMapFile() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("idmap"))) {
            return files.findFirst().orElseThrow();
        }
    }

    /** Reopens and checks the id map against the mapping before; returns the rebuild reason. */
    private String reopenAndCheck(Map<PointId, Integer> expected) {
        try (VectorDb db = VectorDb.open(dir)) {
            RocksCollection c = (RocksCollection) db.collection("c");
            for (Map.Entry<PointId, Integer> e : expected.entrySet()) {
                assertEquals((int) e.getValue(), c.idMapOrdinal(e.getKey()), "ordinal of " + e.getKey());
            }
            assertEquals(expected.values().stream().filter(o -> o >= 0).count(), c.count());
            return c.idMapRebuiltBecause();
        }
    }

    @Test
    void cleanReopenReusesTheVerifiedFile() {
        assertNull(reopenAndCheck(before));
        assertNull(reopenAndCheck(before));
    }

    @Test
    void missingFileIsRebuilt() throws IOException {
        Files.delete(idMapFile());
        assertTrue(reopenAndCheck(before).contains("missing"));
        assertNull(reopenAndCheck(before), "the rebuilt file is reused after a clean close");
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
        assertTrue(reopenAndCheck(before).contains("checksum"));
    }

    @Test
    void truncatedFileIsDetectedAndRebuilt() throws IOException {
        Path file = idMapFile();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 3);
        }
        assertTrue(reopenAndCheck(before).contains("length"));
    }

    @Test
    void uncleanCloseIsRebuilt() throws Exception {
        withRawRocksDb((db, cf) -> db.put(cf, PointCodec.ID_MAP_STATE_KEY, IdMapRecovery.State.open(1 << 14).encode()));
        assertTrue(reopenAndCheck(before).contains("not closed cleanly"));
    }

    @Test
    void staleFileIsDetectedWhenRocksDbChangedBehindIt() throws Exception {
        // RocksDB only: delete one point and add another (same count), as a crash between the
        // RocksDB write and the id-map update would leave it
        PointId added = PointId.of("added");
        PointId removed = ids.get(0);
        int removedOrdinal = before.get(removed);
        int addedOrdinal = POINTS + 1;
        withRawRocksDb((db, cf) -> {
            try (WriteBatch wb = new WriteBatch(); WriteOptions sync = new WriteOptions().setSync(true)) {
                byte[] addedId = PointCodec.idBytes(added);
                wb.put(cf, PointCodec.key(PointCodec.VECTOR, addedId), PointCodec.vectorRecord(addedOrdinal, new float[] {1, 0, 0, 0, 0, 0, 0, 0}));
                wb.put(cf, PointCodec.key(PointCodec.DOC, addedId), PointCodec.docRecord(Map.of(), null));
                wb.put(cf, PointCodec.ordinalKey(addedOrdinal), addedId);
                wb.put(cf, PointCodec.NEXT_ORDINAL_KEY, PointCodec.intValue(addedOrdinal + 1));
                byte[] removedId = PointCodec.idBytes(removed);
                wb.delete(cf, PointCodec.key(PointCodec.VECTOR, removedId));
                wb.delete(cf, PointCodec.key(PointCodec.DOC, removedId));
                wb.delete(cf, PointCodec.ordinalKey(removedOrdinal));
                db.write(sync, wb);
            }
        });
        Map<PointId, Integer> expected = new HashMap<>(before);
        expected.put(removed, -1);
        expected.put(added, addedOrdinal);
        String reason = reopenAndCheck(expected);
        assertNotNull(reason);
        assertTrue(reason.contains("maps id"), reason);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertEquals(added, c.search(SearchRequest.of(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, 1)).get(0).id());
            // the next write continues after the ordinal RocksDB recorded
            c.upsert(List.of(Point.of("later", new float[] {0, 1, 0, 0, 0, 0, 0, 0})));
            assertEquals(addedOrdinal + 1, ((RocksCollection) c).idMapOrdinal(PointId.of("later")));
        }
    }

    interface RawAction {
        void run(RocksDB db, ColumnFamilyHandle cf) throws Exception;
    }

    /** Runs {@code action} on the collection's column family with the database closed. */
    private void withRawRocksDb(RawAction action) throws Exception {
        String path = dir.resolve("rocksdb").toString();
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, path);
        }
        List<ColumnFamilyDescriptor> descriptors = names.stream().map(ColumnFamilyDescriptor::new).toList();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (RocksDB db = RocksDB.open(path, descriptors, handles)) {
            ColumnFamilyHandle cf = handles.stream()
                    .filter(h -> new String(names.get(handles.indexOf(h)), StandardCharsets.UTF_8).startsWith("c.c."))
                    .findFirst().orElseThrow();
            action.run(db, cf);
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
