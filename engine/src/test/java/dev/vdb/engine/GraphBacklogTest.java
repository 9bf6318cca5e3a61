package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.check.DatabaseCheck;
import dev.vdb.engine.db.RocksVectorDb;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.write.WriteFaults;
import dev.vdb.engine.write.WriteStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After an open that finds the saved graph behind RocksDB (as after {@code kill -9}), the missing
 * points are linked in the background: searches answer in full before that ends (each backlog
 * point found, recall against exact search as high as once linked, filters and deletes
 * honoured), and a linking that fails or a close in the middle leaves a store that opens and
 * links the rest. The linking is held, made to fail or paused through the
 * {@link WriteStep#LINK_BACKLOG} fault seam.
 */
class GraphBacklogTest {

    private static final int DIM = 24;
    private static final int K = 10;
    private static final int EF = 128;

    @TempDir
    Path dir;

    private final SplittableRandom random = new SplittableRandom(5);
    /** Vectors of the live points by id. */
    private final Map<Long, float[]> live = new java.util.HashMap<>();
    private final Set<Long> gone = new HashSet<>();
    private final List<Long> tail = new ArrayList<>();
    private CollectionConfig config = CollectionConfig.of(DIM, Distance.EUCLID);

    @ParameterizedTest(name = "quantization {0}")
    @ValueSource(strings = {"none", "int8", "binary"})
    void searchesAnswerInFullWhileTheBacklogIsLinked(String quantization) throws Exception {
        // a quantized graph walks codes and rescores; the backlog is scored at full precision
        config = switch (quantization) {
            case "int8" -> config.withQuantization(QuantizationConfig.int8());
            case "binary" -> config.withQuantization(QuantizationConfig.binary());
            default -> config;
        };
        int backlog = writeWithStaleGraph(6_000, 2_500);
        CountDownLatch release = new CountDownLatch(1);
        WriteFaults hold = step -> {
            if (step == WriteStep.LINK_BACKLOG) {
                await(release);
            }
        };
        float[][] queries = queries(60);
        try (VectorDb db = RocksVectorDb.open(dir, new DbOptions(false, 100_000), hold)) {
            VectorCollection c = db.collection("c");
            try {
                checkWhileHeld(c, backlog, queries, release);
            } finally {
                release.countDown();
            }
            assertTrue(DatabaseCheck.check(db).clean());
        }
    }

    /** Searches while the linking is held, then after {@code release}: recall before and after against exact search. */
    private void checkWhileHeld(VectorCollection c, int backlog, float[][] queries, CountDownLatch release) {
        assertEquals("replayed " + backlog + " adds and 150 deletes", c.diagnostics().graphRecovery());
        assertEquals(live.size(), c.count());
        assertTrue(c.indexedVectorsCount() < c.count(), "the backlog is held unlinked");
        for (int i = 0; i < tail.size(); i += 97) { // a point only the backlog scan can find
            long id = tail.get(i);
            List<ScoredPoint> hits = search(c, live.get(id), null, 16, false);
            assertEquals(PointId.of(id), hits.get(0).id(), "backlog point " + id + " by its own vector");
        }
        double[] during = recalls(c, queries);

        release.countDown();
        assertEquals(live.size(), Indexing.awaitIndexed(c));
        double[] after = recalls(c, queries);
        for (int f = 0; f < during.length; f++) {
            assertTrue(during[f] >= after[f] - 0.02, "filter " + f + ": recall " + during[f]
                    + " while linking, " + after[f] + " once linked");
        }
    }

    @Test
    void aFailedLinkingKeepsAnsweringAndTheNextOpenLinksTheRest() throws Exception {
        int backlog = writeWithStaleGraph(4_000, 1_500);
        WriteFaults failing = step -> {
            if (step == WriteStep.LINK_BACKLOG) {
                throw new OutOfMemoryError("injected while linking the backlog");
            }
        };
        try (VectorDb db = RocksVectorDb.open(dir, new DbOptions(false, 100_000), failing)) {
            VectorCollection c = db.collection("c");
            long id = tail.get(tail.size() / 2);
            assertEquals(PointId.of(id), search(c, live.get(id), null, 16, false).get(0).id());
            assertEquals(live.size() - backlog, c.indexedVectorsCount(), "nothing of the backlog linked");
            c.upsert(List.of(Point.of(1_000_000, PointsTest.randomVector(random, DIM)))); // writes go on
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            // the close saved the graph with the deletes applied and the backlog still missing
            assertEquals("replayed " + backlog + " adds and 0 deletes", c.diagnostics().graphRecovery());
            assertEquals(live.size() + 1, Indexing.awaitIndexed(c));
            assertTrue(DatabaseCheck.check(db).clean());
        }
    }

    @Test
    void aCloseWhileLinkingSavesWhatIsLinkedAndTheNextOpenLinksTheRest() throws Exception {
        int backlog = writeWithStaleGraph(8_000, 5_000); // three chunks
        CountDownLatch secondChunk = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger chunks = new AtomicInteger();
        WriteFaults pause = step -> {
            if (step == WriteStep.LINK_BACKLOG && chunks.incrementAndGet() == 2) {
                secondChunk.countDown();
                await(release);
            }
        };
        VectorDb db = RocksVectorDb.open(dir, new DbOptions(false, 100_000), pause);
        db.collection("c").count(); // collections load on their first call
        assertTrue(secondChunk.await(60, TimeUnit.SECONDS));
        Thread releaser = Thread.ofPlatform().start(() -> {
            sleep(200);
            release.countDown(); // the close waits for the chunk in hand
        });
        db.close();
        releaser.join();
        assertEquals(2, chunks.get(), "the close stopped the linking after the chunk in hand");
        try (VectorDb reopened = VectorDb.open(dir)) {
            VectorCollection c = reopened.collection("c");
            String recovery = c.diagnostics().graphRecovery();
            assertTrue(recovery.startsWith("replayed ") && !recovery.equals("replayed " + backlog + " adds and 150 deletes"),
                    "the close saved the linked part: " + recovery);
            assertEquals(live.size(), Indexing.awaitIndexed(c));
            assertTrue(DatabaseCheck.check(reopened).clean());
        }
    }

    /**
     * Writes {@code first} points (closed cleanly, the graph saved), then {@code added} new points,
     * 50 updates and 100 deletes, and puts the first graph file back, as a crash after the first
     * close would leave it. Returns the backlog the next open finds: the new and updated points
     * (it also unlinks 150 ordinals: the deleted points and the updated ones' old vectors).
     */
    private int writeWithStaleGraph(int first, int added) throws IOException {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100_000))) {
            VectorCollection c = db.createCollection("c", config);
            c.createPayloadIndex("group", PayloadSchema.INTEGER);
            upsert(c, 0, first);
        }
        Path graph = graphFile();
        Path saved = dir.resolve("graph-after-first-close");
        Files.copy(graph, saved);
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100_000))) {
            VectorCollection c = db.collection("c");
            upsert(c, first, first + added);
            for (long id = first; id < first + added; id++) {
                tail.add(id);
            }
            upsert(c, 0, 50); // updates take new ordinals: part of the backlog
            List<PointId> deleted = new ArrayList<>();
            for (long id = 100; id < 200; id++) {
                deleted.add(PointId.of(id));
                live.remove(id);
                gone.add(id);
            }
            c.delete(deleted);
        }
        Files.move(saved, graph, StandardCopyOption.REPLACE_EXISTING);
        return added + 50;
    }

    private void upsert(VectorCollection c, long from, long to) {
        List<Point> batch = new ArrayList<>();
        for (long id = from; id < to; id++) {
            float[] v = PointsTest.randomVector(random, DIM);
            live.put(id, v);
            batch.add(new Point(PointId.of(id), v, Map.of("group", id % 5, "tag", "t" + id % 3), null));
            if (batch.size() == 1_000 || id == to - 1) {
                c.upsert(batch);
                batch.clear();
            }
        }
    }

    private float[][] queries(int n) {
        float[][] queries = new float[n][];
        for (int i = 0; i < n; i++) {
            queries[i] = PointsTest.randomVector(random, DIM);
        }
        return queries;
    }

    /**
     * Mean recall@10 at ef {@value #EF} against exact search, unfiltered, filtered by an indexed
     * field and by an unindexed one; asserts every hit is live and passes its filter.
     */
    private double[] recalls(VectorCollection c, float[][] queries) {
        Filter[] filters = {null, Filter.match("group", 2), Filter.match("tag", "t1")};
        double[] recalls = new double[filters.length];
        for (int f = 0; f < filters.length; f++) {
            int found = 0;
            for (float[] q : queries) {
                Set<PointId> exact = new HashSet<>(ids(search(c, q, filters[f], 0, true)));
                for (ScoredPoint hit : search(c, q, filters[f], EF, false)) {
                    long id = ((PointId.Num) hit.id()).id();
                    assertFalse(gone.contains(id), "deleted point " + id + " returned");
                    if (f == 1) {
                        assertEquals(2L, id % 5, "filter group = 2, hit " + id);
                    } else if (f == 2) {
                        assertEquals(1L, id % 3, "filter tag = t1, hit " + id);
                    }
                    found += exact.contains(hit.id()) ? 1 : 0;
                }
            }
            recalls[f] = found / (double) (K * queries.length);
        }
        return recalls;
    }

    private static List<ScoredPoint> search(VectorCollection c, float[] query, Filter filter, int ef, boolean exact) {
        return c.search(SearchRequest.builder().vector(query).limit(K).filter(filter)
                .params(new SearchParams(ef, exact)).withPayload(false).build());
    }

    private static List<PointId> ids(List<ScoredPoint> hits) {
        return hits.stream().map(ScoredPoint::id).toList();
    }

    private Path graphFile() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("hnsw"))) {
            return files.findFirst().orElseThrow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test did not release the linking");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
