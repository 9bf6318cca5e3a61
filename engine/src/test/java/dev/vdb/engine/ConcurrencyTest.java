package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers and searchers on one collection at once: no exception, a search never returns an id
 * whose delete had returned before it started, every hit's payload belongs to the vector that
 * was scored, and at the end the collection equals the writers' model (last write wins).
 */
class ConcurrencyTest {

    private static final int DIM = 8;
    private static final int WRITERS = 2;
    private static final int IDS_PER_WRITER = 300;

    @TempDir
    Path dir;

    /** A point whose vector and payload both carry {@code version}, so a mix-up is visible. */
    static Point versioned(long id, int version, SplittableRandom random) {
        float[] v = new float[DIM];
        v[0] = version;
        for (int i = 1; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("version", version);
        return new Point(PointId.of(id), v, payload, "v" + version);
    }

    @Test
    void writersAndSearchersAgreeWithTheModel() throws Exception {
        Map<PointId, Point> model = new ConcurrentHashMap<>();
        Set<PointId> deletedForGood = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger searches = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 1_000))) {
            Collection c = db.createCollection("c", CollectionConfig.of(DIM, Distance.Euclid));
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(writer);
                    long base = writer * 1_000_000L;
                    for (int round = 0; round < 40; round++) {
                        List<Point> batch = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            long id = base + random.nextInt(IDS_PER_WRITER);
                            if (!deletedForGood.contains(PointId.of(id))) {
                                batch.add(versioned(id, round * 100 + i, random));
                            }
                        }
                        c.upsert(batch);
                        batch.forEach(p -> model.put(p.id(), p));
                        // ids past IDS_PER_WRITER are written once, then deleted for good
                        long doomed = base + IDS_PER_WRITER + round;
                        c.upsert(List.of(versioned(doomed, round, random)));
                        assertEquals(1, c.delete(List.of(PointId.of(doomed))));
                        deletedForGood.add(PointId.of(doomed));
                    }
                    return null;
                }));
            }
            List<Future<?>> searchers = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                int searcher = s;
                searchers.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(100 + searcher);
                    while (writing.get()) {
                        Set<PointId> goneBefore = Set.copyOf(deletedForGood);
                        float[] query = versioned(0, random.nextInt(4_000), random).vector();
                        List<ScoredPoint> hits = c.search(new SearchRequest(query, 20, 0,
                                new SearchParams(0, searcher == 0), true, true));
                        for (ScoredPoint hit : hits) {
                            assertFalse(goneBefore.contains(hit.id()), "deleted id " + hit.id() + " returned");
                            assertEquals(hit.vector()[0], hit.payload().get("version").asInt(), "payload of another version");
                            assertEquals(GloveExactSearchTest.userScore(Distance.Euclid, query, hit.vector()), hit.score(), 1e-3);
                        }
                        searches.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get(2, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (Future<?> f : searchers) {
                f.get(1, TimeUnit.MINUTES);
            }
            assertTrue(searches.get() > 0);

            assertEquals(model.size(), c.count());
            List<Point> stored = c.get(List.copyOf(model.keySet()));
            assertEquals(model.size(), stored.size());
            for (Point p : stored) {
                Point expected = model.get(p.id());
                assertArrayEquals(expected.vector(), p.vector());
                assertEquals(expected.payload(), p.payload());
                assertEquals(expected.text(), p.text());
            }
            for (PointId gone : deletedForGood) {
                assertTrue(c.get(gone).isEmpty());
            }
            // every stored point is its own nearest neighbour
            for (Point p : stored.subList(0, 50)) {
                assertEquals(p.id(), c.search(new SearchRequest(p.vector(), 1, 0, new SearchParams(0, true), false, false)).get(0).id());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
