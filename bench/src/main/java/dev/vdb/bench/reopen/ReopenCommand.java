package dev.vdb.bench.reopen;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.CollectionDiagnostics;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.Distance;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.testkit.data.EmbeddingLikeGenerator;
import dev.vdb.testkit.data.Vecs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long a database takes from {@code VectorDb.open} to its first answered search, after a
 * clean close and after {@code kill -9}: builds one collection (a dataset's base vectors, or
 * generated ones) with payloads on two indexed fields, closes it, reopens it a few times, then
 * lets a child process open it, write a tail of changes and die by SIGKILL, and reopens that.
 */
@Command(name = "reopen", mixinStandardHelpOptions = true,
        description = "Time from open to the first search, after a clean close and after kill -9.")
public final class ReopenCommand implements Callable<Integer> {

    static final String COLLECTION = "reopen";

    @Option(names = "--dataset", description = "A folder with base.fvecs (cosine); default: generated vectors.")
    Path dataset;

    @Option(names = "--generated", description = "Generated vectors N:DIM (Euclid), e.g. 1000000:128 (default ${DEFAULT-VALUE}).")
    String generated = "1000000:128";

    @Option(names = "--tail", description = "Points the killed process writes after the reopen (default ${DEFAULT-VALUE}).")
    int tail = 10_000;

    @Option(names = "--rounds", description = "Clean reopens timed (default ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--quantization", description = "none, int8 or binary (default ${DEFAULT-VALUE}): a quantized"
            + " collection keeps its full-precision vectors in a memory-mapped file.")
    String quantization = "none";

    @Option(names = "--dir", description = "Where the database goes (default: a temporary folder, deleted after);"
            + " a database already there with the collection is reused, not rebuilt.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        float[][] base;
        Distance distance;
        String name;
        if (dataset != null) {
            base = Vecs.readFvecs(dataset.resolve("base.fvecs"));
            distance = Distance.COSINE;
            name = dataset.getFileName().toString();
        } else {
            String[] nd = generated.split(":");
            int n = Integer.parseInt(nd[0]);
            int dim = Integer.parseInt(nd[1]);
            base = new EmbeddingLikeGenerator(dim, n, 42).next(n);
            distance = Distance.EUCLID;
            name = "generated " + n + " x " + dim;
        }
        QuantizationConfig quantized = switch (quantization) {
            case "none" -> null;
            case "int8" -> QuantizationConfig.int8();
            case "binary" -> QuantizationConfig.binary();
            default -> throw new IllegalArgumentException("--quantization must be none, int8 or binary, got " + quantization);
        };
        boolean temporary = dir == null;
        Path where = temporary ? Files.createTempDirectory("vdb-reopen") : dir;
        try {
            if (!temporary && alreadyBuilt(where)) {
                System.out.printf(Locale.ROOT, "%s: reusing the database in %s%n", name, where);
            } else {
                long t0 = System.nanoTime();
                build(where, base, distance, quantized);
                System.out.printf(Locale.ROOT, "%s: built %,d points in %.1f s%n", name, base.length, seconds(t0));
            }
            float[] query = base[base.length / 2];
            for (int r = 0; r < rounds; r++) {
                report("after a clean close", timeToFirstSearch(where, query));
            }
            killWriterAfterTail(where, base[0].length);
            report("after kill -9 (" + tail + " points written since the open)", timeToFirstSearch(where, query));
            report("after that, closed cleanly", timeToFirstSearch(where, query));
        } finally {
            if (temporary) {
                deleteRecursively(where);
            }
        }
        return 0;
    }

    private static boolean alreadyBuilt(Path where) {
        if (!Files.isDirectory(where)) {
            return false;
        }
        try (VectorDb db = VectorDb.open(where)) {
            return db.collectionNames().contains(COLLECTION);
        }
    }

    private static void build(Path where, float[][] base, Distance distance, QuantizationConfig quantization) {
        try (VectorDb db = VectorDb.open(where, new DbOptions(false, 100_000))) {
            CollectionConfig config = CollectionConfig.of(base[0].length, distance);
            VectorCollection c = db.createCollection(COLLECTION,
                    quantization == null ? config : config.withQuantization(quantization));
            c.createPayloadIndex("category", PayloadSchema.KEYWORD);
            c.createPayloadIndex("price", PayloadSchema.FLOAT);
            List<Point> batch = new ArrayList<>();
            for (int i = 0; i < base.length; i++) {
                batch.add(point(i, base[i]));
                if (batch.size() == 5_000 || i == base.length - 1) {
                    c.upsert(batch);
                    batch.clear();
                }
            }
        }
    }

    static Point point(long id, float[] vector) {
        return Point.of(id, vector, Map.of("category", "c" + (id % 100), "price", (id * 7919 % 10_000) / 100.0));
    }

    /** Seconds to the first answered search and until the graph linked every point (its backlog after a crash). */
    private record Timed(long points, double seconds, double linkedSeconds, CollectionDiagnostics diagnostics) {}

    private static Timed timeToFirstSearch(Path where, float[] query) throws InterruptedException {
        long t0 = System.nanoTime();
        try (VectorDb db = VectorDb.open(where)) {
            VectorCollection c = db.collection(COLLECTION);
            c.search(SearchRequest.of(query, 10));
            double s = seconds(t0);
            while (c.indexedVectorsCount() < c.count()) {
                Thread.sleep(5);
            }
            return new Timed(c.count(), s, seconds(t0), c.diagnostics());
        }
    }

    private static void report(String when, Timed t) {
        System.out.printf(Locale.ROOT, "  open to first search %-48s %6.2f s  (%,d points: %.2f s per million)%n", when,
                t.seconds(), t.points(), t.seconds() / t.points() * 1e6);
        System.out.printf(Locale.ROOT, "      every point linked in the graph after %.2f s%n", t.linkedSeconds());
        CollectionDiagnostics d = t.diagnostics();
        System.out.printf("      graph: %s; id map: %s; BM25: %s; vector file: %s; codes: %s%n", orReused(d.graphRecovery()),
                orReused(d.idMapRecovery()), orReused(d.textIndexRecovery()), orReused(d.vectorFileRecovery()),
                orReused(d.codesRecovery()));
    }

    private static String orReused(String reason) {
        return reason == null ? "reused" : reason;
    }

    /** Runs {@link ReopenVictim} until it has written the tail, then kills it with SIGKILL. */
    private void killWriterAfterTail(Path where, int dimension) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ReopenVictim.class.getName(),
                where.toString(), Integer.toString(tail), Integer.toString(dimension)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.equals("written")) {
                    break;
                }
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes {@code args[1]} new points into the database {@code args[0]}, prints "written" and waits to be killed. */
    public static final class ReopenVictim {
        private ReopenVictim() {}

        public static void main(String[] args) throws InterruptedException {
            VectorDb db = VectorDb.open(Path.of(args[0]));
            VectorCollection c = db.collection(COLLECTION);
            int tail = Integer.parseInt(args[1]);
            int dim = Integer.parseInt(args[2]);
            float[][] vectors = new EmbeddingLikeGenerator(dim, tail, 7).next(tail);
            List<Point> batch = new ArrayList<>();
            long firstId = c.count() + 1_000_000_000L;
            for (int i = 0; i < tail; i++) {
                batch.add(point(firstId + i, vectors[i]));
                if (batch.size() == 1_000 || i == tail - 1) {
                    c.upsert(batch);
                    batch.clear();
                }
            }
            c.delete(List.of(PointId.of(0), PointId.of(1)));
            System.out.println("written");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
