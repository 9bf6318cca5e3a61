package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.check.DatabaseCheck;
import dev.vdb.engine.collection.RocksCollection;
import dev.vdb.testkit.data.EmbeddingLikeGenerator;
import dev.vdb.testkit.data.Metric;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quantized collection's memory-mapped full-precision vector file across opens: a clean reopen
 * reuses it without reading a vector from RocksDB ({@link CollectionDiagnostics#vectorFileRecovery}
 * null), a reopen after {@code kill -9} reads only the vectors written after the last checkpoint,
 * and a file that is missing, truncated, of another generation or format is rebuilt from RocksDB.
 * Each time exact search (which reads the file) answers as a brute-force oracle over the vectors
 * the test stored, and graph search's rescored scores are those of the stored vectors.
 */
class VectorFileTest {

    private static final int DIM = 32;
    private static final int N = 2_000;
    private static final int K = 10;

    @TempDir
    Path dir;

    private static float[][] data(int n, long seed) {
        return new EmbeddingLikeGenerator(DIM, n, seed).next(n);
    }

    private static void upsert(VectorCollection c, Map<Long, float[]> model, Map<Long, float[]> points) {
        List<Point> batch = new ArrayList<>();
        for (Map.Entry<Long, float[]> e : points.entrySet()) {
            batch.add(Point.of(e.getKey(), e.getValue()));
            if (batch.size() == 500) {
                c.upsert(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            c.upsert(batch);
        }
        model.putAll(points);
    }

    private static Map<Long, float[]> points(long firstId, float[][] vectors) {
        Map<Long, float[]> points = new LinkedHashMap<>();
        for (int i = 0; i < vectors.length; i++) {
            points.put(firstId + i, vectors[i]);
        }
        return points;
    }

    /** Exact search equals brute force over {@code model}; graph search's scores are the stored vectors' own. */
    private static void assertAnswersAsStored(VectorCollection c, Map<Long, float[]> model, Metric metric, String when) {
        assertEquals(model.size(), c.count(), when);
        int dim = model.values().iterator().next().length;
        float[][] queries = new EmbeddingLikeGenerator(dim, 20, 99).next(20);
        // Euclid answers the distance (closest first), the others a similarity (highest first)
        Comparator<Map.Entry<Long, Double>> best = metric == Metric.EUCLID ? Map.Entry.comparingByValue()
                : Map.Entry.<Long, Double>comparingByValue().reversed();
        for (float[] q : queries) {
            List<Map.Entry<Long, Double>> oracle = model.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), metric.userScore(q, e.getValue()))).sorted(best).limit(K).toList();
            List<ScoredPoint> exact = c.search(SearchRequest.builder().vector(q).limit(K)
                    .params(new SearchParams(0, true)).withPayload(false).build());
            assertEquals(oracle.stream().map(e -> PointId.of(e.getKey())).toList(),
                    exact.stream().map(ScoredPoint::id).toList(), when + ": exact search");
            for (int i = 0; i < K; i++) {
                double expected = oracle.get(i).getValue();
                assertEquals(expected, exact.get(i).score(), 1e-4 * Math.max(1, Math.abs(expected)), when);
            }
            for (ScoredPoint hit : c.search(SearchRequest.builder().vector(q).limit(K).params(SearchParams.ef(64))
                    .withPayload(false).build())) {
                double expected = metric.userScore(q, model.get(((PointId.Num) hit.id()).id()));
                assertEquals(expected, hit.score(), 1e-4 * Math.max(1, Math.abs(expected)), when + ": rescored " + hit.id());
            }
        }
    }

    private Path vectorFile() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("vectors"))) {
            List<Path> all = files.filter(f -> f.getFileName().toString().endsWith(".f32")).toList();
            assertEquals(1, all.size(), "one vector file: " + all);
            return all.get(0);
        }
    }

    @Test
    void aCleanReopenReusesTheFileAndAnswersAsTheStoredVectors() {
        for (QuantizationConfig quantization : List.of(QuantizationConfig.int8(), QuantizationConfig.binary())) {
            Distance distance = quantization instanceof QuantizationConfig.Binary ? Distance.COSINE : Distance.EUCLID;
            Metric metric = Metric.valueOf(distance.similarity().name());
            String name = quantization.getClass().getSimpleName();
            Map<Long, float[]> model = new LinkedHashMap<>();
            try (VectorDb db = VectorDb.open(dir)) {
                upsert(db.createCollection(name, CollectionConfig.of(DIM, distance).withQuantization(quantization)),
                        model, points(0, data(N, 1)));
            }
            for (int round = 0; round < 2; round++) {
                try (VectorDb db = VectorDb.open(dir)) {
                    VectorCollection c = db.collection(name);
                    assertNull(c.diagnostics().vectorFileRecovery(), name + ": no vector read from RocksDB");
                    assertNull(c.diagnostics().codesRecovery(), name + ": every code taken back, none encoded");
                    assertAnswersAsStored(c, model, metric, name + " reopened");
                    DatabaseCheck.Report report = DatabaseCheck.check(db);
                    assertTrue(report.clean(), "memory agrees with RocksDB: " + report);
                    assertTrue(c.memory().offHeapMappedBytes() >= (long) N * DIM * Float.BYTES, "full precision is mapped");
                }
            }
        }
    }

    @Test
    void updatesDeletesAndAddsSurviveAReopenWithTheNewVectors() {
        Map<Long, float[]> model = new LinkedHashMap<>();
        CollectionConfig config = CollectionConfig.of(DIM, Distance.EUCLID).withQuantization(QuantizationConfig.int8());
        try (VectorDb db = VectorDb.open(dir)) {
            upsert(db.createCollection("c", config), model, points(0, data(N, 2)));
        }
        float[][] changed = data(300, 3);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertNull(c.diagnostics().vectorFileRecovery());
            upsert(c, model, points(0, changed)); // ids 0..299 get new vectors (new ordinals)
            upsert(c, model, points(N, data(100, 4))); // new ids
            List<PointId> deleted = new ArrayList<>();
            for (long id = 300; id < 400; id++) {
                deleted.add(PointId.of(id));
                model.remove(id);
            }
            c.delete(deleted);
            upsert(c, model, Map.of(300L, data(1, 5)[0])); // a deleted id back, with another vector
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertNull(c.diagnostics().vectorFileRecovery(), "the close recorded every vector");
            assertAnswersAsStored(c, model, Metric.EUCLID, "after updates");
            for (int i = 0; i < 300; i++) {
                List<ScoredPoint> top = c.search(SearchRequest.builder().vector(changed[i]).limit(1)
                        .params(new SearchParams(0, true)).withPayload(false).build());
                assertEquals(PointId.of(i), top.get(0).id(), "the updated vector of " + i);
                assertArrayEquals(changed[i], c.get(List.of(PointId.of(i))).get(0).vector());
            }
        }
    }

    @Test
    void aMissingTruncatedForeignOrOldFileIsRebuiltFromRocksDb() throws IOException {
        Map<Long, float[]> model = new LinkedHashMap<>();
        CollectionConfig config = CollectionConfig.of(DIM, Distance.DOT).withQuantization(QuantizationConfig.int8());
        try (VectorDb db = VectorDb.open(dir)) {
            upsert(db.createCollection("c", config), model, points(0, data(N, 6)));
        }
        for (String damage : List.of("missing", "truncated", "another generation", "another format", "another dimension")) {
            Path file = vectorFile();
            switch (damage) {
                case "missing" -> Files.delete(file);
                case "truncated" -> {
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                        raf.setLength(64 + (long) (N / 2) * DIM * Float.BYTES);
                    }
                }
                case "another generation" -> flipByte(file, 16);
                case "another format" -> flipByte(file, 0); // the magic's low byte holds the format version
                case "another dimension" -> flipByte(file, 8);
                default -> throw new AssertionError(damage);
            }
            try (VectorDb db = VectorDb.open(dir)) {
                VectorCollection c = db.collection("c");
                String recovery = c.diagnostics().vectorFileRecovery();
                assertTrue(recovery != null && recovery.startsWith("rebuilt: "), damage + ": " + recovery);
                assertAnswersAsStored(c, model, Metric.DOT, damage);
            }
            try (VectorDb db = VectorDb.open(dir)) {
                VectorCollection c = db.collection("c");
                assertNull(c.diagnostics().vectorFileRecovery(), damage + ": the rebuilt file is reused next time");
                assertAnswersAsStored(c, model, Metric.DOT, damage + ", reopened");
            }
        }
    }

    /**
     * What the open does not see (it reads no vector to check it: no checksum covers gigabytes)
     * the database check does: a vector in the file that differs from RocksDB's.
     */
    @Test
    void aFlippedVectorIsNotSeenByTheOpenButByTheDatabaseCheck() throws IOException {
        Map<Long, float[]> model = new LinkedHashMap<>();
        try (VectorDb db = VectorDb.open(dir)) {
            upsert(db.createCollection("c", CollectionConfig.of(DIM, Distance.EUCLID)
                    .withQuantization(QuantizationConfig.int8())), model, points(0, data(N, 9)));
        }
        flipByte(vectorFile(), 64 + 5L * DIM * Float.BYTES + 2); // ordinal 5's first float
        try (VectorDb db = VectorDb.open(dir)) {
            assertNull(db.collection("c").diagnostics().vectorFileRecovery());
            DatabaseCheck.Report report = DatabaseCheck.check(db);
            assertFalse(report.clean());
            assertEquals(1, report.collections().get(0).problems().size(), report.toString());
            assertTrue(report.collections().get(0).problems().get(0).contains("point 5 (ordinal 5)"), report.toString());
        }
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x01);
        }
    }

    /**
     * A process killed after a checkpoint: the reopen trusts the vectors the checkpoint synced
     * and reads from RocksDB only the live ones written after it (updates, adds), even when the
     * bytes past them in the file are garbage.
     */
    @Test
    void afterKillNineOnlyTheVectorsWrittenAfterTheCheckpointAreRead() throws Exception {
        Process process = ChildJvm.start(List.of("-Xmx256m"), QuantizedKillableWriter.class, dir.toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.equals("written")) {
                    break;
                }
            }
        } finally {
            process.destroyForcibly(); // SIGKILL
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }
        Map<Long, float[]> model = new LinkedHashMap<>();
        for (long id = 0; id < QuantizedKillableWriter.FILLED; id++) {
            model.put(id, QuantizedKillableWriter.vectorOf(id, id < 200 ? 1 : 0));
        }
        for (long id = 200; id < 300; id++) {
            model.remove(id);
        }
        for (long id = 20_000; id < 20_200; id++) {
            model.put(id, QuantizedKillableWriter.vectorOf(id, 0));
        }
        // past the checkpoint: 2,000 adds, 200 updates (new ordinals), 200 new ids
        String tailRead = "read 2400 vectors written after the last checkpoint from RocksDB";
        String tailEncoded = "encoded 2400 vectors written after the codes were saved";
        Path copy = dir.resolveSibling(dir.getFileName() + "-crash-copy");
        copyTree(dir, copy);
        try {
            try (VectorDb db = VectorDb.open(copy)) {
                VectorCollection c = db.collection(QuantizedKillableWriter.NAME);
                assertEquals(tailRead, c.diagnostics().vectorFileRecovery());
                assertEquals(tailEncoded, c.diagnostics().codesRecovery(), "the checkpoint saved the codes it synced");
                assertAnswersAsStored(c, model, Metric.EUCLID, "after kill -9");
                DatabaseCheck.Report report = DatabaseCheck.check(db);
                assertTrue(report.clean(), "memory and the vector file agree with RocksDB: " + report);
            }
        } finally {
            deleteTree(copy);
        }
        // the checkpoint synced ordinals below 10,000: garbage past them is cut off, not trusted
        Path file = vectorFile();
        long from = 64 + (long) QuantizedKillableWriter.CHECKPOINTED * QuantizedKillableWriter.DIM * Float.BYTES;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] garbage = new byte[(int) (raf.length() - from)];
            java.util.Arrays.fill(garbage, (byte) 0x7f); // NaN floats
            raf.seek(from);
            raf.write(garbage);
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection(QuantizedKillableWriter.NAME);
            assertEquals(tailRead, c.diagnostics().vectorFileRecovery());
            assertEquals(tailEncoded, c.diagnostics().codesRecovery());
            assertAnswersAsStored(c, model, Metric.EUCLID, "after kill -9, garbage past the checkpoint");
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection(QuantizedKillableWriter.NAME);
            assertNull(c.diagnostics().vectorFileRecovery(), "the clean close recorded every vector");
            assertNull(c.diagnostics().codesRecovery(), "and saved every code");
            assertAnswersAsStored(c, model, Metric.EUCLID, "closed cleanly since");
        }
    }

    /**
     * The saved codes: a clean reopen takes them back (searches on the codes alone, without
     * rescoring, answer the same points with the same estimated scores); a damaged codes file or
     * one encoded from another vector file is not trusted, every vector is encoded again and the
     * collection answers as its stored vectors.
     */
    @Test
    void savedCodesAreTakenBackOrEncodedAgainWhenTheyCannotBeTrusted() throws Exception {
        for (QuantizationConfig quantization : List.of(QuantizationConfig.int8(), QuantizationConfig.binary())) {
            String name = quantization.getClass().getSimpleName();
            Map<Long, float[]> model = new LinkedHashMap<>();
            float[][] queries = new EmbeddingLikeGenerator(DIM, 20, 5).next(20);
            SearchParams codesOnly = SearchParams.ef(32).withQuantization(new QuantizationParams(false, false, 1));
            List<List<ScoredPoint>> before = new ArrayList<>();
            try (VectorDb db = VectorDb.open(dir)) {
                VectorCollection c = db.createCollection(name,
                        CollectionConfig.of(DIM, Distance.EUCLID).withQuantization(quantization));
                assertNull(c.diagnostics().codesRecovery(), "an empty collection encodes nothing");
                upsert(c, model, points(0, data(N, 3)));
                // the quantizer retrained in the background as the collection grew: its codes are the ones saved
                assertTrue(((RocksCollection) c).awaitQuantization(Duration.ofMinutes(2)));
                for (float[] q : queries) {
                    before.add(c.search(SearchRequest.builder().vector(q).limit(K).params(codesOnly).withPayload(false).build()));
                }
            }
            Path codes = savedCodes(name);
            try (VectorDb db = VectorDb.open(dir)) {
                VectorCollection c = db.collection(name);
                assertNull(c.diagnostics().codesRecovery(), name + ": every code taken back");
                for (int i = 0; i < queries.length; i++) {
                    assertEquals(before.get(i), c.search(SearchRequest.builder().vector(queries[i]).limit(K)
                            .params(codesOnly).withPayload(false).build()), name + ": the same codes answer alike");
                }
            }
            for (String damage : List.of("flipped", "another vector file")) {
                if (damage.equals("flipped")) {
                    flipByte(codes, Files.size(codes) - 3);
                } else {
                    // the codes file stays sound, but the vector file is rebuilt (a new generation)
                    Files.delete(vectorFile());
                }
                try (VectorDb db = VectorDb.open(dir)) {
                    VectorCollection c = db.collection(name);
                    String recovery = c.diagnostics().codesRecovery();
                    assertTrue(recovery != null && recovery.startsWith("encoded every vector: the saved codes are unusable"),
                            damage + ": " + recovery);
                    assertAnswersAsStored(c, model, Metric.EUCLID, name + ", codes " + damage);
                }
                try (VectorDb db = VectorDb.open(dir)) {
                    assertNull(db.collection(name).diagnostics().codesRecovery(), damage + ": saved again at close");
                }
            }
            try (VectorDb db = VectorDb.open(dir)) {
                assertTrue(db.dropCollection(name));
            }
            assertFalse(Files.exists(codes), "a dropped collection's codes are deleted");
        }
    }

    private Path savedCodes(String collection) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("vectors"))) {
            List<Path> all = files.filter(f -> f.getFileName().toString().endsWith(".codes")).toList();
            assertEquals(1, all.size(), collection + ": one codes file: " + all);
            return all.get(0);
        }
    }

    @Test
    void requantizingSnapshotsAndDropKeepTheFileRightOrGone() throws Exception {
        Map<Long, float[]> model = new LinkedHashMap<>();
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("c",
                    CollectionConfig.of(DIM, Distance.EUCLID).withQuantization(QuantizationConfig.int8()));
            upsert(c, model, points(0, data(N, 7)));
            c.updateQuantization(null);
            assertTrue(((RocksCollection) c).awaitQuantization(Duration.ofMinutes(2)));
            try (Stream<Path> files = Files.list(dir.resolve("vectors"))) {
                assertEquals(List.of(), files.toList(), "unquantized: no vector file");
            }
            c.updateQuantization(QuantizationConfig.binary());
            assertTrue(((RocksCollection) c).awaitQuantization(Duration.ofMinutes(2)));
            upsert(c, model, points(0, data(200, 8)));
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertNull(c.diagnostics().vectorFileRecovery(), "the file the re-quantization made is reused");
            assertAnswersAsStored(c, model, Metric.EUCLID, "re-quantized");
            SnapshotInfo info = db.snapshots().create("c");
            db.snapshots().recover("restored", db.snapshots().file("c", info.name()), info.checksum());
            VectorCollection restored = db.collection("restored");
            String recovery = restored.diagnostics().vectorFileRecovery();
            assertTrue(recovery != null && recovery.startsWith("rebuilt: "), "a snapshot ships no vector file: " + recovery);
            assertAnswersAsStored(restored, model, Metric.EUCLID, "restored");
            assertTrue(db.dropCollection("restored"));
            assertEquals(vectorFile(), vectorFile(), "the dropped collection's file is gone, c's stays");
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
