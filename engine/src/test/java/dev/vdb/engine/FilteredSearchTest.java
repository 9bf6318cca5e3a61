package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.filter.FilterParser;
import dev.vdb.engine.payload.PayloadMatcher;
import dev.vdb.index.VectorSimilarity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filters, with and without payload indexes, against {@link PayloadMatcher} over a model of
 * every stored point (the oracle): random payloads mixing types, arrays, nested objects and
 * missing keys; random filter trees. Count, delete by filter and exact filtered search must
 * equal the oracle exactly; every strategy must return only matching points, and pre and auto
 * must find the oracle's top 10; all of it after updates, deletes and a reopen (indexes rebuilt).
 */
class FilteredSearchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> PAYLOAD = new TypeReference<>() {};
    private static final int DIM = 8;
    private static final int POINTS = 1_500;
    private static final int K = 10;
    private static final String[] CITIES = {"London", "Paris", "Berlin", "Rome", "Oslo", "Lima"};

    @TempDir
    Path dir;

    private final SplittableRandom random = new SplittableRandom(7);
    /** The oracle's image of the collection. */
    private final Map<PointId, Point> model = new LinkedHashMap<>();

    @Test
    void filtersAgreeWithThePayloadOracleThroughWritesAndReopen() {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("f", CollectionConfig.of(DIM, Distance.COSINE));
            // some indexes exist before the points (kept current by writes), one is built afterwards
            c.createPayloadIndex("city", PayloadSchema.KEYWORD);
            c.createPayloadIndex("year", PayloadSchema.INTEGER);
            c.createPayloadIndex("ok", PayloadSchema.BOOL);
            c.createPayloadIndex("at", PayloadSchema.DATETIME);
            c.createPayloadIndex("loc", PayloadSchema.GEO);
            c.createPayloadIndex("address[].main", PayloadSchema.BOOL); // answers conditions on address.main too
            upsert(c, 0, POINTS);
            c.createPayloadIndex("price", PayloadSchema.FLOAT);
            c.createPayloadIndex("address.city", PayloadSchema.KEYWORD);
            c.createPayloadIndex("price", PayloadSchema.FLOAT); // same schema again: kept
            assertThrows(CollectionConflictException.class, () -> c.createPayloadIndex("price", PayloadSchema.KEYWORD));

            checkRandomFilters(c, 80);
            // updates: new payloads, half with the vector unchanged (same ordinal), and deletes
            List<Point> updates = new ArrayList<>();
            for (int i = 0; i < POINTS / 5; i++) {
                Point old = model.get(PointId.of(random.nextInt(POINTS)));
                if (old != null) {
                    float[] vector = random.nextBoolean() ? old.vector() : randomVector();
                    updates.add(new Point(old.id(), vector, randomPayload(), null));
                }
            }
            c.upsert(updates);
            updates.forEach(p -> model.put(p.id(), p));
            List<PointId> deletes = new ArrayList<>();
            for (int i = 0; i < POINTS / 10; i++) {
                deletes.add(PointId.of(random.nextInt(POINTS)));
            }
            c.delete(deletes);
            deletes.forEach(model::remove);
            checkRandomFilters(c, 80);
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("f");
            assertEquals(Set.of("city", "year", "ok", "at", "loc", "address[].main", "price", "address.city"),
                    c.payloadIndexes().keySet());
            assertEquals(PayloadSchema.GEO, c.payloadIndexes().get("loc"));
            assertEquals(PayloadSchema.FLOAT, c.payloadIndexes().get("price"));
            assertEquals(PayloadSchema.DATETIME, c.payloadIndexes().get("at"));
            checkRandomFilters(c, 60);

            Filter doomed = parse("{\"must\":[{\"key\":\"city\",\"match\":{\"any\":[\"Oslo\",\"Lima\"]}}]}");
            Set<PointId> expected = oracleMatches(doomed);
            assertEquals(expected.size(), c.deleteByFilter(doomed));
            expected.forEach(model::remove);
            assertEquals(0, c.count(doomed));
            assertEquals(model.size(), c.count());
            for (PointId gone : expected) {
                assertTrue(c.get(gone).isEmpty());
            }
            checkRandomFilters(c, 30);
        }
    }

    @Test
    void unselectiveAndUnindexedFiltersAndEmptyResults() {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("u", CollectionConfig.of(DIM, Distance.EUCLID));
            upsert(c, 0, 400);
            Filter none = parse("{\"must\":[{\"key\":\"city\",\"match\":{\"value\":\"Atlantis\"}}]}");
            assertEquals(0, c.count(none));
            assertEquals(List.of(), c.search(SearchRequest.of(randomVector(), K).toBuilder().filter(none).build()));
            Filter all = parse("{}");
            assertEquals(400, c.count(all));
            float[] q = randomVector();
            assertEquals(ids(oracleTop(q, all, K, VectorSimilarity.EUCLID)),
                    ids(c.search(SearchRequest.of(q, K).toBuilder().filter(all).params(new SearchParams(0, true)).build())));
        }
    }

    private void checkRandomFilters(VectorCollection c, int filters) {
        VectorSimilarity similarity = c.config().distance().similarity();
        int recalled = 0;
        int wanted = 0;
        for (int f = 0; f < filters; f++) {
            Filter filter = randomFilter(0);
            Set<PointId> matches = oracleMatches(filter);
            assertEquals(matches.size(), c.count(filter), () -> "count of " + filter);
            float[] q = randomVector();
            List<PointId> truth = ids(oracleTop(q, filter, K, similarity));
            SearchRequest request = SearchRequest.of(q, K).toBuilder().filter(filter).build();
            assertEquals(truth, ids(c.search(request.toBuilder().params(new SearchParams(0, true)).build())), () -> "exact " + filter);
            // at a small ef the planner traverses the graph for unselective filters, testing
            // visited points against the indexes one by one
            List<PointId> small = ids(c.search(request.toBuilder().params(new SearchParams(16, false, FilterStrategy.AUTO)).build()));
            assertTrue(matches.containsAll(small), () -> "auto at ef 16 returned a non-matching point for " + filter);
            assertEquals(truth.size(), small.size(), () -> "auto at ef 16 hit count for " + filter);
            for (FilterStrategy strategy : FilterStrategy.values()) {
                List<PointId> found = ids(c.search(request.toBuilder().params(new SearchParams(200, false, strategy)).build()));
                assertTrue(matches.containsAll(found), () -> strategy + " returned a non-matching point for " + filter);
                assertEquals(found.size(), new HashSet<>(found).size(), "no duplicates");
                if (strategy != FilterStrategy.POST) {
                    assertEquals(truth.size(), found.size(), () -> strategy + " hit count for " + filter);
                    recalled += (int) found.stream().filter(truth::contains).count();
                    wanted += truth.size();
                }
            }
        }
        double recall = wanted == 0 ? 1 : (double) recalled / wanted;
        assertTrue(recall >= 0.98, "pre/auto recall@10 at ef 200 was " + recall);
    }

    private Set<PointId> oracleMatches(Filter filter) {
        Set<PointId> out = new HashSet<>();
        model.values().forEach(p -> {
            if (PayloadMatcher.matches(filter, p.id(), p.payload())) {
                out.add(p.id());
            }
        });
        return out;
    }

    private List<ScoredPoint> oracleTop(float[] q, Filter filter, int k, VectorSimilarity similarity) {
        float[] prepared = similarity.prepare(q);
        List<ScoredPoint> scored = new ArrayList<>();
        for (Point p : model.values()) {
            if (PayloadMatcher.matches(filter, p.id(), p.payload())) {
                float[] v = similarity.prepare(p.vector());
                scored.add(new ScoredPoint(p.id(), similarity.scalarScore(prepared, 0, v, 0, DIM), null, null));
            }
        }
        scored.sort(Comparator.comparingDouble((ScoredPoint s) -> -s.score()));
        return scored.subList(0, Math.min(k, scored.size()));
    }

    private static List<PointId> ids(List<ScoredPoint> hits) {
        return hits.stream().map(ScoredPoint::id).toList();
    }

    private void upsert(VectorCollection c, int from, int to) {
        List<Point> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            batch.add(new Point(PointId.of(i), randomVector(), randomPayload(), null));
        }
        c.upsert(batch);
        batch.forEach(p -> model.put(p.id(), p));
    }

    private float[] randomVector() {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return v;
    }

    /** Payloads that mix types, arrays, nesting and missing keys. */
    private Map<String, Object> randomPayload() {
        ObjectNode p = JSON.createObjectNode();
        switch (random.nextInt(6)) {
            case 0 -> { } // no city
            case 1 -> p.putArray("city").add(city()).add(city());
            case 2 -> p.put("city", random.nextInt(3)); // a number where strings are indexed
            default -> p.put("city", city());
        }
        switch (random.nextInt(6)) {
            case 0 -> { }
            case 1 -> p.put("year", 1990 + random.nextInt(30) + 0.5);
            case 2 -> p.putArray("year").add(1990 + random.nextInt(30)).add(1990 + random.nextInt(30));
            case 3 -> p.put("year", "1999"); // a string where numbers are indexed
            default -> p.put("year", 1990 + random.nextInt(30));
        }
        if (random.nextInt(4) > 0) {
            p.put("price", Math.round(random.nextDouble() * 1000) / 10.0);
        }
        switch (random.nextInt(4)) {
            case 0 -> { }
            case 1 -> p.putNull("ok");
            default -> p.put("ok", random.nextBoolean());
        }
        switch (random.nextInt(4)) {
            case 0 -> { }
            case 1 -> {
                ArrayNode addresses = p.putArray("address");
                addresses.addObject().put("city", city()).put("main", random.nextBoolean());
                addresses.addObject().put("city", city()).put("main", random.nextBoolean());
            }
            default -> p.putObject("address").put("city", city()).put("main", random.nextBoolean());
        }
        switch (random.nextInt(6)) {
            case 0 -> { }
            case 1 -> p.putArray("at").add(dateTime()).add(dateTime());
            case 2 -> p.put("at", random.nextBoolean() ? "yesterday" : "9999-12-31"); // not a date-time; beyond 2^53 µs
            case 3 -> p.put("at", 1_700_000_000); // a number where date-times are indexed
            default -> p.put("at", dateTime());
        }
        switch (random.nextInt(5)) {
            case 0 -> { }
            case 1 -> {
                ArrayNode places = p.putArray("loc");
                places.addObject().put("lat", lat()).put("lon", lon());
                places.addObject().put("lat", lat()).put("lon", lon());
            }
            case 2 -> p.putObject("loc").put("lat", lat()); // half a point
            default -> p.putObject("loc").put("lat", lat()).put("lon", lon());
        }
        switch (random.nextInt(3)) {
            case 0 -> p.putArray("tags");
            case 1 -> p.putArray("tags").add("a").add(random.nextBoolean() ? "b" : "c");
            default -> { }
        }
        return JSON.convertValue(p, PAYLOAD);
    }

    private String city() {
        return CITIES[random.nextInt(CITIES.length)];
    }

    /** Latitudes and longitudes around the antimeridian in the Pacific, where boxes may cross it. */
    private double lat() {
        return Math.round(random.nextDouble(-20, 20) * 100) / 100.0;
    }

    private double lon() {
        double lon = random.nextDouble(160, 200);
        return Math.round((lon > 180 ? lon - 360 : lon) * 100) / 100.0;
    }

    /** A date-time in 2020, in one of the forms Qdrant reads (offsets, naive, a date alone, a space for the T). */
    private String dateTime() {
        int day = 1 + random.nextInt(28);
        int hour = random.nextInt(24);
        String date = String.format(java.util.Locale.ROOT, "2020-03-%02d", day);
        return switch (random.nextInt(5)) {
            case 0 -> date;
            case 1 -> String.format(java.util.Locale.ROOT, "%sT%02d:30:00Z", date, hour);
            case 2 -> String.format(java.util.Locale.ROOT, "%s %02d:30:00.250+02:00", date, hour);
            case 3 -> String.format(java.util.Locale.ROOT, "%sT%02d:30", date, hour);
            default -> String.format(java.util.Locale.ROOT, "%sT%02d:00:00-0530", date, hour);
        };
    }

    private Filter randomFilter(int depth) {
        Filter f = parse(randomFilterJson(depth));
        // keyword ranges have no JSON form (Qdrant has none): some trees get one added in Java
        return random.nextInt(4) > 0 ? f : Filter.should(f, Filter.keywordRange(random.nextBoolean() ? "city" : "year",
                city(), null, null, city()));
    }

    /** A random filter tree, as the JSON a client would send. */
    private String randomFilterJson(int depth) {
        if (depth < 2 && random.nextInt(3) > 0) {
            StringBuilder b = new StringBuilder("{");
            boolean first = true;
            for (String clause : new String[] {"must", "should", "must_not", "min_should"}) {
                if (clause.equals("min_should")) {
                    if (random.nextInt(4) == 0) {
                        b.append(first ? "" : ",").append("\"min_should\":{\"min_count\":").append(random.nextInt(3))
                                .append(",\"conditions\":[").append(randomCondition()).append(',')
                                .append(randomCondition()).append(',').append(randomCondition()).append("]}");
                        first = false;
                    }
                    continue;
                }
                int n = random.nextInt(clause.equals("must") ? 3 : 2);
                if (n == 0) {
                    continue;
                }
                b.append(first ? "" : ",").append('"').append(clause).append("\":[");
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(randomFilterJson(depth + 1));
                }
                b.append(']');
                first = false;
            }
            return b.append('}').toString();
        }
        return randomCondition();
    }

    private String randomCondition() {
        return switch (random.nextInt(24)) {
            case 23 -> "{\"key\":\"address.main\",\"match\":{\"value\":" + random.nextBoolean() + "}}";
            case 21 -> mismatched();
            case 22 -> mismatched();
            case 19 -> "{\"key\":\"city\",\"match\":{\"prefix\":\"" + city().substring(0, 1 + random.nextInt(3)) + "\"}}";
            case 20 -> "{\"key\":\"address.city\",\"match\":{\"text_any\":\"" + city().substring(1, 3) + " "
                    + city().substring(2) + "\"}}";
            case 16 -> "{\"key\":\"loc\",\"geo_radius\":{\"center\":{\"lat\":" + lat() + ",\"lon\":" + lon()
                    + "},\"radius\":" + random.nextInt(2_000_000) + "}}";
            case 17 -> "{\"key\":\"loc\",\"geo_bounding_box\":{\"top_left\":{\"lat\":" + (lat() + 10) + ",\"lon\":" + lon()
                    + "},\"bottom_right\":{\"lat\":" + (lat() - 10) + ",\"lon\":" + lon() + "}}}";
            case 18 -> {
                double lat = lat();
                double lon = lon();
                String corner = "{\"lat\":" + lat + ",\"lon\":" + lon + "}";
                yield "{\"key\":\"loc\",\"geo_polygon\":{\"exterior\":{\"points\":[" + corner + ",{\"lat\":" + (lat + 15)
                        + ",\"lon\":" + lon + "},{\"lat\":" + lat + ",\"lon\":" + Math.min(180, lon + 15) + "}," + corner + "]}}}";
            }
            case 11, 12 -> "{\"key\":\"at\",\"range\":{\"" + (random.nextBoolean() ? "gte" : "gt") + "\":\"" + dateTime()
                    + "\",\"lt\":\"" + (random.nextInt(8) == 0 ? "9999-12-31T00:00:00Z" : dateTime()) + "\"}}";
            case 13 -> "{\"key\":\"" + new String[] {"tags", "city", "year", "address", "ok"}[random.nextInt(5)]
                    + "\",\"values_count\":{\"" + (random.nextBoolean() ? "gte" : "lt") + "\":" + random.nextInt(3) + "}}";
            case 14 -> "{\"nested\":{\"key\":\"address\",\"filter\":{\"must\":[{\"key\":\"city\",\"match\":{\"value\":\""
                    + city() + "\"}},{\"key\":\"main\",\"match\":{\"value\":true}}]}}}";
            case 15 -> "{\"key\":\"address[].city\",\"match\":{\"value\":\"" + city() + "\"}}";
            case 0, 1 -> "{\"key\":\"city\",\"match\":{\"value\":\"" + city() + "\"}}";
            case 2 -> "{\"key\":\"city\",\"match\":{\"any\":[\"" + city() + "\",\"" + city() + "\"]}}";
            case 3 -> "{\"key\":\"address.city\",\"match\":{\"value\":\"" + city() + "\"}}";
            case 4 -> "{\"key\":\"year\",\"range\":{\"gte\":" + (1990 + random.nextInt(30)) + ",\"lt\":"
                    + (2000 + random.nextInt(30)) + ".5}}";
            case 5 -> "{\"key\":\"year\",\"match\":{\"value\":" + (1990 + random.nextInt(30)) + "}}";
            case 6 -> "{\"key\":\"price\",\"range\":{\"gt\":" + random.nextInt(100) + "}}";
            case 7 -> "{\"key\":\"ok\",\"match\":{\"value\":" + random.nextBoolean() + "}}";
            case 8 -> "{\"is_empty\":{\"key\":\"" + (random.nextBoolean() ? "tags" : "ok") + "\"}}";
            case 9 -> "{\"key\":\"city\",\"match\":{\"except\":[\"" + city() + "\"]}}";
            default -> "{\"has_id\":[" + random.nextInt(POINTS) + "," + random.nextInt(POINTS) + ",\"nope\"]}";
        };
    }

    /**
     * A condition of another type than the index on its field holds (the stored payloads decide
     * it: a number under the keyword index "city" matches a range).
     */
    private String mismatched() {
        return switch (random.nextInt(6)) {
            case 0 -> "{\"key\":\"city\",\"range\":{\"gt\":" + random.nextInt(3) + "}}";
            case 1 -> "{\"key\":\"year\",\"match\":{\"value\":\"1999\"}}";
            case 2 -> "{\"key\":\"ok\",\"match\":{\"any\":[1,2]}}";
            case 3 -> "{\"key\":\"at\",\"range\":{\"gte\":" + 1_600_000_000 + "}}";
            case 4 -> "{\"key\":\"loc\",\"match\":{\"value\":\"" + city() + "\"}}";
            default -> "{\"key\":\"price\",\"match\":{\"value\":true}}";
        };
    }

    private static Filter parse(String json) {
        try {
            return FilterParser.parse(JSON.readTree(json));
        } catch (Exception e) {
            throw new IllegalStateException(json, e);
        }
    }
}
