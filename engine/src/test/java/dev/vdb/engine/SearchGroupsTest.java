package dev.vdb.engine;

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
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouped search ({@link VectorCollection#searchGroups}) against a brute force in the test:
 * every point's inner product with the query in double precision, sorted, grouped by the field's
 * values as Qdrant defines them (each value of an array its own group, points without the field
 * in none), best groups first. Over an exact search the answer must be exactly that, for keyword
 * and integer fields, nested keys, filters and score thresholds; over the graph the groups must
 * keep the same rules.
 */
class SearchGroupsTest {

    private static final int N = 3_000;
    private static final int DIM = 16;

    @TempDir
    Path dir;

    /** Chunks of documents of very different sizes: doc d has about 60 / (d + 1) chunks. */
    private static List<Point> points(SplittableRandom random) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            float[] v = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                v[j] = (float) random.nextGaussian();
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            int doc = (int) Math.min(400, Math.floor(60 / (random.nextDouble() * 60 + 0.15)) - 1);
            if (i % 17 == 0) {
                payload.put("doc", List.of("doc-" + doc, "doc-" + (doc + 1))); // in two groups
            } else if (i % 23 != 0) { // else no doc at all
                payload.put("doc", "doc-" + doc);
            }
            payload.put("meta", Map.of("page", (long) (i % 37)));
            payload.put("odd", i % 2 == 1);
            points.add(new Point(PointId.of(i), v, payload, null));
        }
        return points;
    }

    @Test
    void exactGroupsEqualTheBruteForce() {
        SplittableRandom random = new SplittableRandom(5);
        List<Point> points = points(random);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("g", CollectionConfig.of(DIM, Distance.DOT));
            c.upsert(points);
            for (int q = 0; q < 20; q++) {
                float[] query = points.get(random.nextInt(N)).vector().clone();
                query[q % DIM] += 1;
                int groups = 1 + random.nextInt(12);
                int size = 1 + random.nextInt(5);
                Filter filter = q % 3 == 0 ? Filter.match("odd", true) : null;
                Float threshold = q % 4 == 1 ? 2f : null;
                SearchRequest request = SearchRequest.builder().vector(query).limit(groups).filter(filter)
                        .scoreThreshold(threshold).params(SearchParams.EXACT).build();
                for (String field : List.of("doc", "meta.page")) {
                    Function<Point, List<Object>> values = field.equals("doc") ? SearchGroupsTest::docs
                            : p -> List.of(((Map<?, ?>) p.payload().get("meta")).get("page"));
                    List<PointGroup> expected = bruteForce(points, query, filter == null ? p -> true
                            : p -> ((PointId.Num) p.id()).id() % 2 == 1, threshold, values, groups, size);
                    List<PointGroup> actual = c.searchGroups(request, field, size);
                    assertEquals(render(expected), render(actual), "query " + q + ", " + field + ", " + groups + " x " + size);
                }
            }
        }
    }

    @Test
    void graphGroupsKeepTheRulesAndPayloadsStayOutUnlessAsked() {
        SplittableRandom random = new SplittableRandom(6);
        List<Point> points = points(random);
        Map<PointId, Point> byId = new HashMap<>();
        points.forEach(p -> byId.put(p.id(), p));
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("g", CollectionConfig.of(DIM, Distance.DOT));
            c.upsert(points);
            for (int q = 0; q < 10; q++) {
                float[] query = points.get(random.nextInt(N)).vector();
                List<PointGroup> groups = c.searchGroups(SearchRequest.builder().vector(query).limit(8)
                        .withPayload(false).build(), "doc", 3);
                assertEquals(8, groups.size(), "enough documents for 8 groups");
                float previousBest = Float.POSITIVE_INFINITY;
                List<Object> seen = new ArrayList<>();
                for (PointGroup g : groups) {
                    assertTrue(!seen.contains(g.id()), "each group once: " + g.id());
                    seen.add(g.id());
                    assertTrue(g.hits().size() >= 1 && g.hits().size() <= 3, g.toString());
                    assertTrue(g.hits().get(0).score() <= previousBest, "groups by their best hit");
                    previousBest = g.hits().get(0).score();
                    for (int i = 0; i < g.hits().size(); i++) {
                        ScoredPoint hit = g.hits().get(i);
                        assertNull(hit.payload(), "with_payload false");
                        assertTrue(docs(byId.get(hit.id())).contains(g.id()), hit.id() + " in group " + g.id());
                        assertTrue(i == 0 || hit.score() <= g.hits().get(i - 1).score(), "hits best first");
                    }
                }
            }
        }
    }

    @Test
    void malformedGroupedSearchesAreRefusedNamingTheField() {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("g", CollectionConfig.of(DIM, Distance.DOT));
            SearchRequest request = SearchRequest.of(new float[DIM], 10);
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> c.searchGroups(request.toBuilder().offset(5).build(), "doc", 3)).getMessage().contains("offset"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> c.searchGroups(request.toBuilder().limit(200).build(), "doc", 51)).getMessage()
                    .contains("limit (groups) and group_size"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.searchGroups(request, "", 3)).getMessage()
                    .contains("group_by"));
            assertEquals(List.of(), c.searchGroups(request, "doc", 3), "an empty collection has no groups");
        }
    }

    private static List<Object> docs(Point p) {
        Object doc = p.payload().get("doc");
        return doc == null ? List.of() : doc instanceof List<?> l ? List.copyOf(l) : List.of(doc);
    }

    private static List<PointGroup> bruteForce(List<Point> points, float[] query, java.util.function.Predicate<Point> filter,
                                               Float threshold, Function<Point, List<Object>> values, int groups, int size) {
        List<Point> ranked = new ArrayList<>();
        Map<PointId, Double> scores = new HashMap<>();
        for (Point p : points) {
            double dot = 0;
            for (int j = 0; j < DIM; j++) {
                dot += (double) query[j] * p.vector()[j];
            }
            if (filter.test(p) && (threshold == null || dot >= threshold)) {
                ranked.add(p);
                scores.put(p.id(), dot);
            }
        }
        ranked.sort(Comparator.comparingDouble((Point p) -> scores.get(p.id())).reversed());
        Map<Object, List<ScoredPoint>> byValue = new LinkedHashMap<>();
        for (Point p : ranked) {
            for (Object value : values.apply(p)) {
                List<ScoredPoint> group = byValue.computeIfAbsent(value, v -> new ArrayList<>());
                if (group.size() < size) {
                    group.add(new ScoredPoint(p.id(), scores.get(p.id()).floatValue(), null, null));
                }
            }
        }
        return byValue.entrySet().stream().limit(groups).map(e -> new PointGroup(e.getKey(), e.getValue())).toList();
    }

    /** Group ids and their hits' ids, as text: the comparison ignores score rounding. */
    private static String render(List<PointGroup> groups) {
        StringBuilder s = new StringBuilder();
        for (PointGroup g : groups) {
            s.append(g.id()).append(" (").append(g.id().getClass().getSimpleName()).append("):");
            g.hits().forEach(h -> s.append(' ').append(h.id()));
            s.append('\n');
        }
        return s.toString();
    }
}
