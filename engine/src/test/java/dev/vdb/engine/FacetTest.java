package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.filter.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Facets ({@link VectorCollection#facet}) against counts taken in the test from the payloads it
 * wrote: keyword, integer and bool fields, arrays (a point counted once per distinct value),
 * values of another type or with a fraction left out, filters answered by indexes and by a scan of stored payloads,
 * after deletes and payload updates, and after a reopen.
 */
class FacetTest {

    private static final int N = 2_000;

    @TempDir
    Path dir;

    @Test
    void facetsCountEachValueOverTheFilteredPoints() {
        SplittableRandom random = new SplittableRandom(3);
        Map<Long, Map<String, Object>> payloads = new LinkedHashMap<>();
        List<Point> points = new ArrayList<>();
        for (long id = 0; id < N; id++) {
            Map<String, Object> p = new HashMap<>();
            int city = (int) Math.min(30, Math.floor(1 / (random.nextDouble() + 0.03)));
            switch ((int) (id % 10)) {
                case 0 -> p.put("city", List.of("c" + city, "c" + (city + 1), "c" + city)); // a repeated value counts once
                case 1 -> { } // no city
                case 2 -> p.put("city", 7); // not a keyword
                default -> p.put("city", "c" + city);
            }
            Object year = id % 13 == 0 ? List.of(2000 + (int) (id % 7), 2000 + (int) (id % 7)) // counted once
                    : id % 17 == 0 ? (Object) 2003.5 // not a whole number: left out
                    : id % 19 == 0 ? (Object) 2004.0 // a whole number written as a float: counted as 2004
                    : (Object) (2000 + random.nextInt(12));
            p.put("year", year);
            if (id % 5 != 0) {
                p.put("open", random.nextBoolean());
            }
            p.put("note", "n" + id % 4); // never indexed: filters on it scan stored payloads
            p.put("score", random.nextDouble());
            payloads.put(id, p);
            points.add(new Point(PointId.of(id), new float[] {random.nextFloat(), random.nextFloat()}, p, null));
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("f", CollectionConfig.of(2, Distance.EUCLID));
            c.createPayloadIndex("city", PayloadSchema.KEYWORD);
            c.upsert(points);
            c.createPayloadIndex("year", PayloadSchema.INTEGER);
            c.createPayloadIndex("open", PayloadSchema.BOOL);
            c.createPayloadIndex("score", PayloadSchema.FLOAT);
            checkAll(c, payloads);

            List<PointId> gone = new ArrayList<>();
            for (long id = 0; id < N; id += 3) {
                gone.add(PointId.of(id));
                payloads.remove(id);
            }
            c.delete(gone);
            c.overwritePayload(PointSelector.ids(PointId.of(1), PointId.of(2)), Map.of("city", "c0", "year", 1999, "open", true));
            payloads.put(1L, Map.of("city", "c0", "year", 1999, "open", true));
            payloads.put(2L, Map.of("city", "c0", "year", 1999, "open", true));
            checkAll(c, payloads);
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("f");
            checkAll(c, payloads);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.facet("note", null, 10)).getMessage()
                    .contains("facet needs a keyword, integer or bool payload index on 'note'"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.facet("score", null, 10)).getMessage()
                    .contains("'score' has a float index"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.facet("city", null, 0)).getMessage()
                    .contains("limit must be at least 1"));
        }
    }

    private static void checkAll(VectorCollection c, Map<Long, Map<String, Object>> payloads) {
        Map<String, Predicate<Map<String, Object>>> filters = new LinkedHashMap<>();
        filters.put("none", p -> true);
        Map<String, Filter> asFilters = new HashMap<>();
        asFilters.put("none", null);
        filters.put("open", p -> Boolean.TRUE.equals(p.get("open")));
        asFilters.put("open", Filter.match("open", true));
        filters.put("note n1 (stored scan)", p -> "n1".equals(p.get("note")));
        asFilters.put("note n1 (stored scan)", Filter.match("note", "n1"));
        for (Map.Entry<String, Predicate<Map<String, Object>>> f : filters.entrySet()) {
            for (String key : List.of("city", "year", "open")) {
                for (int limit : new int[] {3, 100}) {
                    assertEquals(expected(payloads, key, f.getValue(), limit), c.facet(key, asFilters.get(f.getKey()), limit),
                            key + " filtered by " + f.getKey() + ", limit " + limit);
                }
            }
        }
    }

    /** Counts by value of {@code key}'s values of the facet's kind (distinct per point), most first, ties by value. */
    private static List<FacetHit> expected(Map<Long, Map<String, Object>> payloads, String key,
                                           Predicate<Map<String, Object>> filter, int limit) {
        Map<Object, Long> counts = new HashMap<>();
        for (Map<String, Object> p : payloads.values()) {
            if (!filter.test(p)) {
                continue;
            }
            Object v = p.get(key);
            Set<Object> distinct = new LinkedHashSet<>();
            for (Object one : v instanceof List<?> l ? l : v == null ? List.of() : List.of(v)) {
                Object value = switch (key) {
                    case "city" -> one instanceof String ? one : null;
                    case "year" -> one instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                            ? (Object) n.longValue() : null;
                    default -> one instanceof Boolean ? one : null;
                };
                if (value != null) {
                    distinct.add(value);
                }
            }
            distinct.forEach(value -> counts.merge(value, 1L, Long::sum));
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Comparator<Object> natural = (a, b) -> ((Comparable) a).compareTo(b);
        return counts.entrySet().stream()
                .sorted(Map.Entry.<Object, Long>comparingByValue().reversed().thenComparing(Map.Entry::getKey, natural))
                .limit(limit).map(e -> new FacetHit(e.getKey(), e.getValue())).toList();
    }
}
