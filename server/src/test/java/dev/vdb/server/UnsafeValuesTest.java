package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.VectorDb;
import dev.vdb.testkit.data.Metric;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Well-formed values that once corrupted ids or answers (issue 14, items 6 and 7), over HTTP: ids
 * with lone surrogates (stored as UTF-8 they became {@code ?} and collided), and vectors whose
 * Dot or Euclid scores overflow to infinity or NaN. Each is a 400 naming the field and the id;
 * nothing is stored; and no answer ever carries {@code "NaN"} or {@code "Infinity"}.
 */
class UnsafeValuesTest {
    /** Components of a vector of squared length 4.1e37, just inside the engine's bound. */
    private static final float EDGE = 3.2e18f;

    @TempDir
    static Path dir;
    static VectorDb db;
    static VdbServer server;
    static ApiClient api;

    @BeforeAll
    static void start() throws java.io.IOException {
        db = VectorDb.open(dir);
        server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null, ServerOptions.DEFAULT_MAX_BODY_BYTES, 4));
        api = new ApiClient(URI.create("http://127.0.0.1:" + server.address().getPort() + "/"), null);
    }

    @AfterAll
    static void stop() {
        server.stop(VdbServer.DEFAULT_GRACE);
        db.close();
    }

    @Test
    void idsWithLoneSurrogatesAre400sNamingTheIdAndStoreNothing() throws Exception {
        create("ids", "Dot");
        assertEquals(200, api.send("PUT", "collections/ids/points",
                "{\"points\":[{\"id\":\"a?\",\"vector\":[1,0,0,0],\"payload\":{\"v\":\"question mark\"}}]}").status());
        // two ids that UTF-8 would both have stored as "a?": the batch's de-duplication must not see two points
        ApiClient.Reply batch = api.send("PUT", "collections/ids/points", "{\"points\":["
                + "{\"id\":\"a\\ud800\",\"vector\":[0,1,0,0]},{\"id\":\"a\\udbff\",\"vector\":[0,0,1,0]}]}");
        assertEquals(400, batch.status(), batch.body());
        assertEquals("points[0].id: id must be valid Unicode text, got 'a\\uD800' with a lone surrogate \\uD800 at index 1",
                batch.error());
        ApiClient.Reply column = api.send("PUT", "collections/ids/points",
                "{\"batch\":{\"ids\":[\"ok\",\"\\udc00x\"],\"vectors\":[[1,1,0,0],[0,1,1,0]]}}");
        assertEquals(400, column.status());
        assertTrue(column.error().startsWith("batch.ids[1]: id must be valid Unicode text"), column.error());
        ApiClient.Reply delete = api.send("POST", "collections/ids/points/delete", "{\"points\":[\"a\\ud800\"]}");
        assertEquals(400, delete.status());
        assertTrue(delete.error().startsWith("points[0]: id must be valid Unicode text"), delete.error());
        ApiClient.Reply hasId = api.send("POST", "collections/ids/points/count",
                "{\"filter\":{\"must\":[{\"has_id\":[\"a\\ud800\"]}]}}");
        assertEquals(400, hasId.status(), hasId.body());

        ApiClient.Reply all = api.send("POST", "collections/ids/points/scroll", "{\"limit\":10}");
        JsonNode points = all.result().get("points");
        assertEquals(1, points.size(), all.body());
        assertEquals("a?", points.get(0).get("id").asText());
        assertEquals("question mark", points.get(0).get("payload").get("v").asText());
    }

    @Test
    void vectorsWhoseScoresWouldOverflowAre400sAndAnswersStayFinite() throws Exception {
        for (String distance : List.of("Dot", "Euclid", "Cosine")) {
            String name = "overflow-" + distance.toLowerCase(Locale.ROOT);
            create(name, distance);
            ApiClient.Reply refused = api.send("PUT", "collections/" + name + "/points",
                    "{\"points\":[{\"id\":5,\"vector\":[3e38,-3e38,3e38,-3e38]}]}");
            assertEquals(400, refused.status(), refused.body());
            assertTrue(refused.error().startsWith("points[0].vector is too long") && refused.error().endsWith("(id 5)"),
                    refused.error());
            ApiClient.Reply query = api.send("POST", "collections/" + name + "/points/search",
                    "{\"vector\":[3e38,3e38,3e38,3e38],\"limit\":3}");
            assertEquals(400, query.status(), query.body());
            assertTrue(query.error().startsWith("vector is too long"), query.error());

            float[][] vectors = {{EDGE, EDGE, EDGE, EDGE}, {-EDGE, -EDGE, -EDGE, -EDGE}, {EDGE, -EDGE, EDGE, -EDGE}};
            assertEquals(200, api.send("PUT", "collections/" + name + "/points", ApiClient.json(Map.of("points", List.of(
                    Map.of("id", 0, "vector", vectors[0]), Map.of("id", 1, "vector", vectors[1]),
                    Map.of("id", 2, "vector", vectors[2]))))).status());
            for (float[] q : vectors) {
                ApiClient.Reply hits = api.send("POST", "collections/" + name + "/points/search",
                        ApiClient.json(Map.of("vector", q, "limit", 3, "params", Map.of("exact", true))));
                assertEquals(200, hits.status(), hits.body());
                assertEquals(3, hits.result().size(), hits.body());
                for (JsonNode hit : hits.result()) {
                    JsonNode score = hit.get("score");
                    assertTrue(score.isNumber() && Double.isFinite(score.doubleValue()), distance + ": " + hits.body());
                    double expected = Metric.valueOf(distance.toUpperCase(Locale.ROOT)).userScore(q, vectors[hit.get("id").asInt()]);
                    assertEquals(expected, score.doubleValue(), Math.abs(expected) * 1e-5 + 1e-6, hits.body());
                }
            }
        }
    }

    @Test
    void aPayloadPastTheLimitIsA400NamingThePointAndTheLimitHolds() throws Exception {
        create("payloads", "Dot");
        int limit = ServerOptions.DEFAULT_MAX_PAYLOAD_BYTES;
        // {"s":"xx..."} is 8 bytes of JSON plus the string: exactly the limit passes, a byte more does not
        String atLimit = "{\"s\":\"" + "x".repeat(limit - 8) + "\"}";
        String pastLimit = "{\"s\":\"" + "x".repeat(limit - 7) + "\"}";
        assertEquals(200, api.send("PUT", "collections/payloads/points",
                "{\"points\":[{\"id\":1,\"vector\":[1,0,0,0],\"payload\":" + atLimit + "}]}").status());
        ApiClient.Reply refused = api.send("PUT", "collections/payloads/points",
                "{\"points\":[{\"payload\":" + pastLimit + ",\"id\":2,\"vector\":[0,1,0,0]}]}");
        assertEquals(400, refused.status(), refused.body());
        assertEquals("points[0].payload (id 2) is more than 1048576 bytes of JSON, the limit of a point's payload "
                + "(--max-payload-bytes)", refused.error());
        ApiClient.Reply column = api.send("PUT", "collections/payloads/points",
                "{\"batch\":{\"payloads\":[{},{\"n\":[" + "1,".repeat(limit) + "1]}],\"ids\":[3,4],"
                        + "\"vectors\":[[1,1,0,0],[0,1,1,0]]}}");
        assertEquals(400, column.status());
        assertTrue(column.error().startsWith("batch.payloads[1] (id 4) is more than 1048576 bytes"), column.error());
        // a payload update that would grow a payload past the limit (the engine measures the merge)
        ApiClient.Reply merged = api.send("POST", "collections/payloads/points/payload",
                "{\"payload\":{\"t\":1},\"points\":[1]}");
        assertEquals(400, merged.status());
        assertEquals("payload (id 1) is more than 1048576 bytes as JSON, the limit of a point's payload", merged.error());
        ApiClient.Reply count = api.send("POST", "collections/payloads/points/count", "{}");
        assertEquals(1, count.result().get("count").asInt(), "nothing of the refused requests was stored");
        ApiClient.Reply stored = api.send("GET", "collections/payloads/points/1", null);
        assertEquals(limit - 8, stored.result().get("payload").get("s").asText().length());
    }

    /**
     * A payload of 16 MiB of small numbers (a tree of it would take several times that) is refused
     * after its first MiB: reading the whole body allocates less than the body's own size.
     */
    @Test
    void refusingAHugePayloadBuildsNoTreeOfIt() throws Exception {
        byte[] body = ("{\"points\":[{\"payload\":{\"n\":[" + "0,".repeat(8 << 20) + "0]},\"id\":7,"
                + "\"vector\":[1,0,0,0]}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        PointRequestParser parser = new PointRequestParser(Json.newMapper(), ServerOptions.DEFAULT_MAX_PAYLOAD_BYTES);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parser.upsert(new java.io.ByteArrayInputStream(body), new CollectionVector(4, "")));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().startsWith("points[0].payload (id 7) is more than 1048576 bytes"), e.getMessage());
        assertTrue(allocated < body.length, "parsing allocated " + allocated + " bytes for a body of " + body.length);
    }

    @Test
    void theServersJsonWriterRefusesNanAndInfinity() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            JsonMappingException e = assertThrows(JsonMappingException.class,
                    () -> Json.newMapper().writeValueAsString(Map.of("score", (float) bad)));
            assertTrue(e.getMessage().contains("refusing to write " + bad + " into a JSON answer at /score"), e.getMessage());
        }
        assertThrows(IllegalStateException.class,
                () -> Json.newMapper().createGenerator(new java.io.StringWriter()).writeNumber(Double.NaN));
    }

    private static void create(String name, String distance) throws Exception {
        assertEquals(200, api.send("PUT", "collections/" + name,
                "{\"vectors\":{\"size\":4,\"distance\":\"" + distance + "\"}}").status());
    }
}
