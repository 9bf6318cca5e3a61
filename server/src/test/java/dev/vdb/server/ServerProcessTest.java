package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a separate JVM, killed for real. Oracle: the database reopened by a fresh
 * server process must hold every acknowledged batch exactly (vector and payload) and no batch
 * in part. Each batch writes {@value #BATCH} points whose payload carries the batch number,
 * so a half-applied batch would show as a batch with some but not all of its points.
 */
class ServerProcessTest {
    private static final int DIM = 16;
    private static final int BATCH = 50;

    @TempDir
    Path dir;

    /** What happened to each batch a client sent. */
    enum Outcome { ACKED, REJECTED, FAILED }

    private static String batchBody(int batch) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            long id = (long) batch * BATCH + i;
            points.add(TestPoints.point(id, DIM, Map.of("batch", batch, "marker", "batch-" + batch, "i", i)));
        }
        return ApiClient.json(Map.of("points", points));
    }

    /** Sends batches {@code first, first + step, ...} until told to stop or the server goes away. */
    private static Thread uploader(ApiClient api, int first, int step, Map<Integer, Outcome> outcomes,
                                   AtomicInteger acked) {
        return Thread.ofPlatform().name("uploader-" + first).start(() -> {
            for (int b = first; ; b += step) {
                try {
                    ApiClient.Reply r = api.send("PUT", "collections/crash/points", batchBody(b));
                    if (r.status() == 200) {
                        outcomes.put(b, Outcome.ACKED);
                        acked.incrementAndGet();
                    } else {
                        outcomes.put(b, Outcome.REJECTED);
                        assertEquals(503, r.status(), r.body());
                        return;
                    }
                } catch (IOException e) {
                    outcomes.put(b, Outcome.FAILED);
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static void awaitAcked(AtomicInteger acked, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acked.get() < n) {
            if (System.nanoTime() > deadline) {
                fail("only " + acked.get() + " batches acknowledged in 30 s");
            }
            Thread.sleep(5);
        }
    }

    /**
     * Checks the reopened store against the outcomes and returns how many batches are present.
     *
     * @param exactlyAcked true when a batch may be present only if it was acknowledged
     */
    private static int verify(ApiClient api, Map<Integer, Outcome> outcomes, boolean exactlyAcked) throws Exception {
        int maxBatch = outcomes.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int present = 0;
        for (int b = 0; b <= maxBatch + 1; b++) {
            List<Long> ids = LongStream.range((long) b * BATCH, (long) (b + 1) * BATCH).boxed().toList();
            ApiClient.Reply r = api.send("POST", "collections/crash/points",
                    ApiClient.json(Map.of("ids", ids, "with_vector", true)));
            assertEquals(200, r.status(), r.body());
            JsonNode points = r.result();
            Outcome outcome = outcomes.get(b);
            assertTrue(points.isEmpty() || points.size() == BATCH,
                    "batch " + b + " (" + outcome + ") half-applied: " + points.size() + " of " + BATCH + " points");
            if (outcome == Outcome.ACKED) {
                assertEquals(BATCH, points.size(), "acknowledged batch " + b + " lost");
            } else if (exactlyAcked || outcome == null) {
                assertEquals(0, points.size(), "batch " + b + " (" + outcome + ") present although not acknowledged");
            }
            for (int i = 0; i < points.size(); i++) {
                JsonNode p = points.get(i);
                long id = p.get("id").asLong();
                assertEquals(ids.get(i), id);
                float[] stored = new float[DIM];
                for (int d = 0; d < DIM; d++) {
                    stored[d] = p.get("vector").get(d).floatValue();
                }
                assertArrayEquals(TestPoints.vector(id, DIM), stored, "vector of point " + id);
                assertEquals(ApiClient.MAPPER.valueToTree(Map.of("batch", b, "marker", "batch-" + b, "i", i)),
                        p.get("payload"), "payload of point " + id);
            }
            present += points.isEmpty() ? 0 : 1;
        }
        JsonNode count = api.send("POST", "collections/crash/points/count", "{}").result();
        assertEquals((long) present * BATCH, count.get("count").asLong(), "no points beyond the checked batches");
        return present;
    }

    private static void createCollection(ApiClient api) throws Exception {
        ApiClient.Reply r = api.send("PUT", "collections/crash",
                ApiClient.json(Map.of("vectors", Map.of("size", DIM, "distance", "Euclid"))));
        assertEquals(200, r.status(), r.body());
    }

    /** A mistyped --data must show: the start-up line says whether the directory was created or opened, and what it holds. */
    @Test
    void startUpSaysWhetherTheDataWasCreatedOrOpened() throws Exception {
        Path data = dir.resolve("fresh");
        Path log = dir.resolve("server.log");
        try (ServerProcess server = ServerProcess.start(data, log)) {
            assertTrue(server.firstLine().endsWith("(data " + data.toAbsolutePath().normalize() + ": created, empty)"),
                    server.firstLine());
            ApiClient api = new ApiClient(server.uri(), null);
            createCollection(api);
            assertEquals(200, api.send("PUT", "collections/crash/points", TestPoints.upsertBody(0, 1234, DIM)).status());
            for (int i = 0; i < 20; i++) {
                assertEquals(200, api.send("PUT", "collections/more-" + i,
                        ApiClient.json(Map.of("vectors", Map.of("size", DIM, "distance", "Dot")))).status());
            }
            assertEquals(143, server.terminate());
        }
        try (ServerProcess server = ServerProcess.start(data, log)) {
            assertTrue(server.firstLine().endsWith(": opened, 21 collections)"), server.firstLine());
            // starting read the catalog only: no collection was loaded (each loads on its first request)
            ApiClient api = new ApiClient(server.uri(), null);
            for (String name : List.of("crash", "more-0", "more-19")) {
                ApiClient.Reply info = api.send("GET", "collections/" + name, (String) null);
                assertFalse(info.result().get("loaded").asBoolean(), info.body());
            }
            assertEquals(1234, api.send("GET", "collections/crash", (String) null).result().get("points_count").asLong());
        }
    }

    /** Beyond loopback without a key, anyone on the network may change the data: the server says so at start. */
    @Test
    void startUpWarnsWhenListeningBeyondLoopbackWithoutAKey() throws Exception {
        Path log = dir.resolve("open.log");
        try (ServerProcess server = ServerProcess.start(dir.resolve("open"), log, List.of(),
                List.of("--host", "0.0.0.0", "--threads", "2"))) {
            assertTrue(server.log().contains("beyond loopback without an API key"), server.log());
            assertEquals(143, server.terminate());
        }
    }

    @Test
    void everyAcknowledgedBatchSurvivesKillMinus9() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("server.log");
        Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
        AtomicInteger acked = new AtomicInteger();
        try (ServerProcess server = ServerProcess.start(data, log)) {
            ApiClient api = new ApiClient(server.uri(), null);
            createCollection(api);
            Thread client = uploader(api, 0, 1, outcomes, acked);
            awaitAcked(acked, 10);
            assertEquals(137, server.kill(), "exit status of SIGKILL (128 + 9)");
            client.join(30_000);
            assertTrue(!client.isAlive(), "client saw the server die");
        }
        assertTrue(outcomes.containsValue(Outcome.FAILED), "the kill interrupted an upsert stream: " + outcomes);

        try (ServerProcess server = ServerProcess.start(data, log)) {
            ApiClient api = new ApiClient(server.uri(), null);
            int present = verify(api, outcomes, false);
            assertTrue(present >= acked.get(), present + " batches present, " + acked.get() + " acknowledged");
            assertEquals(143, server.terminate(), "exit status after SIGTERM (128 + 15)");
        }
    }

    @Test
    void sigtermFinishesInFlightUpsertsAndClosesCleanly() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("server.log");
        Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
        AtomicInteger acked = new AtomicInteger();
        int clients = 4;
        try (ServerProcess server = ServerProcess.start(data, log)) {
            ApiClient api = new ApiClient(server.uri(), null);
            createCollection(api);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                threads.add(uploader(api, c, clients, outcomes, acked));
            }
            awaitAcked(acked, 10);
            assertEquals(143, server.terminate(), "exit status after SIGTERM (128 + 15)");
            for (Thread t : threads) {
                t.join(30_000);
                assertTrue(!t.isAlive(), "every client got an answer or an error");
            }
            String serverLog = server.log();
            assertTrue(serverLog.contains("database closed cleanly"), serverLog);
        }
        try (ServerProcess server = ServerProcess.start(data, log)) {
            ApiClient api = new ApiClient(server.uri(), null);
            int present = verify(api, outcomes, true);
            assertEquals(acked.get(), present, "exactly the acknowledged batches are stored");
            assertEquals("ok", api.send("GET", "healthz", null).result().get("status").asText());
        }
    }
}
