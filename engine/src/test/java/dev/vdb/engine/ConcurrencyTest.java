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
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@value #WRITERS} writers and {@value #READERS} readers (searches, exact and HNSW, and gets) on one
 * collection for {@value #RUN_MILLIS} ms: no exception; a search never returns an id whose delete
 * had returned before it started; every hit's payload belongs to the vector that was scored; a
 * read never sees a payload older than the last upsert of that id that had returned before the
 * read began (read-your-writes); at the end, and after a reopen, the collection equals the
 * writers' model (last write wins: each id has one owning writer, so its last write is defined).
 */
class ConcurrencyTest {

    private static final int DIM = 8;
    private static final int WRITERS = 4;
    private static final int READERS = 4;
    private static final int IDS_PER_WRITER = 300;
    private static final long RUN_MILLIS = 3_000;

    @TempDir
    Path dir;

    /** A point whose vector and payload both carry {@code version}, so a mix-up is visible. */
    static Point versioned(long id, int version, SplittableRandom random) {
        float[] v = new float[DIM];
        v[0] = version;
        for (int i = 1; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        Map<String, Object> payload = Map.of("version", version);
        return new Point(PointId.of(id), v, payload, "v" + version);
    }

    /** Index of an owned id in the acknowledged-version table. */
    private static int slot(PointId id) {
        long n = ((PointId.Num) id).id();
        return (int) (n / 1_000_000L) * IDS_PER_WRITER + (int) (n % 1_000_000L);
    }

    private static boolean owned(PointId id) {
        return ((PointId.Num) id).id() % 1_000_000L < IDS_PER_WRITER;
    }

    @Test
    void writersAndReadersAgreeWithTheModel() throws Exception {
        Map<PointId, Point> model = new ConcurrentHashMap<>();
        Set<PointId> deletedForGood = ConcurrentHashMap.newKeySet();
        // per owned id, the version of its last upsert that has returned (-1: none yet)
        AtomicIntegerArray acked = new AtomicIntegerArray(WRITERS * IDS_PER_WRITER);
        for (int i = 0; i < acked.length(); i++) {
            acked.set(i, -1);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger searches = new AtomicInteger();
        AtomicInteger gets = new AtomicInteger();
        AtomicInteger writes = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 1_000))) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(DIM, Distance.EUCLID));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(writer);
                    long base = writer * 1_000_000L;
                    for (int round = 0; System.nanoTime() < deadline || round < 5; round++) {
                        List<Point> batch = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            batch.add(versioned(base + random.nextInt(IDS_PER_WRITER), round * 100 + i, random));
                        }
                        c.upsert(batch);
                        for (Point p : batch) { // in batch order: a repeated id ends with its last version
                            model.put(p.id(), p);
                            acked.set(slot(p.id()), (Integer) p.payload().get("version"));
                        }
                        // ids past IDS_PER_WRITER are written once, then deleted for good
                        long doomed = base + IDS_PER_WRITER + round;
                        c.upsert(List.of(versioned(doomed, round, random)));
                        assertEquals(1, c.delete(List.of(PointId.of(doomed))));
                        deletedForGood.add(PointId.of(doomed));
                        writes.addAndGet(3);
                    }
                    return null;
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                int reader = r;
                readers.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(100 + reader);
                    while (writing.get()) {
                        Set<PointId> goneBefore = Set.copyOf(deletedForGood);
                        int[] ackedBefore = new int[acked.length()];
                        for (int i = 0; i < ackedBefore.length; i++) {
                            ackedBefore[i] = acked.get(i);
                        }
                        if (reader == 3) {
                            List<PointId> ids = new ArrayList<>();
                            for (int i = 0; i < 20; i++) {
                                ids.add(PointId.of(random.nextInt(WRITERS) * 1_000_000L + random.nextInt(IDS_PER_WRITER)));
                            }
                            for (Point p : c.get(ids)) {
                                int version = (Integer) p.payload().get("version");
                                assertEquals(p.vector()[0], version, "payload of another version");
                                assertEquals("v" + version, p.text(), "text of another version");
                                assertTrue(version >= ackedBefore[slot(p.id())], "stale read of " + p.id()
                                        + ": version " + version + " after version " + ackedBefore[slot(p.id())] + " was acknowledged");
                            }
                            for (PointId id : ids) {
                                assertTrue(ackedBefore[slot(id)] < 0 || c.get(id).isPresent(), "acknowledged " + id + " missing");
                            }
                            gets.incrementAndGet();
                            continue;
                        }
                        float[] query = versioned(0, random.nextInt(4_000), random).vector();
                        List<ScoredPoint> hits = c.search(SearchRequest.builder().vector(query).limit(20).params(new SearchParams(0, reader == 0)).withVector(true).build());
                        for (ScoredPoint hit : hits) {
                            assertFalse(goneBefore.contains(hit.id()), "deleted id " + hit.id() + " returned");
                            int version = (Integer) hit.payload().get("version");
                            assertEquals(hit.vector()[0], version, "payload of another version");
                            // float scores: a distance in the thousands is exact to about 1e-3
                            double expected = GloveExactSearchTest.userScore(Distance.EUCLID, query, hit.vector());
                            assertEquals(expected, hit.score(), 1e-5 * Math.max(1, Math.abs(expected)));
                            if (owned(hit.id())) {
                                assertTrue(version >= ackedBefore[slot(hit.id())], "stale hit " + hit.id() + ": version "
                                        + version + " after version " + ackedBefore[slot(hit.id())] + " was acknowledged");
                            }
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
            for (Future<?> f : readers) {
                f.get(1, TimeUnit.MINUTES);
            }
            assertTrue(searches.get() > 0 && gets.get() > 0, searches + " searches, " + gets + " gets");
            System.out.println("ConcurrencyTest: " + writes + " writes, " + searches + " searches, " + gets + " gets");
            assertMatchesModel(c, model, deletedForGood);
        } finally {
            pool.shutdownNow();
        }
        try (VectorDb db = VectorDb.open(dir)) {
            assertMatchesModel(db.collection("c"), model, deletedForGood);
        }
    }

    /** Last write wins: the collection holds exactly the model's points, and none deleted for good. */
    private static void assertMatchesModel(VectorCollection c, Map<PointId, Point> model, Set<PointId> deletedForGood) {
        assertEquals(model.size(), c.count());
        List<PointId> ids = List.copyOf(model.keySet());
        List<Point> stored = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 500) { // within the batch limit
            stored.addAll(c.get(ids.subList(from, Math.min(ids.size(), from + 500))));
        }
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
            assertEquals(p.id(), c.search(SearchRequest.builder().vector(p.vector()).limit(1).params(new SearchParams(0, true)).withPayload(false).build()).get(0).id());
        }
    }
}
