package dev.vdb.bench.jmh;

import dev.vdb.bench.http.SearchBodies;
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
import dev.vdb.server.transport.RequestHandler;
import dev.vdb.server.transport.TransportRequest;
import dev.vdb.server.transport.TransportResponse;
import dev.vdb.testkit.data.Datasets;
import dev.vdb.testkit.data.EmbeddingLikeGenerator;
import dev.vdb.testkit.data.Vecs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What our HTTP handler costs on top of the search it serves, without a network: the same
 * query cycle (k=10 over 20,000 GloVe vectors, or generated 100-d ones when the datasets are
 * missing) searched embedded ({@code embedded}) and as a JSON search request handed to the
 * server's handler exactly as a transport hands it ({@code handler}: routing, body read and
 * parse, admission, search, answer written, metrics, access log to a file). The difference of
 * the two is the handler's own time per request; the HTTP server and the kernel are not in it
 * ({@code ./vdb bench http-load} measures those).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class HttpHandlerBench {

    static final int BASE = 20_000;
    static final int QUERIES = 1_000;

    @Param({"10", "64"})
    int ef;

    private Path directory;
    private VectorDb db;
    private VdbServer server;
    private RequestHandler handler;
    private VectorCollection collection;
    private float[][] queries;
    private byte[][] bodies;
    private SearchParams params;
    private int next;

    @Setup(Level.Trial)
    public void start() throws IOException {
        directory = Files.createTempDirectory("vdb-handler-bench");
        // before the first logger exists: the access log goes to a file, as a deployed server's would
        System.setProperty("org.slf4j.simpleLogger.logFile", directory.resolve("access.log").toString());
        float[][] base;
        Optional<Path> dir = Datasets.find("glove-100-angular");
        if (dir.isPresent()) {
            base = Vecs.readFvecs(dir.get().resolve("base.fvecs"), BASE);
            queries = Vecs.readFvecs(dir.get().resolve("query.fvecs"), QUERIES);
        } else {
            EmbeddingLikeGenerator generator = new EmbeddingLikeGenerator(100, BASE, 1);
            base = generator.next(BASE);
            queries = generator.next(QUERIES);
        }
        db = VectorDb.open(directory.resolve("db"));
        collection = db.createCollection("bench", CollectionConfig.of(base[0].length, Distance.COSINE));
        for (int from = 0; from < base.length; from += 1000) {
            List<Point> batch = new ArrayList<>();
            for (int i = from; i < Math.min(base.length, from + 1000); i++) {
                batch.add(Point.of(i, base[i]));
            }
            collection.upsert(batch);
        }
        params = new SearchParams(ef, false);
        bodies = SearchBodies.of(queries, 10, ef);
        ServerOptions options = new ServerOptions("127.0.0.1", 0, null, ServerOptions.DEFAULT_MAX_BODY_BYTES,
                ServerOptions.defaultThreads());
        server = VdbServer.start(db, options, (config, h) -> {
            handler = h;
            return new NoTransport();
        });
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        server.stop(Duration.ofSeconds(1));
        db.close();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public int embedded() {
        float[] q = queries[Math.floorMod(next++, queries.length)];
        return collection.search(SearchRequest.builder().vector(q).limit(10).params(params).build()).size();
    }

    @Benchmark
    public int handler() {
        TransportResponse answer = handler.handle(new Search(bodies[Math.floorMod(next++, bodies.length)]));
        if (answer.status() != 200) {
            throw new IllegalStateException("search answered " + answer.status() + ": "
                    + new String(answer.body(), StandardCharsets.UTF_8));
        }
        return answer.body().length;
    }

    /** A search request as a transport hands it over. */
    private record Search(byte[] json) implements TransportRequest {
        @Override
        public String method() {
            return "POST";
        }

        @Override
        public String rawPath() {
            return "/collections/bench/points/search";
        }

        @Override
        public String rawQuery() {
            return null;
        }

        @Override
        public String header(String name) {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "host" -> "127.0.0.1:6333";
                case "content-type" -> "application/json";
                case "content-length" -> Integer.toString(json.length);
                default -> null;
            };
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(json);
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:50000";
        }
    }

    /** The handler is called directly; nothing listens. */
    private static final class NoTransport implements HttpTransport {
        @Override
        public InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", 6333);
        }

        @Override
        public void stop(Duration grace) {}
    }
}
