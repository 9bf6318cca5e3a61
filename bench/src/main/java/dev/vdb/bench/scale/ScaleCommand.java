package dev.vdb.bench.scale;

import dev.vdb.bench.SweepOptions;
import dev.vdb.bench.engines.Engines;
import dev.vdb.index.VectorSimilarity;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./vdb bench scale}: each engine built and searched alone in its own child JVM with a
 * fixed heap ({@code -Xmx2g} by default), on a dataset folder or a generated collection
 * ({@code generated:N:DIM} or {@code generated-images:N}, written once with exact ground truth over all of it), reporting
 * build time, the recall / QPS sweep, the heap after a full GC, resident memory and bytes per
 * vector, ours and the peers in one run (issue 16). An engine that runs out of its heap is
 * reported as such. Writes {@code results.md} into {@code --out}.
 */
@Command(name = "scale", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Each engine in its own JVM with a fixed heap: build time, recall/QPS, heap after GC, RSS, bytes per vector.",
                "e.g. ./vdb bench scale --dataset generated:1000000:768 --queries 200"})
public final class ScaleCommand implements Callable<Integer> {

    static final List<Integer> DEFAULT_EFS = List.of(10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512);

    @Mixin
    SweepOptions sweep;

    @Option(names = "--dataset", required = true, paramLabel = "DIR|generated:N:DIM|generated-images:N",
            description = "A folder with base.fvecs, query.fvecs and ground truth, generated:N:DIM (clustered, embedding-like) "
                    + "or generated-images:N (784-d digit images, whole numbers 0..255).")
    String dataset;

    @Option(names = "--engines", split = ",",
            defaultValue = "ours-int8,ours-binary,lucene-int7,lucene-int4,lucene-bbq,jvector-pq,lucene,ours",
            description = "Engines, each in its own JVM (default ${DEFAULT-VALUE}).")
    List<String> engines;

    @Option(names = "--heap", defaultValue = "2g", description = "-Xmx of every engine's JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--ef", split = ",", description = "ef values of the sweep (default 10,16,24,32,48,64,96,128,192,256,384,512).")
    List<Integer> efs = DEFAULT_EFS;

    @Option(names = "--threads", defaultValue = "0", description = "Build threads (default: all cores).")
    int threads;

    @Option(names = "--rounds", defaultValue = "2", description = "Passes over the queries per ef; the fastest is kept (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup-seconds", defaultValue = "3", description = "Least search time before the sweep (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--builds", defaultValue = "1", description = "Builds per engine in its JVM, each from scratch; the "
            + "report gives the first (a fresh JVM's) and the last (a warm JVM's), which the memory and the sweep measure "
            + "(default ${DEFAULT-VALUE}).")
    int builds;

    @Option(names = "--data-dir", defaultValue = "bench-results/scale-data",
            description = "Where generated collections and their ground truth are written and reused (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--out", description = "Results folder (default bench-results/scale-<dataset>-<timestamp>).")
    Path out;

    private String commandLine = "./vdb bench scale";

    /** The command line to print in the report (set by {@code BenchMain}). */
    public void commandLine(String line) {
        this.commandLine = line;
    }

    @Override
    public Integer call() throws Exception {
        VectorSimilarity similarity = sweep.similarity();
        if (builds < 1) {
            throw new IllegalArgumentException("--builds must be at least 1, got " + builds);
        }
        if (sweep.baseLimit > 0) {
            throw new IllegalArgumentException("--base is not supported by scale: use --dataset generated:N:DIM for a size");
        }
        for (String engine : engines) {
            Engines.create(engine, similarity, sweep.m, sweep.efConstruct).close(); // unknown names fail here, not in a child
        }
        int buildThreads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        ScaleData data = data(similarity);
        String timestamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path dir = out != null ? out : Path.of("bench-results", "scale-" + data.name() + "-" + timestamp);
        Files.createDirectories(dir);
        String efList = efs.stream().sorted().distinct().map(String::valueOf).collect(Collectors.joining(","));
        List<ScaleResult> results = new ArrayList<>();
        for (String engine : engines) {
            System.out.printf("%n== %s (own JVM, -Xmx%s) ==%n", engine, heap);
            results.add(runChild(engine, data, similarity, buildThreads, efList, dir));
        }
        String md = ScaleReport.markdown(data.name(), heap, commandLine, sweep, results);
        Files.writeString(dir.resolve("results.md"), md);
        System.out.printf("%n%s%nresults in %s%n", md, dir.toAbsolutePath());
        return results.stream().anyMatch(ScaleResult::ran) ? 0 : 1;
    }

    private ScaleData data(VectorSimilarity similarity) throws Exception {
        if (dataset.startsWith("generated-images:")) {
            int n = Integer.parseInt(dataset.substring("generated-images:".length()));
            if (n < 1) {
                throw new IllegalArgumentException("--dataset generated-images:N needs a positive size, got '" + dataset + "'");
            }
            return ScaleData.images(dataDir, n, sweep.queries > 0 ? sweep.queries : 1_000, similarity, sweep.k);
        }
        if (!dataset.startsWith("generated:")) {
            return ScaleData.folder(Path.of(dataset), similarity);
        }
        String[] nd = dataset.substring("generated:".length()).split(":");
        if (nd.length != 2) {
            throw new IllegalArgumentException("--dataset generated:N:DIM needs a size and a dimension, got '" + dataset + "'");
        }
        int n = Integer.parseInt(nd[0]);
        int dim = Integer.parseInt(nd[1]);
        if (n < 1 || dim < 1) {
            throw new IllegalArgumentException("--dataset generated:N:DIM needs a positive size and dimension, got '" + dataset + "'");
        }
        return ScaleData.generated(dataDir, n, dim, sweep.queries > 0 ? sweep.queries : 1_000, similarity, sweep.k);
    }

    /** Runs one engine in a child JVM, echoing its output; its result, or why it has none. */
    private ScaleResult runChild(String engine, ScaleData data, VectorSimilarity similarity, int buildThreads,
                                 String efList, Path dir) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-Xmx") && !arg.startsWith("-Xms") && !arg.startsWith("-XX:MaxRAM")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-Xmx" + heap, "-Djava.io.tmpdir=" + dir.toAbsolutePath().resolve("tmp"),
                "-cp", System.getProperty("java.class.path"), ScaleChild.class.getName(),
                engine, data.base().toString(), data.queries().toString(), data.groundTruth().toString(), similarity.name(),
                Integer.toString(sweep.m), Integer.toString(sweep.efConstruct), Integer.toString(sweep.k),
                Integer.toString(buildThreads), efList, Integer.toString(rounds), Double.toString(warmupSeconds),
                Integer.toString(builds)));
        Files.createDirectories(dir.resolve("tmp"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        String lastError = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
                if (line.contains("Error") || line.contains("Exception")) {
                    lastError = lastError == null ? line.trim() : lastError;
                }
                if (!line.startsWith("POINT")) {
                    System.out.println("  " + line);
                }
            }
        }
        int exit = process.waitFor();
        String why = String.format(Locale.ROOT, "child exited %d%s", exit, lastError == null ? "" : ": " + lastError);
        return ScaleResult.parse(engine, lines, why);
    }
}
