package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.FacetHit;
import dev.vdb.engine.Mmr;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.PointGroup;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.filter.Filter;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route and every documented error status of the HTTP contract, with a real
 * {@link java.net.http.HttpClient} against an in-process server on an ephemeral port. Results
 * are checked against oracles: the points as written, brute-force search computed here.
 */
class HttpApiTest {
    private static final String KEY = "s3cret-key";
    private static final long MAX_BODY = 1 << 20;

    @TempDir
    static Path dir;
    private static VectorDb db;
    private static VdbServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() throws IOException {
        db = VectorDb.open(dir.resolve("db"));
        server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, KEY, MAX_BODY, 2));
        api = new ApiClient(URI.create("http://127.0.0.1:" + server.address().getPort() + "/"), KEY);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            assertTrue(server.stop(VdbServer.DEFAULT_GRACE), "no request left running");
        }
        if (db != null) {
            db.close();
        }
    }

    /** A documented snapshot route called on real snapshots; a deleted one is made for the purpose. */
    private static ApiClient.Reply snapshotCall(String template, String method, String concrete) throws Exception {
        Path file = db.snapshots().file("documented", db.snapshots().list("documented").get(0).name());
        return switch (template + " " + method) {
            case "/collections/{name}/snapshots/{snapshot} DELETE" ->
                    api.send("DELETE", "collections/documented/snapshots/" + db.snapshots().create("documented").name(), null);
            case "/snapshots/{snapshot} DELETE" -> api.send("DELETE", "snapshots/" + db.snapshots().createFull().name(), null);
            // recovered into another collection: "documented" keeps what the other calls did to it
            case "/collections/{name}/snapshots/recover PUT" -> api.send("PUT", concrete.replace("documented", "documented-copy"),
                    "{\"location\":" + ApiClient.json(file.toUri().toString()) + "}");
            case "/collections/{name}/snapshots/upload POST" -> api.send("POST", concrete.replace("documented", "documented-copy"),
                    java.nio.file.Files.readAllBytes(file), "application/octet-stream", KEY);
            default -> api.send(method, concrete, null);
        };
    }

    private static ApiClient.Reply ok(ApiClient.Reply r) {
        assertEquals(200, r.status(), r.body());
        assertEquals("ok", r.json().get("status").asText(), r.body());
        assertTrue(r.json().get("time").isNumber(), r.body());
        return r;
    }

    /** Upserts points 0..n-1, point i as {@code point.apply(i)} ({@code id}, {@code vector}, {@code payload}). */
    private static void upsert(String collection, int n, IntFunction<Map<String, Object>> point) throws Exception {
        List<Map<String, Object>> points = IntStream.range(0, n).mapToObj(point).toList();
        ok(api.send("PUT", "collections/" + collection + "/points", ApiClient.json(Map.of("points", points))));
    }

    private static void createCollection(String name, int size, String distance) throws Exception {
        ok(api.send("PUT", "collections/" + name,
                ApiClient.json(Map.of("vectors", Map.of("size", size, "distance", distance)))));
    }

    @Test
    void collectionLifecycle() throws Exception {
        String body = "{\"vectors\":{\"size\":4,\"distance\":\"Dot\"},\"hnsw_config\":{\"m\":8,\"ef_construct\":50},"
                + "\"text\":{\"analyzer\":\"standard\"}}";
        assertTrue(ok(api.send("PUT", "collections/life", body)).result().asBoolean());
        assertTrue(ok(api.send("PUT", "collections/life", body)).result().asBoolean(), "same config again is 200");

        ApiClient.Reply conflict = api.send("PUT", "collections/life", body.replace("\"size\":4", "\"size\":5"));
        assertEquals(409, conflict.status(), conflict.body());
        assertNotNull(conflict.error());

        List<String> names = new ArrayList<>();
        ok(api.send("GET", "collections", null)).result().get("collections").forEach(c -> names.add(c.get("name").asText()));
        assertTrue(names.contains("life"), names.toString());

        JsonNode info = ok(api.send("GET", "collections/life", null)).result();
        assertEquals("life", info.get("name").asText());
        assertEquals(4, info.at("/config/vectors/size").asInt());
        assertEquals("Dot", info.at("/config/vectors/distance").asText());
        assertEquals(8, info.at("/config/hnsw_config/m").asInt());
        assertEquals(50, info.at("/config/hnsw_config/ef_construct").asInt());
        assertEquals("standard", info.at("/config/text/analyzer").asText());
        assertEquals(0, info.get("points_count").asLong());
        assertEquals("green", info.get("status").asText());

        ok(api.send("PUT", "collections/life/points", TestPoints.upsertBody(0, 5, 4)));
        assertEquals(5, ok(api.send("GET", "collections/life", null)).result().get("points_count").asLong());

        assertTrue(ok(api.send("DELETE", "collections/life", null)).result().asBoolean());
        assertEquals(404, api.send("GET", "collections/life", null).status());
        assertFalse(ok(api.send("DELETE", "collections/life", null)).result().asBoolean(),
                "deleting a missing collection answers false, as Qdrant does");
        ok(api.send("PUT", "collections/life", body));
        assertEquals(0, ok(api.send("GET", "collections/life", null)).result().get("points_count").asLong(),
                "a dropped collection's points are gone");
    }

    /**
     * A create may repeat the settings a collection's info reports (Qdrant's defaults, where vdb
     * behaves as they do): the body a Qdrant user builds from one collection's info creates an
     * equal collection, {@code vectors.hnsw_config} overrides {@code hnsw_config} field by field,
     * and any other value of those settings is a 400 naming the field that creates nothing.
     */
    @Test
    void aCreateBodyBuiltFromACollectionsInfoCreatesItsTwin() throws Exception {
        String body = "{\"vectors\":{\"size\":6,\"distance\":\"Euclid\",\"on_disk\":true,\"datatype\":\"float32\","
                + "\"hnsw_config\":{\"ef_construct\":40}},\"hnsw_config\":{\"m\":10,\"payload_m\":10,\"ef_construct\":300,\"on_disk\":false,"
                + "\"max_indexing_threads\":null},\"quantization_config\":{\"scalar\":{\"type\":\"int8\",\"quantile\":0.95}},"
                + "\"on_disk_payload\":true,\"write_consistency_factor\":1}";
        assertTrue(ok(api.send("PUT", "collections/twin-a", body)).result().asBoolean());
        JsonNode a = ok(api.send("GET", "collections/twin-a", null)).result().get("config");
        assertEquals(10, a.at("/hnsw_config/m").asInt(), a.toString());
        assertEquals(40, a.at("/hnsw_config/ef_construct").asInt(), "the vector's own hnsw_config wins: " + a);
        assertEquals(10, a.at("/hnsw_config/payload_m").asInt(), "tenant graphs are built with m: " + a);
        assertTrue(a.at("/params/vectors/on_disk").asBoolean(), a.toString());
        assertEquals(0.95, a.at("/quantization_config/scalar/quantile").asDouble(), 1e-6, a.toString());

        ObjectNode copy = ApiClient.MAPPER.createObjectNode();
        copy.setAll((ObjectNode) a.get("params"));
        for (String section : List.of("hnsw_config", "quantization_config", "text")) {
            copy.set(section, a.get(section));
        }
        assertTrue(ok(api.send("PUT", "collections/twin-b", copy.toString())).result().asBoolean(), copy.toString());
        assertEquals(a, ok(api.send("GET", "collections/twin-b", null)).result().get("config"));
        assertTrue(ok(api.send("PATCH", "collections/twin-b", ApiClient.json(Map.of("hnsw_config", a.get("hnsw_config")))))
                .result().asBoolean());

        String plain = "\"vectors\":{\"size\":6,\"distance\":\"Euclid\"}";
        String[][] refused = {
            {"vectors.on_disk: true needs quantization_config", "{\"vectors\":{\"size\":6,\"distance\":\"Euclid\",\"on_disk\":true}}"},
            {"vectors.on_disk must be true or null with quantization_config", "{\"vectors\":{\"size\":6,\"distance\":\"Euclid\","
                    + "\"on_disk\":false},\"quantization_config\":{\"binary\":{}}}"},
            {"vectors.datatype must be 'float32' or null", "{\"vectors\":{\"size\":6,\"distance\":\"Euclid\",\"datatype\":\"uint8\"}}"},
            {"hnsw_config.on_disk must be false or null", "{" + plain + ",\"hnsw_config\":{\"on_disk\":true}}"},
            {"vectors.hnsw_config.full_scan_threshold must be 10000", "{\"vectors\":{\"size\":6,\"distance\":\"Euclid\","
                    + "\"hnsw_config\":{\"full_scan_threshold\":20000}}}"},
            {"hnsw_config.max_indexing_threads must be 0", "{" + plain + ",\"hnsw_config\":{\"max_indexing_threads\":4}}"},
            {"on_disk_payload must be true or null", "{" + plain + ",\"on_disk_payload\":false}"},
            {"write_consistency_factor must be 2 or null", "{" + plain + ",\"replication_factor\":3,\"write_consistency_factor\":1}"},
            {"hnsw_config.m must be in 2..512, got 0: vdb always builds", "{" + plain + ",\"hnsw_config\":{\"m\":0,\"payload_m\":16}}"},
            {"hnsw_config.payload_m must be 12 (the collection's m)", "{" + plain + ",\"hnsw_config\":{\"m\":12,\"payload_m\":16}}"},
            {"vectors: unknown field 'multivector_config'", "{\"vectors\":{\"size\":6,\"distance\":\"Euclid\",\"multivector_config\":{}}}"},
        };
        for (String[] r : refused) {
            expect(400, r[0], "PUT", "collections/twin-c", r[1]);
        }
        assertEquals(404, api.send("GET", "collections/twin-c", null).status());
        expect(400, "hnsw_config.on_disk must be false or null", "PATCH", "collections/twin-b",
                "{\"hnsw_config\":{\"on_disk\":true}}");
    }

    /**
     * Qdrant's grouped searches over HTTP: the answer's shape (string and integer group ids), the
     * same groups as the embedded API's exact grouped search, and bad requests that name their field.
     */
    @Test
    void groupedSearchesAnswerInQdrantsShape() throws Exception {
        createCollection("grouped", 4, "Dot");
        upsert("grouped", 60, i -> Map.of("id", i, "vector", List.of(1f + i % 7, i % 5, -i % 3, 0.5f),
                "payload", Map.of("doc", "d" + i % 9, "page", i % 4)));
        String search = "collections/grouped/points/search/groups";
        JsonNode byDoc = ok(api.send("POST", search, "{\"vector\":[1,2,0,1],\"group_by\":\"doc\",\"group_size\":2,"
                + "\"limit\":3,\"with_payload\":true,\"params\":{\"exact\":true}}")).result();
        List<PointGroup> expected = db.collection("grouped").searchGroups(SearchRequest.builder()
                .vector(new float[] {1, 2, 0, 1}).limit(3).params(SearchParams.EXACT).build(), "doc", 2);
        assertEquals(3, byDoc.get("groups").size(), byDoc.toString());
        for (int i = 0; i < 3; i++) {
            JsonNode group = byDoc.get("groups").get(i);
            assertEquals(expected.get(i).id(), group.get("id").asText(), byDoc.toString());
            assertEquals(expected.get(i).hits().stream().map(h -> ((PointId.Num) h.id()).id()).toList(),
                    StreamSupport.stream(group.get("hits").spliterator(), false).map(h -> h.get("id").asLong()).toList());
            assertEquals(group.get("id").asText(), group.at("/hits/0/payload/doc").asText());
        }
        JsonNode byPage = ok(api.send("POST", "collections/grouped/points/query/groups",
                "{\"query\":[1,2,0,1],\"group_by\":\"page\",\"limit\":4}")).result();
        assertEquals(4, byPage.get("groups").size(), byPage.toString());
        assertTrue(byPage.at("/groups/0/id").isIntegralNumber(), "an integer field's groups keep integer ids: " + byPage);
        assertEquals(3, byPage.at("/groups/0/hits").size(), "group_size defaults to 3");

        // the Query API's order_by over a prefetch: the 6 nearest, in the order of page, then id
        ok(api.send("PUT", "collections/grouped/index", "{\"field_name\":\"page\",\"field_schema\":\"integer\"}"));
        JsonNode ordered = ok(api.send("POST", "collections/grouped/points/query", "{\"prefetch\":{\"query\":[1,2,0,1],"
                + "\"limit\":6,\"params\":{\"exact\":true}},\"query\":{\"order_by\":{\"key\":\"page\",\"direction\":\"desc\"}},"
                + "\"limit\":6,\"with_payload\":true}")).result();
        List<ScoredPoint> nearest = db.collection("grouped").search(SearchRequest.builder().vector(new float[] {1, 2, 0, 1})
                .limit(6).params(SearchParams.EXACT).build());
        List<Long> pages = StreamSupport.stream(ordered.get("points").spliterator(), false)
                .map(p -> p.at("/payload/page").asLong()).toList();
        assertEquals(nearest.stream().map(h -> ((Number) h.payload().get("page")).longValue()).sorted(Comparator.reverseOrder())
                .toList(), pages, "the prefetched points by page, descending: " + ordered);
        assertEquals(nearest.stream().map(h -> ((PointId.Num) h.id()).id()).sorted().toList(),
                StreamSupport.stream(ordered.get("points").spliterator(), false).map(p -> p.get("id").asLong()).sorted().toList());

        expect(400, "group_by is missing", "POST", search, "{\"vector\":[1,2,0,1]}");
        expect(400, "offset does not apply to a grouped search", "POST", search,
                "{\"vector\":[1,2,0,1],\"group_by\":\"doc\",\"offset\":2}");
        expect(400, "with_lookup is not supported", "POST", search,
                "{\"vector\":[1,2,0,1],\"group_by\":\"doc\",\"with_lookup\":\"docs\"}");
        expect(400, "their product at most 10000", "POST", "collections/grouped/points/query/groups",
                "{\"query\":[1,2,0,1],\"group_by\":\"doc\",\"limit\":200,\"group_size\":51}");
        expect(400, "unknown field 'group_by'", "POST", "collections/grouped/points/search",
                "{\"vector\":[1,2,0,1],\"group_by\":\"doc\"}");
    }

    /**
     * Qdrant's facet over HTTP: the engine's counts in Qdrant's shape, refusals that name the
     * field, and a facet on an index dropped with {@code DELETE /index/{field_name}}.
     */
    @Test
    void facetAnswersInQdrantsShape() throws Exception {
        createCollection("faceted", 2, "Euclid");
        upsert("faceted", 40, i -> Map.of("id", i, "vector", List.of(i, 1), "payload", Map.of("kind", "k" + i % 3, "on", i % 4 == 0)));
        ok(api.send("PUT", "collections/faceted/index", "{\"field_name\":\"kind\",\"field_schema\":\"keyword\"}"));
        ok(api.send("PUT", "collections/faceted/index", "{\"field_name\":\"on\",\"field_schema\":\"bool\"}"));
        JsonNode kinds = ok(api.send("POST", "collections/faceted/facet",
                "{\"key\":\"kind\",\"filter\":{\"must\":[{\"key\":\"on\",\"match\":{\"value\":false}}]},\"limit\":2}"))
                .result();
        List<FacetHit> expected = db.collection("faceted").facet("kind", Filter.match("on", false), 2);
        assertEquals(2, kinds.get("hits").size(), kinds.toString());
        for (int i = 0; i < 2; i++) {
            assertEquals(expected.get(i).value(), kinds.at("/hits/" + i + "/value").asText());
            assertEquals(expected.get(i).count(), kinds.at("/hits/" + i + "/count").asLong());
        }
        JsonNode flags = ok(api.send("POST", "collections/faceted/facet", "{\"key\":\"on\",\"exact\":false}")).result();
        assertEquals("[{\"value\":false,\"count\":30},{\"value\":true,\"count\":10}]", flags.get("hits").toString());
        assertEquals("completed", ok(api.send("DELETE", "collections/faceted/index/on", null)).result().get("status").asText());
        assertEquals(Map.of("kind", PayloadSchema.KEYWORD), db.collection("faceted").payloadIndexes());
        expect(400, "facet needs a keyword, integer or bool payload index on 'on'", "POST", "collections/faceted/facet",
                "{\"key\":\"on\"}");
        expect(400, "key is missing", "POST", "collections/faceted/facet", "{}");
        expect(400, "facet needs a keyword, integer or bool payload index on 'colour'", "POST",
                "collections/faceted/facet", "{\"key\":\"colour\"}");
        expect(400, "unknown field 'lookup'", "POST", "collections/faceted/facet", "{\"key\":\"kind\",\"lookup\":1}");
    }

    /**
     * One named vector, as Qdrant's named-vector clients (its MCP server, hybrid apps with a
     * "dense" vector) create and use it: the name in the info, every named input form accepted and
     * the plain ones too, named output, and requests naming another vector refused with the name.
     */
    @Test
    void aCollectionsOneVectorMayHaveAName() throws Exception {
        assertTrue(ok(api.send("PUT", "collections/named",
                "{\"vectors\":{\"dense\":{\"size\":3,\"distance\":\"Dot\",\"on_disk\":false}}}")).result().asBoolean());
        JsonNode info = ok(api.send("GET", "collections/named", null)).result();
        assertEquals(3, info.at("/config/params/vectors/dense/size").asInt(), info.toString());
        assertEquals(3, info.at("/config/vectors/size").asInt(), "the contract's unnamed view: " + info);
        assertEquals("dense", db.collection("named").config().vectorName());

        ok(api.send("PUT", "collections/named/points", "{\"points\":[{\"id\":1,\"vector\":{\"dense\":[1,0,0]}},"
                + "{\"id\":2,\"vector\":[0,1,0]}]}"));
        ok(api.send("PUT", "collections/named/points", "{\"batch\":{\"ids\":[3,4],\"vectors\":{\"dense\":[[0,0,1],[1,1,0]]}}}"));
        ok(api.send("PUT", "collections/named/points/vectors", "{\"points\":[{\"id\":2,\"vector\":{\"dense\":[0,2,0]}}]}"));
        assertEquals(4, db.collection("named").count());
        assertArrayEquals(new float[] {0, 2, 0}, db.collection("named").get(PointId.of(2)).orElseThrow().vector());

        JsonNode hits = ok(api.send("POST", "collections/named/points/search",
                "{\"vector\":{\"name\":\"dense\",\"vector\":[1,0.5,0]},\"limit\":2,\"with_vector\":[\"dense\"]}")).result();
        assertEquals(List.of(4L, 1L), List.of(hits.get(0).get("id").asLong(), hits.get(1).get("id").asLong()), hits.toString());
        assertEquals("[1.0,1.0,0.0]", hits.get(0).at("/vector/dense").toString(), "named output: " + hits);
        JsonNode query = ok(api.send("POST", "collections/named/points/query",
                "{\"query\":[0,0,1],\"using\":\"dense\",\"limit\":1}")).result();
        assertEquals(3, query.at("/points/0/id").asLong(), query.toString());
        JsonNode retrieved = ok(api.send("POST", "collections/named/points", "{\"ids\":[1],\"with_vector\":true}")).result();
        assertEquals("[1.0,0.0,0.0]", retrieved.at("/0/vector/dense").toString(), retrieved.toString());
        JsonNode scrolled = ok(api.send("POST", "collections/named/points/scroll", "{\"limit\":1,\"with_vector\":true}")).result();
        assertTrue(scrolled.at("/points/0/vector/dense").isArray(), scrolled.toString());
        ok(api.send("POST", "collections/named/points/recommend", "{\"positive\":[1],\"using\":\"dense\",\"limit\":1}"));

        String names = "names vector 'sparse', but points here have one vector, named 'dense'";
        expect(400, "points[0].vector " + names, "PUT", "collections/named/points",
                "{\"points\":[{\"id\":9,\"vector\":{\"sparse\":[1,0,0]}}]}");
        expect(400, "vector.name " + names, "POST", "collections/named/points/search",
                "{\"vector\":{\"name\":\"sparse\",\"vector\":[1,0,0]}}");
        expect(400, "using names vector 'sparse': points here have one vector, named 'dense'", "POST",
                "collections/named/points/query", "{\"query\":[1,0,0],\"using\":\"sparse\"}");
        expect(400, "with_vector " + names, "POST", "collections/named/points", "{\"ids\":[1],\"with_vector\":[\"sparse\"]}");
        expect(400, "batch.vectors " + names, "PUT", "collections/named/points",
                "{\"batch\":{\"ids\":[9],\"vectors\":{\"sparse\":[[1,0,0]]}}}");
        createCollection("unnamed", 4, "Cosine");
        expect(400, "names vector 'dense', but points here have one unnamed vector", "POST", "collections/unnamed/points/search",
                "{\"vector\":{\"name\":\"dense\",\"vector\":[1,0,0,0]}}");
        expect(400, "vectors names 2 vectors [dense, image]: vdb keeps one vector per point", "PUT", "collections/two",
                "{\"vectors\":{\"dense\":{\"size\":3,\"distance\":\"Dot\"},\"image\":{\"size\":2,\"distance\":\"Dot\"}}}");
        expect(400, "sparse_vectors is not supported", "PUT", "collections/two",
                "{\"vectors\":{\"dense\":{\"size\":3,\"distance\":\"Dot\"}},\"sparse_vectors\":{\"bm25\":{}}}");
        expect(400, "sparse_vectors is not supported", "PUT", "collections/two",
                "{\"vectors\":{\"size\":3,\"distance\":\"Dot\"},\"sparse_vectors\":[1]}");
        expect(400, "not be \"text\"", "PUT", "collections/two", "{\"vectors\":{\"text\":{\"size\":3,\"distance\":\"Dot\"}}}");
        expect(400, "vectors.dense.distance is missing", "PUT", "collections/two", "{\"vectors\":{\"dense\":{\"size\":3}}}");
        assertEquals(404, api.send("GET", "collections/two", null).status());
        expect(409, "", "PUT", "collections/named", "{\"vectors\":{\"size\":3,\"distance\":\"Dot\"}}");
    }

    /**
     * Qdrant's batch update: the operations run in order with their routes' bodies, one
     * UpdateResult each; a malformed operation anywhere changes nothing and is named.
     */
    @Test
    void qdrantsOtherConditionsAndTheDatetimeAndGeoIndexes() throws Exception {
        createCollection("conditions", 2, "Euclid");
        ok(api.send("PUT", "collections/conditions/index", "{\"field_name\":\"at\",\"field_schema\":\"datetime\"}"));
        ok(api.send("PUT", "collections/conditions/index",
                "{\"field_name\":\"when\",\"field_schema\":{\"type\":\"datetime\"}}"));
        ok(api.send("PUT", "collections/conditions/points?wait=true", """
                {"points":[
                 {"id":1,"vector":[0,0],"payload":{"at":"2024-05-01T10:00:00Z","tags":["a","b"],
                   "diet":[{"food":"leaves","likes":false},{"food":"meat","likes":true}]}},
                 {"id":2,"vector":[1,0],"payload":{"at":"2024-05-01 12:30:00+02:00","tags":["a"],
                   "diet":[{"food":"leaves","likes":true},{"food":"meat","likes":false}]}},
                 {"id":3,"vector":[2,0],"payload":{"at":"2024-05-02","tags":[]}},
                 {"id":4,"vector":[3,0],"payload":{"at":"not a date","tags":"c"}}]}"""));
        ok(api.send("PUT", "collections/conditions/index", "{\"field_name\":\"doc\",\"field_schema\":\"uuid\"}"));
        ok(api.send("POST", "collections/conditions/points/payload?wait=true",
                "{\"points\":[3],\"payload\":{\"doc\":\"550e8400-e29b-41d4-a716-446655440000\"}}"));
        assertEquals(List.of(3L), scrollIds("conditions",
                "{\"key\":\"doc\",\"match\":{\"value\":\"550e8400-e29b-41d4-a716-446655440000\"}}"));
        JsonNode info = ok(api.send("GET", "collections/conditions", null)).result();
        assertEquals("datetime", info.at("/payload_schema/at/data_type").asText(), info.toString());
        assertEquals("uuid", info.at("/payload_schema/doc/data_type").asText(), info.toString());
        // 12:30 at +02:00 is 10:30 UTC: points 1 and 2 lie in [10:00, 10:30] UTC, 3 after
        assertEquals(List.of(1L, 2L), scrollIds("conditions",
                "{\"key\":\"at\",\"range\":{\"gte\":\"2024-05-01T10:00:00Z\",\"lte\":\"2024-05-01T12:30:00+02:00\"}}"));
        assertEquals(List.of(2L, 3L), scrollIds("conditions", "{\"key\":\"at\",\"range\":{\"gt\":\"2024-05-01T10:00:00\"}}"));
        assertEquals(List.of(1L), scrollIds("conditions", "{\"key\":\"tags\",\"values_count\":{\"gte\":2}}"));
        // tags count 2, 1, 0 (an empty array) and 1 (a string alone)
        assertEquals(List.of(2L, 3L, 4L), scrollIds("conditions", "{\"key\":\"tags\",\"values_count\":{\"lt\":2}}"));
        assertEquals(List.of(2L, 4L), scrollIds("conditions", "{\"key\":\"tags\",\"values_count\":{\"gte\":1,\"lte\":1}}"));
        assertEquals(List.of(1L), scrollIds("conditions", "{\"nested\":{\"key\":\"diet\",\"filter\":{\"must\":["
                + "{\"key\":\"food\",\"match\":{\"value\":\"meat\"}},{\"key\":\"likes\",\"match\":{\"value\":true}}]}}}"));
        assertEquals(List.of(1L, 2L), scrollIds("conditions", "{\"must\":[{\"key\":\"diet[].food\",\"match\":{\"value\":\"meat\"}},"
                + "{\"key\":\"diet[].likes\",\"match\":{\"value\":true}}]}"));
        assertEquals(List.of(1L, 2L), scrollIds("conditions", "{\"min_should\":{\"min_count\":2,\"conditions\":["
                + "{\"key\":\"tags\",\"match\":{\"value\":\"a\"}},{\"key\":\"at\",\"range\":{\"lt\":\"2024-05-02\"}},"
                + "{\"has_id\":[3,4]}]}}"));
        // geo: Berlin (1), Potsdam (2, about 27 km away), New York (3); point 4 has none
        ok(api.send("PUT", "collections/conditions/index", "{\"field_name\":\"city.location\",\"field_schema\":\"geo\"}"));
        ok(api.send("POST", "collections/conditions/points/payload?wait=true",
                "{\"points\":[1],\"payload\":{\"city\":{\"location\":{\"lat\":52.52,\"lon\":13.405}}}}"));
        ok(api.send("POST", "collections/conditions/points/payload?wait=true",
                "{\"points\":[2],\"payload\":{\"city\":{\"location\":{\"lat\":52.39,\"lon\":13.065}}}}"));
        ok(api.send("POST", "collections/conditions/points/payload?wait=true",
                "{\"points\":[3],\"payload\":{\"city\":{\"location\":[{\"lat\":40.71,\"lon\":-74.0}]}}}"));
        assertEquals(List.of(1L), scrollIds("conditions", "{\"key\":\"city.location\",\"geo_radius\":{\"center\":"
                + "{\"lat\":52.52,\"lon\":13.4},\"radius\":20000}}"));
        assertEquals(List.of(1L, 2L), scrollIds("conditions", "{\"key\":\"city.location\",\"geo_radius\":{\"center\":"
                + "{\"lat\":52.52,\"lon\":13.4},\"radius\":30000}}"));
        assertEquals(List.of(3L), scrollIds("conditions", "{\"key\":\"city.location\",\"geo_bounding_box\":{"
                + "\"top_left\":{\"lat\":74,\"lon\":167},\"bottom_right\":{\"lat\":18.8,\"lon\":-66.9}}}"));
        assertEquals(List.of(1L, 2L), scrollIds("conditions", "{\"key\":\"city.location\",\"geo_polygon\":{\"exterior\":"
                + "{\"points\":[{\"lat\":52,\"lon\":13},{\"lat\":53,\"lon\":13},{\"lat\":53,\"lon\":14},{\"lat\":52,\"lon\":14},"
                + "{\"lat\":52,\"lon\":13}]},\"interiors\":[]}}"));
        expect(400, "filter.must[0].geo_radius.center.lon must be a number within [-180, 180], got 200", "POST",
                "collections/conditions/points/count", "{\"filter\":{\"must\":[{\"key\":\"city.location\",\"geo_radius\":"
                        + "{\"center\":{\"lat\":0,\"lon\":200},\"radius\":1}}]}}");
        JsonNode ordered = ok(api.send("POST", "collections/conditions/points/scroll",
                "{\"limit\":5,\"order_by\":{\"key\":\"at\",\"direction\":\"desc\",\"start_from\":\"2024-05-01T23:00:00Z\"}}"))
                .result();
        assertEquals(List.of(2L, 1L), ids(ordered.get("points")), ordered.toString());
        // 12:30 at +02:00 and 10:00 UTC, as microseconds: the next page starts from the last
        assertEquals(Instant.parse("2024-05-01T10:30:00Z").toEpochMilli() * 1000, ordered.at("/points/0/order_value").asLong());
        assertEquals(Instant.parse("2024-05-01T10:00:00Z").toEpochMilli() * 1000, ordered.at("/points/1/order_value").asLong());
        expect(400, "filter.must[0].range.gt must be a date-time like 2014-01-01T00:00:00Z", "POST",
                "collections/conditions/points/count", "{\"filter\":{\"must\":[{\"key\":\"at\",\"range\":{\"gt\":\"May\"}}]}}");
        expect(400, "order_by.start_from must be a number or a date-time", "POST", "collections/conditions/points/scroll",
                "{\"order_by\":{\"key\":\"at\",\"start_from\":\"May\"}}");
    }

    @Test
    void aliasesSwitchAtomicallyAndEveryRouteTakesThem() throws Exception {
        createCollection("blue", 2, "Dot");
        createCollection("green", 2, "Dot");
        ok(api.send("PUT", "collections/blue/points?wait=true", "{\"points\":[{\"id\":1,\"vector\":[1,0]}]}"));
        ok(api.send("PUT", "collections/green/points?wait=true",
                "{\"points\":[{\"id\":2,\"vector\":[0,1]},{\"id\":3,\"vector\":[1,1]}]}"));
        assertTrue(ok(api.send("POST", "collections/aliases",
                "{\"actions\":[{\"create_alias\":{\"collection_name\":\"blue\",\"alias_name\":\"live\"}}]}")).result().asBoolean());
        assertEquals(1, ok(api.send("POST", "collections/live/points/count", "{}")).result().get("count").asInt());
        JsonNode hits = ok(api.send("POST", "collections/live/points/search", "{\"vector\":[1,0],\"limit\":5}")).result();
        assertEquals(List.of(1L), ids(hits));
        assertEquals("blue", ok(api.send("GET", "collections/live", null)).result().get("name").asText());
        assertTrue(ok(api.send("GET", "collections/live/exists", null)).result().get("exists").asBoolean());
        assertEquals("[{\"alias_name\":\"live\",\"collection_name\":\"blue\"}]",
                ok(api.send("GET", "collections/live/aliases", null)).result().get("aliases").toString());

        // the switch, in one request; a failing list changes nothing
        ok(api.send("POST", "collections/aliases", "{\"actions\":[{\"delete_alias\":{\"alias_name\":\"live\"}},"
                + "{\"create_alias\":{\"collection_name\":\"green\",\"alias_name\":\"live\"}}]}"));
        assertEquals(2, ok(api.send("POST", "collections/live/points/count", "{}")).result().get("count").asInt());
        expect(404, "collection 'nowhere' does not exist", "POST", "collections/aliases",
                "{\"actions\":[{\"delete_alias\":{\"alias_name\":\"live\"}},"
                        + "{\"create_alias\":{\"collection_name\":\"nowhere\",\"alias_name\":\"x\"}}]}");
        expect(404, "alias 'gone' does not exist", "POST", "collections/aliases",
                "{\"actions\":[{\"rename_alias\":{\"old_alias_name\":\"gone\",\"new_alias_name\":\"y\"}}]}");
        expect(400, "alias 'blue' is the name of a collection", "POST", "collections/aliases",
                "{\"actions\":[{\"create_alias\":{\"collection_name\":\"green\",\"alias_name\":\"blue\"}}]}");
        expect(400, "actions[0].create_alias.alias_name must be a string", "POST", "collections/aliases",
                "{\"actions\":[{\"create_alias\":{\"collection_name\":\"green\"}}]}");
        expect(400, "actions[0] must be create_alias, delete_alias or rename_alias, got 'switch_alias'", "POST",
                "collections/aliases", "{\"actions\":[{\"switch_alias\":{}}]}");
        expect(400, "'live' is an alias of collection 'green'", "PUT", "collections/live",
                "{\"vectors\":{\"size\":2,\"distance\":\"Dot\"}}");
        assertEquals(2, ok(api.send("POST", "collections/live/points/count", "{}")).result().get("count").asInt());

        ok(api.send("POST", "collections/aliases",
                "{\"actions\":[{\"rename_alias\":{\"old_alias_name\":\"live\",\"new_alias_name\":\"prod\"}}]}"));
        JsonNode all = ok(api.send("GET", "aliases", null)).result().get("aliases");
        assertTrue(all.toString().contains("{\"alias_name\":\"prod\",\"collection_name\":\"green\"}"), all.toString());
        assertFalse(all.toString().contains("\"live\""), all.toString());
        assertFalse(ok(api.send("GET", "collections/live/exists", null)).result().get("exists").asBoolean());
        ok(api.send("DELETE", "collections/green", null));
        assertFalse(ok(api.send("GET", "aliases", null)).result().toString().contains("\"prod\""), "dropped with green");
        expect(404, "collection 'prod' does not exist", "POST", "collections/prod/points/count", "{}");
    }

    @Test
    void theQueryApisMmrReRanksTheNearest() throws Exception {
        createCollection("diverse", 3, "Cosine");
        ok(api.send("PUT", "collections/diverse/points?wait=true", "{\"points\":[{\"id\":1,\"vector\":[1,0,0]},"
                + "{\"id\":2,\"vector\":[1,0.001,0]},{\"id\":3,\"vector\":[1,0,0.001]},{\"id\":4,\"vector\":[0.7,0.7,0]},"
                + "{\"id\":5,\"vector\":[0.7,0,0.7]}]}"));
        VectorCollection c = db.collection("diverse");
        SearchRequest request = SearchRequest.builder().vector(new float[] {1, 0.1f, 0.1f}).limit(3).build();
        JsonNode diverse = ok(api.send("POST", "collections/diverse/points/query",
                "{\"query\":{\"nearest\":[1,0.1,0.1],\"mmr\":{\"diversity\":0.5,\"candidates_limit\":5}},\"limit\":3}"))
                .result().get("points");
        assertEquals(ids(c.searchMmr(request, new Mmr(0.5f, 5)).stream().map(h -> h.id()).toList()), ids(diverse));
        // defaults: diversity 0.5, candidates the limit (so the plain nearest three, re-ranked)
        JsonNode defaults = ok(api.send("POST", "collections/diverse/points/query",
                "{\"query\":{\"nearest\":[1,0.1,0.1],\"mmr\":{}},\"limit\":3}")).result().get("points");
        assertEquals(ids(c.searchMmr(request, new Mmr(0.5f, 3)).stream().map(h -> h.id()).toList()), ids(defaults));
        expect(400, "query.mmr.diversity must be within [0, 1], got 2.0", "POST", "collections/diverse/points/query",
                "{\"query\":{\"nearest\":[1,0,0],\"mmr\":{\"diversity\":2}}}");
        expect(400, "query.mmr: unknown field 'lambda'", "POST", "collections/diverse/points/query",
                "{\"query\":{\"nearest\":[1,0,0],\"mmr\":{\"lambda\":0.5}}}");
    }

    @Test
    void theQueryApisFormulaRescoresThePrefetchedCandidates() throws Exception {
        createCollection("boosted", 2, "Dot");
        ok(api.send("PUT", "collections/boosted/points?wait=true", "{\"points\":["
                + "{\"id\":1,\"vector\":[1,0],\"payload\":{\"tag\":\"x\",\"stars\":1}},"
                + "{\"id\":2,\"vector\":[0.9,0],\"payload\":{\"tag\":\"h1\",\"stars\":5}},"
                + "{\"id\":3,\"vector\":[0.8,0],\"payload\":{\"tag\":\"h2\"}},"
                + "{\"id\":4,\"vector\":[0,1],\"payload\":{\"tag\":\"h1\",\"stars\":2}}]}"));
        // Qdrant's example: the score plus half for the tags h1 and h2; query [1, 0] scores 1, 0.9, 0.8, 0
        JsonNode tagged = ok(api.send("POST", "collections/boosted/points/query", "{\"prefetch\":{\"query\":[1,0],\"limit\":3},"
                + "\"query\":{\"formula\":{\"sum\":[\"$score\",{\"mult\":[0.5,{\"key\":\"tag\",\"match\":{\"any\":[\"h1\",\"h2\"]}}]}]}},"
                + "\"limit\":3}")).result().get("points");
        assertEquals(List.of(2L, 3L, 1L), ids(tagged), tagged.toString());
        assertEquals(1.4, tagged.get(0).get("score").asDouble(), 1e-6);
        assertEquals(1.3, tagged.get(1).get("score").asDouble(), 1e-6);
        // a payload number with a default for the point that lacks it, over two prefetches ($score[1] of 4 only)
        JsonNode stars = ok(api.send("POST", "collections/boosted/points/query", "{\"prefetch\":[{\"query\":[1,0],\"limit\":3},"
                + "{\"query\":[0,1],\"limit\":1}],\"query\":{\"formula\":{\"sum\":[\"stars\",\"$score[1]\"]},"
                + "\"defaults\":{\"stars\":0}},\"with_payload\":true}")).result().get("points");
        assertEquals(List.of(2L, 4L, 1L, 3L), ids(stars), stars.toString());
        assertEquals(3.0, stars.get(1).get("score").asDouble(), 1e-6, "2 stars + its score 1 in the second prefetch");
        assertEquals(5, stars.get(0).at("/payload/stars").asInt());
        expect(400, "formula: 'stars' of point 3 has no value and no default", "POST", "collections/boosted/points/query",
                "{\"prefetch\":{\"query\":[1,0]},\"query\":{\"formula\":\"stars\"}}");
        expect(400, "query.formula.div.right must be a number, a variable or an expression", "POST",
                "collections/boosted/points/query", "{\"prefetch\":{\"query\":[1,0]},\"query\":{\"formula\":{\"div\":{\"left\":1}}}}");
        expect(400, "query formula needs prefetch", "POST", "collections/boosted/points/query",
                "{\"query\":{\"formula\":\"$score\"}}");
    }

    @Test
    void lookupFromTakesTheExamplesOfAnotherCollection() throws Exception {
        createCollection("profiles", 2, "Dot");
        createCollection("items", 2, "Dot");
        ok(api.send("PUT", "collections/profiles/points?wait=true", "{\"points\":[{\"id\":7,\"vector\":[1,0]}]}"));
        ok(api.send("PUT", "collections/items/points?wait=true", "{\"points\":[{\"id\":1,\"vector\":[0.9,0.1]},"
                + "{\"id\":2,\"vector\":[0,1]},{\"id\":7,\"vector\":[0.5,0]}]}"));
        // profile 7's vector [1, 0] queries the items; item 7 is another point and is not left out
        JsonNode nearest = ok(api.send("POST", "collections/items/points/query",
                "{\"query\":7,\"lookup_from\":{\"collection\":\"profiles\"},\"limit\":3}")).result().get("points");
        assertEquals(List.of(1L, 7L, 2L), ids(nearest), nearest.toString());
        JsonNode recommended = ok(api.send("POST", "collections/items/points/recommend",
                "{\"positive\":[7],\"lookup_from\":{\"collection\":\"profiles\",\"vector\":\"\"},\"limit\":2}")).result();
        assertEquals(List.of(1L, 7L), ids(recommended), recommended.toString());
        JsonNode inPrefetch = ok(api.send("POST", "collections/items/points/query", "{\"prefetch\":{\"query\":7,"
                + "\"lookup_from\":{\"collection\":\"profiles\"},\"limit\":2},\"query\":{\"fusion\":\"rrf\"}}")).result().get("points");
        assertEquals(List.of(1L, 7L), ids(inPrefetch), inPrefetch.toString());
        expect(404, "point 8 (an example of the query, lookup_from) does not exist in collection 'profiles'", "POST",
                "collections/items/points/query", "{\"query\":8,\"lookup_from\":{\"collection\":\"profiles\"}}");
        expect(404, "collection 'nobody' does not exist", "POST", "collections/items/points/query",
                "{\"query\":7,\"lookup_from\":{\"collection\":\"nobody\"}}");
        expect(400, "lookup_from.vector names vector 'image', but points of collection 'profiles' have one vector, unnamed",
                "POST", "collections/items/points/query", "{\"query\":7,\"lookup_from\":{\"collection\":\"profiles\",\"vector\":\"image\"}}");
    }

    @Test
    void theQueryApisSampleDrawsMatchingPointsAtRandom() throws Exception {
        createCollection("sampled", 2, "Dot");
        StringBuilder points = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            points.append(i == 1 ? "" : ",").append("{\"id\":").append(i).append(",\"vector\":[").append(i).append(",1],")
                    .append("\"payload\":{\"odd\":").append(i % 2 == 1).append("}}");
        }
        ok(api.send("PUT", "collections/sampled/points?wait=true", "{\"points\":[" + points + "]}"));
        JsonNode drawn = ok(api.send("POST", "collections/sampled/points/query", "{\"query\":{\"sample\":\"random\"},"
                + "\"filter\":{\"must\":[{\"key\":\"odd\",\"match\":{\"value\":true}}]},\"limit\":4,\"with_payload\":true}"))
                .result().get("points");
        assertEquals(4, drawn.size(), drawn.toString());
        assertEquals(4, new java.util.HashSet<>(ids(drawn)).size(), "distinct: " + drawn);
        drawn.forEach(p -> {
            assertTrue(p.at("/payload/odd").asBoolean(), drawn.toString());
            assertEquals(0, p.get("score").asDouble(), drawn.toString());
        });
        // over a prefetch's candidates: the 3 nearest to [1, 0] are 20, 19, 18
        JsonNode fromPrefetch = ok(api.send("POST", "collections/sampled/points/query",
                "{\"prefetch\":{\"query\":[1,0],\"limit\":3},\"query\":{\"sample\":\"random\"},\"limit\":10}"))
                .result().get("points");
        assertEquals(java.util.Set.of(18L, 19L, 20L), new java.util.HashSet<>(ids(fromPrefetch)), fromPrefetch.toString());
        expect(400, "query.sample must be \"random\"", "POST", "collections/sampled/points/query",
                "{\"query\":{\"sample\":\"first\"}}");
    }

    private static List<Long> ids(List<PointId> ids) {
        return ids.stream().map(id -> ((PointId.Num) id).id()).toList();
    }

    /** The ids a scroll with {@code filter} (one condition or a filter object) returns, ascending. */
    private static List<Long> scrollIds(String collection, String condition) throws Exception {
        String filter = condition.startsWith("{\"must\"") || condition.startsWith("{\"min_should\"") ? condition
                : "{\"must\":[" + condition + "]}";
        JsonNode page = ok(api.send("POST", "collections/" + collection + "/points/scroll",
                "{\"limit\":100,\"filter\":" + filter + "}")).result();
        JsonNode counted = ok(api.send("POST", "collections/" + collection + "/points/count",
                "{\"exact\":true,\"filter\":" + filter + "}")).result();
        assertEquals(page.get("points").size(), counted.get("count").asInt(), "count agrees with scroll for " + filter);
        return ids(page.get("points"));
    }

    @Test
    void aBatchUpdateRunsItsOperationsInOrder() throws Exception {
        createCollection("batched", 2, "Dot");
        String batch = "collections/batched/points/batch";
        JsonNode results = ok(api.send("POST", batch, "{\"operations\":["
                + "{\"upsert\":{\"points\":[{\"id\":1,\"vector\":[1,0]},{\"id\":2,\"vector\":[0,1]},{\"id\":3,\"vector\":[1,1]}]}},"
                + "{\"set_payload\":{\"payload\":{\"tag\":\"x\"},\"points\":[1,2]}},"
                + "{\"delete\":{\"filter\":{\"must\":[{\"key\":\"tag\",\"match\":{\"value\":\"x\"}}]}}},"
                + "{\"update_vectors\":{\"points\":[{\"id\":3,\"vector\":[2,2]}]}},"
                + "{\"upsert\":{\"batch\":{\"ids\":[4],\"vectors\":[[3,0]]}}}]}")).result();
        assertEquals(5, results.size(), results.toString());
        assertEquals(List.of(3, 2, 2, 1, 1), StreamSupport.stream(results.spliterator(), false)
                .map(r -> r.get("updated").asInt()).toList(), "points each operation changed, in order");
        VectorCollection c = db.collection("batched");
        assertEquals(2, c.count(), "1 and 2 were deleted after their payload was set");
        assertArrayEquals(new float[] {2, 2}, c.get(PointId.of(3)).orElseThrow().vector());

        expect(400, "operations[1].set_payload: payload", "POST", batch, "{\"operations\":["
                + "{\"upsert\":{\"points\":[{\"id\":9,\"vector\":[1,0]}]}},{\"set_payload\":{\"points\":[9]}}]}");
        assertTrue(c.get(PointId.of(9)).isEmpty(), "nothing of a malformed batch is applied");
        expect(400, "operations[0] must be an object with exactly one of", "POST", batch,
                "{\"operations\":[{\"upsert\":{\"points\":[]},\"delete\":{\"points\":[1]}}]}");
        expect(400, "operations[0].delete_vectors: vectors cannot be deleted", "POST", batch,
                "{\"operations\":[{\"delete_vectors\":{\"points\":[3],\"vector\":[\"\"]}}]}");
        expect(400, "operations must be an array", "POST", batch, "{\"operations\":{}}");
    }

    @Test
    void pointsRoundTripExactly() throws Exception {
        createCollection("pts", 3, "Euclid");
        String body = "{\"points\":["
                + "{\"id\":1,\"vector\":[0.1,0.2,0.3],\"payload\":{\"city\":\"London\",\"tags\":[\"a\",\"b\"],\"n\":{\"x\":1.5}}},"
                + "{\"id\":\"doc-2\",\"vector\":[1e-7,-6.5E18,7],\"text\":\"supersonic flow\"},"
                + "{\"id\":3,\"vector\":[1,2,3],\"payload\":null}]}";
        JsonNode upserted = ok(api.send("PUT", "collections/pts/points", body)).result();
        assertEquals("completed", upserted.get("status").asText());
        assertEquals(3, upserted.get("upserted").asInt());

        JsonNode p1 = ok(api.send("GET", "collections/pts/points/1", null)).result();
        assertEquals(1, p1.get("id").asLong());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f}, floats(p1.get("vector")));
        assertEquals(ApiClient.MAPPER.readTree("{\"city\":\"London\",\"tags\":[\"a\",\"b\"],\"n\":{\"x\":1.5}}"),
                p1.get("payload"));

        JsonNode p2 = ok(api.send("GET", "collections/pts/points/doc-2", null)).result();
        assertEquals("doc-2", p2.get("id").asText());
        assertArrayEquals(new float[] {1e-7f, -6.5E18f, 7f}, floats(p2.get("vector")));
        assertEquals("supersonic flow", p2.get("text").asText());
        assertEquals(0, p2.get("payload").size());

        JsonNode some = ok(api.send("POST", "collections/pts/points",
                "{\"ids\":[3,\"nope\",1,99],\"with_vector\":true}")).result();
        assertEquals(2, some.size(), "missing ids are left out: " + some);
        assertEquals(3, some.get(0).get("id").asLong());
        assertArrayEquals(new float[] {1, 2, 3}, floats(some.get(0).get("vector")));
        assertEquals(1, some.get(1).get("id").asLong());

        JsonNode bare = ok(api.send("POST", "collections/pts/points", "{\"ids\":[1],\"with_payload\":false}")).result();
        assertEquals(1, bare.size());
        assertTrue(!bare.get(0).has("vector") && !bare.get(0).has("payload"), bare.toString());

        // upsert replaces vector, payload and text
        ok(api.send("PUT", "collections/pts/points", "{\"points\":[{\"id\":1,\"vector\":[9,9,9],\"payload\":{\"v\":2}}]}"));
        JsonNode replaced = ok(api.send("GET", "collections/pts/points/1", null)).result();
        assertArrayEquals(new float[] {9, 9, 9}, floats(replaced.get("vector")));
        assertEquals(ApiClient.MAPPER.readTree("{\"v\":2}"), replaced.get("payload"));

        assertEquals(3, ok(api.send("POST", "collections/pts/points/count", "{}")).result().get("count").asLong());
        assertEquals(3, ok(api.send("POST", "collections/pts/points/count", null)).result().get("count").asLong(),
                "count takes an empty body");

        JsonNode deleted = ok(api.send("POST", "collections/pts/points/delete", "{\"points\":[1,\"doc-2\",42]}")).result();
        assertEquals("completed", deleted.get("status").asText());
        assertEquals(2, deleted.get("deleted").asInt(), "42 did not exist");
        ApiClient.Reply gone = api.send("GET", "collections/pts/points/1", null);
        assertEquals(404, gone.status());
        assertTrue(gone.error().contains("1"), gone.body());
        assertEquals(1, ok(api.send("POST", "collections/pts/points/count", "{}")).result().get("count").asLong());
    }

    @Test
    void searchMatchesBruteForceForEveryDistance() throws Exception {
        int dim = 8;
        int n = 300;
        for (String distance : List.of("Cosine", "Euclid", "Dot")) {
            String name = "search-" + distance;
            createCollection(name, dim, distance);
            ok(api.send("PUT", "collections/" + name + "/points", TestPoints.upsertBody(0, n, dim)));
            for (long q = 1000; q < 1005; q++) {
                float[] query = TestPoints.vector(q, dim);
                List<Long> expected = bruteForce(distance, query, n, dim, 10);
                JsonNode exact = ok(api.send("POST", "collections/" + name + "/points/search",
                        ApiClient.json(Map.of("vector", query, "limit", 10, "params", Map.of("exact", true))))).result();
                assertEquals(expected, ids(exact), distance + " exact top 10");
                for (JsonNode hit : exact) {
                    float want = score(distance, query, TestPoints.vector(hit.get("id").asLong(), dim));
                    assertEquals(want, hit.get("score").floatValue(), 1e-4, distance + " score of " + hit);
                    assertEquals(hit.get("id").asLong(), hit.at("/payload/n").asLong(), "payload comes with the hit");
                }

                JsonNode indexed = ok(api.send("POST", "collections/" + name + "/points/search", ApiClient.json(
                        Map.of("vector", query, "limit", 10, "params", Map.of("hnsw_ef", 300))))).result();
                long found = ids(indexed).stream().filter(expected::contains).count();
                assertTrue(found >= 9, distance + " index recall@10 " + found + "/10");

                JsonNode paged = ok(api.send("POST", "collections/" + name + "/points/search", ApiClient.json(Map.of(
                        "vector", query, "limit", 5, "offset", 5, "with_payload", false, "with_vector", true,
                        "params", Map.of("exact", true))))).result();
                assertEquals(expected.subList(5, 10), ids(paged), "offset skips the best");
                assertTrue(!paged.get(0).has("payload"), paged.toString());
                assertArrayEquals(TestPoints.vector(expected.get(5), dim), floats(paged.get(0).get("vector")));
            }

            // a batch answers each of its searches as the single search does, in order
            List<Map<String, Object>> searches = new ArrayList<>();
            for (long q = 1000; q < 1005; q++) {
                searches.add(Map.of("vector", TestPoints.vector(q, dim), "limit", (int) (q - 997),
                        "params", Map.of("exact", true)));
            }
            JsonNode batch = ok(api.send("POST", "collections/" + name + "/points/search/batch",
                    ApiClient.json(Map.of("searches", searches)))).result();
            assertEquals(searches.size(), batch.size());
            for (int i = 0; i < searches.size(); i++) {
                float[] query = TestPoints.vector(1000 + i, dim);
                assertEquals(bruteForce(distance, query, n, dim, 3 + i), ids(batch.get(i)), distance + " batch search " + i);
            }
        }
        expect(400, "searches[1].limit must be in 1..10000, got 0", "POST", "collections/search-Dot/points/search/batch",
                "{\"searches\":[{\"vector\":[1,2,3,4,5,6,7,8]},{\"vector\":[1,2,3,4,5,6,7,8],\"limit\":0}]}");
        expect(400, "searches is missing", "POST", "collections/search-Dot/points/search/batch", "{}");
    }

    private static List<Long> bruteForce(String distance, float[] q, int n, int dim, int k) {
        Comparator<Long> best = Comparator.comparingDouble(id -> score(distance, q, TestPoints.vector(id, dim)));
        if (!distance.equals("Euclid")) {
            best = best.reversed();
        }
        return LongStream.range(0, n).boxed().sorted(best).limit(k).toList();
    }

    private static float score(String distance, float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        double l2 = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
            l2 += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return (float) switch (distance) {
            case "Cosine" -> dot / Math.sqrt(na * nb);
            case "Dot" -> dot;
            default -> Math.sqrt(l2);
        };
    }

    private static List<Long> ids(JsonNode hits) {
        List<Long> ids = new ArrayList<>();
        hits.forEach(h -> ids.add(h.get("id").asLong()));
        return ids;
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).floatValue();
        }
        return v;
    }

    /** Every point of the guarded collection, as the server returns them, for before/after checks. */
    private static String snapshot() throws Exception {
        String ids = ApiClient.json(Map.of("ids", IntStream.range(0, 2000).boxed().toList(), "with_vector", true));
        return ok(api.send("POST", "collections/guarded/points", ids)).result().toString();
    }

    @Test
    void badRequestsGetTheirStatusAndChangeNothing() throws Exception {
        createCollection("guarded", 4, "Cosine");
        ok(api.send("PUT", "collections/guarded/points", TestPoints.upsertBody(0, 50, 4)));
        String before = snapshot();

        // 400: bad JSON, bad values, bad names, caps, unknown and not yet supported fields
        expect(400, "not valid JSON", "PUT", "collections/guarded/points", "{\"points\":[{\"id\":1,");
        expect(400, "id 1007", "PUT", "collections/guarded/points",
                "{\"points\":[{\"id\":1006,\"vector\":[1,2,3,4]},{\"vector\":[1,NaN,3,4],\"id\":1007}]}");
        expect(400, "Infinity", "PUT", "collections/guarded/points",
                "{\"points\":[{\"id\":1008,\"vector\":[1,2,3,1e39]}]}");
        expect(400, "vectors.size is 4", "PUT", "collections/guarded/points",
                "{\"points\":[{\"id\":1009,\"vector\":[1,2,3]}]}");
        expect(400, "points[0].vector[1] must be a number", "PUT", "collections/guarded/points",
                "{\"points\":[{\"id\":1010,\"vector\":[1,\"2\",3,4]}]}");
        expect(400, "non-negative", "PUT", "collections/guarded/points",
                "{\"points\":[{\"id\":-1,\"vector\":[1,2,3,4]}]}");
        expect(400, "points[0].payload must be a JSON object", "PUT", "collections/guarded/points",
                "{\"points\":[{\"id\":1011,\"vector\":[1,2,3,4],\"payload\":[1]}]}");
        expect(400, "unknown field 'colour'", "PUT", "collections/guarded/points",
                "{\"points\":[{\"id\":1012,\"vector\":[1,2,3,4],\"colour\":1}]}");
        expect(400, "empty body", "PUT", "collections/guarded/points", null);
        expect(400, "content after", "PUT", "collections/guarded/points", "{\"points\":[]} {}");
        expect(400, "collection name must match", "GET", "collections/..%2F..%2Fetc", null);
        expect(400, "collection name must match", "PUT", "collections/" + "x".repeat(65), "{}");
        expect(400, "collection name must match", "PUT", "collections/a.b",
                "{\"vectors\":{\"size\":4,\"distance\":\"Cosine\"}}");
        expect(400, "distance must be one of", "PUT", "collections/newone",
                "{\"vectors\":{\"size\":4,\"distance\":\"Manhattan\"}}");
        expect(400, "1..10000, got 10001", "POST", "collections/guarded/points/search",
                "{\"vector\":[1,2,3,4],\"limit\":10001}");
        expect(400, "1..10000, got 0", "POST", "collections/guarded/points/search", "{\"vector\":[1,2,3,4],\"limit\":0}");
        expect(400, "params.hnsw_ef must be in 1..10000", "POST", "collections/guarded/points/search",
                "{\"vector\":[1,2,3,4],\"params\":{\"hnsw_ef\":100000}}");
        expect(400, "limit must be in 1..10000, got 99999999999", "POST", "collections/guarded/points/search",
                "{\"vector\":[1,2,3,4],\"limit\":99999999999}");
        // 400 for the filter, text, hybrid and payload index fields
        String search = "collections/guarded/points/search";
        expect(400, "filter.must[0].range.gt must be a finite number, got true", "POST", search,
                "{\"vector\":[1,2,3,4],\"filter\":{\"must\":[{\"key\":\"n\",\"range\":{\"gt\":true}}]}}");
        expect(400, "filter must be an object, got [1]", "POST", search, "{\"vector\":[1,2,3,4],\"filter\":[1]}");
        expect(400, "filter.must[0] has unknown field 'boost'", "POST", search,
                "{\"vector\":[1,2,3,4],\"filter\":{\"must\":[{\"key\":\"n\",\"match\":{\"value\":1},\"boost\":2}]}}");
        expect(400, "text must contain a word to search for, got '  '", "POST", search, "{\"text\":\"  \"}");
        expect(400, "text must be a string, got 5", "POST", search, "{\"text\":5}");
        expect(400, "vector and text are both missing", "POST", search, "{\"limit\":3}");
        expect(400, "fusion applies only to a hybrid search", "POST", search,
                "{\"vector\":[1,2,3,4],\"fusion\":{\"method\":\"rrf\"}}");
        expect(400, "fusion.method must be rrf or weighted, got 'max'", "POST", search,
                "{\"vector\":[1,2,3,4],\"text\":\"flow\",\"fusion\":{\"method\":\"max\"}}");
        expect(400, "fusion.alpha must be in 0..1, got 1.5", "POST", search,
                "{\"vector\":[1,2,3,4],\"text\":\"flow\",\"fusion\":{\"method\":\"weighted\",\"alpha\":1.5}}");
        expect(400, "fusion.k must be in 1..1000000, got 0", "POST", search,
                "{\"vector\":[1,2,3,4],\"text\":\"flow\",\"fusion\":{\"method\":\"rrf\",\"k\":0}}");
        expect(400, "fusion.alpha belongs to method 'weighted'", "POST", search,
                "{\"vector\":[1,2,3,4],\"text\":\"flow\",\"fusion\":{\"method\":\"rrf\",\"alpha\":0.5}}");
        expect(400, "fusion.method is missing", "POST", search,
                "{\"vector\":[1,2,3,4],\"text\":\"flow\",\"fusion\":{\"k\":10}}");
        expect(400, "explain must be true or false, got the string 'yes'", "POST", search,
                "{\"vector\":[1,2,3,4],\"explain\":\"yes\"}");
        expect(400, "params.filter_strategy must be one of auto, pre, post, got 'sideways'", "POST", search,
                "{\"vector\":[1,2,3,4],\"filter\":{},\"params\":{\"filter_strategy\":\"sideways\"}}");
        String delete = "collections/guarded/points/delete";
        expect(400, "give points or filter, not both", "POST", delete, "{\"points\":[1],\"filter\":{\"must\":[]}}");
        expect(400, "points or filter is missing", "POST", delete, "{}");
        expect(400, "points or filter is missing", "POST", delete, "{\"filter\":null}");
        expect(400, "filter.must must be an array of conditions, got 7", "POST", delete, "{\"filter\":{\"must\":7}}");
        String count = "collections/guarded/points/count";
        expect(400, "filter.must[0].key must be a non-empty string", "POST", count,
                "{\"filter\":{\"must\":[{\"key\":\"\",\"match\":{\"value\":1}}]}}");
        expect(400, "filter.should[0].match.any must be an array", "POST", count,
                "{\"filter\":{\"should\":[{\"key\":\"tag\",\"match\":{\"any\":\"t1\"}}]}}");
        expect(400, "unknown field 'exactly'", "POST", count, "{\"exactly\":true}");
        String index = "collections/guarded/index";
        expect(400, "field_schema must be one of keyword, integer, float, bool, datetime, geo, uuid, got 'text'", "PUT", index,
                "{\"field_name\":\"tag\",\"field_schema\":\"text\"}");
        expect(400, "field_schema must be a string, got 5", "PUT", index, "{\"field_name\":\"tag\",\"field_schema\":5}");
        expect(400, "field_name is missing", "PUT", index, "{\"field_schema\":\"keyword\"}");
        expect(400, "field_schema is missing", "PUT", index, "{\"field_name\":\"tag\"}");
        expect(400, "field_name must be keys joined by single dots, got 'a..b'", "PUT", index,
                "{\"field_name\":\"a..b\",\"field_schema\":\"keyword\"}");
        expect(400, "unknown field 'type'", "PUT", index,
                "{\"field_name\":\"tag\",\"field_schema\":\"keyword\",\"type\":1}");
        expect(400, "field_schema.is_tenant applies to keyword indexes only, got type integer", "PUT", index,
                "{\"field_name\":\"n\",\"field_schema\":{\"type\":\"integer\",\"is_tenant\":true}}");
        expect(400, "field_schema.on_disk must be false or null", "PUT", index,
                "{\"field_name\":\"tag\",\"field_schema\":{\"type\":\"keyword\",\"on_disk\":true}}");
        expect(400, "field_schema.type is missing", "PUT", index, "{\"field_name\":\"tag\",\"field_schema\":{\"is_tenant\":true}}");
        expect(400, "field_schema: unknown field 'lookup'", "PUT", index,
                "{\"field_name\":\"tag\",\"field_schema\":{\"type\":\"keyword\",\"lookup\":true}}");
        expect(400, "field_schema.is_tenant must be true or false, got", "PUT", index,
                "{\"field_name\":\"tag\",\"field_schema\":{\"type\":\"keyword\",\"is_tenant\":\"yes\"}}");
        expect(400, "vector[2] is NaN", "POST", "collections/guarded/points/search", "{\"vector\":[1,2,NaN,4]}");
        expect(400, "must be true or false", "POST", "collections/guarded/points", "{\"ids\":[1],\"with_vector\":1}");
        expect(400, "Duplicate field", "POST", "collections/guarded/points", "{\"ids\":[1],\"ids\":[2]}");
        byte[] badUtf8 = "{\"ids\":[\"\u0000\"]}".getBytes(StandardCharsets.UTF_8);
        badUtf8[9] = (byte) 0xff;
        ApiClient.Reply utf8 = api.send("POST", "collections/guarded/points", badUtf8, "application/json", KEY);
        assertEquals(400, utf8.status(), utf8.body());
        String nested = "{\"points\":[{\"id\":1013,\"vector\":[1,2,3,4],\"payload\":" + "{\"a\":".repeat(200)
                + "1" + "}".repeat(200) + "}]}";
        expect(400, "not valid JSON", "PUT", "collections/guarded/points", nested);

        // 401: missing or wrong key; /healthz needs none
        ApiClient.Reply noKey = api.send("GET", "collections", null, null, null);
        assertEquals(401, noKey.status(), noKey.body());
        assertEquals(401, api.send("GET", "collections/guarded", null, null, KEY + "x").status());
        assertEquals(401, api.send("GET", "nowhere", null, null, null).status(), "no route is revealed without a key");
        try (RawHttp raw = new RawHttp(server.address())) { // Qdrant's clients may send the key as a bearer token
            raw.head("GET", "/collections", null, "Authorization: Bearer " + KEY);
            assertEquals(200, raw.readStatus());
        }
        try (RawHttp raw = new RawHttp(server.address())) {
            raw.head("GET", "/collections", null, "Authorization: Bearer " + KEY + "x");
            assertEquals(401, raw.readStatus());
        }
        ApiClient.Reply health = api.send("GET", "healthz", null, null, null);
        assertEquals("ok", ok(health).result().get("status").asText());

        // 404: route, collection, point
        expect(404, "no route", "GET", "collections/guarded/points/1/extra", null);
        expect(404, "does not exist", "GET", "collections/missing", null);
        expect(404, "does not exist", "PUT", "collections/missing/points", TestPoints.upsertBody(0, 1, 4));
        expect(404, "does not exist", "GET", "collections/guarded/points/123456", null);
        expect(404, "does not exist", "GET", "collections/guarded/points/no-such-id", null);
        expect(404, "does not exist", "PUT", "collections/missing/index", "{\"field_name\":\"a\",\"field_schema\":\"bool\"}");
        expect(404, "does not exist", "POST", "collections/missing/points/count", "{\"filter\":{}}");

        // 405 with Allow
        ApiClient.Reply indexGet = api.send("GET", "collections/guarded/index", null);
        assertEquals(405, indexGet.status(), indexGet.body());
        assertEquals("PUT", indexGet.headers().firstValue("Allow").orElseThrow());
        ApiClient.Reply method = api.send("DELETE", "collections", null);
        assertEquals(405, method.status(), method.body());
        assertEquals("GET", method.headers().firstValue("Allow").orElseThrow());
        ApiClient.Reply getSearch = api.send("GET", "collections/guarded/points/search", null);
        assertEquals(405, getSearch.status(), getSearch.body());
        assertEquals("POST", getSearch.headers().firstValue("Allow").orElseThrow());

        // 409
        expect(409, "exists with config", "PUT", "collections/guarded", "{\"vectors\":{\"size\":5,\"distance\":\"Cosine\"}}");

        // 413: declared too large (answered before the body arrives), and chunked past the limit
        try (RawHttp raw = new RawHttp(server.address())) {
            raw.head("PUT", "/collections/guarded/points", KEY, "Content-Type: application/json",
                    "Content-Length: 100000000").write("{\"points\":[");
            assertEquals(413, raw.readStatus());
        }
        try (RawHttp raw = new RawHttp(server.address())) {
            raw.head("PUT", "/collections/guarded/points", KEY, "Content-Type: application/json",
                    "Transfer-Encoding: chunked");
            String prefix = "{\"points\":[{\"id\":1014,\"vector\":[1,2,3,4],\"payload\":{\"s\":\"";
            raw.write(chunk(prefix));
            byte[] filler = "a".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
            // once past the limit the server answers and closes: the rest of the body may not go out
            boolean open = true;
            for (long sent = prefix.length(); open && sent <= MAX_BODY + 16 * 1024; sent += filler.length) {
                open = raw.writeUnlessClosed(chunk(new String(filler, StandardCharsets.US_ASCII)));
            }
            if (open) {
                raw.writeUnlessClosed("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertEquals(413, raw.readStatus());
        }

        // 415
        ApiClient.Reply type = api.send("PUT", "collections/guarded/points",
                TestPoints.upsertBody(1015, 1, 4).getBytes(StandardCharsets.UTF_8), "text/plain", KEY);
        assertEquals(415, type.status(), type.body());

        // slow bodies hold connections, never request slots: with more clients trickling bodies
        // than there are slots, every other request is still answered at once (no 503)
        List<RawHttp> holders = new ArrayList<>();
        ApiClient.Reply after;
        try {
            for (int i = 0; i < 4; i++) {
                RawHttp raw = new RawHttp(server.address());
                holders.add(raw);
                raw.head("PUT", "/collections/guarded/points", KEY, "Content-Type: application/json",
                        "Content-Length: 1000").write("{\"points\":[{\"id\":" + (1100 + i) + ",");
            }
            for (int i = 0; i < 20; i++) {
                after = api.send("POST", "collections/guarded/points/count", "{}");
                assertEquals(200, after.status(), after.body());
            }
        } finally {
            for (RawHttp raw : holders) {
                raw.close();
            }
        }
        after = api.send("POST", "collections/guarded/points/count", "{}");

        // still serving, nothing changed
        assertEquals(50, ok(after).result().get("count").asLong());
        assertEquals(before, snapshot(), "stored points unchanged by bad requests");
        assertEquals(50, ok(api.send("GET", "collections/guarded", null)).result().get("points_count").asLong());
    }

    private static byte[] chunk(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.US_ASCII);
        byte[] head = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + bytes.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(bytes, 0, out, head.length, bytes.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    private static void expect(int status, String messagePart, String method, String path, String body)
            throws Exception {
        ApiClient.Reply r = api.send(method, path, body);
        assertEquals(status, r.status(), method + " " + path + " -> " + r.body());
        assertNotNull(r.error(), "error envelope: " + r.body());
        assertTrue(r.json().get("time").isNumber(), r.body());
        assertTrue(r.error().contains(messagePart), "'" + r.error() + "' should contain '" + messagePart + "'");
    }

    /**
     * Qdrant's multitenancy shape: a keyword index with {@code "is_tenant": true} is reported with
     * its params, and a search filtered to one tenant answers that tenant's points, equal to the
     * exact search; a second tenant field is a 409.
     */
    @Test
    void tenantIndexInQdrantsShape() throws Exception {
        createCollection("tenants", 2, "Cosine");
        ok(api.send("PUT", "collections/tenants/index",
                "{\"field_name\":\"group_id\",\"field_schema\":{\"type\":\"keyword\",\"is_tenant\":true,\"on_disk\":null}}"));
        StringBuilder points = new StringBuilder("{\"points\":[");
        for (int i = 0; i < 60; i++) {
            points.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"vector\":[")
                    .append(Math.cos(i)).append(',').append(Math.sin(i)).append("],\"payload\":{\"group_id\":\"user_")
                    .append(i % 3).append("\"}}");
        }
        ok(api.send("PUT", "collections/tenants/points", points.append("]}").toString()));
        JsonNode schema = ok(api.send("GET", "collections/tenants", null)).result().at("/payload_schema/group_id");
        assertEquals("keyword", schema.get("data_type").asText(), schema.toString());
        assertTrue(schema.at("/params/is_tenant").asBoolean(), schema.toString());
        assertEquals("keyword", schema.at("/params/type").asText(), schema.toString());
        String filter = "\"filter\":{\"must\":[{\"key\":\"group_id\",\"match\":{\"value\":\"user_1\"}}]}";
        JsonNode hits = ok(api.send("POST", "collections/tenants/points/search",
                "{\"vector\":[1,0.5],\"limit\":5,\"with_payload\":true," + filter + "}")).result();
        JsonNode exact = ok(api.send("POST", "collections/tenants/points/search",
                "{\"vector\":[1,0.5],\"limit\":5,\"params\":{\"exact\":true}," + filter + "}")).result();
        assertEquals(5, hits.size(), hits.toString());
        for (int i = 0; i < hits.size(); i++) {
            assertEquals("user_1", hits.get(i).at("/payload/group_id").asText(), hits.toString());
            assertEquals(exact.get(i).get("id").asLong(), hits.get(i).get("id").asLong(), hits + " vs " + exact);
        }
        expect(409, "already has its is_tenant index on 'group_id'", "PUT", "collections/tenants/index",
                "{\"field_name\":\"org\",\"field_schema\":{\"type\":\"keyword\",\"is_tenant\":true}}");
    }

    @Test
    void metricsCountRequestsAndPoints() throws Exception {
        createCollection("metered", 2, "Dot");
        ok(api.send("PUT", "collections/metered/points", TestPoints.upsertBody(0, 7, 2)));
        ok(api.send("POST", "collections/metered/points/search", "{\"vector\":[1,0],\"params\":{\"exact\":true}}"));
        assertEquals(405, api.send("FOOBAR", "collections", null).status());
        String text = metricsOnceRecorded("vdb_http_requests_total{method=\"other\",route=\"/collections\",status=\"405\"}");
        assertTrue(text.contains("vdb_collection_points{collection=\"metered\"} 7.0"), text);
        assertTrue(text.contains("vdb_http_requests_total{method=\"PUT\",route=\"/collections/{name}/points\",status=\"200\"}"),
                text);
        assertTrue(text.contains("vdb_http_request_duration_seconds_bucket{route=\"/collections/{name}/points/search\""),
                text);
        assertTrue(text.contains("vdb_searches_total{filtered=\"false\",kind=\"vector\",mode=\"exact\"}"), text);
        assertTrue(text.contains("vdb_collection_indexed_vectors{collection=\"metered\"} 7.0"), text);
        assertTrue(text.contains("vdb_collection_payload_indexes{collection=\"metered\"} 0.0"), text);
        assertTrue(text.contains("vdb_points_upserted_total"), text);
        assertFalse(text.contains("FOOBAR"), "an unknown method does not become a label of its own: " + text);
    }

    /**
     * The metrics text once it contains {@code line}: a request is counted just after its answer
     * is sent (so its latency includes the sending), which a client may see before that.
     */
    private static String metricsOnceRecorded(String line) throws Exception {
        for (int attempt = 0; ; attempt++) {
            ApiClient.Reply m = api.send("GET", "metrics", null);
            assertEquals(200, m.status());
            assertTrue(m.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"), m.headers().toString());
            if (m.body().contains(line) || attempt == 50) {
                assertTrue(m.body().contains(line), m.body());
                return m.body();
            }
            Thread.sleep(20);
        }
    }

    /**
     * The OpenAPI document lists exactly the routes that exist, with the methods they take, and
     * each answers 200 to a valid call; so do the alternative bodies it documents (filters, text,
     * hybrid, explain, delete and count by filter).
     */
    @Test
    void openApiDocumentListsRealRoutes() throws Exception {
        createCollection("documented", 2, "Cosine");
        ok(api.send("PUT", "collections/documented/points", "{\"points\":[{\"id\":1,\"vector\":[1,0],"
                + "\"payload\":{\"n\":1,\"city\":\"Oslo\"},\"text\":\"supersonic flow\"},"
                + "{\"id\":2,\"vector\":[0,1],\"payload\":{\"n\":2},\"text\":\"laminar flow\"}]}"));
        JsonNode doc = ok200Json(api.send("GET", "openapi.json", null));
        assertEquals("3.0.3", doc.get("openapi").asText());
        String snapshot = db.snapshots().create("documented").name();
        String fullSnapshot = db.snapshots().createFull().name();
        int calls = 0;
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            String concrete = path.getKey().substring(1).replace("{name}", "documented").replace("{id}", "1")
                    .replace("{file}", "app.js").replace("{field_name}", "n")
                    .replace("snapshots/{snapshot}", "snapshots/" + (path.getKey().startsWith("/snapshots") ? fullSnapshot : snapshot));
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(java.util.Locale.ROOT);
                if (method.equals("PARAMETERS")) {
                    continue;
                }
                if (path.getKey().contains("snapshot")) {
                    assertEquals(200, snapshotCall(path.getKey(), method, concrete).status(), method + " " + concrete);
                    calls++;
                    continue;
                }
                String body = switch (path.getKey() + " " + method) {
                    case "/collections/{name} PUT" -> "{\"vectors\":{\"size\":2,\"distance\":\"Cosine\"}}";
                    case "/collections/{name} DELETE" -> null;
                    case "/collections/{name}/points PUT" -> "{\"points\":[]}";
                    case "/collections/{name}/points POST" -> "{\"ids\":[1]}";
                    case "/collections/{name}/points/delete POST" -> "{\"points\":[]}";
                    case "/collections/{name}/points/search POST" -> "{\"vector\":[1,0]}";
                    case "/collections/{name}/points/search/batch POST" -> "{\"searches\":[{\"vector\":[1,0]}]}";
                    case "/collections/{name} PATCH" -> "{\"hnsw_config\":{\"m\":16}}";
                    case "/collections/{name}/points/payload POST", "/collections/{name}/points/payload PUT" ->
                            "{\"payload\":{\"n\":1,\"city\":\"Oslo\"},\"points\":[1]}";
                    case "/collections/{name}/points/payload/delete POST" -> "{\"keys\":[\"x\"],\"points\":[2]}";
                    case "/collections/{name}/points/payload/clear POST" -> "{\"points\":[]}";
                    case "/collections/{name}/points/vectors PUT" -> "{\"points\":[{\"id\":2,\"vector\":[0,1]}]}";
                    case "/collections/{name}/points/recommend POST" -> "{\"positive\":[1]}";
                    case "/collections/{name}/points/recommend/batch POST" -> "{\"searches\":[{\"positive\":[1]}]}";
                    case "/collections/{name}/points/query POST" -> "{\"query\":[1,0]}";
                    case "/collections/{name}/points/query/batch POST" -> "{\"searches\":[{\"query\":2}]}";
                    case "/collections/{name}/points/search/groups POST" -> "{\"vector\":[1,0],\"group_by\":\"n\"}";
                    case "/collections/{name}/points/query/groups POST" -> "{\"query\":[1,0],\"group_by\":\"n\"}";
                    case "/collections/{name}/facet POST" -> "{\"key\":\"n\"}";
                    case "/collections/{name}/points/batch POST" -> "{\"operations\":[]}";
                    case "/collections/{name}/index PUT" -> "{\"field_name\":\"n\",\"field_schema\":\"integer\"}";
                    case "/collections/aliases POST" ->
                            "{\"actions\":[{\"create_alias\":{\"collection_name\":\"documented\",\"alias_name\":\"documented-a\"}}]}";
                    default -> method.equals("GET") ? null : "{}";
                };
                String target = concrete;
                if (method.equals("DELETE")) {
                    target = concrete.replace("documented", "documented-drop");
                    createCollection("documented-drop", 2, "Cosine");
                }
                ApiClient.Reply r = api.send(method, target, body);
                if (path.getKey().equals("/collections/{name}/points/vectors/delete")) {
                    assertEquals(400, r.status(), "documented as always refused: " + r.body());
                    calls++;
                    continue;
                }
                assertEquals(200, r.status(), method + " " + target + " -> " + r.body());
                calls++;
            }
        }
        int routeMethods = Arrays.stream(Route.values()).mapToInt(r -> r.methods().size()).sum();
        assertEquals(routeMethods, calls, "every route and method of the server is documented");

        JsonNode search = doc.at("/components/schemas/SearchRequest/properties");
        for (String field : List.of("vector", "text", "filter", "limit", "offset", "params", "fusion", "with_payload",
                "with_vector", "explain")) {
            assertTrue(search.has(field), "SearchRequest documents " + field);
        }
        assertTrue(doc.at("/paths/~1collections~1{name}~1points~1delete/post/requestBody/content/application~1json"
                + "/schema/properties").has("filter"), "delete documents filter");
        assertTrue(doc.at("/paths/~1collections~1{name}~1points~1count/post/requestBody/content/application~1json"
                + "/schema/properties").has("filter"), "count documents filter");
        assertTrue(doc.at("/components/schemas/CollectionInfo/properties").has("payload_schema"));
        String filter = "{\"must\":[{\"key\":\"n\",\"range\":{\"gte\":1}}],\"must_not\":[{\"has_id\":[9]}]}";
        for (String valid : List.of(
                "{\"vector\":[1,0],\"filter\":" + filter + ",\"params\":{\"filter_strategy\":\"pre\"},\"explain\":true}",
                "{\"text\":\"flow\",\"filter\":" + filter + "}",
                "{\"vector\":[1,0],\"text\":\"supersonic\",\"fusion\":{\"method\":\"weighted\",\"alpha\":0.3}}")) {
            assertEquals(2, ok(api.send("POST", "collections/documented/points/search", valid)).result().size(), valid);
        }
        assertEquals(2, ok(api.send("POST", "collections/documented/points/count", "{\"filter\":" + filter + "}"))
                .result().get("count").asLong());
        assertEquals(1, ok(api.send("GET", "collections/documented", null)).result().get("payload_schema").size());
        assertEquals(1, ok(api.send("POST", "collections/documented/points/delete",
                "{\"filter\":{\"must\":[{\"key\":\"city\",\"match\":{\"value\":\"Oslo\"}}]}}")).result()
                .get("deleted").asInt());
    }

    private static JsonNode ok200Json(ApiClient.Reply r) {
        assertEquals(200, r.status(), r.body());
        return r.json();
    }
}
