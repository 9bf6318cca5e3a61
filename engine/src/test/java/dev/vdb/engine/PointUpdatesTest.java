package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.filter.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payload and vector updates, scroll and score thresholds against a model of what was written,
 * and against a reopened database.
 */
class PointUpdatesTest {

    @TempDir
    Path dir;

    private static List<Point> points(int n) {
        SplittableRandom random = new SplittableRandom(3);
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PointId id = i % 4 == 0 ? PointId.of("s-" + i) : PointId.of(i);
            out.add(new Point(id, PointsTest.randomVector(random, 8),
                    Map.of("n", i, "city", i % 3 == 0 ? "Paris" : "Rome"), "text " + i));
        }
        return out;
    }

    private static Map<PointId, Point> model(List<Point> points) {
        Map<PointId, Point> model = new HashMap<>();
        points.forEach(p -> model.put(p.id(), p));
        return model;
    }

    private static void assertMatchesModel(VectorCollection c, Map<PointId, Point> model) {
        assertEquals(model.size(), c.count());
        for (Point expected : model.values()) {
            Point got = c.get(expected.id()).orElseThrow();
            assertArrayEquals(expected.vector(), got.vector(), "vector of " + expected.id());
            assertEquals(expected.payload(), got.payload(), "payload of " + expected.id());
            assertEquals(expected.text(), got.text(), "text of " + expected.id());
        }
    }

    @Test
    void payloadOperationsChangeOnlyWhatTheySayAndSurviveAReopen() {
        List<Point> written = points(60);
        Map<PointId, Point> model = model(written);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(8, Distance.COSINE));
            c.createPayloadIndex("city", PayloadSchema.KEYWORD);
            c.upsert(written);

            assertEquals(2, c.setPayload(PointSelector.ids(PointId.of(1), PointId.of(2), PointId.of(999)),
                    Map.of("city", "Oslo", "tag", "x")));
            for (long id : new long[] {1, 2}) {
                Point p = model.get(PointId.of(id));
                Map<String, Object> merged = new LinkedHashMap<>(p.payload());
                merged.putAll(Map.of("city", "Oslo", "tag", "x"));
                model.put(p.id(), new Point(p.id(), p.vector(), merged, p.text()));
            }
            assertMatchesModel(c, model);
            // the keyword index follows the rewrite
            assertEquals(2, c.count(Filter.match("city", "Oslo")));

            int paris = (int) c.count(Filter.match("city", "Paris"));
            assertEquals(paris, c.overwritePayload(PointSelector.filter(Filter.match("city", "Paris")), Map.of("v", 1)));
            model.replaceAll((id, p) -> "Paris".equals(p.payload().get("city"))
                    ? new Point(id, p.vector(), Map.of("v", 1), p.text()) : p);
            assertMatchesModel(c, model);
            assertEquals(0, c.count(Filter.match("city", "Paris")));

            assertEquals(1, c.deletePayloadKeys(PointSelector.ids(PointId.of(1)), List.of("tag", "absent")));
            Point one = model.get(PointId.of(1));
            Map<String, Object> kept = new LinkedHashMap<>(one.payload());
            kept.remove("tag");
            model.put(one.id(), new Point(one.id(), one.vector(), kept, one.text()));

            assertEquals(1, c.clearPayload(PointSelector.ids(PointId.of(2))));
            Point two = model.get(PointId.of(2));
            model.put(two.id(), new Point(two.id(), two.vector(), Map.of(), two.text()));
            assertMatchesModel(c, model);
            assertThrows(IllegalArgumentException.class, () -> c.deletePayloadKeys(PointSelector.ids(PointId.of(1)), List.of()));
        }
        try (VectorDb db = VectorDb.open(dir)) {
            assertMatchesModel(db.collection("c"), model);
        }
    }

    @Test
    void updateVectorsMovesPointsAndKeepsPayloadsOrWritesNothing() {
        List<Point> written = points(40);
        Map<PointId, Point> model = model(written);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(8, Distance.EUCLID));
            c.upsert(written);
            float[] moved = {9, 9, 9, 9, 9, 9, 9, 9};
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> c.updateVectors(Map.of(PointId.of(1), moved, PointId.of(777), moved)));
            assertTrue(missing.getMessage().contains("777"), missing.getMessage());
            assertMatchesModel(c, model);
            assertThrows(IllegalArgumentException.class, () -> c.updateVectors(Map.of(PointId.of(1), new float[3])));

            assertEquals(1, c.updateVectors(Map.of(PointId.of(1), moved)));
            Point p = model.get(PointId.of(1));
            model.put(p.id(), new Point(p.id(), moved, p.payload(), p.text()));
            assertMatchesModel(c, model);
            for (SearchParams params : List.of(SearchParams.EXACT, SearchParams.ef(64))) {
                ScoredPoint top = c.search(SearchRequest.builder().vector(moved).limit(1).params(params).build()).get(0);
                assertEquals(PointId.of(1), top.id());
                assertEquals(p.payload(), top.payload());
            }
        }
        try (VectorDb db = VectorDb.open(dir)) {
            assertMatchesModel(db.collection("c"), model);
        }
    }

    @Test
    void scrollPagesThroughEveryPointInIdOrderWithFiltersAndOrderBy() {
        List<Point> written = points(57);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(8, Distance.DOT));
            c.upsert(written);
            // id order: numbers ascending, then strings by UTF-8 bytes
            List<PointId> expected = written.stream().map(Point::id)
                    .sorted(Comparator.comparing((PointId id) -> id instanceof PointId.Str)
                            .thenComparing(id -> id instanceof PointId.Num n ? String.format("%020d", n.id()) : ((PointId.Str) id).id()))
                    .toList();
            assertEquals(expected, scrollAll(c, ScrollRequest.of(10)));
            List<PointId> rome = expected.stream()
                    .filter(id -> "Rome".equals(written.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow().payload().get("city")))
                    .toList();
            assertEquals(rome, scrollAll(c, ScrollRequest.of(7).matching(Filter.match("city", "Rome"))));

            ScrollPage first = c.scroll(ScrollRequest.of(5).including(false, true));
            assertEquals(expected.subList(0, 5), first.points().stream().map(Point::id).toList());
            assertEquals(expected.get(5), first.nextOffset());
            assertTrue(first.points().get(0).payload().isEmpty());
            assertEquals(8, first.points().get(0).vector().length);
            assertNull(c.scroll(ScrollRequest.of(100)).nextOffset());

            assertThrows(IllegalArgumentException.class,
                    () -> c.scroll(ScrollRequest.of(5).orderedBy(new ScrollRequest.OrderBy("n", false, null))));
            c.createPayloadIndex("n", PayloadSchema.INTEGER);
            TreeMap<Integer, PointId> byN = new TreeMap<>();
            written.forEach(p -> byN.put((Integer) p.payload().get("n"), p.id()));
            List<PointId> ascending = c.scroll(ScrollRequest.of(5).orderedBy(new ScrollRequest.OrderBy("n", false, 10.0)))
                    .points().stream().map(Point::id).toList();
            assertEquals(new ArrayList<>(byN.tailMap(10).values()).subList(0, 5), ascending);
            List<PointId> descending = c.scroll(ScrollRequest.of(3).orderedBy(new ScrollRequest.OrderBy("n", true, null)))
                    .points().stream().map(Point::id).toList();
            assertEquals(new ArrayList<>(byN.descendingMap().values()).subList(0, 3), descending);
        }
    }

    private static List<PointId> scrollAll(VectorCollection c, ScrollRequest request) {
        List<PointId> out = new ArrayList<>();
        ScrollPage page = c.scroll(request);
        while (true) {
            page.points().forEach(p -> out.add(p.id()));
            if (page.nextOffset() == null) {
                return out;
            }
            page = c.scroll(request.startingAt(page.nextOffset()));
        }
    }

    @Test
    void scoreThresholdKeepsTheHitsOnTheCloseSide() {
        List<Point> written = points(50);
        float[] query = written.get(0).vector();
        for (Distance distance : Distance.values()) {
            try (VectorDb db = VectorDb.open(dir.resolve(distance.name()))) {
                VectorCollection c = db.createCollection("c", CollectionConfig.of(8, distance));
                c.upsert(written);
                SearchRequest all = SearchRequest.builder().vector(query).limit(50).params(SearchParams.EXACT).build();
                List<ScoredPoint> everything = c.search(all);
                float threshold = everything.get(10).score();
                List<ScoredPoint> kept = c.search(all.toBuilder().scoreThreshold(threshold).build());
                List<ScoredPoint> expected = everything.stream()
                        .filter(h -> distance == Distance.EUCLID ? h.score() <= threshold : h.score() >= threshold).toList();
                assertEquals(expected, kept, distance.apiName());
                assertTrue(kept.size() >= 11 && kept.size() < 50, distance + ": " + kept.size());
            }
        }
    }
}
