package dev.vdb.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Kills a real server process with SIGKILL while {@value #CLIENTS} clients upsert and delete over
 * HTTP, restarts it on the same data directory and checks the store against the clients' model,
 * cycle after cycle. Used by {@link CrashHarnessTest} (a few dozen cycles in CI, more in the long
 * mode, see docs/RELIABILITY.md).
 *
 * <p>The model: each client owns its own ids (client 2 uses string ids), so the writes to one id
 * form one sequence and "last write" is well defined. Every write is an operation numbered by its
 * client; an upserted point's content (vector, payload {@code {"client","op","id"}} and text) is a
 * function of its id and the operation, so any point read back names the operation that wrote it
 * and can be compared byte for byte. A client stops at its first request without an answer: that
 * one is <em>in flight</em> and may or may not have been applied, but never in part. Deletes only
 * name ids the model holds, so an applied delete is visible on every id it names.
 *
 * <p>After each restart: every id holds exactly its last acknowledged state, or every id of the
 * client's in-flight operation holds that operation's state (all of them or none); the count equals
 * the live ids; the graph indexes every live point; HNSW search at {@code hnsw_ef} {@value #EF}
 * finds at least {@value #MIN_RECALL} of the exact top {@value #K} for {@value #QUERIES} random
 * queries and never returns an id the model says is gone; the restart logged one id-map rebuild line.
 *
 * <p>Not thread-safe: one harness per data directory, driven by one thread (clients are its own).
 */
final class CrashHarness {
    static final String COLLECTION = "crash";
    static final int DIM = 16;
    static final int CLIENTS = 3;
    static final int IDS_PER_CLIENT = 1_000;
    private static final int UPSERT_BATCH = 20;
    private static final int DELETE_BATCH = 5;
    private static final int QUERIES = 100;
    private static final int K = 10;
    private static final int EF = 500;
    private static final double MIN_RECALL = 0.99;
    /** Every this many cycles the server is also stopped cleanly once, so that a saved graph is replayed. */
    private static final int CLEAN_RESTART_EVERY = 8;
    /** A cycle kills the server after a random number of acknowledged writes up to this, plus up to 30 ms. */
    private static final int MAX_WRITES_BEFORE_KILL = 40;

    private final Path dataDir;
    private final Path log;
    /** Where in the log the run the last kill ended began. */
    private long killedRunLogStart;
    /** Extra flags for the server JVM (the harness restarts it hundreds of times). */
    private final List<String> jvmFlags;
    private final SplittableRandom random;
    private final List<ClientModel> clients = new ArrayList<>();
    private final Stats stats = new Stats();

    /** What the harness did and checked, for the test and the long-mode report. */
    static final class Stats {
        int cycles;
        int cleanRestarts;
        long ackedOps;
        long ackedPoints;
        long inFlightApplied;
        long inFlightNotApplied;
        long pointChecks;
        long searchChecks;
        double minRecall = 1;

        @Override
        public String toString() {
            return cycles + " kill cycles (" + cleanRestarts + " extra clean restarts), " + ackedOps
                    + " acknowledged writes (" + ackedPoints + " points), in-flight writes at the kill: "
                    + inFlightApplied + " applied, " + inFlightNotApplied + " not applied; " + pointChecks
                    + " point checks, " + searchChecks + " search checks, lowest recall@" + K + " " + minRecall;
        }
    }

    /** One write: an upsert of {@code ids} with content of operation {@code number}, or their delete. */
    private record Op(long number, boolean delete, int[] keys) {}

    /** A client's ids and what the store must hold for each. */
    private static final class ClientModel {
        final int client;
        final SplittableRandom random;
        /** Per key: the operation whose upsert the id holds, or -1 when absent. */
        final long[] state = new long[IDS_PER_CLIENT];
        long nextOp = 1;
        /** The request sent without an answer when the server died, or null. */
        Op inFlight;

        ClientModel(int client, SplittableRandom random) {
            this.client = client;
            this.random = random;
            Arrays.fill(state, -1);
        }

        Object id(int key) {
            return CrashHarness.id(client, key);
        }

        int liveCount() {
            int n = 0;
            for (long s : state) {
                n += s >= 0 ? 1 : 0;
            }
            return n;
        }

        Op nextOperation() {
            long number = nextOp++;
            List<Integer> live = new ArrayList<>();
            for (int k = 0; k < IDS_PER_CLIENT; k++) {
                if (state[k] >= 0) {
                    live.add(k);
                }
            }
            boolean delete = live.size() > IDS_PER_CLIENT / 2 && random.nextInt(10) < 3;
            int size = delete ? DELETE_BATCH : UPSERT_BATCH;
            Set<Integer> keys = new LinkedHashSet<>();
            while (keys.size() < size) {
                keys.add(delete ? live.get(random.nextInt(live.size())) : random.nextInt(IDS_PER_CLIENT));
            }
            return new Op(number, delete, keys.stream().mapToInt(Integer::intValue).toArray());
        }

        void apply(Op op) {
            for (int k : op.keys()) {
                state[k] = op.delete() ? -1 : op.number();
            }
        }
    }

    CrashHarness(Path dataDir, Path log, long seed, List<String> jvmFlags) {
        this.dataDir = dataDir;
        this.log = log;
        this.jvmFlags = jvmFlags;
        this.random = new SplittableRandom(seed);
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(new ClientModel(c, random.split()));
        }
    }

    Stats stats() {
        return stats;
    }

    static Object id(int client, int key) {
        int n = client * IDS_PER_CLIENT + key;
        return client == 2 ? "p-" + n : (Object) (long) n;
    }

    static float[] vector(Object id, long op) {
        SplittableRandom r = new SplittableRandom(id.hashCode() * 1_000_003L + op);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    static Map<String, Object> payload(int client, Object id, long op) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("client", client);
        p.put("op", op);
        p.put("id", id.toString());
        return p;
    }

    static String text(Object id, long op) {
        return "point " + id + " written by operation " + op;
    }

    private String body(int client, Op op) {
        List<Object> items = new ArrayList<>();
        for (int k : op.keys()) {
            Object id = id(client, k);
            if (op.delete()) {
                items.add(id);
            } else {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("id", id);
                p.put("vector", vector(id, op.number()));
                p.put("payload", payload(client, id, op.number()));
                p.put("text", text(id, op.number()));
                items.add(p);
            }
        }
        return ApiClient.json(Map.of("points", items));
    }

    /** Creates the collection and fills every id once (acknowledged), with the server stopped cleanly after. */
    void seed() throws Exception {
        try (ServerProcess server = ServerProcess.start(dataDir, log, jvmFlags)) {
            ApiClient api = new ApiClient(server.uri(), null);
            ApiClient.Reply r = api.send("PUT", "collections/" + COLLECTION,
                    ApiClient.json(Map.of("vectors", Map.of("size", DIM, "distance", "Cosine"))));
            check(r.status() == 200, "create: " + r.body());
            for (ClientModel c : clients) {
                for (int from = 0; from < IDS_PER_CLIENT; from += 250) {
                    int[] keys = IntStream.range(from, from + 250).toArray();
                    Op op = new Op(c.nextOp++, false, keys);
                    ApiClient.Reply reply = api.send("PUT", "collections/" + COLLECTION + "/points", body(c.client, op));
                    check(reply.status() == 200, "seed upsert: " + reply.body());
                    c.apply(op);
                }
            }
            check(server.terminate() == 143, "the seeding server did not exit on SIGTERM");
        }
    }

    /**
     * One cycle: start the server, check the store, sometimes restart it cleanly, run the clients
     * and kill the server with SIGKILL at a random moment.
     */
    void cycle() throws Exception {
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        ServerProcess server = ServerProcess.start(dataDir, log, jvmFlags);
        long runStart = logStart;
        try {
            ApiClient api = new ApiClient(server.uri(), null);
            verify(api);
            if (stats.cycles > 0) {
                checkIdMapRebuiltOnce(logStart); // the collection loaded on the first request of verify
            }
            if (stats.cycles % CLEAN_RESTART_EVERY == CLEAN_RESTART_EVERY - 1) {
                check(server.terminate() == 143, "the server did not exit on SIGTERM");
                server.close();
                runStart = Files.size(log);
                server = ServerProcess.start(dataDir, log, jvmFlags);
                api = new ApiClient(server.uri(), null);
                stats.cleanRestarts++;
            }
            runClients(api, server, null);
            killedRunLogStart = runStart;
            stats.cycles++;
        } finally {
            server.close();
        }
    }

    /**
     * The end of a run: start the server, check the store, write for {@code millis} more, stop
     * the clients and the server cleanly (SIGTERM), so that the id map is closed and can be
     * checked against RocksDB.
     */
    void finishCleanly(long millis) throws Exception {
        try (ServerProcess server = ServerProcess.start(dataDir, log, jvmFlags)) {
            ApiClient api = new ApiClient(server.uri(), null);
            verify(api);
            runClients(api, null, millis);
            verify(api);
            check(server.terminate() == 143, "the server did not exit on SIGTERM");
        }
    }

    /** Each client's model: id → the operation whose content it holds (absent ids left out). */
    Map<Object, Long> expectedPoints() {
        Map<Object, Long> expected = new LinkedHashMap<>();
        for (ClientModel c : clients) {
            check(c.inFlight == null, "client " + c.client + " has an unresolved write");
            for (int k = 0; k < IDS_PER_CLIENT; k++) {
                if (c.state[k] >= 0) {
                    expected.put(id(c.client, k), c.state[k]);
                }
            }
        }
        return expected;
    }

    /** Every id any client may have written. */
    static List<Object> allIds() {
        List<Object> ids = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            for (int k = 0; k < IDS_PER_CLIENT; k++) {
                ids.add(id(c, k));
            }
        }
        return ids;
    }

    /**
     * Runs the clients until {@code victim} is killed at a random moment, or, when it is null,
     * for {@code millis} and then asks them to stop after their current request.
     */
    private void runClients(ApiClient api, ServerProcess victim, Long millis) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicLong ackedOps = new AtomicLong();
        AtomicLong ackedPoints = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (ClientModel c : clients) {
            threads.add(Thread.ofPlatform().name("crash-client-" + c.client).start(
                    () -> runClient(api, c, stop, errors, ackedOps, ackedPoints)));
        }
        if (victim != null) {
            // a random moment, measured in acknowledged writes so that a slow machine still writes
            int target = random.nextInt(MAX_WRITES_BEFORE_KILL + 1);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (ackedOps.get() < target && errors.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(random.nextInt(30));
            check(victim.kill() == 137, "SIGKILL did not end the server");
        } else {
            Thread.sleep(millis);
            stop.set(true);
        }
        for (Thread t : threads) {
            t.join(60_000);
            check(!t.isAlive(), t.getName() + " got no answer within 60 s");
        }
        check(errors.isEmpty(), "clients failed: " + errors);
        stats.ackedOps += ackedOps.get();
        stats.ackedPoints += ackedPoints.get();
    }

    private void runClient(ApiClient api, ClientModel c, AtomicBoolean stop, ConcurrentLinkedQueue<String> errors,
                           AtomicLong ackedOps, AtomicLong ackedPoints) {
        while (!stop.get()) {
            Op op = c.nextOperation();
            c.inFlight = op;
            ApiClient.Reply r;
            try {
                r = api.send(op.delete() ? "POST" : "PUT",
                        "collections/" + COLLECTION + "/points" + (op.delete() ? "/delete" : ""), body(c.client, op));
            } catch (IOException e) {
                return; // the server died: op stays in flight
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (r.status() != 200) {
                errors.add("client " + c.client + " op " + op.number() + ": " + r.status() + " " + r.body());
                return;
            }
            long done = r.result().get(op.delete() ? "deleted" : "upserted").asLong();
            if (done != op.keys().length) {
                errors.add("client " + c.client + " op " + op.number() + " " + (op.delete() ? "deleted " : "upserted ")
                        + done + " of " + op.keys().length + " points the model holds");
                return;
            }
            c.apply(op);
            c.inFlight = null;
            ackedOps.incrementAndGet();
            ackedPoints.addAndGet(op.keys().length);
        }
    }

    /** Checks the store against the model and resolves each client's in-flight write by what it finds. */
    private void verify(ApiClient api) throws Exception {
        Set<Object> live = new HashSet<>();
        for (ClientModel c : clients) {
            List<Object> ids = new ArrayList<>();
            for (int k = 0; k < IDS_PER_CLIENT; k++) {
                ids.add(c.id(k));
            }
            ApiClient.Reply r = api.send("POST", "collections/" + COLLECTION + "/points",
                    ApiClient.json(Map.of("ids", ids, "with_vector", true, "with_payload", true)));
            check(r.status() == 200, "get points: " + r.body());
            long[] found = new long[IDS_PER_CLIENT];
            Arrays.fill(found, -1);
            for (JsonNode p : r.result()) {
                JsonNode idNode = p.get("id");
                Object id = idNode.isTextual() ? idNode.asText() : (Object) idNode.asLong();
                int key = keyOf(c.client, id);
                long op = p.get("payload").get("op").asLong();
                checkContent(c.client, id, op, p);
                found[key] = op;
                stats.pointChecks++;
            }
            resolve(c, found);
            for (int k = 0; k < IDS_PER_CLIENT; k++) {
                if (c.state[k] >= 0) {
                    live.add(c.id(k));
                }
            }
        }
        JsonNode count = api.send("POST", "collections/" + COLLECTION + "/points/count", "{}").result();
        check(count.get("count").asLong() == live.size(), "count " + count + " but " + live.size() + " live ids");
        checkSearch(api, live); // also while the graph links what the saved graph lacked: scored exactly meanwhile
        awaitIndexed(api, live.size());
    }

    /** Waits until the graph indexes every live point (status green): the points a restart found missing are linked in the background. */
    private static void awaitIndexed(ApiClient api, long live) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            JsonNode info = api.send("GET", "collections/" + COLLECTION, null).result();
            long indexed = info.get("indexed_vectors_count").asLong();
            if (indexed == live && info.get("status").asText().equals("green")) {
                return;
            }
            check(System.nanoTime() < deadline, "the graph indexes " + indexed + " points of " + live + " after 120 s");
            Thread.sleep(20);
        }
    }

    /** Compares what was found with the model; an in-flight write must be applied on all its ids or none. */
    private void resolve(ClientModel c, long[] found) {
        Op op = c.inFlight;
        Set<Integer> inFlightKeys = new HashSet<>();
        int applied = 0;
        if (op != null) {
            for (int k : op.keys()) {
                inFlightKeys.add(k);
                long after = op.delete() ? -1 : op.number();
                if (found[k] == after) {
                    applied++;
                } else {
                    check(found[k] == c.state[k], "client " + c.client + " id " + c.id(k) + ": found operation "
                            + found[k] + ", expected " + c.state[k] + " or the in-flight " + describe(op));
                }
            }
            check(applied == 0 || applied == op.keys().length, "half-applied batch: " + applied + " of "
                    + op.keys().length + " ids of the in-flight " + describe(op) + " of client " + c.client);
        }
        for (int k = 0; k < IDS_PER_CLIENT; k++) {
            if (!inFlightKeys.contains(k)) {
                check(found[k] == c.state[k], "client " + c.client + " id " + c.id(k) + ": found operation "
                        + found[k] + ", expected the acknowledged " + c.state[k]
                        + (c.state[k] < 0 ? " (absent: never written or deleted)" : ""));
            }
        }
        if (op != null) {
            if (applied > 0) {
                c.apply(op);
                stats.inFlightApplied++;
            } else {
                stats.inFlightNotApplied++;
            }
            c.inFlight = null;
        }
    }

    private static String describe(Op op) {
        return (op.delete() ? "delete" : "upsert") + " (operation " + op.number() + ")";
    }

    private static int keyOf(int client, Object id) {
        long n = id instanceof String s ? Long.parseLong(s.substring(2)) : (Long) id;
        int key = (int) (n - (long) client * IDS_PER_CLIENT);
        check(key >= 0 && key < IDS_PER_CLIENT, "id " + id + " is not client " + client + "'s");
        return key;
    }

    private static void checkContent(int client, Object id, long op, JsonNode p) throws IOException {
        float[] want = vector(id, op);
        JsonNode v = p.get("vector");
        check(v.size() == DIM, "vector of " + id + " has " + v.size() + " dimensions");
        for (int d = 0; d < DIM; d++) {
            // parse the decimal as a float directly: it is the shortest form of the stored float
            check(Float.parseFloat(v.get(d).asText()) == want[d], "vector of " + id + " differs at " + d + ": "
                    + v + " (operation " + op + ")");
        }
        check(ApiClient.MAPPER.readTree(ApiClient.json(payload(client, id, op))).equals(p.get("payload")),
                "payload of " + id + ": " + p.get("payload"));
        check(p.has("text") && text(id, op).equals(p.get("text").asText()), "text of " + id + ": " + p.get("text"));
    }

    /** HNSW at a high ef against the exact oracle, and no hit outside the live ids. */
    private void checkSearch(ApiClient api, Set<Object> live) throws Exception {
        if (live.isEmpty()) {
            return;
        }
        int found = 0;
        int total = 0;
        for (int q = 0; q < QUERIES; q++) {
            float[] query = vector("query", random.nextLong());
            Set<Object> exact = searchIds(api, query, true, live);
            Set<Object> approx = searchIds(api, query, false, live);
            total += exact.size();
            for (Object id : approx) {
                found += exact.contains(id) ? 1 : 0;
            }
            stats.searchChecks++;
        }
        double recall = (double) found / total;
        stats.minRecall = Math.min(stats.minRecall, recall);
        check(recall >= MIN_RECALL, "HNSW at ef " + EF + " found " + found + " of " + total + " exact top-" + K + " hits");
    }

    private static Set<Object> searchIds(ApiClient api, float[] query, boolean exact, Set<Object> live) throws Exception {
        Map<String, Object> params = exact ? Map.of("exact", true) : Map.of("hnsw_ef", EF);
        ApiClient.Reply r = api.send("POST", "collections/" + COLLECTION + "/points/search",
                ApiClient.json(Map.of("vector", query, "limit", K, "params", params)));
        check(r.status() == 200, "search: " + r.body());
        Set<Object> ids = new HashSet<>();
        for (JsonNode hit : r.result()) {
            JsonNode idNode = hit.get("id");
            Object id = idNode.isTextual() ? idNode.asText() : (Object) idNode.asLong();
            check(live.contains(id), (exact ? "exact" : "HNSW") + " search returned " + id + ", which is not live");
            ids.add(id);
        }
        check(ids.size() == Math.min(K, live.size()), "search returned " + ids.size() + " distinct hits");
        return ids;
    }

    /**
     * After a kill the collection's first load (on the first request: start-up loads nothing) must
     * rebuild the uncleanly closed id map, saying so in one WARN line. Only if the killed run
     * loaded it: a run killed before its first request reached the collection (possible after a
     * clean restart) left the id map as the clean stop closed it, and its load may have been cut
     * short before saying it finished, so then no line or one is right.
     */
    private void checkIdMapRebuiltOnce(long logStart) throws IOException {
        byte[] all = Files.readAllBytes(log);
        String startLog = new String(all, (int) logStart, all.length - (int) logStart, StandardCharsets.UTF_8);
        String killedRun = new String(all, (int) killedRunLogStart, (int) (logStart - killedRunLogStart),
                StandardCharsets.UTF_8);
        boolean loadedBeforeKill = killedRun.contains("collection '" + COLLECTION + "': loaded from RocksDB");
        long lines = startLog.lines().filter(l -> l.contains("id map") && l.contains("rebuilding it from RocksDB")).count();
        check(lines == 1 || (!loadedBeforeKill && lines == 0), "expected one id-map rebuild line after a kill"
                + (loadedBeforeKill ? "" : " (or none: the killed run never finished loading)") + ", got " + lines
                + ":\n" + startLog);
        check(lines == 0 || startLog.contains("was not closed cleanly"), "the id-map line gives another reason:\n" + startLog);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
