package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.graph.GraphMaintenance;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Metric;
import dev.vdb.testkit.data.Datasets;
import dev.vdb.testkit.data.Vecs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Non-exact searches go through the HNSW graph: recall against the engine's own exact search
 * (the oracle), deleted and replaced points never returned, identical answers after a reopen,
 * and a stale, damaged or missing graph file brought back in line with RocksDB on open.
 */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
class HnswSearchTest {

    private static final int K = 10;
    private static float[][] base;
    private static float[][] queries;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadData() throws IOException {
        Optional<Path> glove = Datasets.find("glove-100-angular");
        if (glove.isPresent()) {
            base = Vecs.readFvecs(glove.get().resolve("base.fvecs"), 10_000);
            queries = Vecs.readFvecs(glove.get().resolve("query.fvecs"), 100);
        } else {
            Dataset generated = Dataset.generate(10_000, 100, 100, Metric.COSINE, K, 11);
            base = generated.base();
            queries = generated.queries();
        }
    }

    private static VectorCollection fill(VectorDb db, int n) {
        VectorCollection c = db.createCollection("c", CollectionConfig.of(base[0].length, Distance.COSINE));
        List<Point> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(Point.of(i, base[i]));
            if (batch.size() == 1_000 || i == n - 1) {
                c.upsert(batch);
                batch.clear();
            }
        }
        return c;
    }

    private static List<PointId> ids(List<ScoredPoint> hits) {
        return hits.stream().map(ScoredPoint::id).toList();
    }

    private static List<ScoredPoint> search(VectorCollection c, float[] query, int ef, boolean exact) {
        return c.search(SearchRequest.builder().vector(query).limit(K).params(new SearchParams(ef, exact)).withPayload(false).build());
    }

    /** Mean recall@10 of graph searches at {@code ef} against exact search; asserts no id is in {@code gone}. */
    private static double recall(VectorCollection c, int ef, Set<PointId> gone) {
        int hits = 0;
        for (float[] q : queries) {
            List<PointId> approx = ids(search(c, q, ef, false));
            for (PointId id : approx) {
                assertFalse(gone.contains(id), "deleted or replaced id " + id + " returned");
            }
            Set<PointId> exact = new HashSet<>(ids(search(c, q, 0, true)));
            hits += (int) approx.stream().filter(exact::contains).count();
        }
        return hits / (double) (K * queries.length);
    }

    @Test
    void graphRecallAndIdenticalAnswersAfterReopen() {
        List<List<ScoredPoint>> before = new ArrayList<>();
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 10_000))) {
            VectorCollection c = fill(db, base.length);
            assertEquals(base.length, c.indexedVectorsCount());
            double low = recall(c, 32, Set.of());
            double high = recall(c, 128, Set.of());
            assertTrue(high >= 0.95, "recall@10 at ef=128: " + high);
            assertTrue(high >= low - 0.01, "recall fell as ef rose: " + low + " -> " + high);
            for (float[] q : queries) {
                before.add(search(c, q, 64, false));
            }
            // offset pages through the same ranking; payloads and vectors come with the hits
            for (float[] q : List.of(queries[0], queries[1])) {
                List<ScoredPoint> top = search(c, q, 64, false);
                List<ScoredPoint> page = c.search(SearchRequest.builder().vector(q).limit(5).offset(5).params(new SearchParams(64, false)).withVector(true).build());
                assertEquals(ids(top).subList(5, 10), ids(page));
                for (ScoredPoint hit : page) {
                    int row = (int) ((PointId.Num) hit.id()).id();
                    org.junit.jupiter.api.Assertions.assertArrayEquals(base[row], hit.vector());
                    assertTrue(hit.payload().isEmpty());
                }
            }
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertNull(c.diagnostics().graphRecovery(), "the saved graph is reused as it is");
            assertEquals(base.length, c.indexedVectorsCount());
            for (int i = 0; i < queries.length; i++) {
                assertEquals(before.get(i), search(c, queries[i], 64, false), "query " + i);
            }
        }
    }

    @Test
    void deletedAndReplacedPointsAreNeverReturned() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 5_000;
        Set<PointId> gone = new HashSet<>();
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 10_000))) {
            VectorCollection c = fill(db, n);
            List<PointId> doomed = new ArrayList<>();
            List<Point> updates = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double roll = random.nextDouble();
                if (roll < 0.3) {
                    doomed.add(PointId.of(i));
                } else if (roll < 0.4) {
                    // the point moves onto another base vector; its old position must not answer
                    updates.add(Point.of(i, base[n + random.nextInt(base.length - n)]));
                }
            }
            c.delete(doomed);
            c.upsert(updates);
            gone.addAll(doomed);
            assertEquals(n - doomed.size(), c.count());
            assertEquals(c.count(), Indexing.awaitIndexed(c));
            assertTrue(recall(c, 128, gone) >= 0.9);
            int foundSelf = 0;
            for (Point p : updates) {
                List<ScoredPoint> top = search(c, p.vector(), 64, false);
                foundSelf += top.get(0).id().equals(p.id()) || top.get(0).score() >= 0.9999f ? 1 : 0;
            }
            assertTrue(foundSelf >= 0.95 * updates.size(), foundSelf + " of " + updates.size() + " updated points found at their new vector");
        }
    }

    @Test
    void heavyDeleteAndUpdateChurnKeepsRecallAcrossCrashes() throws IOException {
        // as under clients that upsert or delete (one time in four) batches of 50 random ids,
        // with the process killed after each round: the graph file on disk is then the one
        // saved before the round, and open replays what RocksDB holds beyond it (deleted points
        // among them, whose vectors RocksDB no longer has). Oracle: exact search.
        int n = 4_000;
        int dim = 32;
        SplittableRandom random = new SplittableRandom(17);
        float[][] probes = new float[100][];
        for (int q = 0; q < probes.length; q++) {
            probes[q] = PointsTest.randomVector(random, dim);
        }
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 10_000))) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(dim, Distance.EUCLID));
            churn(c, random, n, 80);
        }
        Path beforeRound = dir.resolve("graph-before-round");
        for (int round = 1; round <= 10; round++) {
            Files.copy(graphFile(), beforeRound, StandardCopyOption.REPLACE_EXISTING);
            try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 10_000))) {
                churn(db.collection("c"), random, n, 15);
            }
            Files.move(beforeRound, graphFile(), StandardCopyOption.REPLACE_EXISTING);
            try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 10_000))) {
                VectorCollection c = db.collection("c");
                assertTrue(c.diagnostics().graphRecovery().startsWith("replayed"), c.diagnostics().graphRecovery());
                double recall = churnRecall(c, probes, 400);
                assertTrue(recall >= 0.99, "recall at ef 400 after crash " + round + ": " + recall);
            }
        }
    }

    /** {@code batches} batches of 50 random ids below {@code n}: one in four deleted, the others upserted. */
    private static void churn(VectorCollection c, SplittableRandom random, int n, int batches) {
        int dim = c.config().dimension();
        for (int batch = 0; batch < batches; batch++) {
            List<PointId> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(PointId.of(random.nextInt(n)));
            }
            if (random.nextInt(4) == 0) {
                c.delete(ids);
            } else {
                c.upsert(ids.stream().map(id -> new Point(id, PointsTest.randomVector(random, dim), null, null)).toList());
            }
        }
    }

    private static double churnRecall(VectorCollection c, float[][] probes, int ef) {
        int hits = 0;
        for (float[] q : probes) {
            Set<PointId> exact = new HashSet<>(ids(search(c, q, 0, true)));
            hits += (int) ids(search(c, q, ef, false)).stream().filter(exact::contains).count();
        }
        return hits / (double) (K * probes.length);
    }

    @Test
    void graphIsCheckpointedWhileOpenSoACrashReplaysOnlyTheTail() throws IOException {
        int first = (int) GraphMaintenance.CHECKPOINT_MIN_CHANGES;
        int tail = 1_500;
        SplittableRandom random = new SplittableRandom(9);
        Path checkpoint = dir.resolve("checkpoint");
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 10_000))) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(4, Distance.EUCLID));
            for (int i = 0; i < first + tail; i += 500) {
                List<Point> batch = new ArrayList<>();
                for (int j = i; j < i + 500; j++) {
                    batch.add(Point.of(j, PointsTest.randomVector(random, 4)));
                }
                c.upsert(batch);
                if (i + 500 == first) {
                    assertTrue(Files.isRegularFile(graphFile()), "a checkpoint is saved while the database is open");
                    Files.copy(graphFile(), checkpoint);
                }
            }
        }
        // as after a crash following the checkpoint
        Files.move(checkpoint, graphFile(), StandardCopyOption.REPLACE_EXISTING);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertEquals("replayed " + tail + " adds and 0 deletes", c.diagnostics().graphRecovery());
            assertEquals(first + tail, Indexing.awaitIndexed(c)); // linked in the background
        }
    }

    private Path graphFile() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("hnsw"))) {
            return files.findFirst().orElseThrow();
        }
    }

    @Test
    void staleGraphIsReplayedFromRocksDb() throws IOException {
        int n = 3_000;
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 10_000))) {
            fill(db, n);
        }
        Path saved = dir.resolve("old-graph");
        Files.copy(graphFile(), saved);
        Set<PointId> gone = new HashSet<>();
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 10_000))) {
            VectorCollection c = db.collection("c");
            List<PointId> doomed = new ArrayList<>();
            for (int i = 0; i < n; i += 10) {
                doomed.add(PointId.of(i));
            }
            c.delete(doomed);
            gone.addAll(doomed);
            List<Point> more = new ArrayList<>();
            for (int i = n; i < n + 500; i++) {
                more.add(Point.of(i, base[i]));
            }
            for (int i = 1; i < 300; i += 3) {
                more.add(Point.of(i, base[n + 1_000 + i])); // updates: new ordinals
                gone.remove(PointId.of(i)); // some were deleted above: upserted again, they are live
            }
            c.upsert(more);
        }
        // as after a crash: RocksDB moved on, the graph file did not
        Files.move(saved, graphFile(), StandardCopyOption.REPLACE_EXISTING);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertNotNull(c.diagnostics().graphRecovery());
            assertTrue(c.diagnostics().graphRecovery().startsWith("replayed"), c.diagnostics().graphRecovery());
            assertEquals(c.count(), Indexing.awaitIndexed(c));
            assertTrue(recall(c, 128, gone) >= 0.9);
            assertEquals(PointId.of(n + 7), search(c, base[n + 7], 64, false).get(0).id());
        }
    }

    @Test
    void damagedOrMissingGraphIsRebuilt() throws IOException {
        int n = 3_000;
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 10_000))) {
            fill(db, n);
        }
        // bit flips
        try (RandomAccessFile raf = new RandomAccessFile(graphFile().toFile(), "rw")) {
            raf.seek(raf.length() / 2);
            int b = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(b ^ 0x10);
        }
        assertRebuilt(n);
        // truncation
        try (RandomAccessFile raf = new RandomAccessFile(graphFile().toFile(), "rw")) {
            raf.setLength(raf.length() - 100);
        }
        assertRebuilt(n);
        // garbage of the right length
        Files.write(graphFile(), new byte[(int) Files.size(graphFile())]);
        assertRebuilt(n);
        Files.delete(graphFile());
        assertRebuilt(n);
        try (VectorDb db = VectorDb.open(dir)) {
            assertNull((db.collection("c")).diagnostics().graphRecovery(), "the rebuilt graph was saved");
        }
    }

    private void assertRebuilt(int n) {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertNotNull(c.diagnostics().graphRecovery());
            assertTrue(c.diagnostics().graphRecovery().startsWith("rebuilt"), c.diagnostics().graphRecovery());
            assertEquals(n, c.indexedVectorsCount());
            assertTrue(recall(c, 128, Set.of()) >= 0.95);
        }
    }
}
