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
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * HTTP load against embedded search in the same run: N search threads (k = limit, fixed ef)
 * while one writer upserts, first calling the {@link Collection} directly, then over HTTP on
 * loopback through an in-process {@link VdbServer}. Prints queries/s, p50/p99 and the ratio of
 * HTTP to embedded throughput. A measuring tool, not a test. Not thread-safe (one run).
 */
@Command(name = "http-load", mixinStandardHelpOptions = true,
        description = "Search throughput and latency over HTTP versus embedded, with a concurrent writer.")
public final class HttpLoadMain implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "glove-100-angular") String dataset;
    @Option(names = "--points", defaultValue = "50000", description = "Base vectors loaded (default ${DEFAULT-VALUE}).") int points;
    @Option(names = "--clients", defaultValue = "16", description = "Concurrent searching clients.") int clients;
    @Option(names = "--seconds", defaultValue = "15", description = "Duration of each phase.") int seconds;
    @Option(names = "--ef", defaultValue = "64", description = "hnsw_ef of every query.") int ef;
    @Option(names = "--limit", defaultValue = "10") int limit;
    @Option(names = "--server-threads", defaultValue = "16", description = "Server request slots.") int serverThreads;
    @Option(names = "--upsert-batch", defaultValue = "100", description = "Points per upsert of the writer.") int upsertBatch;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HttpLoadMain()).execute(args));
    }

    /** Outcome of one phase. */
    private record Phase(String name, double qps, double p50, double p99, long queries, long errors, long upserts) {}

    @Override
    public Integer call() throws Exception {
        Path dir = Datasets.find(dataset).orElseThrow(() -> new IllegalStateException("dataset " + dataset + " not found"));
        float[][] base = Vecs.readFvecs(dir.resolve("base.fvecs"), points);
        float[][] queries = Vecs.readFvecs(dir.resolve("query.fvecs"));
        Path data = Files.createTempDirectory("vdb-http-load");
        try (VectorDb db = VectorDb.open(data)) {
            Collection c = db.createCollection("load", CollectionConfig.of(base[0].length, Distance.Cosine));
            for (int from = 0; from < base.length; from += 1000) {
                List<Point> batch = new ArrayList<>();
                for (int i = from; i < Math.min(base.length, from + 1000); i++) {
                    batch.add(Point.of(i, base[i]));
                }
                c.upsert(batch);
            }
            System.out.printf(Locale.ROOT, "loaded %d x %d from %s; %d clients, k=%d, ef=%d, %d s per phase, one writer "
                    + "upserting %d points per batch%n", base.length, base[0].length, dir, clients, limit, ef, seconds, upsertBatch);
            Phase embedded = embedded(c, queries, base);
            print(embedded);
            Phase http;
            try (VdbServer server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null,
                    ServerOptions.DEFAULT_MAX_BODY_BYTES, serverThreads))) {
                http = http(URI.create("http://127.0.0.1:" + server.address().getPort() + "/"), queries, base);
            }
            print(http);
            System.out.printf(Locale.ROOT, "ratio HTTP / embedded throughput: %.2f%n", http.qps() / embedded.qps());
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private static void print(Phase p) {
        System.out.printf(Locale.ROOT, "%-9s %9.0f queries/s  p50 %7.2f ms  p99 %7.2f ms  (%d queries, %d errors, %d upserts)%n",
                p.name(), p.qps(), p.p50(), p.p99(), p.queries(), p.errors(), p.upserts());
    }

    /** Runs {@code clients} search loops and one writer for the phase's duration. */
    private Phase run(String name, SearchLoop search, WriteLoop write) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong upserts = new AtomicLong();
        LoadRecorder[] recorders = new LoadRecorder[clients];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            LoadRecorder r = recorders[t] = new LoadRecorder(1 << 20);
            int first = t;
            threads.add(Thread.ofPlatform().name("search-" + t).start(() -> {
                for (int q = first; !stop.get(); q++) {
                    long start = System.nanoTime();
                    if (search.search(q)) {
                        r.record(System.nanoTime() - start);
                    } else {
                        r.error();
                    }
                }
            }));
        }
        threads.add(Thread.ofPlatform().name("writer").start(() -> {
            for (int b = 0; !stop.get(); b++) {
                if (write.write(b)) {
                    upserts.incrementAndGet();
                }
            }
        }));
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = LoadRecorder.sortedLatencies(recorders);
        long count = 0;
        long errors = 0;
        for (LoadRecorder r : recorders) {
            count += r.count();
            errors += r.errors();
        }
        return new Phase(name, count / elapsed, LoadRecorder.percentileMillis(sorted, 0.5),
                LoadRecorder.percentileMillis(sorted, 0.99), count, errors, upserts.get());
    }

    @FunctionalInterface
    private interface SearchLoop {
        boolean search(int i);
    }

    @FunctionalInterface
    private interface WriteLoop {
        boolean write(int batch);
    }

    /** Writer batches reuse base vectors under new ids above the base, so search results stay comparable. */
    private List<Point> writeBatch(int b, float[][] base) {
        List<Point> batch = new ArrayList<>(upsertBatch);
        for (int i = 0; i < upsertBatch; i++) {
            long id = 1_000_000_000L + (long) b * upsertBatch + i;
            batch.add(Point.of(id, base[(int) (id % base.length)]));
        }
        return batch;
    }

    private Phase embedded(Collection c, float[][] queries, float[][] base) throws InterruptedException {
        SearchParams params = new SearchParams(ef, false);
        return run("embedded", i -> c.search(new SearchRequest(queries[i % queries.length], limit, 0, params, true, false))
                .size() == limit, b -> c.upsert(writeBatch(b, base)) == upsertBatch);
    }

    private Phase http(URI uri, float[][] queries, float[][] base) throws InterruptedException {
        byte[][] bodies = new byte[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            StringBuilder s = new StringBuilder("{\"vector\":[");
            for (int d = 0; d < queries[q].length; d++) {
                s.append(d == 0 ? "" : ",").append(queries[q][d]);
            }
            bodies[q] = s.append("],\"limit\":").append(limit).append(",\"params\":{\"hnsw_ef\":").append(ef).append("}}")
                    .toString().getBytes(StandardCharsets.UTF_8);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI search = uri.resolve("collections/load/points/search");
        URI upsert = uri.resolve("collections/load/points");
        return run("http", i -> send(client, HttpRequest.newBuilder(search).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[i % bodies.length])).build()),
                b -> send(client, HttpRequest.newBuilder(upsert).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(upsertJson(writeBatch(b, base)))).build()));
    }

    private static String upsertJson(List<Point> points) {
        StringBuilder s = new StringBuilder("{\"points\":[");
        for (int p = 0; p < points.size(); p++) {
            s.append(p == 0 ? "" : ",").append("{\"id\":").append(points.get(p).id()).append(",\"vector\":[");
            float[] v = points.get(p).vector();
            for (int d = 0; d < v.length; d++) {
                s.append(d == 0 ? "" : ",").append(v[d]);
            }
            s.append("]}");
        }
        return s.append("]}").toString();
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
