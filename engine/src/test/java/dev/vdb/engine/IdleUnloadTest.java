package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.filter.Filter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle collections are unloaded ({@link DbOptions#unloadAfterIdle}) and load again on the next
 * call: the answers after a reload equal those before it (the oracle is the same collection,
 * never unloaded, asked the same questions), and calls racing an unload never fail or answer short.
 */
class IdleUnloadTest {

    private static final int DIM = 8;
    private static final int POINTS = 400;

    @TempDir
    Path dir;

    @Test
    void anUnloadedCollectionAnswersExactlyAsBefore() throws Exception {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 1_000).withUnloadAfterIdle(Duration.ofMillis(100)))) {
            VectorCollection c = filled(db);
            c.createPayloadIndex("k", PayloadSchema.KEYWORD);
            List<SearchRequest> questions = questions(new SplittableRandom(3));
            List<List<ScoredPoint>> before = answers(c, questions);
            awaitUnloaded(c);
            assertTrue(Files.exists(dir.resolve("hnsw")) && Files.list(dir.resolve("hnsw")).findAny().isPresent(),
                    "the unload saved the graph");
            List<List<ScoredPoint>> after = answers(c, questions);
            assertTrue(c.isLoaded());
            assertSameAnswers(before, after);
            assertEquals(Map.of("k", PayloadSchema.KEYWORD), c.payloadIndexes());
            // and it takes writes again
            c.upsert(List.of(Point.of(POINTS, vector(new SplittableRandom(POINTS)), Map.of("k", "k1"))));
            assertEquals(POINTS + 1, c.count());
        }
    }

    @Test
    void callsRacingUnloadsNeverFailOrAnswerShort() throws Exception {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 1_000).withUnloadAfterIdle(Duration.ofMillis(5)))) {
            VectorCollection c = filled(db);
            List<SearchRequest> questions = questions(new SplittableRandom(5));
            List<List<ScoredPoint>> expected = answers(c, questions);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger unloads = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                SplittableRandom random = new SplittableRandom(t);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (!stop.get()) {
                            int q = random.nextInt(questions.size());
                            assertSameAnswers(List.of(expected.get(q)), List.of(c.search(questions.get(q))));
                            assertEquals(POINTS, c.count());
                            Thread.sleep(random.nextInt(30));
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            threads.add(Thread.ofPlatform().start(() -> {
                boolean wasLoaded = true;
                while (!stop.get()) {
                    boolean loaded = c.isLoaded();
                    if (wasLoaded && !loaded) {
                        unloads.incrementAndGet();
                    }
                    wasLoaded = loaded;
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (unloads.get() < 2 && failures.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            if (!failures.isEmpty()) {
                throw new AssertionError("a call failed while the collection unloaded", failures.peek());
            }
            assertTrue(unloads.get() >= 1, "the collection never unloaded between the calls");
        }
    }

    @Test
    void withoutAnIdleTimeACollectionStaysLoaded() throws Exception {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 1_000))) {
            VectorCollection c = filled(db);
            Thread.sleep(200);
            assertTrue(c.isLoaded());
        }
    }

    private static VectorCollection filled(VectorDb db) {
        VectorCollection c = db.createCollection("c", CollectionConfig.of(DIM, Distance.COSINE));
        SplittableRandom random = new SplittableRandom(1);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            points.add(new Point(PointId.of(i), vector(random), Map.of("k", "k" + i % 5), "word" + i % 7 + " common"));
        }
        c.upsert(points);
        return c;
    }

    /** HNSW, exact, filtered and text searches. */
    private static List<SearchRequest> questions(SplittableRandom random) {
        List<SearchRequest> questions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            questions.add(SearchRequest.of(vector(random), 10));
            questions.add(SearchRequest.builder().vector(vector(random)).limit(10).params(SearchParams.EXACT).build());
            questions.add(SearchRequest.builder().vector(vector(random)).limit(10).filter(Filter.match("k", "k" + i % 5)).build());
            questions.add(SearchRequest.ofText("word" + i + " common", 10));
        }
        return questions;
    }

    private static List<List<ScoredPoint>> answers(VectorCollection c, List<SearchRequest> questions) {
        return questions.stream().map(c::search).toList();
    }

    private static void assertSameAnswers(List<List<ScoredPoint>> expected, List<List<ScoredPoint>> actual) {
        assertEquals(expected.size(), actual.size());
        for (int q = 0; q < expected.size(); q++) {
            assertEquals(expected.get(q).size(), actual.get(q).size(), "hits of question " + q);
            for (int i = 0; i < expected.get(q).size(); i++) {
                assertEquals(expected.get(q).get(i).id(), actual.get(q).get(i).id(), "hit " + i + " of question " + q);
                assertEquals(expected.get(q).get(i).score(), actual.get(q).get(i).score(), 1e-6f, "score " + i + " of question " + q);
            }
        }
    }

    private static void awaitUnloaded(VectorCollection c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (c.isLoaded()) {
            assertTrue(System.nanoTime() < deadline, "not unloaded within 20 s of an idle time of 100 ms");
            Thread.sleep(20);
        }
        assertFalse(c.isLoaded());
    }

    private static float[] vector(SplittableRandom random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
