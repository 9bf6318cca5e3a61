package dev.vdb.server.load;

import dev.vdb.engine.Collection;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Point;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorDb;
import dev.vdb.index.data.Datasets;
import dev.vdb.index.data.Vecs;
import dev.vdb.server.ServerOptions;
import dev.vdb.server.VdbServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vdb bench http-load}: search throughput and latency over HTTP against embedded search
 * in the same run. N search clients (k = limit, fixed ef) run while one writer upserts new
 * points at a fixed rate, calling the {@link Collection} directly (with N threads, and with one
 * thread per core, the embedded optimum), then over HTTP on loopback through an in-process
 * {@link VdbServer}. Each phase is warmed up first, and the phases are repeated
 * {@code --rounds} times, interleaved, keeping the best of each (other load on the machine then
 * falls on all alike). Prints queries/s, p50/p99 and the ratio of HTTP to
 * embedded throughput. The HTTP clients are lean keep-alive connections by default (as wrk's
 * are), or the JDK's {@code HttpClient}; the server's access log goes to a file, as a deployed
 * server's would. A measuring tool, not a test. Not thread-safe (one run).
 */
@Command(name = "http-load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Search throughput and latency over HTTP versus embedded, with a concurrent writer.")
public final class HttpLoadMain implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "glove-100-angular",
            description = "Dataset under ../shared/datasets or $VDB_DATASETS (default ${DEFAULT-VALUE}).")
    String dataset;
    @Option(names = "--points", defaultValue = "50000", description = "Base vectors loaded (default ${DEFAULT-VALUE}).")
    int points;
    @Option(names = "--clients", defaultValue = "16", description = "Concurrent searching clients (default ${DEFAULT-VALUE}).")
    int clients;
    @Option(names = "--seconds", defaultValue = "15", description = "Measured time of each phase (default ${DEFAULT-VALUE}).")
    int seconds;
    @Option(names = "--warmup-seconds", defaultValue = "5",
            description = "Unmeasured run before each phase (default ${DEFAULT-VALUE}).")
    int warmupSeconds;
    @Option(names = "--rounds", defaultValue = "2",
            description = "Embedded/HTTP pairs, interleaved; the best of each is kept (default ${DEFAULT-VALUE}).")
    int rounds;
    @Option(names = "--ef", defaultValue = "64", description = "hnsw_ef of every query (default ${DEFAULT-VALUE}).")
    int ef;
    @Option(names = "--limit", defaultValue = "10", description = "k, results per query (default ${DEFAULT-VALUE}).")
    int limit;
    @Option(names = "--server-threads", defaultValue = "16", description = "Server request slots (default ${DEFAULT-VALUE}).")
    int serverThreads;
    @Option(names = "--client", defaultValue = "raw", description = "HTTP client: raw (keep-alive sockets, prepared "
            + "requests) or jdk (java.net.http.HttpClient) (default ${DEFAULT-VALUE}).")
    String client;
    @Option(names = "--upsert-batch", defaultValue = "100", description = "Points per upsert of the writer (default ${DEFAULT-VALUE}).")
    int upsertBatch;
    @Option(names = "--upserts-per-second", defaultValue = "2",
            description = "The writer's fixed rate, the same in every phase; 0 for no writer (default ${DEFAULT-VALUE}).")
    int upsertRate;
    @Option(names = "--access-log", description = "The server's access log file (default: in the run's temporary folder).")
    Path accessLog;

    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Written points get ids from here up, above every base id; each batch writes new points. */
    private final AtomicLong nextWriteId = new AtomicLong(1_000_000_000L);

    public static void main(String[] args) {
        System.exit(new CommandLine(new HttpLoadMain()).execute(args));
    }

    /** Outcome of one phase. */
    /**
     * Outcome of one phase.
     *
     * @param perCpuSecond queries per second of this process's CPU time (clients included): the
     *     cost of a query, whatever share of a shared machine the process got
     */
    private record Phase(String name, double qps, double perCpuSecond, double p50, double p99, long queries, long errors,
                         long upserts) {}

    @Override
    public Integer call() throws Exception {
        if (!client.equals("raw") && !client.equals("jdk")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--client must be raw or jdk, got " + client);
        }
        Path dir = Datasets.find(dataset).orElseThrow(() -> new IllegalStateException("dataset " + dataset + " not found"));
        float[][] base = Vecs.readFvecs(dir.resolve("base.fvecs"), points);
        float[][] queries = Vecs.readFvecs(dir.resolve("query.fvecs"));
        Path data = Files.createTempDirectory("vdb-http-load");
        Path log = accessLog != null ? accessLog : data.resolve("access.log");
        // slf4j-simple reads this when it makes its first logger, which in this command is later.
        System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
        try (VectorDb db = VectorDb.open(data.resolve("db"))) {
            Collection c = db.createCollection("load", CollectionConfig.of(base[0].length, Distance.Cosine));
            for (int from = 0; from < base.length; from += 1000) {
                List<Point> batch = new ArrayList<>();
                for (int i = from; i < Math.min(base.length, from + 1000); i++) {
                    batch.add(Point.of(i, base[i]));
                }
                c.upsert(batch);
            }
            System.out.printf(Locale.ROOT, "loaded %d x %d from %s%n%d clients (%s), k=%d, ef=%d, %d round(s) of %d s per "
                    + "phase after %d s warm-up, one writer upserting %d batches/s of %d points, %d cores, access log %s%n",
                    base.length, base[0].length, dir, clients, client, limit, ef, rounds, seconds, warmupSeconds,
                    upsertRate, upsertBatch, Runtime.getRuntime().availableProcessors(), log);
            int cores = Runtime.getRuntime().availableProcessors();
            Phase bestEmbedded = null;
            Phase bestEmbeddedPerCore = null;
            Phase bestHttp = null;
            try (VdbServer server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null,
                    ServerOptions.DEFAULT_MAX_BODY_BYTES, serverThreads))) {
                for (int round = 0; round < rounds; round++) {
                    Phase embedded = embedded(c, queries, base, clients);
                    print(embedded);
                    Phase embeddedPerCore = embedded(c, queries, base, cores);
                    print(embeddedPerCore);
                    Phase http = http(server.address(), queries, base);
                    print(http);
                    bestEmbedded = better(embedded, bestEmbedded);
                    bestEmbeddedPerCore = better(embeddedPerCore, bestEmbeddedPerCore);
                    bestHttp = better(http, bestHttp);
                }
            }
            System.out.println("best of " + rounds + ":");
            print(bestEmbedded);
            print(bestEmbeddedPerCore);
            print(bestHttp);
            System.out.printf(Locale.ROOT, "ratio HTTP / embedded throughput, both with %d clients: %.2f%n", clients,
                    bestHttp.qps() / bestEmbedded.qps());
            System.out.printf(Locale.ROOT, "ratio HTTP / embedded throughput, embedded with %d threads (one per core): %.2f%n",
                    cores, bestHttp.qps() / bestEmbeddedPerCore.qps());
            System.out.printf(Locale.ROOT, "ratio HTTP / embedded queries per CPU-second (HTTP's includes its clients): "
                    + "%.2f (%d clients), %.2f (%d threads)%n", bestHttp.perCpuSecond() / bestEmbedded.perCpuSecond(), clients,
                    bestHttp.perCpuSecond() / bestEmbeddedPerCore.perCpuSecond(), cores);
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private static Phase better(Phase p, Phase best) {
        return best == null || p.qps() > best.qps() ? p : best;
    }

    private static void print(Phase p) {
        System.out.printf(Locale.ROOT, "%-12s %7.0f queries/s %7.0f per CPU-s  p50 %6.2f ms  p99 %7.2f ms  (%d queries, "
                + "%d errors, %d upserts)%n", p.name(), p.qps(), p.perCpuSecond(), p.p50(), p.p99(), p.queries(), p.errors(),
                p.upserts());
        System.out.flush();
    }

    /** One client's search loop; closes its connection when the phase ends. */
    private interface SearchLoop extends AutoCloseable {
        boolean search(int i);

        @Override
        default void close() {}
    }

    @FunctionalInterface
    private interface WriteLoop {
        boolean write(List<Point> batch);
    }

    /** Warms up, then measures. */
    private Phase run(String name, int threads, IntFunction<SearchLoop> clientFactory, WriteLoop write, float[][] base)
            throws InterruptedException {
        run(name, threads, clientFactory, write, base, warmupSeconds);
        return run(name, threads, clientFactory, write, base, seconds);
    }

    /** {@code threads} search loops (each from {@code clientFactory}) and one writer for {@code duration}. */
    private Phase run(String name, int threads, IntFunction<SearchLoop> clientFactory, WriteLoop write, float[][] base,
                      int duration) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong upserts = new AtomicLong();
        LoadRecorder[] recorders = new LoadRecorder[threads];
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            LoadRecorder r = recorders[t] = new LoadRecorder(1 << 20);
            int client = t;
            running.add(Thread.ofPlatform().name("search-" + t).start(() -> {
                try (SearchLoop search = clientFactory.apply(client)) {
                    for (int q = client * 61; !stop.get(); q++) {
                        long start = System.nanoTime();
                        if (search.search(q)) {
                            r.record(System.nanoTime() - start);
                        } else {
                            r.error();
                        }
                    }
                }
            }));
        }
        long cpuStart = CPU.getProcessCpuTime();
        long start = System.nanoTime();
        long interval = upsertRate == 0 ? 0 : 1_000_000_000L / upsertRate;
        running.add(Thread.ofPlatform().name("writer").start(() -> {
            for (int b = 0; interval > 0 && !stop.get(); b++) {
                long wait = start + b * interval - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (!stop.get() && write.write(writeBatch(base))) {
                    upserts.incrementAndGet();
                }
            }
        }));
        Thread.sleep(duration * 1000L);
        stop.set(true);
        for (Thread t : running) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (CPU.getProcessCpuTime() - cpuStart) / 1e9;
        long[] sorted = LoadRecorder.sortedLatencies(recorders);
        long count = 0;
        long errors = 0;
        for (LoadRecorder r : recorders) {
            count += r.count();
            errors += r.errors();
        }
        return new Phase(name, count / elapsed, count / cpuSeconds, LoadRecorder.percentileMillis(sorted, 0.5),
                LoadRecorder.percentileMillis(sorted, 0.99), count, errors, upserts.get());
    }

    /** New points (fresh ids) carrying base vectors, so search results stay comparable. */
    private List<Point> writeBatch(float[][] base) {
        List<Point> batch = new ArrayList<>(upsertBatch);
        for (int i = 0; i < upsertBatch; i++) {
            long id = nextWriteId.getAndIncrement();
            batch.add(Point.of(id, base[(int) (id % base.length)]));
        }
        return batch;
    }

    private Phase embedded(Collection c, float[][] queries, float[][] base, int threads) throws InterruptedException {
        SearchParams params = new SearchParams(ef, false);
        return run("embedded " + threads + "t", threads, client -> i -> c.search(new SearchRequest(queries[i % queries.length], limit, 0,
                params, true, false)).size() == limit, batch -> c.upsert(batch) == batch.size(), base);
    }

    private Phase http(InetSocketAddress address, float[][] queries, float[][] base) throws InterruptedException {
        byte[][] bodies = new byte[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            StringBuilder s = new StringBuilder("{\"vector\":[");
            for (int d = 0; d < queries[q].length; d++) {
                s.append(d == 0 ? "" : ",").append(queries[q][d]);
            }
            bodies[q] = s.append("],\"limit\":").append(limit).append(",\"params\":{\"hnsw_ef\":").append(ef).append("}}")
                    .toString().getBytes(StandardCharsets.UTF_8);
        }
        String search = "/collections/load/points/search";
        String upsert = "/collections/load/points";
        if (client.equals("raw")) {
            byte[][] requests = new byte[bodies.length][];
            for (int q = 0; q < bodies.length; q++) {
                requests[q] = KeepAliveConnection.request("POST", search, bodies[q]);
            }
            KeepAliveConnection writer = new KeepAliveConnection(address);
            try {
                return run("http " + clients + "c", clients, client -> new SearchLoop() {
                    private final KeepAliveConnection connection = new KeepAliveConnection(address);

                    @Override
                    public boolean search(int i) {
                        return connection.send(requests[i % requests.length]) == 200;
                    }

                    @Override
                    public void close() {
                        connection.close();
                    }
                }, batch -> writer.send(KeepAliveConnection.request("PUT", upsert, upsertJson(batch))) == 200, base);
            } finally {
                writer.close();
            }
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + address.getPort());
        return run("http " + clients + "c", clients, client -> i -> send(http, HttpRequest.newBuilder(uri.resolve(search))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[i % bodies.length])).build()),
                batch -> send(http, HttpRequest.newBuilder(uri.resolve(upsert)).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(upsertJson(batch))).build()), base);
    }

    private static byte[] upsertJson(List<Point> points) {
        StringBuilder s = new StringBuilder("{\"points\":[");
        for (int p = 0; p < points.size(); p++) {
            s.append(p == 0 ? "" : ",").append("{\"id\":").append(points.get(p).id()).append(",\"vector\":[");
            float[] v = points.get(p).vector();
            for (int d = 0; d < v.length; d++) {
                s.append(d == 0 ? "" : ",").append(v[d]);
            }
            s.append("]}");
        }
        return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
