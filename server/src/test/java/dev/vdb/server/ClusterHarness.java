package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.ScrollPage;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.testkit.net.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Three cluster nodes as processes, a collection of {@value #SHARDS} shards with 3 replicas,
 * writers and a searcher running against them while nodes are killed ({@code kill -9}),
 * restarted and paused, and a model of the acknowledged writes as the oracle.
 *
 * <p>Each writer owns its ids (one uses string ids), so the writes to an id form one sequence.
 * A point's vector and payload are a function of its id and the number of the write, so a point
 * read back names its write. A write without an answer (its node died, or it was refused) is
 * sent again, identical, to another node until one acknowledges it: only then does the writer go
 * on, so the model is exact. After each acknowledged write the writer reads one of its points
 * through another node: it must see that write (read-your-writes across nodes).
 *
 * <p>A check stops the writers and then, through every node: every id holds its last
 * acknowledged state, the count equals the live ids, exact search equals exact search on one
 * embedded collection holding the model's points; and every replica of every shard has applied
 * the same log index and holds as many points. At the end the nodes stop and each node's local
 * shard collections are compared point by point across replicas.
 *
 * <p>Not thread-safe: one test drives it; its writer threads share only concurrent counters.
 */
final class ClusterHarness {

    static final String COLLECTION = "c";
    static final int SHARDS = 2;
    static final int DIM = 8;
    static final int IDS_PER_WRITER = 300;

    final List<ClusterNodeProcess> nodes = new ArrayList<>();
    private final List<ApiClient> clients = new ArrayList<>();
    private final Random random;
    private final long seed;
    /** Model: id (Long or String) → [writer op] of its last acknowledged upsert; absent = deleted or never written. */
    private final Map<Object, Integer> model = new ConcurrentHashMap<>();
    final AtomicLong acks = new AtomicLong();
    final AtomicLong resent = new AtomicLong();
    final AtomicLong rywChecks = new AtomicLong();
    final AtomicLong searches = new AtomicLong();
    final AtomicLong searchFailures = new AtomicLong();
    final AtomicLong pointChecks = new AtomicLong();
    final AtomicLong searchChecks = new AtomicLong();
    long kills;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    ClusterHarness(Path dir, long seed, List<String> jvmFlags) {
        this.seed = seed;
        this.random = new Random(seed);
        int[] http = new int[3];
        int[] raft = new int[3];
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            http[i] = Ports.free();
            raft[i] = Ports.free();
            entries.add((i + 1) + "=127.0.0.1:" + http[i] + ":" + raft[i]);
        }
        String peers = String.join(",", entries);
        for (int i = 0; i < 3; i++) {
            ClusterNodeProcess n = new ClusterNodeProcess(i + 1, http[i], raft[i], peers, dir.resolve("node" + (i + 1)),
                    dir.resolve("node" + (i + 1) + ".log"), jvmFlags);
            nodes.add(n);
            clients.add(new ApiClient(n.uri(), null));
        }
    }


    /** Starts the three nodes at once (each waits for a majority only when it is asked to write). */
    void startAll() throws Exception {
        List<java.util.concurrent.CompletableFuture<Void>> starts = new ArrayList<>();
        for (ClusterNodeProcess n : nodes) {
            java.util.concurrent.CompletableFuture<Void> started = new java.util.concurrent.CompletableFuture<>();
            Thread.ofPlatform().name("start-node-" + n.id()).start(() -> {
                try {
                    n.start();
                    started.complete(null);
                } catch (Throwable t) {
                    started.completeExceptionally(t);
                }
            });
            starts.add(started);
        }
        for (var f : starts) {
            f.join();
        }
        // Until the nodes have elected leaders a creation is refused (503); creating again is harmless.
        long deadline = System.nanoTime() + 120_000_000_000L;
        ApiClient.Reply r;
        do {
            r = clients.get(0).send("PUT", "/collections/" + COLLECTION,
                    "{\"vectors\":{\"size\":" + DIM + ",\"distance\":\"Cosine\"},\"shard_number\":" + SHARDS
                            + ",\"replication_factor\":3}");
        } while (r.status() == 503 && System.nanoTime() < deadline);
        assertEquals(200, r.status(), r.body());
        JsonNode params = clients.get(1).send("GET", "/collections/" + COLLECTION, null).result().get("config").get("params");
        assertEquals(SHARDS, params.get("shard_number").asInt(), "collection info through another node: " + params);
        assertEquals(3, params.get("replication_factor").asInt(), "collection info through another node: " + params);
        JsonNode cluster = clients.get(2).send("GET", "/cluster", null).result();
        assertEquals("enabled", cluster.get("status").asText(), cluster.toString());
        assertEquals(3, cluster.get("peers").size(), cluster.toString());
    }

    // ---- the writers and the searcher

    static Object id(int writer, int k) {
        return writer == 1 ? "w1-" + k : (long) (writer * 10_000 + k);
    }

    static float[] vector(Object id, int op) {
        Random r = new Random(id.hashCode() * 1_000_003L + op);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    static Map<String, Object> payload(Object id, int op) {
        return Map.of("op", op, "key", String.valueOf(id));
    }

    void startLoad(int writers) {
        running.set(true);
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Random r = new Random(seed * 31 + w);
            threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> guard(() -> write(writer, r))));
        }
        threads.add(Thread.ofPlatform().name("searcher").start(() -> guard(this::search)));
    }

    void stopLoad() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        threads.clear();
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("a load thread failed: " + failures.get(0), failures.get(0));
            failures.clear();
            throw e;
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private void guard(Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    private final AtomicLong opCounter = new AtomicLong();

    private void write(int writer, Random r) throws Exception {
        while (running.get()) {
            int op = (int) opCounter.incrementAndGet();
            List<Object> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Object id = id(writer, r.nextInt(IDS_PER_WRITER));
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
            boolean delete = r.nextInt(5) == 0;
            String method = delete ? "POST" : "PUT";
            String path = "/collections/" + COLLECTION + (delete ? "/points/delete" : "/points");
            String body;
            if (delete) {
                body = ApiClient.json(Map.of("points", ids.subList(0, Math.min(5, ids.size()))));
            } else {
                List<Map<String, Object>> points = new ArrayList<>();
                for (Object id : ids) {
                    points.add(Map.of("id", id, "vector", vector(id, op), "payload", payload(id, op)));
                }
                body = ApiClient.json(Map.of("points", points));
            }
            int node = sendUntilAcknowledged(method, path, body, r);
            if (delete) {
                ids.subList(0, Math.min(5, ids.size())).forEach(model::remove);
            } else {
                ids.forEach(id -> model.put(id, op));
            }
            acks.incrementAndGet();
            checkReadYourWrite(ids.get(0), (node + 1 + r.nextInt(2)) % 3);
        }
    }

    /** Sends the write to nodes in turn until one acknowledges it; returns that node's index. */
    private int sendUntilAcknowledged(String method, String path, String body, Random r) throws Exception {
        int node = r.nextInt(3);
        long deadline = System.nanoTime() + 120_000_000_000L;
        for (int attempt = 0; ; attempt++) {
            try {
                ApiClient.Reply reply = clients.get(node).send(method, path, body);
                if (reply.status() == 200) {
                    return node;
                }
                if (reply.status() != 503) {
                    throw new AssertionError("write answered " + reply.status() + ": " + reply.body());
                }
            } catch (IOException connectionLost) {
                // the node is down: the write may or may not have been applied; send it again
            }
            resent.incrementAndGet();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no node acknowledged a write for 120 s");
            }
            node = (node + 1) % 3;
            Thread.sleep(50);
        }
    }

    private void checkReadYourWrite(Object id, int node) throws Exception {
        ApiClient.Reply reply;
        try {
            reply = clients.get(node).send("POST", "/collections/" + COLLECTION + "/points",
                    ApiClient.json(Map.of("ids", List.of(id), "with_vector", true)));
        } catch (IOException down) {
            return;
        }
        if (reply.status() == 503) {
            return;
        }
        assertEquals(200, reply.status(), reply.body());
        assertPoint(id, reply.result(), "read-your-writes through node " + (node + 1));
        rywChecks.incrementAndGet();
    }

    private void search() throws Exception {
        Random r = new Random(seed + 99);
        while (running.get()) {
            int node = r.nextInt(3);
            if (!nodes.get(node).alive()) {
                Thread.sleep(20);
                continue;   // a killed node answers nothing; what counts is that the others do
            }
            try {
                ApiClient.Reply reply = clients.get(node).send("POST", "/collections/" + COLLECTION + "/points/search",
                        ApiClient.json(Map.of("vector", vector("q", r.nextInt()), "limit", 10)));
                if (reply.status() == 200) {
                    searches.incrementAndGet();
                } else {
                    searchFailures.incrementAndGet();
                }
            } catch (IOException down) {
                searchFailures.incrementAndGet();
            }
            Thread.sleep(20);
        }
    }

    // ---- faults

    /** Kills a random live node (or the given one) with SIGKILL; returns its index. */
    int killOne(int index) throws InterruptedException {
        nodes.get(index).kill();
        kills++;
        return index;
    }

    int randomNode() {
        return random.nextInt(3);
    }

    /** The index of the node leading {@code shard}, as a live node reports it (-1 when none is known). */
    int leaderOf(int shard) throws Exception {
        for (int i = 0; i < 3; i++) {
            if (!nodes.get(i).alive()) {
                continue;
            }
            ApiClient.Reply r = clients.get(i).send("GET", "/collections/" + COLLECTION + "/cluster", null);
            JsonNode leader = r.result().get("shards").get(shard).get("leader");
            if (leader != null && !leader.isNull()) {
                return Integer.parseInt(leader.asText()) - 1;
            }
        }
        return -1;
    }

    /** Waits until {@code n} more writes are acknowledged; false after {@code seconds}. */
    boolean awaitAcks(long n, int seconds) throws InterruptedException {
        return awaitMore(acks, n, seconds);
    }

    /** Waits until {@code n} more searches are answered; false after {@code seconds}. */
    boolean awaitSearches(long n, int seconds) throws InterruptedException {
        return awaitMore(searches, n, seconds);
    }

    private boolean awaitMore(AtomicLong counter, long n, int seconds) throws InterruptedException {
        long target = counter.get() + n;
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (counter.get() < target) {
            if (System.nanoTime() > deadline || !failures.isEmpty()) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    // ---- checks

    /** With the load stopped: every node answers as the model says. */
    void checkAll() throws Exception {
        awaitReplicasConverged();
        try (VectorDb oracleDb = VectorDb.open(nodes.get(0).dataDir().resolveSibling("oracle-" + System.nanoTime()))) {
            VectorCollection oracle = oracleDb.createCollection("o", CollectionConfig.of(DIM, Distance.COSINE));
            List<Point> live = new ArrayList<>();
            model.forEach((id, op) -> live.add(id instanceof Long l ? Point.of(l, vector(id, op), payload(id, op))
                    : Point.of((String) id, vector(id, op), payload(id, op))));
            for (int i = 0; i < live.size(); i += 1000) {
                oracle.upsert(live.subList(i, Math.min(live.size(), i + 1000)));
            }
            List<Object> all = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                for (int k = 0; k < IDS_PER_WRITER; k++) {
                    all.add(id(w, k));
                }
            }
            for (int n = 0; n < 3; n++) {
                ApiClient c = clients.get(n);
                ApiClient.Reply got = c.send("POST", "/collections/" + COLLECTION + "/points",
                        ApiClient.json(Map.of("ids", all, "with_vector", true)));
                assertEquals(200, got.status(), got.body());
                Map<Object, JsonNode> byId = new HashMap<>();
                got.result().forEach(p -> byId.put(p.get("id").isNumber() ? (Object) p.get("id").asLong()
                        : p.get("id").asText(), p));
                for (Object id : all) {
                    JsonNode p = byId.get(id);
                    assertPoint(id, p == null ? ApiClient.MAPPER.createArrayNode() : ApiClient.MAPPER.createArrayNode().add(p),
                            "node " + (n + 1));
                    pointChecks.incrementAndGet();
                }
                ApiClient.Reply count = c.send("POST", "/collections/" + COLLECTION + "/points/count", "{}");
                assertEquals(model.size(), count.result().get("count").asLong(), "count through node " + (n + 1));
                Random r = new Random(seed + n);
                for (int q = 0; q < 10; q++) {
                    float[] query = vector("query", r.nextInt());
                    ApiClient.Reply hits = c.send("POST", "/collections/" + COLLECTION + "/points/search", ApiClient.json(
                            Map.of("vector", query, "limit", 10, "params", Map.of("exact", true))));
                    List<ScoredPoint> expected = oracle.search(SearchRequest.builder().vector(query).limit(10)
                            .params(SearchParams.EXACT).build());
                    List<Object> expectedIds = expected.stream().map(h -> h.id().value()).toList();
                    List<Object> actualIds = new ArrayList<>();
                    hits.result().forEach(h -> actualIds.add(h.get("id").isNumber() ? (Object) h.get("id").asLong()
                            : h.get("id").asText()));
                    assertEquals(expectedIds, actualIds, "exact search through node " + (n + 1));
                    searchChecks.incrementAndGet();
                }
            }
        }
    }

    /** The model's state of {@code id} against a points array of zero or one point. */
    private void assertPoint(Object id, JsonNode points, String where) {
        Integer op = model.get(id);
        if (op == null) {
            assertEquals(0, points.size(), where + ": id " + id + " should be absent, got " + points);
            return;
        }
        assertEquals(1, points.size(), where + ": id " + id + " should hold write " + op);
        JsonNode p = points.get(0);
        assertEquals(op, p.get("payload").get("op").asInt(), where + ": id " + id);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = p.get("vector").get(i).floatValue();
        }
        assertTrue(Arrays.equals(vector(id, op), v), where + ": vector of id " + id);
    }

    /** Waits until every shard's replicas report the same applied index and point count. */
    void awaitReplicasConverged() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            ApiClient.Reply r = clients.get(0).send("GET", "/collections/" + COLLECTION + "/cluster", null);
            boolean same = r.status() == 200;
            if (same) {
                for (JsonNode shard : r.result().get("shards")) {
                    JsonNode first = shard.get("replicas").get(0);
                    for (JsonNode rep : shard.get("replicas")) {
                        same &= rep.has("applied_index") && rep.get("applied_index").equals(first.get("applied_index"))
                                && rep.get("points").equals(first.get("points"));
                    }
                }
            }
            if (same) {
                return;
            }
            last = r.body();
            Thread.sleep(200);
        }
        throw new AssertionError("replicas did not converge within 60 s: " + last);
    }

    /** Stops every node cleanly and compares each shard's local collections across its replicas. */
    void stopAndCompareReplicas() throws Exception {
        for (ClusterNodeProcess n : nodes) {
            if (n.alive()) {
                n.stop();
            }
        }
        Map<String, List<List<Point>>> byShard = new LinkedHashMap<>();
        for (ClusterNodeProcess n : nodes) {
            try (VectorDb db = VectorDb.open(n.dataDir())) {
                for (String name : db.collectionNames()) {
                    if (name.endsWith("_" + COLLECTION) && name.startsWith("s")) {
                        byShard.computeIfAbsent(name, k -> new ArrayList<>()).add(allPoints(db.collection(name)));
                    }
                }
            }
        }
        assertEquals(SHARDS, byShard.size(), "shard collections " + byShard.keySet());
        long total = 0;
        for (var e : byShard.entrySet()) {
            assertEquals(3, e.getValue().size(), e.getKey() + " on every node");
            List<Point> first = e.getValue().get(0);
            total += first.size();
            for (List<Point> other : e.getValue()) {
                assertEquals(first.size(), other.size(), e.getKey());
                for (int i = 0; i < first.size(); i++) {
                    Point a = first.get(i);
                    Point b = other.get(i);
                    assertTrue(a.id().equals(b.id()) && Arrays.equals(a.vector(), b.vector())
                            && a.payload().equals(b.payload()), e.getKey() + ": " + a.id() + " vs " + b.id());
                }
            }
        }
        assertEquals(model.size(), total, "points over the shards");
    }

    private static List<Point> allPoints(VectorCollection c) {
        List<Point> out = new ArrayList<>();
        ScrollRequest req = ScrollRequest.of(500).including(true, true);
        for (ScrollPage p = c.scroll(req); ; p = c.scroll(req.startingAt(p.nextOffset()))) {
            out.addAll(p.points());
            if (p.nextOffset() == null) {
                return out;
            }
        }
    }

    /**
     * Pauses ({@code SIGSTOP}) every node but {@code isolated}, then asks {@code isolated} to write
     * points it cannot replicate: it must refuse (503) rather than acknowledge. After the others
     * resume, each shard's part of that write is found applied whole or not at all; the model
     * takes what was found.
     */
    void isolatedNodeRefusesWrites(int isolated) throws Exception {
        List<Object> ids = new ArrayList<>();
        List<Map<String, Object>> points = new ArrayList<>();
        int op = (int) opCounter.incrementAndGet();
        for (int k = 0; k < 20; k++) {
            Object id = id(2, k);
            ids.add(id);
            points.add(Map.of("id", id, "vector", vector(id, op), "payload", payload(id, op)));
        }
        List<ClusterNodeProcess> paused = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (i != isolated) {
                nodes.get(i).pause();
                paused.add(nodes.get(i));
            }
        }
        ApiClient.Reply write;
        ApiClient.Reply search;
        try {
            write = clients.get(isolated).send("PUT", "/collections/" + COLLECTION + "/points",
                    ApiClient.json(Map.of("points", points)));
            search = clients.get(isolated).send("POST", "/collections/" + COLLECTION + "/points/search",
                    ApiClient.json(Map.of("vector", vector("q", 1), "limit", 3)));
        } finally {
            for (ClusterNodeProcess n : paused) {
                n.resume();
            }
        }
        assertEquals(503, write.status(), "a node without a majority must refuse a write: " + write.body());
        assertEquals(503, search.status(), "and a linearizable read: " + search.body());
        awaitReplicasConverged();
        ApiClient.Reply got = clients.get((isolated + 1) % 3).send("POST", "/collections/" + COLLECTION + "/points",
                ApiClient.json(Map.of("ids", ids)));
        Map<Integer, Integer> foundPerShard = new HashMap<>();
        Map<Integer, Integer> idsPerShard = new HashMap<>();
        java.util.Set<Object> found = new java.util.HashSet<>();
        got.result().forEach(p -> found.add(p.get("id").asLong()));
        for (Object id : ids) {
            int shard = dev.vdb.cluster.ShardRouting.shardOf(PointId.of((Long) id), SHARDS);
            idsPerShard.merge(shard, 1, Integer::sum);
            if (found.contains(id)) {
                foundPerShard.merge(shard, 1, Integer::sum);
                model.put(id, op);
            }
        }
        idsPerShard.forEach((shard, n) -> {
            int f = foundPerShard.getOrDefault(shard, 0);
            assertTrue(f == 0 || f == n, "shard " + shard + " applied " + f + " of its " + n + " points of the refused write");
        });
        System.out.println("cluster harness: the refused write was found applied on " + foundPerShard.size()
                + " of " + idsPerShard.size() + " shards (allowed: it was never acknowledged)");
    }

    ApiClient client(int node) {
        return clients.get(node);
    }

    int modelSize() {
        return model.size();
    }

    String stats() {
        return "kills " + kills + ", acknowledged writes " + acks + ", resent " + resent + ", read-your-writes checks "
                + rywChecks + ", searches through live nodes " + searches + " (" + searchFailures + " not answered: elections, a node starting), point checks "
                + pointChecks + ", exact-search checks " + searchChecks + ", live points " + model.size();
    }

    void killAll() {
        for (ClusterNodeProcess n : nodes) {
            if (n.alive()) {
                try {
                    n.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
