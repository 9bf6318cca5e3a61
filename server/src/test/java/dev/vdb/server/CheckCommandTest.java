package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.check.DatabaseCheck;
import dev.vdb.engine.storage.KeySpace;
import dev.vdb.engine.storage.PointCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import picocli.CommandLine;

/**
 * {@code ./vdb check} on copies of one stopped database, each damaged in one way: a sound copy
 * passes (exit 0); bit flips in an SST file, a point whose ordinal no {@code 'o'} key names, a
 * truncated HNSW graph, a removed id map and a vector damaged inside a quantized collection's
 * vector file are each found and named (exit 1); {@code --repair} rebuilds the derived files
 * (exit 0, and the database then opens with every point) and refuses to touch a damaged RocksDB.
 */
class CheckCommandTest {
    private static final int POINTS = 300;
    private static final int QUANTIZED_DIM = 8;

    @TempDir
    static Path dir;
    private static Path original;

    @BeforeAll
    static void build() throws Exception {
        original = dir.resolve("original");
        try (VectorDb db = VectorDb.open(original)) {
            VectorCollection c = db.createCollection("docs", CollectionConfig.of(4, Distance.COSINE));
            c.createPayloadIndex("n", PayloadSchema.INTEGER);
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < POINTS; i++) {
                points.add(new Point(PointId.of(i), new float[] {i, 1, i % 7, 2}, Map.of("n", i), "text " + i));
            }
            c.upsert(points);
            VectorCollection q = db.createCollection("q", CollectionConfig.of(QUANTIZED_DIM, Distance.EUCLID)
                    .withQuantization(QuantizationConfig.int8()));
            List<Point> vectors = new ArrayList<>();
            for (int i = 0; i < POINTS; i++) {
                float[] v = new float[QUANTIZED_DIM];
                for (int j = 0; j < QUANTIZED_DIM; j++) {
                    v[j] = (i * 31 + j * 7) % 97 / 97f;
                }
                vectors.add(Point.of(i, v));
            }
            q.upsert(vectors);
        } // a clean close records the quantized collection's vector file
        // the points in SST files, as a long-running database has them
        withRocks(original, (db, handles) -> {
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, new ArrayList<>(handles.values()));
            }
        });
    }

    interface RocksAction {
        void run(RocksDB db, Map<String, ColumnFamilyHandle> handles) throws Exception;
    }

    /** Runs {@code action} on the raw RocksDB of the database in {@code data}, its column families by name. */
    private static void withRocks(Path data, RocksAction action) throws Exception {
        String path = data.resolve("rocksdb").toString();
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, path);
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (RocksDB db = RocksDB.open(path, names.stream().map(ColumnFamilyDescriptor::new).toList(), handles)) {
            Map<String, ColumnFamilyHandle> byName = new java.util.HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byName.put(new String(names.get(i), StandardCharsets.UTF_8), handles.get(i));
            }
            action.run(db, byName);
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    record Run(int exit, String out) {}

    private static Run check(Path data, String... more) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int exit;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            List<String> args = new ArrayList<>(List.of("--data", data.toString()));
            args.addAll(List.of(more));
            exit = new CommandLine(new CheckMain()).execute(args.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return new Run(exit, out);
    }

    private static Path copy(String name) throws IOException {
        Path target = dir.resolve(name);
        try (Stream<Path> walk = Files.walk(original)) {
            for (Path p : walk.toList()) {
                Path to = target.resolve(original.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }

    /** The largest file named {@code <stem><kind>} or {@code <stem><kind>.<generation>} (an id map grown past its first). */
    private static Path only(Path dir, String kind) throws IOException {
        return only(dir, "", kind);
    }

    /** As {@link #only(Path, String)}, of the stems starting with {@code stemPrefix} (one collection's files). */
    private static Path only(Path dir, String stemPrefix, String kind) throws IOException {
        String pattern = java.util.regex.Pattern.quote(stemPrefix) + ".*" + java.util.regex.Pattern.quote(kind) + "(\\.\\d+)?";
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches(pattern))
                    .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
    }

    @Test
    void soundDatabasePasses() throws Exception {
        Run run = check(copy("sound"));
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("SST files verified"), run.out());
        assertTrue(run.out().contains("collection docs: " + POINTS + " points, ordinals and ids consistent"), run.out());
        assertTrue(run.out().contains("HNSW graph, BM25 snapshot, payload-index snapshot, id map"), run.out());
        assertTrue(run.out().contains("collection q: " + POINTS + " points") && run.out().contains("vector file ("
                + POINTS + " vectors)"), run.out());
        assertTrue(run.out().contains("result: no problems found"), run.out());
    }

    @Test
    void bitFlipsInAnSstFileAreFoundAndNotRepaired() throws Exception {
        Path data = copy("sst");
        Path sst = only(data.resolve("rocksdb"), ".sst");
        try (RandomAccessFile f = new RandomAccessFile(sst.toFile(), "rw")) {
            for (int i = 0; i < 16; i++) {
                long at = 8 + (f.length() - 8) * i / 16;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x20);
            }
        }
        byte[] damaged = Files.readAllBytes(sst);
        Run run = check(data, "--repair");
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("DAMAGE  RocksDB") && run.out().contains(sst.getFileName().toString()), run.out());
        assertTrue(run.out().contains("repair: not attempted"), run.out());
        assertTrue(java.util.Arrays.equals(damaged, Files.readAllBytes(sst)), "the check changed the SST file");
    }

    @Test
    void aPointWhoseOrdinalNoKeyNamesIsFound() throws Exception {
        Path data = copy("ordinal");
        withRocks(data, (db, handles) -> {
            KeySpace docs = KeySpace.shared(handles.get("points"), 0); // the first collection created: number 0
            db.delete(docs.columnFamily(), docs.key(PointCodec.ordinalKey(0))); // point 0 was written first: ordinal 0
        });
        Run run = check(data);
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("DAMAGE  collection docs: ordinal 0 of point 0 is named by no 'o' key"), run.out());
    }

    @Test
    void truncatedGraphAndMissingIdMapAreFoundAndRepaired() throws Exception {
        Path data = copy("derived");
        Path graph = only(data.resolve("hnsw"), "c.docs.", ".hnsw");
        try (RandomAccessFile f = new RandomAccessFile(graph.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        Files.delete(only(data.resolve("idmap"), "c.docs.", ".idmap"));
        Run run = check(data);
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("DERIVED collection docs: HNSW graph hnsw/" + graph.getFileName()), run.out());
        assertTrue(run.out().contains("DERIVED collection docs: id map idmap/") && run.out().contains("it is missing"),
                run.out());
        assertTrue(run.out().contains("2 problems (2 in derived files"), run.out());

        Run repaired = check(data, "--repair");
        assertEquals(0, repaired.exit(), repaired.out());
        assertTrue(repaired.out().endsWith("result: no problems found\n"), repaired.out());
        try (VectorDb db = VectorDb.open(data)) {
            assertEquals(POINTS, db.collection("docs").count());
            assertEquals(POINTS, db.collection("docs").indexedVectorsCount());
        }
        assertEquals(0, check(data).exit());
    }

    /**
     * A flipped bit inside a vector of a quantized collection's file: an open would trust the
     * file (its header and length are right), the check compares it with RocksDB and names the
     * point, and {@code --repair} deletes the file so the open rebuilds it.
     */
    @Test
    void aVectorDamagedInAQuantizedCollectionsFileIsFoundAndRepaired() throws Exception {
        Path data = copy("vectors");
        Path file = only(data.resolve("vectors"), ".f32");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = 64 + (7L * QUANTIZED_DIM + 3) * Float.BYTES + 2; // vector 7 (after the 64-byte header), its 4th float
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
        Run run = check(data);
        assertEquals(1, run.exit(), run.out());
        String name = "DERIVED collection q: vector file vectors/" + file.getFileName();
        assertTrue(run.out().contains(name + ": the vector of point ") && run.out().contains("(ordinal 7) differs"), run.out());
        assertTrue(run.out().contains(name + ": 1 vectors differ from RocksDB's"), run.out());

        Run repaired = check(data, "--repair");
        assertEquals(0, repaired.exit(), repaired.out());
        assertTrue(repaired.out().endsWith("result: no problems found\n"), repaired.out());
        try (VectorDb db = VectorDb.open(data)) {
            assertEquals(POINTS, db.collection("q").count());
            assertTrue(DatabaseCheck.check(db).clean(), DatabaseCheck.check(db).toString());
        }
    }

    /**
     * A flipped byte in a quantized collection's saved codes: the check names the file, and
     * {@code --repair} lets an open encode the codes again and the close save them anew.
     */
    @Test
    void damagedSavedCodesAreFoundAndRepaired() throws Exception {
        Path data = copy("codes");
        Path file = only(data.resolve("vectors"), ".codes");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() - 5);
            int b = f.read();
            f.seek(f.length() - 5);
            f.write(b ^ 0x01);
        }
        Run run = check(data);
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("DERIVED collection q: saved codes vectors/" + file.getFileName()
                + ": it fails its checksum"), run.out());

        Run repaired = check(data, "--repair");
        assertEquals(0, repaired.exit(), repaired.out());
        assertTrue(repaired.out().endsWith("result: no problems found\n"), repaired.out());
        try (VectorDb db = VectorDb.open(data)) {
            VectorCollection q = db.collection("q");
            assertEquals(POINTS, q.count());
            assertEquals(null, q.diagnostics().codesRecovery(), "the repair's close saved the codes again");
        }
    }
}
