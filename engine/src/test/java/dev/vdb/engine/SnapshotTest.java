package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.check.DatabaseCheck;
import dev.vdb.engine.filter.Filter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * Snapshots of a serving database: a snapshot taken under concurrent writes recovers exactly the
 * state after one prefix of each writer's acknowledged writes (checked against a model of every
 * write); a recovered collection answers searches as the source did when the snapshot was taken,
 * with its index files taken from the snapshot (not rebuilt); a full snapshot brings back every
 * collection and only those; a damaged, truncated, foreign or wrongly checksummed file is refused
 * and changes nothing, in memory or in RocksDB.
 */
class SnapshotTest {

    private static final int DIM = 8;
    private static final int WRITERS = 3;
    private static final int IDS_PER_WRITER = 150;

    @TempDir
    Path dir;

    /** Write {@code op} of writer {@code w}: upserts and deletes among its ids, a function of (w, op). */
    private static List<PointId> deletesOf(int w, int op) {
        SplittableRandom random = new SplittableRandom(w * 1_000_003L + op);
        List<PointId> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(PointId.of(idOf(w, random.nextInt(IDS_PER_WRITER))));
        }
        return ids;
    }

    private static List<Point> upsertsOf(int w, int op) {
        SplittableRandom random = new SplittableRandom(w * 7_000_001L + op);
        Map<Long, Point> points = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            long id = idOf(w, random.nextInt(IDS_PER_WRITER));
            points.put(id, point(id, op));
        }
        return new ArrayList<>(points.values());
    }

    private static long idOf(int w, int i) {
        return w * 1_000_000L + i;
    }

    private static Point point(long id, int op) {
        SplittableRandom random = new SplittableRandom(id * 31 + op);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return new Point(PointId.of(id), v, Map.of("op", op, "group", (int) (id % 5)), "text " + (id % 7) + " op" + op);
    }

    /** The model: each id's last op after writer w's ops 1..k (an op upserts, then deletes). */
    private static Map<Long, Integer> modelAfter(int w, int k) {
        Map<Long, Integer> state = new HashMap<>();
        for (int op = 1; op <= k; op++) {
            for (Point p : upsertsOf(w, op)) {
                state.put(((PointId.Num) p.id()).id(), op);
            }
            for (PointId id : deletesOf(w, op)) {
                state.remove(((PointId.Num) id).id());
            }
        }
        return state;
    }

    @Test
    void snapshotUnderConcurrentWritesRecoversOnePrefixOfEveryWritersAcknowledgedWrites() throws Exception {
        int[][] bounds = new int[WRITERS][2];
        SnapshotInfo info;
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("live", CollectionConfig.of(DIM, Distance.EUCLID));
            c.createPayloadIndex("group", PayloadSchema.INTEGER);
            AtomicIntegerArray acked = new AtomicIntegerArray(WRITERS);
            AtomicIntegerArray started = new AtomicIntegerArray(WRITERS);
            AtomicBoolean stop = new AtomicBoolean();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int op = 1; !stop.get(); op++) {
                            started.set(writer, op);
                            // one op = one upsert then one delete: the snapshot may fall between them
                            c.upsert(upsertsOf(writer, op));
                            c.delete(deletesOf(writer, op));
                            acked.set(writer, op);
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            while (acked.get(0) < 10 || acked.get(1) < 10 || acked.get(2) < 10) {
                Thread.sleep(5);
            }
            for (int w = 0; w < WRITERS; w++) {
                bounds[w][0] = acked.get(w);
            }
            info = db.snapshots().create("live");
            for (int w = 0; w < WRITERS; w++) {
                bounds[w][1] = started.get(w);
            }
            Thread.sleep(100); // writes go on after the snapshot
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            assertEquals(List.of(), failures);
            assertEquals(List.of(info), db.snapshots().list("live"));
            db.snapshots().recover("restored", db.snapshots().file("live", info.name()), info.checksum());
            checkOnePrefix(db.collection("restored"), bounds);
            assertEquals(List.of(), DatabaseCheck.check(db).collections().stream().flatMap(r -> r.problems().stream()).toList());
        }
        try (VectorDb db = VectorDb.open(dir)) {
            checkOnePrefix(db.collection("restored"), bounds); // and durable
        }
    }

    /**
     * The restored ids of each writer equal its model after its ops 1..k for one k between what
     * was acknowledged before the snapshot began and what had started when it returned (an op's
     * upsert may be in and its delete not: the state between them counts as k - 1/2).
     */
    private static void checkOnePrefix(VectorCollection restored, int[][] bounds) {
        Map<Long, Point> found = new HashMap<>();
        ScrollPage page = restored.scroll(ScrollRequest.of(10_000).including(true, true));
        for (Point p : page.points()) {
            found.put(((PointId.Num) p.id()).id(), p);
        }
        for (int w = 0; w < WRITERS; w++) {
            Map<Long, Integer> ops = new HashMap<>();
            for (Map.Entry<Long, Point> e : found.entrySet()) {
                if (e.getKey() / 1_000_000L == w) {
                    Point p = e.getValue();
                    int op = ((Number) p.payload().get("op")).intValue();
                    Point expected = point(e.getKey(), op);
                    assertArrayEquals(expected.vector(), p.vector(), "vector of " + p.id());
                    assertEquals(expected.text(), p.text());
                    ops.put(e.getKey(), op);
                }
            }
            boolean matched = false;
            for (int k = bounds[w][0]; k <= bounds[w][1] && !matched; k++) {
                Map<Long, Integer> afterUpsert = modelAfter(w, k - 1);
                for (Point p : upsertsOf(w, k)) {
                    afterUpsert.put(((PointId.Num) p.id()).id(), k);
                }
                matched = ops.equals(modelAfter(w, k)) || ops.equals(afterUpsert);
            }
            assertTrue(matched, "writer " + w + ": the recovered ids are the state after no prefix of its writes in "
                    + bounds[w][0] + ".." + bounds[w][1]);
        }
    }

    @Test
    void recoveredCollectionAnswersAsTheSourceDidWhenTheSnapshotWasTaken() {
        List<SearchRequest> queries = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int q = 0; q < 20; q++) {
            float[] v = point(random.nextLong(1_000_000), q).vector();
            queries.add(SearchRequest.builder().vector(v).limit(10).params(SearchParams.EXACT).build());
            queries.add(SearchRequest.builder().vector(v).limit(10).params(SearchParams.EXACT)
                    .filter(Filter.match("group", 2)).build());
            queries.add(SearchRequest.ofText("text " + (q % 7), 10));
        }
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 1_000))) { // unsynced: only the setup is fast
            VectorCollection c = db.createCollection("src", CollectionConfig.of(DIM, Distance.COSINE));
            c.createPayloadIndex("group", PayloadSchema.INTEGER);
            for (int op = 1; op <= 60; op++) {
                c.upsert(upsertsOf(0, op));
                c.delete(deletesOf(0, op));
            }
        }
        List<List<ScoredPoint>> before = new ArrayList<>();
        List<List<ScoredPoint>> hnswBefore = new ArrayList<>();
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 1_000))) { // a saved graph, then writes since
            VectorCollection c = db.collection("src");
            for (int op = 61; op <= 75; op++) {
                c.upsert(upsertsOf(0, op));
                c.delete(deletesOf(0, op));
            }
            queries.forEach(q -> before.add(c.search(q)));
            queries.stream().filter(q -> q.vector() != null && q.filter() == null)
                    .forEach(q -> hnswBefore.add(c.search(q.toBuilder().params(SearchParams.DEFAULT).build())));
            long count = c.count();
            SnapshotInfo info = db.snapshots().create("src");
            for (int op = 76; op <= 90; op++) { // the source moves on
                c.upsert(upsertsOf(0, op));
            }
            db.snapshots().recover("copy", db.snapshots().file("src", info.name()), null);
            db.snapshots().recover("src", db.snapshots().file("src", info.name()), null); // replaces it
            for (String name : List.of("copy", "src")) {
                VectorCollection r = db.collection(name);
                assertEquals(count, r.count());
                assertEquals(count, r.indexedVectorsCount());
                for (int i = 0; i < queries.size(); i++) {
                    assertEquals(ids(before.get(i)), ids(r.search(queries.get(i))), name + ": " + queries.get(i));
                }
                // the saved graph came with the snapshot, brought up to date by the logged writes after it
                assertTrue(r.diagnostics().graphRecovery() == null || r.diagnostics().graphRecovery().startsWith("replayed"),
                        r.diagnostics().graphRecovery());
                assertTrue(r.diagnostics().textIndexRecovery() == null
                        || r.diagnostics().textIndexRecovery().startsWith("replayed"), r.diagnostics().textIndexRecovery());
            }
            VectorCollection copy = db.collection("copy");
            int hnsw = 0;
            for (SearchRequest q : queries) {
                if (q.vector() != null && q.filter() == null) {
                    assertEquals(ids(hnswBefore.get(hnsw++)), ids(copy.search(q.toBuilder().params(SearchParams.DEFAULT).build())));
                }
            }
        }
    }

    private static List<PointId> ids(List<ScoredPoint> hits) {
        return hits.stream().map(ScoredPoint::id).toList();
    }

    @Test
    void fullSnapshotRecoversEveryCollectionAndOnlyThose() throws Exception {
        try (VectorDb db = VectorDb.open(dir)) {
            db.createCollection("a", CollectionConfig.of(DIM, Distance.DOT)).upsert(upsertsOf(0, 1));
            db.createCollection("b", CollectionConfig.of(4, Distance.EUCLID)).upsert(List.of(Point.of(1, new float[] {1, 2, 3, 4})));
            SnapshotInfo full = db.snapshots().createFull();
            db.dropCollection("b");
            db.createCollection("c", CollectionConfig.of(2, Distance.EUCLID)).upsert(List.of(Point.of(5, new float[] {1, 2})));
            db.collection("a").delete(List.of(upsertsOf(0, 1).get(0).id()));
            assertThrows(InvalidSnapshotException.class,
                    () -> db.snapshots().recover("a", db.snapshots().fullFile(full.name()), null));
            db.snapshots().recoverFull(db.snapshots().fullFile(full.name()), full.checksum());
            assertEquals(List.of("a", "b"), db.collectionNames());
            assertEquals(upsertsOf(0, 1).size(), db.collection("a").count());
            assertEquals(Distance.DOT, db.collection("a").config().distance());
            assertArrayEquals(new float[] {1, 2, 3, 4}, db.collection("b").get(PointId.of(1)).orElseThrow().vector());
        }
        try (VectorDb db = VectorDb.open(dir)) {
            assertEquals(List.of("a", "b"), db.collectionNames());
        }
        assertEquals(2, columnFamilies()); // default and the shared one
        // a, b, c were numbers 0, 1, 2; the recovered a and b took 3 and 4; the replaced ones' records are deleted
        assertEquals(List.of(3L, 4L), LegacyStores.numbersWithRecords(dir));
    }

    @Test
    void damagedForeignOrMischecksummedFilesAreRefusedAndChangeNothing() throws Exception {
        Path good;
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("docs", CollectionConfig.of(DIM, Distance.EUCLID));
            for (int op = 1; op <= 30; op++) {
                c.upsert(upsertsOf(1, op));
            }
            good = db.snapshots().file("docs", db.snapshots().create("docs").name());
            c.upsert(List.of(point(42, 999)));
            long count = c.count();
            byte[] bytes = Files.readAllBytes(good);

            byte[] flipped = bytes.clone();
            flipped[bytes.length / 3] ^= 0x10; // inside the records
            assertRefused(db, write("flipped", flipped), null, "fails its checksum");
            assertRefused(db, write("truncated", java.util.Arrays.copyOf(bytes, bytes.length - 100)), null, "truncated");
            assertRefused(db, write("foreign", "PK\u0003\u0004 a zip, not a snapshot".getBytes()), null, "not a vdb snapshot");
            assertRefused(db, good, "00".repeat(32), "SHA-256");
            Path tarLike = write("empty", new byte[0]);
            assertRefused(db, tarLike, null, "not a vdb snapshot");
            InvalidSnapshotException upload = assertThrows(InvalidSnapshotException.class,
                    () -> db.snapshots().recover("docs", new ByteArrayInputStream(flipped), null));
            assertTrue(upload.getMessage().contains("fails its checksum"), upload.getMessage());

            assertEquals(count, c.count()); // the same object still serves
            assertEquals(999, ((Number) db.collection("docs").get(PointId.of(42)).orElseThrow().payload().get("op")).intValue());
            assertEquals(List.of("docs"), db.collectionNames());
            assertThrows(NoSuchSnapshotException.class, () -> db.snapshots().file("docs", "missing.snapshot"));
            assertThrows(IllegalArgumentException.class, () -> db.snapshots().file("docs", "../../rocksdb/CURRENT"));
            String name = good.getFileName().toString();
            assertTrue(db.snapshots().delete("docs", name));
            assertFalse(db.snapshots().delete("docs", name));
            assertEquals(List.of(), db.snapshots().list("docs"));
        }
        assertEquals(2, columnFamilies()); // default and the shared one
        assertEquals(List.of(0L), LegacyStores.numbersWithRecords(dir), "no records of a refused recovery are left");
        try (VectorDb db = VectorDb.open(dir)) {
            assertNull(db.collection("docs").diagnostics().graphRecovery());
        }
    }

    private static void assertRefused(VectorDb db, Path file, String sha256, String reason) {
        InvalidSnapshotException e = assertThrows(InvalidSnapshotException.class,
                () -> db.snapshots().recover("docs", file, sha256));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name + ".snapshot");
        Files.write(file, bytes, StandardOpenOption.CREATE_NEW);
        return file;
    }

    private int columnFamilies() {
        try (Options options = new Options()) {
            return RocksDB.listColumnFamilies(options, dir.resolve("rocksdb").toString()).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void listedChecksumIsTheFilesSha256() throws Exception {
        try (VectorDb db = VectorDb.open(dir)) {
            db.createCollection("x", CollectionConfig.of(2, Distance.EUCLID)).upsert(List.of(Point.of(1, new float[] {1, 2})));
            SnapshotInfo info = db.snapshots().create("x");
            byte[] bytes;
            try (InputStream in = Files.newInputStream(db.snapshots().file("x", info.name()))) {
                bytes = in.readAllBytes();
            }
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), info.checksum());
            assertEquals(bytes.length, info.size());
        }
    }
}
