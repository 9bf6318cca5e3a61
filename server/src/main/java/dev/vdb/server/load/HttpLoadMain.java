package dev.vdb.server.load;

import dev.vdb.engine.VectorCollection;
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
import java.util.Random;
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
 * points at a fixed rate. Each round has four phases, each warmed up first: the
 * {@link VectorCollection} called directly with N threads and with one thread per core (the embedded
 * optimum); N clients over loopback HTTP to an in-process {@link VdbServer}; and the same
 * clients against a {@link BareSearchServer}, the JDK server with a handler that only searches,
 * which shows what any server on {@code com.sun.net.httpserver} can get on this machine. Prints
 * queries/s, p50/p99 and each round's ratios, then the best phases and the median of the rounds'
 * ratios (phases within a round met about the same machine). The clients are wrk when it is
 * installed (a C event loop, as the issue suggests), else lean Java keep-alive connections, or
 * the JDK's {@code HttpClient}; the server's access log goes to a file, as a deployed server's
 * would. Without the dataset (and without {@code CI=true}) it runs on generated vectors. A
 * measuring tool, not a test. Not thread-safe (one run).
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
    @Option(names = "--seconds", defaultValue = "10", description = "Measured time of each phase (default ${DEFAULT-VALUE}).")
    int seconds;
    @Option(names = "--warmup-seconds", defaultValue = "3",
            description = "Unmeasured run before each phase (default ${DEFAULT-VALUE}).")
    int warmupSeconds;
    @Option(names = "--rounds", defaultValue = "4",
            description = "Rounds of the four phases, run in turn; reported: the best of each phase and the median of "
                    + "the rounds' ratios (default ${DEFAULT-VALUE}).")
    int rounds;
    @Option(names = "--ef", defaultValue = "64", description = "hnsw_ef of every query (default ${DEFAULT-VALUE}).")
    int ef;
    @Option(names = "--limit", defaultValue = "10", description = "k, results per query (default ${DEFAULT-VALUE}).")
    int limit;
    @Option(names = "--server-threads", defaultValue = "16", description = "Server request slots (default ${DEFAULT-VALUE}).")
    int serverThreads;
    @Option(names = "--client", defaultValue = "auto", description = "HTTP client: wrk (the C load tool, Debian package "
            + "wrk), raw (Java threads on keep-alive sockets sending prepared requests), jdk (java.net.http.HttpClient), "
            + "or auto: wrk when it is on the PATH, else raw (default ${DEFAULT-VALUE}).")
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

    /**
     * Outcome of one phase.
     *
     * @param perCpuSecond queries per second of CPU time of this process and wrk's (all clients
     *     included): the cost of a query, whatever share of a shared machine the run got
     */
    record Phase(String name, double qps, double perCpuSecond, double p50, double p99, long queries, long errors,
                 long upserts) {}

    @Override
    public Integer call() throws Exception {
        summarize(measure(), Runtime.getRuntime().availableProcessors());
        return 0;
    }

    /** Loads the data and runs the rounds, printing each phase and each round's ratios. */
    List<Round> measure() throws IOException, InterruptedException {
        if (client.equals("auto")) {
            client = WrkRun.available() ? "wrk" : "raw";
        } else if (!List.of("wrk", "raw", "jdk").contains(client)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--client must be wrk, raw, jdk or auto, got " + client);
        } else if (client.equals("wrk") && !WrkRun.available()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--client wrk: no wrk on the PATH; install it (Debian: apt-get install wrk) or use --client raw");
        }
        Path dir = Datasets.find(dataset).orElse(null);
        float[][] base = dir != null ? Vecs.readFvecs(dir.resolve("base.fvecs"), points) : generated(points, 1);
        float[][] queries = dir != null ? Vecs.readFvecs(dir.resolve("query.fvecs")) : generated(1000, 2);
        Path data = Files.createTempDirectory("vdb-http-load");
        Path log = accessLog != null ? accessLog : data.resolve("access.log");
        // slf4j-simple reads this when it makes its first logger, which in this command is later.
        System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
        try (VectorDb db = VectorDb.open(data.resolve("db"))) {
            VectorCollection c = db.createCollection("load", CollectionConfig.of(base[0].length, Distance.COSINE));
            for (int from = 0; from < base.length; from += 1000) {
                List<Point> batch = new ArrayList<>();
                for (int i = from; i < Math.min(base.length, from + 1000); i++) {
                    batch.add(Point.of(i, base[i]));
                }
                c.upsert(batch);
            }
            System.out.printf(Locale.ROOT, "loaded %d x %d from %s%n%d clients (%s), k=%d, ef=%d, %d round(s) of %d s per "
                    + "phase after %d s warm-up, one writer upserting %d batches/s of %d points, %d cores, access log %s%n",
                    base.length, base[0].length, dir != null ? dir : "generated data", clients, client, limit, ef, rounds,
                    seconds, warmupSeconds, upsertRate, upsertBatch, Runtime.getRuntime().availableProcessors(), log);
            int cores = Runtime.getRuntime().availableProcessors();
            List<Round> done = new ArrayList<>();
            byte[][] bodies = searchBodies(queries);
            try (VdbServer server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null,
                    ServerOptions.DEFAULT_MAX_BODY_BYTES, serverThreads));
                 BareSearchServer bare = new BareSearchServer(c, queries, limit, ef)) {
                for (int round = 0; round < rounds; round++) {
                    Phase embedded = print(embedded(c, queries, base, clients));
                    Phase embeddedPerCore = print(embedded(c, queries, base, cores));
                    Phase http = print(http("http " + clients + "c", server.address(), server.address(), bodies, base, data));
                    Phase floor = print(http("bare-jdk " + clients + "c", bare.address(), server.address(), bodies, base, data));
                    Round r = new Round(embedded, embeddedPerCore, http, floor);
                    System.out.printf(Locale.ROOT, "round %d: HTTP / embedded %.2f, bare JDK server / embedded %.2f, "
                            + "HTTP / bare JDK server %.2f%n", round + 1, r.httpRatio(), r.floorRatio(), r.httpOfFloor());
                    done.add(r);
                }
            }
            return done;
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** {@code n} random 100-dimensional vectors (seeded), for a machine without the datasets. */
    private static float[][] generated(int n, long seed) {
        Random random = new Random(seed);
        float[][] vectors = new float[n][100];
        for (float[] v : vectors) {
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian();
            }
        }
        return vectors;
    }

    /** The phases of one round, run back to back, so that they met about the same machine. */
    record Round(Phase embedded, Phase embeddedPerCore, Phase http, Phase floor) {
        double httpRatio() {
            return http.qps() / embedded.qps();
        }

        double floorRatio() {
            return floor.qps() / embedded.qps();
        }

        double httpOfFloor() {
            return http.qps() / floor.qps();
        }
    }

    /**
     * The best phase of each kind, and the median over rounds of each round's ratios: a ratio
     * within a round compares phases a minute apart, the best phases may come from different
     * rounds.
     */
    private void summarize(List<Round> rounds, int cores) {
        System.out.println("best of " + rounds.size() + ":");
        Phase embedded = best(rounds, Round::embedded);
        Phase embeddedPerCore = best(rounds, Round::embeddedPerCore);
        Phase http = best(rounds, Round::http);
        Phase floor = best(rounds, Round::floor);
        for (Phase p : List.of(embedded, embeddedPerCore, http, floor)) {
            print(p);
        }
        System.out.printf(Locale.ROOT, "ratio HTTP / embedded throughput, both with %d clients: %.2f (best phases), "
                + "%.2f (median of rounds)%n", clients,
                http.qps() / embedded.qps(), median(rounds, Round::httpRatio));
        System.out.printf(Locale.ROOT, "ratio HTTP / embedded throughput, embedded with %d threads (one per core): %.2f%n",
                cores, http.qps() / embeddedPerCore.qps());
        System.out.printf(Locale.ROOT, "ratio HTTP / embedded queries per CPU-second (HTTP's includes its clients): %.2f "
                + "(%s), %.2f (%s)%n", http.perCpuSecond() / embedded.perCpuSecond(), embedded.name(),
                http.perCpuSecond() / embeddedPerCore.perCpuSecond(), embeddedPerCore.name());
        System.out.printf(Locale.ROOT, "ratio bare JDK server (search only) / embedded: %.2f (best phases), %.2f (median of "
                + "rounds): the most any handler on com.sun.net.httpserver gets here%n", floor.qps() / embedded.qps(),
                median(rounds, Round::floorRatio));
        System.out.printf(Locale.ROOT, "ratio HTTP / bare JDK server: %.2f (best phases), %.2f (median of rounds): what our "
                + "server code keeps%n", http.qps() / floor.qps(), median(rounds, Round::httpOfFloor));
    }

    private static Phase best(List<Round> rounds, java.util.function.Function<Round, Phase> kind) {
        return rounds.stream().map(kind).max(Comparator.comparingDouble(Phase::qps)).orElseThrow();
    }

    private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> ratio) {
        double[] values = rounds.stream().mapToDouble(ratio).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static Phase print(Phase p) {
        System.out.printf(Locale.ROOT, "%-12s %7.0f queries/s %7.0f per CPU-s  p50 %6.2f ms  p99 %7.2f ms  (%d queries, "
                + "%d errors, %d upserts)%n", p.name(), p.qps(), p.perCpuSecond(), p.p50(), p.p99(), p.queries(), p.errors(),
                p.upserts());
        System.out.flush();
        return p;
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
        running.add(startWriter(start, stop, upserts, write, base));
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

    /** The writer: one batch of new points every 1/upsertRate s from {@code start} on, until {@code stop}. */
    private Thread startWriter(long start, AtomicBoolean stop, AtomicLong upserts, WriteLoop write, float[][] base) {
        long interval = upsertRate == 0 ? 0 : 1_000_000_000L / upsertRate;
        return Thread.ofPlatform().name("writer").start(() -> {
            for (int b = 0; interval > 0 && !stop.get(); b++) {
                long wait = start + b * interval - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (!stop.get() && write.write(writeBatch(base))) {
                    upserts.incrementAndGet();
                }
            }
        });
    }

    /** Warms up, then measures: wrk searching with {@code clients} connections while the writer upserts over HTTP. */
    private Phase runWrk(String name, Path workDir, List<byte[]> bodies, String url, WriteLoop write, float[][] base)
            throws IOException, InterruptedException {
        runWrk(name, workDir, bodies, url, write, base, warmupSeconds);
        return runWrk(name, workDir, bodies, url, write, base, seconds);
    }

    private Phase runWrk(String name, Path workDir, List<byte[]> bodies, String url, WriteLoop write, float[][] base,
                         int duration) throws IOException, InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong upserts = new AtomicLong();
        long cpuStart = CPU.getProcessCpuTime();
        Thread writer = startWriter(System.nanoTime(), stop, upserts, write, base);
        WrkRun.Result r;
        try {
            // one wrk thread per core, as wrk's authors advise
            r = WrkRun.run(workDir, bodies, url, clients, Math.min(clients, Runtime.getRuntime().availableProcessors()),
                    duration);
        } finally {
            stop.set(true);
            writer.join();
        }
        double cpuSeconds = (CPU.getProcessCpuTime() - cpuStart) / 1e9 + r.cpuSeconds();
        long answered = r.requests() - r.errors();
        return new Phase(name, answered / r.seconds(), answered / cpuSeconds, r.p50Millis(), r.p99Millis(), answered,
                r.errors(), upserts.get());
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

    private Phase embedded(VectorCollection c, float[][] queries, float[][] base, int threads) throws InterruptedException {
        SearchParams params = new SearchParams(ef, false);
        return run("embedded " + threads + "t", threads, client -> i -> c.search(SearchRequest.builder().vector(queries[i % queries.length]).limit(limit).params(params).build()).size() == limit, batch -> c.upsert(batch) == batch.size(), base);
    }

    /**
     * {@code clients} clients searching at {@code searchAddress} while the writer upserts over
     * HTTP at {@code writeAddress} (our server in every HTTP phase, so the write load is the same).
     */
    private Phase http(String name, InetSocketAddress searchAddress, InetSocketAddress writeAddress, byte[][] bodies,
                       float[][] base, Path workDir) throws IOException, InterruptedException {
        String search = "/collections/load/points/search";
        String upsert = "/collections/load/points";
        if (client.equals("jdk")) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI searchUri = URI.create("http://127.0.0.1:" + searchAddress.getPort() + search);
            URI upsertUri = URI.create("http://127.0.0.1:" + writeAddress.getPort() + upsert);
            return run(name, clients, client -> i -> send(http, HttpRequest.newBuilder(searchUri)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[i % bodies.length])).build()),
                    batch -> send(http, HttpRequest.newBuilder(upsertUri).header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(upsertJson(batch))).build()), base);
        }
        try (KeepAliveConnection writer = new KeepAliveConnection(writeAddress)) {
            WriteLoop write = batch -> writer.send(KeepAliveConnection.request("PUT", upsert, upsertJson(batch))) == 200;
            if (client.equals("wrk")) {
                return runWrk(name, workDir, List.of(bodies), "http://127.0.0.1:" + searchAddress.getPort() + search, write,
                        base);
            }
            byte[][] requests = new byte[bodies.length][];
            for (int q = 0; q < bodies.length; q++) {
                requests[q] = KeepAliveConnection.request("POST", search, bodies[q]);
            }
            return run(name, clients, client -> new SearchLoop() {
                private final KeepAliveConnection connection = new KeepAliveConnection(searchAddress);

                @Override
                public boolean search(int i) {
                    return connection.send(requests[i % requests.length]) == 200;
                }

                @Override
                public void close() {
                    connection.close();
                }
            }, write, base);
        }
    }

    /** The JSON search body of every query, made once for all HTTP phases. */
    private byte[][] searchBodies(float[][] queries) {
        byte[][] bodies = new byte[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            StringBuilder s = new StringBuilder("{\"vector\":[");
            for (int d = 0; d < queries[q].length; d++) {
                s.append(d == 0 ? "" : ",").append(queries[q][d]);
            }
            bodies[q] = s.append("],\"limit\":").append(limit).append(",\"params\":{\"hnsw_ef\":").append(ef).append("}}")
                    .toString().getBytes(StandardCharsets.UTF_8);
        }
        return bodies;
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
