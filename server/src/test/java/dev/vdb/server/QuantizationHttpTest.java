package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.collection.RocksCollection;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quantization over HTTP in Qdrant's shape, with a real HTTP client against an in-process
 * server: {@code quantization_config} at creation and in {@code PATCH /collections/{name}}
 * ({@code "Disabled"} removes it), reported with the memory by {@code GET /collections/{name}};
 * search {@code params.quantization}; bad values are 400s naming the field. Scores of rescored
 * searches are checked against the exact search's.
 */
class QuantizationHttpTest {
    private static final int DIM = 16;
    private static final int N = 400;

    @TempDir
    static Path dir;
    private static VectorDb db;
    private static VdbServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() throws IOException {
        db = VectorDb.open(dir.resolve("db"));
        server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null, 1 << 20, 2));
        api = new ApiClient(URI.create("http://127.0.0.1:" + server.address().getPort() + "/"), null);
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

    private static JsonNode ok(ApiClient.Reply r) {
        assertEquals(200, r.status(), r.body());
        return r.json().get("result");
    }

    private static void expect400(String messagePart, String method, String path, String body) throws Exception {
        ApiClient.Reply r = api.send(method, path, body);
        assertEquals(400, r.status(), method + " " + path + " -> " + r.body());
        assertTrue(r.error().contains(messagePart), "'" + r.error() + "' should contain '" + messagePart + "'");
    }

    private static JsonNode info(String name) throws Exception {
        return ok(api.send("GET", "collections/" + name, null));
    }

    private static JsonNode search(String name, float[] query, Map<String, Object> params) throws Exception {
        return ok(api.send("POST", "collections/" + name + "/points/search",
                ApiClient.json(Map.of("vector", query, "limit", 10, "params", params))));
    }

    @Test
    void createSearchUpdateAndRemoveQuantization() throws Exception {
        ok(api.send("PUT", "collections/q", "{\"vectors\":{\"size\":" + DIM + ",\"distance\":\"Dot\"},"
                + "\"quantization_config\":{\"scalar\":{\"type\":\"int8\",\"quantile\":0.95,\"always_ram\":true}}}"));
        ok(api.send("PUT", "collections/q/points", TestPoints.upsertBody(0, N, DIM)));
        JsonNode created = info("q");
        assertEquals("int8", created.at("/config/quantization_config/scalar/type").asText(), created.toString());
        assertEquals(0.95, created.at("/config/quantization_config/scalar/quantile").asDouble(), 1e-6);
        assertTrue(created.at("/memory/off_heap_mapped_bytes").asLong() >= (long) N * DIM * Float.BYTES, created.toString());
        assertTrue(created.at("/memory/heap_bytes").asLong() > 0, created.toString());

        for (long q = 1000; q < 1005; q++) {
            float[] query = TestPoints.vector(q, DIM);
            JsonNode exact = search("q", query, Map.of("exact", true));
            JsonNode rescored = search("q", query, Map.of("hnsw_ef", 64,
                    "quantization", Map.of("ignore", false, "rescore", true, "oversampling", 2.0)));
            assertEquals(10, rescored.size());
            Map<Long, Double> exactScores = new java.util.HashMap<>();
            exact.forEach(h -> exactScores.put(h.get("id").asLong(), h.get("score").asDouble()));
            for (JsonNode hit : rescored) {
                if (exactScores.containsKey(hit.get("id").asLong())) {
                    assertEquals(exactScores.get(hit.get("id").asLong()), hit.get("score").asDouble(), 1e-4,
                            "a rescored hit has its exact score: " + hit);
                }
            }
            JsonNode viaQuery = ok(api.send("POST", "collections/q/points/query", ApiClient.json(Map.of("query", query,
                    "limit", 10, "params", Map.of("quantization", Map.of("rescore", false))))));
            assertEquals(10, viaQuery.get("points").size(), viaQuery.toString());
        }

        ok(api.send("PATCH", "collections/q", "{\"quantization_config\":{\"binary\":{\"always_ram\":true}}}"));
        assertTrue(((RocksCollection) db.collection("q")).awaitQuantization(Duration.ofMinutes(1)));
        assertTrue(info("q").at("/config/quantization_config/binary").isObject(), info("q").toString());
        assertEquals(10, search("q", TestPoints.vector(2000, DIM), Map.of()).size());

        ok(api.send("PATCH", "collections/q", "{\"quantization_config\":\"Disabled\"}"));
        assertTrue(((RocksCollection) db.collection("q")).awaitQuantization(Duration.ofMinutes(1)));
        JsonNode disabled = info("q");
        assertTrue(disabled.at("/config/quantization_config").isNull(), disabled.toString());
        assertEquals(0, disabled.at("/memory/off_heap_mapped_bytes").asLong(), disabled.toString());
        assertEquals(10, search("q", TestPoints.vector(2001, DIM), Map.of()).size());
    }

    @Test
    void badQuantizationValuesAre400sNamingTheField() throws Exception {
        String vectors = "\"vectors\":{\"size\":4,\"distance\":\"Cosine\"}";
        for (List<String> bad : List.of(
                List.of("quantization_config.scalar.quantile must be in (0.5, 1], got 0.3",
                        "{\"scalar\":{\"type\":\"int8\",\"quantile\":0.3}}"),
                List.of("quantization_config.scalar.type must be int8", "{\"scalar\":{\"type\":\"int4\"}}"),
                List.of("quantization_config.product is not supported", "{\"product\":{\"compression\":\"x16\"}}"),
                List.of("quantization_config.binary: unknown field", "{\"binary\":{\"bits\":2}}"),
                List.of("quantization_config must be a JSON object", "\"Disabled\""))) {
            expect400(bad.get(0), "PUT", "collections/bad", "{" + vectors + ",\"quantization_config\":" + bad.get(1) + "}");
        }
        assertEquals(404, api.send("GET", "collections/bad", null).status(), "nothing was created");

        ok(api.send("PUT", "collections/plain", "{" + vectors + "}"));
        ok(api.send("PUT", "collections/plain/points", TestPoints.upsertBody(0, 20, 4)));
        expect400("quantization_config.scalar.quantile", "PATCH", "collections/plain",
                "{\"quantization_config\":{\"scalar\":{\"type\":\"int8\",\"quantile\":1.5}}}");
        assertTrue(info("plain").at("/config/quantization_config").isNull(), "a refused update changes nothing");
        expect400("params.quantization.oversampling must be in 1..100, got 0.5", "POST", "collections/plain/points/search",
                "{\"vector\":[1,0,0,0],\"params\":{\"quantization\":{\"oversampling\":0.5}}}");
        expect400("params.quantization.rescore must be true or false", "POST", "collections/plain/points/search",
                "{\"vector\":[1,0,0,0],\"params\":{\"quantization\":{\"rescore\":\"yes\"}}}");
        expect400("params.quantization.oversampling", "POST", "collections/plain/points/query",
                "{\"query\":[1,0,0,0],\"params\":{\"quantization\":{\"oversampling\":1000}}}");
    }
}
