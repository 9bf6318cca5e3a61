package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.check.DatabaseCheck;
import dev.vdb.index.VectorSimilarity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * Damaged files in a database directory. Derived files (the saved HNSW graph, the id map, the
 * BM25 snapshot, a leftover checkpoint temp file) are detected on open (magic, version, checksum, length) and
 * rebuilt from RocksDB with one WARN line each; the answers afterwards equal a brute-force oracle
 * over the points this test wrote (exact search) and reach it at high ef (HNSW), BM25 answers
 * equal those of the undamaged index, and the next
 * open reuses the rebuilt files silently, so there is no crash loop. A damaged RocksDB (CURRENT,
 * MANIFEST, an SST file) fails to open with an exception naming the directory, and the failed open
 * changes none of the database's data files. IdMapRecoveryTest and HnswSearchTest cover more kinds
 * of id-map and graph damage one at a time.
 */
class CorruptionTest {

    private static final int DIM = 16;
    private static final int POINTS = 2_000;
    private static final int K = 10;
    private static final int QUERIES = 50;

    @TempDir
    Path dir;
    private static final List<String> TEXT_QUERIES = List.of("word3 term4", "shared even", "moved word5", "term10 odd");
    /** The live points as this test wrote them: the oracle. */
    private final Map<PointId, float[]> model = new LinkedHashMap<>();
    /** The BM25 answers to {@link #TEXT_QUERIES} before any damage: the text oracle. */
    private final List<List<ScoredPoint>> textAnswers = new ArrayList<>();

    @BeforeEach
    void fill() {
        SplittableRandom random = new SplittableRandom(17);
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 10_000))) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(DIM, Distance.COSINE));
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < POINTS; i++) {
                PointId id = i % 3 == 0 ? PointId.of("s" + i) : PointId.of(i);
                float[] v = PointsTest.randomVector(random, DIM);
                points.add(new Point(id, v, null, text(i)));
                model.put(id, v);
            }
            c.upsert(points);
            // deletes and changed vectors: dead ordinals, so neither file is the identity
            List<PointId> doomed = new ArrayList<>(model.keySet()).subList(0, POINTS / 10);
            c.delete(doomed);
            doomed.forEach(model::remove);
            List<Point> moved = new ArrayList<>();
            for (PointId id : new ArrayList<>(model.keySet()).subList(0, POINTS / 10)) {
                float[] v = PointsTest.randomVector(random, DIM);
                moved.add(new Point(id, v, null, "moved " + text(moved.size())));
                model.put(id, v);
            }
            c.upsert(moved);
            for (String q : TEXT_QUERIES) {
                textAnswers.add(c.search(SearchRequest.ofText(q, K)));
            }
        }
    }

    private static String text(int i) {
        return "word" + (i % 37) + " term" + (i % 11) + " shared words " + (i % 2 == 0 ? "even" : "odd");
    }

    /** How each test damages the saved graph file. */
    enum GraphDamage {
        MAGIC("not an HNSW graph: magic") {
            @Override
            void apply(RandomAccessFile f) throws IOException {
                f.seek(0);
                f.writeInt(0x12345678);
            }
        },
        VERSION("format version 99 is not supported") {
            @Override
            void apply(RandomAccessFile f) throws IOException {
                f.seek(4);
                f.writeInt(99);
            }
        },
        CHECKSUM("checksum mismatch") {
            @Override
            void apply(RandomAccessFile f) throws IOException {
                f.seek(f.length() - 1);
                int b = f.read();
                f.seek(f.length() - 1);
                f.write(b ^ 0x01);
            }
        },
        BIT_FLIP("HNSW graph") {
            @Override
            void apply(RandomAccessFile f) throws IOException {
                long at = f.length() / 3;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x40);
            }
        },
        TRUNCATED_TO_HEADER("truncated") {
            @Override
            void apply(RandomAccessFile f) throws IOException {
                f.setLength(10);
            }
        },
        TRUNCATED_BY_ONE_BYTE("truncated") {
            @Override
            void apply(RandomAccessFile f) throws IOException {
                f.setLength(f.length() - 1);
            }
        },
        EMPTY("unusable") {
            @Override
            void apply(RandomAccessFile f) throws IOException {
                f.setLength(0);
            }
        };

        /** What the rebuild reason must say. */
        final String reason;

        GraphDamage(String reason) {
            this.reason = reason;
        }

        abstract void apply(RandomAccessFile f) throws IOException;
    }

    @ParameterizedTest
    @EnumSource(GraphDamage.class)
    void damagedGraphIsRebuiltWithOneLogLine(GraphDamage damage) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(onlyFile("hnsw").toFile(), "rw")) {
            damage.apply(f);
        }
        Opened first = openCapturingLog();
        assertTrue(first.graphRepaired().startsWith("rebuilt"), first.graphRepaired());
        assertTrue(first.graphRepaired().contains(damage.reason), first.graphRepaired());
        assertNull(first.idMapRebuilt(), "the id map was not damaged");
        assertEquals(1, first.warnings().size(), "one log line: " + first.warnings());
        assertTrue(first.warnings().get(0).contains("building the HNSW graph from RocksDB"), first.warnings().get(0));

        Opened second = openCapturingLog();
        assertNull(second.graphRepaired(), "the rebuilt graph was saved and is reused");
        assertEquals(List.of(), second.warnings());
    }

    /** How each test damages the BM25 snapshot. */
    enum TextDamage { TRUNCATED, BIT_FLIP, EMPTY }

    @ParameterizedTest
    @EnumSource(TextDamage.class)
    void damagedTextSnapshotIsRebuiltWithOneLogLine(TextDamage damage) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(onlyFile("text").toFile(), "rw")) {
            switch (damage) {
                case TRUNCATED -> f.setLength(f.length() - 3);
                case BIT_FLIP -> GraphDamage.BIT_FLIP.apply(f);
                case EMPTY -> f.setLength(0);
            }
        }
        Opened first = openCapturingLog();
        assertTrue(first.textRebuilt().contains("unusable"), first.textRebuilt());
        assertNull(first.graphRepaired());
        assertNull(first.idMapRebuilt());
        assertEquals(1, first.warnings().size(), "one log line: " + first.warnings());
        assertTrue(first.warnings().get(0).contains("rebuilt the BM25 index from RocksDB"), first.warnings().get(0));

        Opened second = openCapturingLog();
        assertNull(second.textRebuilt(), "the rebuilt snapshot was saved and is reused");
        assertEquals(List.of(), second.warnings());
    }

    @Test
    void everyDerivedFileDamagedAtOnceIsRebuiltAndTheNextOpenIsClean() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(onlyFile("hnsw").toFile(), "rw")) {
            GraphDamage.BIT_FLIP.apply(f);
        }
        try (RandomAccessFile f = new RandomAccessFile(onlyFile("idmap").toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        try (RandomAccessFile f = new RandomAccessFile(onlyFile("text").toFile(), "rw")) {
            GraphDamage.BIT_FLIP.apply(f);
        }
        // a checkpoint cut short by a crash leaves its temp file behind
        Path graph = onlyFile("hnsw");
        Files.write(graph.resolveSibling(graph.getFileName() + ".tmp"), new byte[] {1, 2, 3});

        Opened first = openCapturingLog();
        assertTrue(first.graphRepaired().startsWith("rebuilt"), first.graphRepaired());
        assertTrue(first.idMapRebuilt().contains("length"), first.idMapRebuilt());
        assertTrue(first.textRebuilt().contains("unusable"), first.textRebuilt());
        assertEquals(4, first.warnings().size(), "one line per rebuilt or deleted file: " + first.warnings());
        assertEquals(1, first.warnings().stream().filter(w -> w.contains(".tmp, which belongs to no collection")).count(),
                first.warnings().toString());

        Opened second = openCapturingLog();
        assertNull(second.graphRepaired());
        assertNull(second.idMapRebuilt());
        assertNull(second.textRebuilt());
        assertEquals(List.of(), second.warnings());
    }

    /** What an open repaired and logged; the answers were checked against the oracle before close. */
    private record Opened(String graphRepaired, String idMapRebuilt, String textRebuilt, List<String> warnings) {}

    /**
     * Opens the database with stderr (slf4j-simple's log) captured, checks every answer against
     * the oracle, closes it and returns what the open repaired and the WARN lines it logged.
     */
    private Opened openCapturingLog() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String graphRepaired;
        String idMapRebuilt;
        String textRebuilt;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            graphRepaired = c.diagnostics().graphRecovery();
            idMapRebuilt = c.diagnostics().idMapRecovery();
            textRebuilt = c.diagnostics().textIndexRecovery();
            checkAgainstOracle(c);
            DatabaseCheck.Report report = DatabaseCheck.check(db);
            assertTrue(report.clean(), "the id map and the graph agree with RocksDB: " + report);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log);
        List<String> warnings = log.lines().filter(l -> l.contains(" WARN ")).toList();
        return new Opened(graphRepaired, idMapRebuilt, textRebuilt, warnings);
    }

    /** Exact search equals brute force over the model; HNSW at ef 500 finds ≥ 0.99 of it; every id maps right. */
    private void checkAgainstOracle(VectorCollection c) {
        assertEquals(model.size(), c.count());
        assertEquals(model.size(), Indexing.awaitIndexed(c));
        assertEquals(model.size(), c.get(List.copyOf(model.keySet())).size());
        SplittableRandom random = new SplittableRandom(99);
        int found = 0;
        for (int q = 0; q < QUERIES; q++) {
            float[] query = PointsTest.randomVector(random, DIM);
            List<PointId> oracle = bruteForce(query);
            List<PointId> exact = c.search(SearchRequest.builder().vector(query).limit(K).params(new SearchParams(0, true)).withPayload(false).build())
                    .stream().map(ScoredPoint::id).toList();
            assertEquals(oracle, exact, "exact search disagrees with brute force over the written points");
            List<PointId> graph = c.search(SearchRequest.builder().vector(query).limit(K).params(new SearchParams(500, false)).withPayload(false).build())
                    .stream().map(ScoredPoint::id).toList();
            found += (int) graph.stream().filter(oracle::contains).count();
        }
        assertTrue(found >= 0.99 * K * QUERIES, "HNSW at ef 500 found " + found + " of " + K * QUERIES);
        for (int q = 0; q < TEXT_QUERIES.size(); q++) {
            assertEquals(textAnswers.get(q), c.search(SearchRequest.ofText(TEXT_QUERIES.get(q), K)),
                    "BM25 answer to '" + TEXT_QUERIES.get(q) + "' differs from the undamaged index's");
        }
    }

    private List<PointId> bruteForce(float[] query) {
        float[] q = VectorSimilarity.COSINE.prepare(query);
        return model.entrySet().stream()
                .sorted(Comparator.comparingDouble(
                        (Map.Entry<PointId, float[]> e) -> -cosine(q, VectorSimilarity.COSINE.prepare(e.getValue()))))
                .limit(K).map(Map.Entry::getKey).toList();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    private Path onlyFile(String subdir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(subdir))) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), subdir + " holds " + all);
            return all.get(0);
        }
    }

    // ---- a damaged RocksDB ----

    /** How each test damages RocksDB itself. */
    enum RocksDamage {
        CURRENT_NAMES_A_MISSING_MANIFEST,
        MANIFEST_BIT_FLIPS,
        MANIFEST_TRUNCATED,
        SST_TRUNCATED,
        SST_MISSING,
        SST_BIT_FLIPS
    }

    @ParameterizedTest
    @EnumSource(RocksDamage.class)
    void damagedRocksDbFailsToOpenNamingTheDirectoryAndWritesNothing(RocksDamage damage) throws Exception {
        flushToSstFiles();
        Path rocks = dir.resolve("rocksdb");
        switch (damage) {
            case CURRENT_NAMES_A_MISSING_MANIFEST -> Files.writeString(rocks.resolve("CURRENT"), "MANIFEST-999999\n");
            case MANIFEST_BIT_FLIPS -> flipBytes(newest(rocks, "MANIFEST-"), 8);
            case MANIFEST_TRUNCATED -> truncateToHalf(newest(rocks, "MANIFEST-"));
            case SST_TRUNCATED -> truncateToHalf(largestSst(rocks));
            case SST_MISSING -> Files.delete(largestSst(rocks));
            case SST_BIT_FLIPS -> flipBytes(largestSst(rocks), 16);
        }
        // a damaged SST is only found when the collection loads (its first call), after RocksDB opened and
        // rolled its bookkeeping files (new MANIFEST, OPTIONS and empty WAL, same contents); the others fail in RocksDB.open
        boolean rocksOpened = damage == RocksDamage.SST_BIT_FLIPS;
        Map<String, String> before = dataFiles(!rocksOpened);
        for (int attempt = 0; attempt < 2; attempt++) { // and it keeps failing the same way: no half-repaired state
            if (rocksOpened) {
                try (VectorDb db = VectorDb.open(dir)) {
                    RuntimeException e = assertThrows(RuntimeException.class, () -> db.collection("c").count());
                    assertTrue(e.getMessage().startsWith("collection 'c': loading vectors") && e.getMessage().contains("checksum mismatch")
                            && e.getMessage().contains(dir.toString()), e.getMessage());
                }
            } else {
                RuntimeException e = assertThrows(RuntimeException.class, () -> VectorDb.open(dir).close());
                assertTrue(e.getMessage().startsWith("cannot open the database in " + dir), e.getMessage());
            }
            assertEquals(before, dataFiles(!rocksOpened), "the failed open changed data files");
        }
    }

    /** Opens the raw RocksDB and flushes every column family, so that the points live in SST files. */
    private void flushToSstFiles() throws Exception {
        String path = dir.resolve("rocksdb").toString();
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, path);
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (RocksDB db = RocksDB.open(path, names.stream().map(ColumnFamilyDescriptor::new).toList(), handles);
             FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, handles);
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    /**
     * A digest of every file a failed open must not change: the SST files, the write-ahead logs
     * (by content: RocksDB may renumber an empty one), the derived files and, when
     * {@code withBookkeeping}, RocksDB's CURRENT, MANIFEST and OPTIONS files. RocksDB's info LOG
     * and its LOCK file may change.
     */
    private Map<String, String> dataFiles(boolean withBookkeeping) throws Exception {
        Map<String, String> digests = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int wal = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            boolean bookkeeping = name.equals("CURRENT") || name.startsWith("MANIFEST-") || name.startsWith("OPTIONS-");
            if (name.equals("LOCK") || name.startsWith("LOG") || (bookkeeping && !withBookkeeping)) {
                continue;
            }
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            String key = name.endsWith(".log") ? "write-ahead log " + wal++ : dir.relativize(file).toString();
            digests.put(key, HexFormat.of().formatHex(digest));
        }
        return digests;
    }

    private static Path newest(Path rocks, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(rocks)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
        }
    }

    private static Path largestSst(Path rocks) throws IOException {
        Map<Path, Long> sizes = new HashMap<>();
        try (Stream<Path> files = Files.list(rocks)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".sst")).toList()) {
                sizes.put(p, Files.size(p));
            }
        }
        return sizes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** Flips one bit in each of {@code n} bytes spread over the file, past its first 8 bytes. */
    private static void flipBytes(Path file, int n) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (int i = 0; i < n; i++) {
                long at = 8 + (f.length() - 8) * i / n;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x20);
            }
        }
    }

    private static void truncateToHalf(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
    }
}
