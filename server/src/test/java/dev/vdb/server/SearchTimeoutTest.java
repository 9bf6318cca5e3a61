package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.VectorDb;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Query timeouts over HTTP, as Qdrant has them (issue 14, item 2): searches of every route, counts
 * and deletes by filter take {@code ?timeout=SECONDS}, else the server's {@code --search-timeout}
 * (here a nanosecond, so that every one of them runs past it); past it the answer is a 503 naming
 * the timeout, a delete by filter deletes nothing, and the server goes on serving. The 503 is
 * written by the thread that ran the search, after the search's loops stopped at their deadline
 * (engine {@code QueryTimeoutTest}, index {@code DeadlineTest}): no search goes on behind it.
 */
class SearchTimeoutTest {
    private static final int DIM = 8;
    private static final String SERVER_DEFAULT = "the request ran past its timeout of 0.000000001 s and was cancelled "
            + "(the server's --search-timeout; a request may give another with ?timeout=SECONDS)";

    @TempDir
    static Path dir;
    static VectorDb db;
    static VdbServer server;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        db = VectorDb.open(dir);
        server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null, ServerOptions.DEFAULT_MAX_BODY_BYTES, 4)
                .withLimits(ServerOptions.DEFAULT_MAX_PAYLOAD_BYTES, Duration.ofNanos(1)));
        api = new ApiClient(URI.create("http://127.0.0.1:" + server.address().getPort() + "/"), null);
        assertEquals(200, api.send("PUT", "collections/t", "{\"vectors\":{\"size\":" + DIM + ",\"distance\":\"Dot\"}}")
                .status());
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            points.add(Map.of("id", i, "vector", TestPoints.vector(i, DIM), "payload", Map.of("tag", "t" + (i % 3)),
                    "text", "flow over plate " + i));
        }
        assertEquals(200, api.send("PUT", "collections/t/points?timeout=1", ApiClient.json(Map.of("points", points)))
                .status(), "writes take Qdrant's timeout parameter and ignore it");
    }

    @AfterAll
    static void stop() {
        server.stop(VdbServer.DEFAULT_GRACE);
        db.close();
    }

    @Test
    void everySearchRouteCountAndDeleteByFilterAnswers503PastTheServersTimeout() throws Exception {
        String vector = ApiClient.json(TestPoints.vector(3, DIM));
        String filter = "{\"must\":[{\"key\":\"tag\",\"match\":{\"value\":\"t1\"}}]}";
        Map<String, String> requests = new LinkedHashMap<>(); // the delete last
        requests.put("points/search", "{\"vector\":" + vector + ",\"limit\":3}");
        requests.put("points/search/batch", "{\"searches\":[{\"vector\":" + vector + "},{\"text\":\"plate\"}]}");
        requests.put("points/query", "{\"query\":\"flow\",\"using\":\"text\",\"filter\":" + filter + "}");
        requests.put("points/query/batch", "{\"searches\":[{\"query\":" + vector + "}]}");
        requests.put("points/recommend", "{\"positive\":[0],\"limit\":3}");
        requests.put("points/recommend/batch", "{\"searches\":[{\"positive\":[0]}]}");
        requests.put("points/count", "{\"filter\":" + filter + "}");
        requests.put("points/delete", "{\"filter\":" + filter + "}");
        for (Map.Entry<String, String> r : requests.entrySet()) {
            ApiClient.Reply cancelled = api.send("POST", "collections/t/" + r.getKey(), r.getValue());
            assertEquals(503, cancelled.status(), r.getKey() + ": " + cancelled.body());
            assertEquals(SERVER_DEFAULT, cancelled.error(), r.getKey());
            ApiClient.Reply answered = api.send("POST", "collections/t/" + r.getKey() + "?wait=true&timeout=60",
                    r.getValue());
            assertEquals(200, answered.status(), r.getKey() + " within ?timeout=60: " + answered.body());
            if (r.getKey().equals("points/delete")) {
                assertEquals(167, answered.result().get("deleted").asInt(), "the cancelled delete deleted nothing");
            }
        }
        ApiClient.Reply all = api.send("POST", "collections/t/points/count", "{}");
        assertEquals(200, all.status(), "a count without a filter is not a query: it never times out");
        assertEquals(333, all.result().get("count").asInt());
    }

    @Test
    void theTimeoutParameterIsAPositiveNumberOfSeconds() throws Exception {
        String search = "{\"vector\":" + ApiClient.json(TestPoints.vector(4, DIM)) + ",\"params\":{\"exact\":true}}";
        ApiClient.Reply own = api.send("POST", "collections/t/points/search?timeout=0.000000001", search);
        assertEquals(503, own.status());
        assertEquals("the request ran past its timeout of 0.000000001 s and was cancelled (its timeout parameter)",
                own.error());
        assertEquals(200, api.send("POST", "collections/t/points/search?timeout=2.5", search).status());
        for (String bad : List.of("abc", "0", "-1", "", "NaN")) {
            ApiClient.Reply refused = api.send("POST", "collections/t/points/search?timeout=" + bad, search);
            assertEquals(400, refused.status(), bad);
            assertEquals("timeout must be a positive number of seconds, got '" + bad + "'", refused.error());
        }
        assertTrue(api.send("GET", "healthz", null).status() == 200, "the server goes on serving");
    }
}
