package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.FacetHit;
import dev.vdb.engine.Fusion;
import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.Mmr;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointGroup;
import dev.vdb.engine.PointId;
import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.ScrollPage;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.TextConfig;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.filter.DateTimes;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.filter.GeoPoint;
import dev.vdb.engine.formula.Formula;
import dev.vdb.engine.search.FormulaRescore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Qdrant's official JS client ({@code @qdrant/js-client-rest}, from npm) against a server process:
 * every everyday call of {@code src/test/node/qdrant-client-calls.mjs} must succeed (the one that
 * cannot apply, deleting a point's only vector, must fail with a 400 naming why), and each answer
 * must equal what the Java API computes on the same data, reopened after the server stopped:
 * exact searches, recommend's average vector, the Query API's fusions, scroll pages, counts,
 * retrieved payloads and the final state left by the payload and vector updates.
 */
class QdrantClientTest {
    private static final String KEY = "qdrant-client-key";
    private static final int N = 40;
    private static final String[] COLOURS = {"red", "green", "blue"};
    private static final String[] TEXTS = {"supersonic flow over a wedge", "laminar flow on a flat plate",
        "heat transfer in supersonic nozzles", "boundary layer transition"};

    @TempDir
    Path dir;

    private JsonNode report;

    @Test
    void everyEverydayCallOfTheOfficialClientWorks() throws Exception {
        Path node = NodeTools.require();
        List<Map<String, Object>> points = points();
        Path pointsFile = dir.resolve("points.json");
        Files.writeString(pointsFile, ApiClient.json(points));
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, dir.resolve("server.log"), List.of(),
                List.of("--api-key", KEY, "--threads", "4"))) {
            String url = server.uri().toString().replaceAll("/$", "");
            report = ApiClient.MAPPER.readTree(NodeTools.run(node, 120, "node", "qdrant-client-calls.mjs", url, KEY,
                    pointsFile.toAbsolutePath().toString(), data.toAbsolutePath().toString()));
            assertEquals(143, server.terminate());
        }
        List<String> failed = new ArrayList<>();
        report.properties().forEach(e -> {
            if (!e.getValue().get("ok").asBoolean() && !e.getKey().equals("deleteVectors")) {
                failed.add(e.getKey() + ": " + e.getValue());
            }
        });
        assertEquals(List.of(), failed, "calls that failed");
        assertEquals(400, report.at("/deleteVectors/status").asInt(), report.get("deleteVectors").toString());
        assertTrue(report.at("/deleteVectors/error").asText().contains("one unnamed vector"));

        try (VectorDb db = VectorDb.open(data)) {
            checkCollections(db);
            checkSnapshots(db);
            checkReads(db.collection("qc"));
            checkUpdates(db.collection("qc"));
            checkSearches(db.collection("qc"));
            checkConditions(db.collection("qc-when"));
            checkAliases(db);
        }
    }

    /** The alias pointed at qc-when, then switched to qc-named in one call; counts went through it. */
    private void checkAliases(VectorDb db) {
        assertTrue(result("updateCollectionAliases").asBoolean());
        assertEquals("[{\"alias_name\":\"qc-live\",\"collection_name\":\"qc-when\"}]",
                result("getAliases after create").get("aliases").toString());
        assertEquals(db.collection("qc-when").count(), result("count via alias").get("count").asLong());
        assertTrue(result("updateCollectionAliases switch").asBoolean());
        assertEquals(db.collection("qc-named").count(), result("count via switched alias").get("count").asLong());
        assertEquals(Map.of("qc-live", "qc-named"), db.aliases(), "kept by the server, read back after it stopped");
        assertEquals("qc-live", result("getCollectionAliases after switch").at("/aliases/0/alias_name").asText());
    }

    /** The client's datetime, values_count, nested and min_should filters count what the same filters built in Java do. */
    private void checkConditions(VectorCollection c) {
        assertEquals(Map.of("at", PayloadSchema.DATETIME, "place", PayloadSchema.GEO), c.payloadIndexes());
        List<GeoPoint> polygon = List.of(new GeoPoint(50, 6), new GeoPoint(52, 6), new GeoPoint(52, 8),
                new GeoPoint(50, 10.5), new GeoPoint(50, 6));
        Map<String, Filter> same = Map.of(
                "count geo_radius", Filter.geoRadius("place", new GeoPoint(50.5, 9), 60_000),
                "count geo_bounding_box", Filter.geoBoundingBox("place", new GeoPoint(51.05, 7), new GeoPoint(50.25, 10)),
                "count geo_polygon", Filter.geoPolygon("place", polygon, List.of()),
                "count datetime", Filter.datetimeRange("at", null, Instant.parse("2024-05-04T00:00:00Z"),
                        Instant.parse("2024-05-12T06:30:00Z"), null),
                "count values_count", Filter.valuesCount("tags", null, 2, null, null),
                "count nested", Filter.nested("diet", Filter.must(Filter.match("food", "meat"), Filter.match("likes", true))),
                "count min_should", Filter.minShould(2, Filter.valuesCount("tags", null, null, 2, null),
                        Filter.match("diet.likes", true),
                        Filter.datetimeRange("at", null, null, null, Instant.parse("2024-05-10T00:00:00Z"))));
        same.forEach((call, filter) -> {
            long expected = c.count(filter);
            assertTrue(expected > 0 && expected < 20, call + " selects some of the 20 points: " + expected);
            assertEquals(expected, result(call).get("count").asLong(), call);
        });
        ScrollPage latest = c.scroll(new ScrollRequest(null, 3, null, true, false,
                new ScrollRequest.OrderBy("at", true, (double) Instant.parse("2024-05-15T00:00:00Z").toEpochMilli() * 1_000)));
        assertEquals(ids(latest.points().stream().map(Point::id).toList()),
                idsOf(result("scroll order_by datetime").get("points")));
        for (JsonNode p : result("scroll order_by datetime").get("points")) { // a date-time's order_value: its microseconds
            String at = (String) c.get(PointId.of(p.get("id").asLong())).orElseThrow().payload().get("at");
            assertEquals(DateTimes.parseMicros(at), p.get("order_value").longValue(), p.toString());
        }
    }

    /** The scratch collection's snapshot, listed as created, recovered whole into qc-restored, then deleted. */
    private void checkSnapshots(VectorDb db) {
        JsonNode created = result("createSnapshot");
        assertEquals(created, result("listSnapshots").get(0));
        assertTrue(created.get("name").asText().startsWith("qc-scratch-"), created.toString());
        assertEquals(64, created.get("checksum").asText().length());
        assertTrue(result("recoverSnapshot").asBoolean());
        assertEquals(N, db.collection("qc-restored").count());
        assertTrue(result("deleteSnapshot").asBoolean());
        assertEquals(0, result("listSnapshots after delete").size());
        assertEquals(result("createFullSnapshot"), result("listFullSnapshots").get(0));
        assertTrue(result("deleteFullSnapshot").asBoolean());
        assertEquals(List.of(), db.snapshots().listFull());
    }

    private JsonNode result(String call) {
        return report.get(call).get("result");
    }

    private void checkCollections(VectorDb db) {
        assertTrue(result("versionInfo").get("title").asText().startsWith("vdb"));
        assertEquals(VdbServer.VERSION, result("versionInfo").get("version").asText());
        assertTrue(result("createCollection").asBoolean());
        Set<String> listed = new TreeSet<>();
        result("getCollections").get("collections").forEach(c -> listed.add(c.get("name").asText()));
        assertEquals(Set.of("qc", "qc-scratch"), listed);
        assertTrue(result("collectionExists").get("exists").asBoolean());
        assertFalse(result("collectionExists missing").get("exists").asBoolean());
        assertTrue(result("updateCollection").asBoolean());
        assertEquals("completed", result("deletePayloadIndex").get("status").asText());
        assertEquals(Map.of("rank", PayloadSchema.INTEGER), db.collection("qc").payloadIndexes(), "colour's index dropped");
        assertTrue(result("createCollection on disk").asBoolean());
        CollectionConfig onDisk = db.collection("qc-disk").config();
        assertEquals(new CollectionConfig(4, Distance.DOT, new HnswConfig(12, HnswConfig.DEFAULT_EF_CONSTRUCT),
                TextConfig.DEFAULT, new QuantizationConfig.Scalar(0.99f, true)), onDisk);
        JsonNode reported = result("getCollection on disk").at("/config/params/vectors");
        assertTrue(reported.get("on_disk").asBoolean(), reported.toString());
        VectorCollection named = db.collection("qc-named");
        assertEquals("dense", named.config().vectorName());
        assertEquals(10, named.count());
        VectorCollection batched = db.collection("qc-batch");
        assertEquals(3, result("batchUpdate").size(), result("batchUpdate").toString());
        assertEquals(2, batched.count(), "3 upserted, then 2 deleted");
        for (long id : new long[] {0, 1}) {
            assertEquals(true, batched.get(PointId.of(id)).orElseThrow().payload().get("reviewed"));
        }
        assertHits(named.search(exact(vector(3), 3).build()), result("query named").get("points"));
        assertTrue(result("query named").at("/points/0/vector/dense").isArray(), result("query named").toString());
        float[] stored = named.get(PointId.of(4)).orElseThrow().vector();
        JsonNode retrieved = result("retrieve named").at("/0/vector/dense");
        for (int d = 0; d < 4; d++) {
            assertEquals(stored[d], retrieved.get(d).floatValue(), 1e-6, retrieved.toString());
        }
        assertEquals(0, result("getAliases").get("aliases").size());
        assertEquals(0, result("getCollectionAliases").get("aliases").size());
        assertEquals("completed", result("upsert points").get("status").asText());
        assertEquals("completed", result("upsert batch").get("status").asText());
        JsonNode info = result("getCollection");
        VectorCollection c = db.collection("qc");
        assertEquals(c.count(), info.get("points_count").asLong());
        assertEquals("green", info.get("status").asText());
        assertEquals(4, info.at("/config/params/vectors/size").asInt());
        assertEquals("Cosine", info.at("/config/params/vectors/distance").asText());
        assertEquals(c.config().hnsw().m(), info.at("/config/hnsw_config/m").asInt());
        assertTrue(info.at("/config/hnsw_config/full_scan_threshold").isNumber());
        assertEquals("integer", info.at("/payload_schema/rank/data_type").asText());
        assertEquals(c.count(Filter.mustNot(Filter.isEmpty("rank"))), info.at("/payload_schema/rank/points").asLong());
        // the scratch collection: 3 deleted by id, then the red ones by filter, then dropped
        long redAfterIds = points().stream().filter(p -> (int) p.get("id") > 2)
                .filter(p -> ((Map<?, ?>) p.get("payload")).get("colour").equals("red")).count();
        assertEquals(N - 3 - redAfterIds, result("count scratch").get("count").asLong());
        assertTrue(result("deleteCollection").asBoolean());
        assertFalse(result("deleteCollection again").asBoolean(), "deleting a missing collection is not an error");
        assertFalse(result("collectionExists deleted").get("exists").asBoolean());
        assertFalse(db.collectionNames().contains("qc-scratch"));
    }

    private void checkReads(VectorCollection c) {
        JsonNode got = result("retrieve");
        List<Point> expected = c.get(List.of(PointId.of(1), PointId.of(4), PointId.of(8), PointId.of(999)));
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            Point p = expected.get(i);
            assertEquals(((PointId.Num) p.id()).id(), got.get(i).get("id").asLong());
            Map<String, Object> selected = new LinkedHashMap<>(p.payload());
            selected.keySet().retainAll(Set.of("rank", "reviewed"));
            assertEquals(ApiClient.MAPPER.valueToTree(selected), got.get(i).get("payload"));
            assertArrayEquals(p.vector(), floats(got.get(i).get("vector")));
        }
        for (JsonNode p : result("retrieve exclude")) {
            assertFalse(p.get("payload").has("colour"), p.toString());
            assertTrue(p.get("payload").has("rank"), p.toString());
        }
        Filter redOrGreen = Filter.matchAny("colour", "red", "green");
        ScrollPage page = c.scroll(new ScrollRequest(redOrGreen, 5, PointId.of(3), true, false, null));
        assertEquals(ids(page.points().stream().map(Point::id).toList()), idsOf(result("scroll").get("points")));
        assertEquals(((PointId.Num) page.nextOffset()).id(), result("scroll").get("next_page_offset").asLong());
        ScrollPage ordered = c.scroll(new ScrollRequest(null, 4, null, true, false,
                new ScrollRequest.OrderBy("rank", true, null)));
        assertEquals(ids(ordered.points().stream().map(Point::id).toList()),
                idsOf(result("scroll order_by").get("points")));
        for (JsonNode p : result("scroll order_by").get("points")) { // Qdrant's order_value: the rank it was ordered by
            assertEquals(payload(c, p.get("id").asLong()).get("rank"), p.get("order_value").intValue(), p.toString());
            assertTrue(p.get("order_value").isIntegralNumber(), p.toString());
        }
        ScrollPage greenByRank = c.scroll(new ScrollRequest(Filter.match("colour", "green"), 5, null, true, false,
                new ScrollRequest.OrderBy("rank", true, null)));
        assertEquals(ids(greenByRank.points().stream().map(Point::id).toList()),
                idsOf(result("query order_by").get("points")), "the Query API's order_by is scroll's");
        assertEquals(c.count(Filter.match("colour", "red")), result("count").get("count").asLong());
    }

    private void checkUpdates(VectorCollection c) {
        for (long id : new long[] {1, 2, 3}) {
            assertEquals(true, payload(c, id).get("reviewed"), "set payload on " + id);
        }
        for (long id : new long[] {4, 14, 24, 34}) {
            assertEquals(Map.of("colour", "blue", "rank", 100), payload(c, id), "overwritten payload of " + id);
        }
        assertFalse(payload(c, 5).containsKey("colour"));
        assertFalse(payload(c, 6).containsKey("colour"));
        assertTrue(payload(c, 5).containsKey("rank"));
        assertTrue(payload(c, 7).isEmpty(), "cleared payload");
        assertArrayEquals(new float[] {0.5f, -0.5f, 0.25f, 1f}, c.get(PointId.of(8)).orElseThrow().vector());
    }

    private void checkSearches(VectorCollection c) throws Exception {
        assertHits(c.search(exact(vector(10), 5).scoreThreshold(0.5f).build()), result("search"));
        assertHits(c.search(exact(vector(11), 3).build()), result("searchBatch").get(0));
        assertHits(c.search(exact(vector(12), 4).filter(Filter.match("colour", "green")).build()),
                result("searchBatch").get(1));
        assertHits(recommend(c, List.of(vector(10), vector(11)), List.of(vector(12)), Set.of(10L, 11L, 12L), 5),
                result("recommend"));
        assertHits(recommend(c, List.of(vector(13)), List.of(), Set.of(13L), 3), result("recommendBatch").get(0));
        assertHits(recommend(c, List.of(vector(14)), List.of(vector(15)), Set.of(15L), 3),
                result("recommendBatch").get(1));
        assertHits(c.search(exact(vector(16), 5).build()), result("query vector").get("points"));
        assertHits(c.search(exact(vector(17), 5).filter(Filter.mustNot(Filter.hasId(PointId.of(17)))).build()),
                result("query id").get("points"));
        assertHits(c.search(SearchRequest.builder().vector(vector(18)).text("supersonic flow").limit(5)
                .fusion(Fusion.rrf(Fusion.DEFAULT_RRF_K)).build()), result("query rrf").get("points"));
        assertEquals(dbsf(c.search(exact(vector(19), 10).build()), c.search(exact(vector(20), 10).build()), 5),
                idsOf(result("query dbsf").get("points")));
        assertHits(c.searchMmr(exact(vector(26), 5).build(), new Mmr(0.6f, 20)), result("query mmr").get("points"));
        Formula boost = Formula.fromJson(ApiClient.MAPPER.readTree("{\"sum\":[\"$score\",{\"mult\":[0.25,"
                + "{\"key\":\"colour\",\"match\":{\"value\":\"red\"}}]},{\"mult\":[-0.001,{\"abs\":\"rank\"}]}]}"),
                ApiClient.MAPPER.readTree("{\"rank\":0}"));
        assertHits(FormulaRescore.rescore(c, List.of(c.search(exact(vector(27), 20).build())), boost, 5, null, false, false),
                result("query formula").get("points"));
        assertHits(c.search(exact(vector(21), 3).build()), result("queryBatch").get(0).get("points"));
        assertHits(recommend(c, List.of(vector(22)), List.of(vector(23)), Set.of(22L, 23L), 3),
                result("queryBatch").get(1).get("points"));
        List<FacetHit> facet = c.facet("rank", Filter.mustNot(Filter.match("colour", "red")), 4);
        assertEquals(4, facet.size());
        for (int i = 0; i < facet.size(); i++) {
            assertEquals((long) facet.get(i).value(), result("facet").at("/hits/" + i + "/value").asLong());
            assertEquals(facet.get(i).count(), result("facet").at("/hits/" + i + "/count").asLong());
        }
        assertGroups(c.searchGroups(exact(vector(24), 3).build(), "colour", 2), result("searchPointGroups"));
        assertGroups(c.searchGroups(exact(vector(25), 4).build(), "rank", 3), result("queryGroups"));
        JsonNode payload = result("queryGroups").at("/groups/0/hits/0/payload");
        assertTrue(payload.size() == 1 && payload.has("rank"), "with_payload [\"rank\"]: " + payload);
        assertTrue(result("searchPointGroups").at("/groups/0/hits/0/payload").isMissingNode(),
                "no payload unless asked (the client sends with_payload null)");
    }

    /** The same groups (ids, in order) holding the same hits (ids and scores, in order). */
    private static void assertGroups(List<PointGroup> expected, JsonNode answer) {
        JsonNode groups = answer.get("groups");
        assertEquals(expected.size(), groups.size(), answer.toString());
        for (int i = 0; i < expected.size(); i++) {
            PointGroup group = expected.get(i);
            JsonNode id = groups.get(i).get("id");
            assertEquals(group.id().toString(), id.asText(), answer.toString());
            assertEquals(group.id() instanceof Long, id.isIntegralNumber(), "integer ids stay numbers: " + answer);
            assertHits(group.hits(), groups.get(i).get("hits"));
        }
    }

    /** The average-vector strategy by hand: 2·avg(positive) − avg(negative), examples left out. */
    private static List<ScoredPoint> recommend(VectorCollection c, List<float[]> positive, List<float[]> negative,
                                               Set<Long> exclude, int limit) {
        float[] q = new float[4];
        for (int d = 0; d < 4; d++) {
            double pos = 0;
            for (float[] v : positive) {
                pos += v[d] / positive.size();
            }
            double neg = 0;
            for (float[] v : negative) {
                neg += v[d] / negative.size();
            }
            q[d] = (float) (negative.isEmpty() ? pos : 2 * pos - neg);
        }
        return c.search(exact(q, limit).filter(Filter.mustNot(Filter.hasId(exclude.stream().map(PointId::of).toList())))
                .build());
    }

    /** Distribution-based score fusion by hand: each list normalised over mean ± 3σ, scores summed. */
    private static List<Long> dbsf(List<ScoredPoint> a, List<ScoredPoint> b, int limit) {
        Map<Long, Double> sum = new HashMap<>();
        for (List<ScoredPoint> list : List.of(a, b)) {
            double mean = list.stream().mapToDouble(ScoredPoint::score).average().orElse(0);
            double sd = Math.sqrt(list.stream().mapToDouble(h -> (h.score() - mean) * (h.score() - mean)).sum()
                    / list.size());
            for (ScoredPoint h : list) {
                double norm = Math.max(0, Math.min(1, (h.score() - (mean - 3 * sd)) / (6 * sd)));
                sum.merge(((PointId.Num) h.id()).id(), norm, Double::sum);
            }
        }
        return sum.entrySet().stream().sorted(Map.Entry.<Long, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(limit).map(Map.Entry::getKey).toList();
    }

    private static SearchRequest.Builder exact(float[] v, int limit) {
        return SearchRequest.builder().vector(v).limit(limit).params(SearchParams.EXACT);
    }

    private static void assertHits(List<ScoredPoint> expected, JsonNode got) {
        assertEquals(ids(expected.stream().map(ScoredPoint::id).toList()), idsOf(got), got.toString());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).score(), got.get(i).get("score").floatValue(), 1e-5, got.toString());
        }
    }

    private static Map<String, Object> payload(VectorCollection c, long id) {
        return c.get(PointId.of(id)).orElseThrow().payload();
    }

    private static List<Long> ids(List<PointId> ids) {
        return ids.stream().map(id -> ((PointId.Num) id).id()).toList();
    }

    private static List<Long> idsOf(JsonNode points) {
        List<Long> ids = new ArrayList<>();
        points.forEach(p -> ids.add(p.get("id").asLong()));
        return ids;
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).floatValue();
        }
        return v;
    }

    private static float[] vector(long id) {
        SplittableRandom r = new SplittableRandom(1000 + id);
        float[] v = new float[4];
        for (int d = 0; d < 4; d++) {
            v[d] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** The points the script writes: the first half with texts (points form), the rest without (batch form). */
    private static List<Map<String, Object>> points() {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", i);
            p.put("vector", vector(i));
            p.put("payload", Map.of("rank", i % 10, "colour", COLOURS[i % 3]));
            if (i < N / 2) {
                p.put("text", TEXTS[i % TEXTS.length]);
            }
            points.add(p);
        }
        return points;
    }
}
