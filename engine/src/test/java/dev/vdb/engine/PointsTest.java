package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.check.DatabaseCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Point writes and reads against what was written, and against a reopened database. */
class PointsTest {

    @TempDir
    Path dir;

    static Map<String, Object> payload(String key, Object value) {
        return Map.of(key, value);
    }

    static float[] randomVector(SplittableRandom random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    @Test
    void upsertGetReplaceDeleteCount() {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("docs", CollectionConfig.of(3, Distance.COSINE));
            Map<String, Object> p1 = Map.of("color", "red", "n", 1);
            assertEquals(2, c.upsert(List.of(
                    new Point(PointId.of(1), new float[] {1, 0, 0}, p1, "red fox"),
                    new Point(PointId.of("b"), new float[] {0, 1, 0}, null, null))));
            assertEquals(2, c.count());

            Point got = c.get(PointId.of(1)).orElseThrow();
            assertArrayEquals(new float[] {1, 0, 0}, got.vector());
            assertEquals(p1, got.payload());
            assertEquals("red fox", got.text());
            Point b = c.get(PointId.of("b")).orElseThrow();
            assertTrue(b.payload().isEmpty());
            assertEquals(null, b.text());
            assertEquals(Optional.empty(), c.get(PointId.of(2)));

            // replace: new vector, payload and text; old text gone
            c.upsert(List.of(new Point(PointId.of(1), new float[] {0, 0, 2}, payload("color", "blue"), null)));
            assertEquals(2, c.count());
            got = c.get(PointId.of(1)).orElseThrow();
            assertArrayEquals(new float[] {0, 0, 2}, got.vector());
            assertEquals("blue", got.payload().get("color"));
            assertEquals(null, got.text());
            List<ScoredPoint> hits = c.search(SearchRequest.of(new float[] {0, 0, 1}, 1));
            assertEquals(PointId.of(1), hits.get(0).id());
            assertEquals(1f, hits.get(0).score(), 1e-6);
            assertEquals("blue", hits.get(0).payload().get("color"));

            // get many keeps the asked order and leaves missing ids out
            List<Point> many = c.get(List.of(PointId.of("b"), PointId.of(99), PointId.of(1)));
            assertEquals(List.of(PointId.of("b"), PointId.of(1)), many.stream().map(Point::id).toList());

            assertEquals(1, c.delete(List.of(PointId.of(1), PointId.of(42))));
            assertEquals(1, c.count());
            assertFalse(c.get(PointId.of(1)).isPresent());
            assertEquals(0, c.delete(List.of(PointId.of(1))));
            assertEquals(List.of(PointId.of("b")),
                    c.search(SearchRequest.of(new float[] {0, 0, 1}, 10)).stream().map(ScoredPoint::id).toList());
        }
    }

    @Test
    void emptyCollectionsAndEmptyBatches() {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(2, Distance.DOT));
            assertEquals(List.of(), c.search(SearchRequest.of(new float[] {1, 1}, 5)));
            assertEquals(List.of(), c.search(SearchRequest.builder().vector(new float[] {1, 1}).limit(5).params(new SearchParams(0, true)).withPayload(false).build()));
            assertEquals(0, c.upsert(List.of()));
            assertEquals(List.of(), c.get(List.of()));
            assertEquals(0, c.delete(List.of()));
            c.upsert(List.of(Point.of(1, new float[] {1, 0}), Point.of(2, new float[] {2, 0}), Point.of(3, new float[] {3, 0})));
            // offset skips the best hits; an offset past the end leaves nothing
            assertEquals(List.of(PointId.of(2), PointId.of(1)),
                    c.search(SearchRequest.builder().vector(new float[] {1, 0}).limit(5).offset(1).build()).stream().map(ScoredPoint::id).toList());
            assertEquals(List.of(), c.search(SearchRequest.builder().vector(new float[] {1, 0}).limit(5).offset(3).build()));
        }
    }

    @Test
    void longestIdsAndManyIdsRoundTripThroughTheIdMap() {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // 512 UTF-8 bytes: the longest id allowed, far above the id map's average key size
            points.add(Point.of(("é".repeat(250) + "%012d").formatted(i), new float[] {i, 1}));
        }
        for (int i = 0; i < 40_000; i++) {
            points.add(Point.of(i, new float[] {i, -1}));
        }
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100_000))) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(2, Distance.EUCLID));
            c.upsert(points.subList(0, 20));
            // more ids than the id map was first laid out for: it grows
            c.upsert(points.subList(20, points.size()));
            assertEquals(points.size(), c.count());
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertEquals(null, c.diagnostics().idMapRecovery());
            assertEquals(points.size(), c.count());
            DatabaseCheck.Report report = DatabaseCheck.check(db);
            assertTrue(report.clean(), "the id map agrees with RocksDB: " + report);
            Point longest = points.get(7);
            assertArrayEquals(longest.vector(), c.get(longest.id()).orElseThrow().vector());
            assertEquals(longest.id(), c.search(SearchRequest.of(longest.vector(), 1)).get(0).id());
        }
    }

    @Test
    void duplicateIdsInOneBatchKeepTheLast() {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(2, Distance.DOT));
            c.upsert(List.of(Point.of(7, new float[] {1, 1}), Point.of(7, new float[] {2, 2})));
            assertEquals(1, c.count());
            assertArrayEquals(new float[] {2, 2}, c.get(PointId.of(7)).orElseThrow().vector());
        }
    }

    @Test
    void reopenGivesIdenticalPointsAndSearches() {
        SplittableRandom random = new SplittableRandom(7);
        List<Point> written = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            PointId id = i % 3 == 0 ? PointId.of("s-" + i) : PointId.of(i);
            written.add(new Point(id, randomVector(random, 16), payload("i", i), i % 2 == 0 ? "text " + i : null));
        }
        float[] query = randomVector(random, 16);
        List<ScoredPoint> before;
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(16, Distance.EUCLID));
            c.upsert(written.subList(0, 250));
            c.upsert(written.subList(250, 500));
            // update some vectors and delete others so ordinals are not dense any more
            c.upsert(List.of(new Point(written.get(10).id(), new float[16], payload("i", "zero"), null)));
            written.set(10, new Point(written.get(10).id(), new float[16], payload("i", "zero"), null));
            c.delete(List.of(written.get(20).id(), written.get(21).id()));
            written.remove(21);
            written.remove(20);
            before = c.search(SearchRequest.builder().vector(query).limit(20).withVector(true).build());
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertEquals(written.size(), c.count());
            List<Point> got = c.get(written.stream().map(Point::id).toList());
            assertEquals(written.size(), got.size());
            for (int i = 0; i < written.size(); i++) {
                assertEquals(written.get(i).id(), got.get(i).id());
                assertArrayEquals(written.get(i).vector(), got.get(i).vector());
                assertEquals(written.get(i).payload(), got.get(i).payload());
                assertEquals(written.get(i).text(), got.get(i).text());
            }
            List<ScoredPoint> after = c.search(SearchRequest.builder().vector(query).limit(20).withVector(true).build());
            assertEquals(before.size(), after.size());
            for (int i = 0; i < before.size(); i++) {
                assertEquals(before.get(i).id(), after.get(i).id());
                // the same point may be scored by the one-vector kernel or in a group of eight, which
                // sum in different orders: equal up to the last bits of a float, not bit for bit
                float score = before.get(i).score();
                assertEquals(score, after.get(i).score(), 4 * Math.ulp(score), "score of " + before.get(i).id());
                assertEquals(before.get(i).payload(), after.get(i).payload());
                assertArrayEquals(before.get(i).vector(), after.get(i).vector());
            }
        }
    }
}
