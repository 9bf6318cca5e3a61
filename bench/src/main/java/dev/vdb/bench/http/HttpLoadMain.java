package dev.vdb.bench.http;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Point;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.server.ServerOptions;
import dev.vdb.server.VdbServer;
import dev.vdb.server.transport.HttpTransport;
import dev.vdb.server.transport.JdkTransport;
import dev.vdb.server.transport.JettyTransport;
import dev.vdb.server.transport.TransportConfig;
import dev.vdb.testkit.data.Datasets;
import dev.vdb.testkit.data.Vecs;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ./vdb bench http-load}: search throughput and latency over HTTP against embedded search
 * in the same run, on each HTTP server (transport) in turn. N search clients (k = limit, fixed
 * ef) run while one writer upserts new points at a fixed rate. Each round runs, each phase warmed
 * up first: the {@link VectorCollection} called directly with N threads and with one thread per core
 * (the embedded optimum); then for each transport (the server's two, on the JDK's
 * {@code com.sun.net.httpserver} and on Jetty's core server, and Helidon SE's WebServer) N clients over loopback against a
 * {@link TrivialSearchHandler} (only the search, a constant answer: what that server leaves for
 * search on this machine), against our full {@link VdbServer} handler, and against our server's
 * {@code /points/search/batch} with {@code --batch} queries per request. Prints queries/s,
 * queries per CPU-second (clients included), p50/p99 and each round's ratios, then the median of
 * the rounds' ratios (phases within a round met about the same machine). The clients are wrk
 * when it is installed (a C event loop), else lean Java keep-alive connections, or the JDK's
 * {@code HttpClient}; the server's access log goes to a file, as a deployed server's would.
 * Without the dataset (and without {@code CI=true}) it runs on generated vectors. A measuring
 * tool, not a test. Not thread-safe (one run).
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
    @Option(names = "--rounds", defaultValue = "3",
            description = "Rounds of all phases, run in turn; reported: each round's ratios and their medians "
                    + "(default ${DEFAULT-VALUE}).")
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
    @Option(names = "--transports", split = ",", defaultValue = "jdk,helidon,jetty",
            description = "HTTP servers to measure, from jdk, helidon, jetty (default ${DEFAULT-VALUE}).")
    List<String> transports;
    @Option(names = "--batch", defaultValue = "16",
            description = "Queries per request of the batch-search phases, 0 for none (default ${DEFAULT-VALUE}).")
    int batch;

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
            byte[][] bodies = SearchBodies.of(queries, limit, ef);
            byte[][] batchBodies = batch > 0 ? batchBodies(bodies, batch) : null;
            List<Servers> servers = new ArrayList<>();
            try {
                for (String t : transports) {
                    HttpTransport.Factory factory = transport(t);
                    ServerOptions options = new ServerOptions("127.0.0.1", 0, null, ServerOptions.DEFAULT_MAX_BODY_BYTES,
                            serverThreads);
                    VdbServer full = VdbServer.start(db, options, factory);
                    servers.add(new Servers(t, full, factory.start(new TransportConfig("127.0.0.1", 0,
                            options.maxConnections(), options.readTimeout(), null),
                            new TrivialSearchHandler(c, queries, limit, ef))));
                }
                for (int round = 0; round < rounds; round++) {
                    Map<String, Phase> phases = new LinkedHashMap<>();
                    add(phases, embedded(c, queries, base, clients));
                    add(phases, embedded(c, queries, base, cores));
                    for (Servers s : servers) {
                        InetSocketAddress write = s.full().address();
                        add(phases, http(s.name() + " trivial", s.trivial().address(), SEARCH, write, bodies, 1, base, data));
                        add(phases, http(s.name() + " full", write, SEARCH, write, bodies, 1, base, data));
                        if (batchBodies != null) {
                            add(phases, http(s.name() + " batch" + batch, write, SEARCH + "/batch", write, batchBodies, batch,
                                    base, data));
                        }
                    }
                    Round r = new Round(phases, clients, cores);
                    System.out.println("round " + (round + 1) + ": " + r.ratios(transports, batch));
                    done.add(r);
                }
            } finally {
                for (Servers s : servers) {
                    s.trivial().stop(Duration.ofSeconds(1));
                    s.full().stop(Duration.ofSeconds(1));
                }
            }
            return done;
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static final String SEARCH = "/collections/load/points/search";

    /** One transport's two servers: ours in full, and the trivial search handler. */
    private record Servers(String name, VdbServer full, HttpTransport trivial) {}

    static HttpTransport.Factory transport(String name) {
        return switch (name) {
            case "jdk" -> JdkTransport::start;
            case "helidon" -> HelidonTransport::start;
            case "jetty" -> JettyTransport::start;
            default -> throw new IllegalArgumentException("--transports takes jdk, helidon, jetty, got " + name);
        };
    }

    private static void add(Map<String, Phase> phases, Phase p) {
        phases.put(p.name(), print(p));
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

    /**
     * The phases of one round by name ({@code embedded 16t}, {@code jdk trivial}, {@code jdk full},
     * {@code jdk batch16}, ...), run back to back, so that they met about the same machine.
     */
    record Round(Map<String, Phase> phases, int clients, int cores) {
        Phase embedded() {
            return phases.get("embedded " + clients + "t");
        }

        double ratio(String phase, String of) {
            Phase p = phases.get(phase);
            Phase q = of.equals("embedded") ? embedded() : phases.get(of);
            return p.qps() / q.qps();
        }

        /** Per transport: trivial, full and batch over embedded, and full over trivial. */
        String ratios(List<String> transports, int batch) {
            StringBuilder b = new StringBuilder();
            for (String t : transports) {
                b.append(String.format(Locale.ROOT, "%s trivial/emb %.2f, full/emb %.2f, full/trivial %.2f", t,
                        ratio(t + " trivial", "embedded"), ratio(t + " full", "embedded"),
                        ratio(t + " full", t + " trivial")));
                if (batch > 0) {
                    b.append(String.format(Locale.ROOT, ", batch%d/emb %.2f", batch,
                            ratio(t + " batch" + batch, "embedded")));
                }
                b.append("; ");
            }
            return b.toString();
        }
    }

    /** The median over rounds of each round's ratios, and the transport decision's figures. */
    private void summarize(List<Round> rounds, int cores) {
        System.out.println("median of " + rounds.size() + " rounds (per round: min..max):");
        String jdk = transports.contains("jdk") ? "jdk full" : null;
        for (String t : transports) {
            line(rounds, t + " trivial / embedded", r -> r.ratio(t + " trivial", "embedded"));
            line(rounds, t + " full / embedded", r -> r.ratio(t + " full", "embedded"));
            line(rounds, t + " full / " + t + " trivial", r -> r.ratio(t + " full", t + " trivial"));
            if (batch > 0) {
                line(rounds, t + " batch" + batch + " / embedded", r -> r.ratio(t + " batch" + batch, "embedded"));
            }
            line(rounds, t + " full / embedded per CPU-second", r -> r.phases().get(t + " full").perCpuSecond()
                    / r.embedded().perCpuSecond());
            if (jdk != null && !t.equals("jdk")) {
                line(rounds, t + " full / jdk full", r -> r.ratio(t + " full", jdk));
                line(rounds, t + " trivial / jdk trivial", r -> r.ratio(t + " trivial", "jdk trivial"));
            }
        }
        line(rounds, "embedded " + cores + "t / embedded " + clients + "t",
                r -> r.phases().get("embedded " + cores + "t").qps() / r.embedded().qps());
        for (String t : transports) {
            line(rounds, t + " full / best trivial of the round", r -> r.phases().get(t + " full").qps()
                    / transports.stream().mapToDouble(x -> r.phases().get(x + " trivial").qps()).max().orElseThrow());
        }
    }

    private static void line(List<Round> rounds, String what, ToDoubleFunction<Round> ratio) {
        double[] values = rounds.stream().mapToDouble(ratio).sorted().toArray();
        int n = values.length;
        double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        System.out.printf(Locale.ROOT, "  %-50s %.2f  (%.2f..%.2f)%n", what, median, values[0], values[n - 1]);
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
    private Phase runWrk(String name, Path bodyFile, List<byte[]> bodies, String url, WriteLoop write, float[][] base)
            throws IOException, InterruptedException {
        runWrk(name, bodyFile, bodies, url, write, base, warmupSeconds);
        return runWrk(name, bodyFile, bodies, url, write, base, seconds);
    }

    private Phase runWrk(String name, Path bodyFile, List<byte[]> bodies, String url, WriteLoop write, float[][] base,
                         int duration) throws IOException, InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong upserts = new AtomicLong();
        long cpuStart = CPU.getProcessCpuTime();
        Thread writer = startWriter(System.nanoTime(), stop, upserts, write, base);
        WrkRun.Result r;
        try {
            // one wrk thread per core, as wrk's authors advise
            r = WrkRun.run(bodyFile, bodies, url, clients, Math.min(clients, Runtime.getRuntime().availableProcessors()),
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
     * {@code clients} clients POSTing {@code bodies} to {@code path} at {@code searchAddress}
     * while the writer upserts over HTTP at {@code writeAddress}; each request asks
     * {@code queriesPerRequest} queries, which the phase's counts are in.
     */
    private Phase http(String name, InetSocketAddress searchAddress, String path, InetSocketAddress writeAddress,
                       byte[][] bodies, int queriesPerRequest, float[][] base, Path workDir)
            throws IOException, InterruptedException {
        String upsert = "/collections/load/points";
        Phase requests;
        if (client.equals("jdk")) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI searchUri = URI.create("http://127.0.0.1:" + searchAddress.getPort() + path);
            URI upsertUri = URI.create("http://127.0.0.1:" + writeAddress.getPort() + upsert);
            requests = run(name, clients, client -> i -> send(http, HttpRequest.newBuilder(searchUri)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[i % bodies.length])).build()),
                    batch -> send(http, HttpRequest.newBuilder(upsertUri).header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(upsertJson(batch))).build()), base);
            return perQuery(requests, queriesPerRequest);
        }
        try (KeepAliveConnection writer = new KeepAliveConnection(writeAddress)) {
            WriteLoop write = batch -> writer.send(KeepAliveConnection.request("PUT", upsert, upsertJson(batch))) == 200;
            if (client.equals("wrk")) {
                Path bodyFile = workDir.resolve("bodies-" + queriesPerRequest + ".jsonl");
                requests = runWrk(name, bodyFile, List.of(bodies), "http://127.0.0.1:" + searchAddress.getPort() + path,
                        write, base);
                return perQuery(requests, queriesPerRequest);
            }
            byte[][] prepared = new byte[bodies.length][];
            for (int q = 0; q < bodies.length; q++) {
                prepared[q] = KeepAliveConnection.request("POST", path, bodies[q]);
            }
            requests = run(name, clients, client -> new SearchLoop() {
                private final KeepAliveConnection connection = new KeepAliveConnection(searchAddress);

                @Override
                public boolean search(int i) {
                    return connection.send(prepared[i % prepared.length]) == 200;
                }

                @Override
                public void close() {
                    connection.close();
                }
            }, write, base);
            return perQuery(requests, queriesPerRequest);
        }
    }

    /** A phase counted in requests, counted in queries instead (latencies stay per request). */
    private static Phase perQuery(Phase p, int queriesPerRequest) {
        return new Phase(p.name(), p.qps() * queriesPerRequest, p.perCpuSecond() * queriesPerRequest, p.p50(), p.p99(),
                p.queries() * queriesPerRequest, p.errors(), p.upserts());
    }

    /** Batch-search bodies of {@code n} queries each, from the single-query bodies in turn. */
    private static byte[][] batchBodies(byte[][] bodies, int n) {
        byte[][] out = new byte[bodies.length][];
        for (int b = 0; b < bodies.length; b++) {
            StringBuilder s = new StringBuilder("{\"searches\":[");
            for (int q = 0; q < n; q++) {
                s.append(q == 0 ? "" : ",").append(new String(bodies[(b + q) % bodies.length], StandardCharsets.UTF_8));
            }
            out[b] = s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        }
        return out;
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
