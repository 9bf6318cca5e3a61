package dev.vdb.bench;

import dev.vdb.bench.cluster.ClusterBench;
import dev.vdb.bench.collections.CollectionsCommand;
import dev.vdb.bench.engines.Engines;
import dev.vdb.bench.filtered.FilteredCommand;
import dev.vdb.bench.jmh.JmhCommand;
import dev.vdb.bench.reopen.ReopenCommand;
import dev.vdb.bench.tenants.TenantsCommand;
import dev.vdb.bench.scale.ScaleCommand;
import dev.vdb.bench.text.TextBench;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.bench.http.HttpLoadMain;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ./vdb bench}: the recall-versus-latency sweep of ours against Lucene, jvector and
 * hnswlib on one dataset, written to a results folder (CSV, Markdown, PNG plots);
 * {@code ./vdb bench filtered} the filtered sweep by selectivity ({@link FilteredCommand});
 * {@code ./vdb bench jmh} runs the JMH micro-benchmarks; {@code ./vdb bench text} the BM25 and
 * hybrid retrieval benchmark ({@link TextBench}); {@code ./vdb bench http-load} compares search
 * over HTTP with embedded search under concurrent load ({@link HttpLoadMain}); {@code ./vdb bench reopen}
 * the time from open to the first search after a clean close and after kill -9 ({@link ReopenCommand});
 * {@code ./vdb bench cluster} writes and searches over 1, 2 and 3 shards against one node ({@link ClusterBench});
 * {@code ./vdb bench collections} what many collections cost ({@link CollectionsCommand}); {@code ./vdb bench tenants}
 * tenant-filtered search against a collection per tenant ({@link TenantsCommand});
 * {@code ./vdb bench scale} builds and searches each engine in its own JVM with a 2 GB heap ({@link ScaleCommand}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {JmhCommand.class, FilteredCommand.class, TextBench.class, HttpLoadMain.class, ReopenCommand.class,
                ClusterBench.class, CollectionsCommand.class, TenantsCommand.class, ScaleCommand.class},
        description = {"Recall versus latency of ours and the JVM peers on one dataset (../shared/datasets format).",
                "Writes sweep.csv, summary.csv, results.md, recall-qps.png and recall-p99.png."})
public final class BenchMain implements Callable<Integer> {

    static final List<Integer> DEFAULT_EFS = List.of(10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 800);
    static final List<Integer> QUICK_EFS = List.of(10, 32, 128);

    @Mixin
    SweepOptions sweep;

    @Option(names = "--dataset", paramLabel = "DIR|generated:DIM|generated-int8:DIM|generated-images",
            description = {"Folder with base.fvecs, query.fvecs and ground-truth ivecs, or generated:DIM for clustered vectors shaped like",
                    "real embeddings of dimension DIM, generated-int8:DIM for them as int8 (each scaled to ±127 and rounded),",
                    "or generated-images for 28x28 MNIST-like digit images (784-d, pixels 0..255, use --metric l2)",
                    "(" + BenchData.GENERATED_BASE + " base vectors and " + BenchData.GENERATED_QUERIES
                            + " queries unless --base / --queries; brute-force ground truth for --metric).",
                    "Required unless --quick (then generated data is used when absent)."})
    String dataset;


    @Option(names = "--groundtruth", paramLabel = "FILE",
            description = "Ground-truth ivecs (default: groundtruth.ivecs / groundtruth.l2.ivecs / groundtruth.dot.ivecs by sweep.metric).")
    Path groundTruth;

    @Option(names = "--engines", split = ",", description = {"Engines to run, from exact,ours,ours-index,lucene,lucene-hnsw,jvector,hnswlib (default: all these)",
                    "and the quantized ones ours-int8,ours-int8-norescore,ours-binary,ours-binary-norescore,",
                    "lucene-int7,lucene-int4,lucene-bbq,jvector-pq (searched on codes, the ef best rescored with full precision)."})
    List<String> engines = Engines.ALL;



    @Option(names = "--ef", split = ",", description = "ef values of the single-thread sweep (default 10,16,24,32,48,64,96,128,192,256,384,512,800).")
    List<Integer> efs;




    @Option(names = "--threads", defaultValue = "0", description = "Threads for concurrent builds and the throughput point (default: all cores).")
    int threads;

    @Option(names = "--single-thread-build", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also time a 1-thread build of concurrent engines (default on; --no-single-thread-build skips it).")
    boolean singleThreadBuild;

    @Option(names = "--warm-builds", paramLabel = "N", defaultValue = "0",
            description = "Untimed builds of each engine before its timed ones, in the same JVM (default 0: the timed "
                    + "builds also pay for compiling the engine's code; 2 or more times the JIT's steady state).")
    int warmBuilds;

    @Option(names = "--warmup-seconds", paramLabel = "S",
            description = "Least time each engine searches before timing starts (default 5; 1 with --quick).")
    Double warmupSeconds;

    @Option(names = "--rounds", paramLabel = "R",
            description = "Passes over the queries per ef; the fastest is reported (default 3; 1 with --quick).")
    Integer rounds;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default bench-results/<dataset>-<timestamp>).")
    Path out;

    @Option(names = "--cache", paramLabel = "DIR", defaultValue = "bench-results/groundtruth-cache",
            description = "Where the brute-force ground truth of generated sets is kept between runs (default ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--quick", description = "CI smoke: " + BenchData.QUICK_BASE + " base vectors, " + BenchData.QUICK_QUERIES
            + " queries, brute-force ground truth on the slice, ef 10,32,128.")
    boolean quick;

    private String commandLine = "./vdb bench";

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /** Parses {@code args} and runs; returns the exit code. */
    public static int run(String... args) {
        BenchMain main = new BenchMain();
        main.commandLine = "./vdb bench " + String.join(" ", args);
        CommandLine cli = new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true);
        ((FilteredCommand) cli.getSubcommands().get("filtered").getCommand()).commandLine(main.commandLine);
        ((ScaleCommand) cli.getSubcommands().get("scale").getCommand()).commandLine(main.commandLine);
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        long start = System.nanoTime();
        VectorSimilarity similarity = sweep.similarity();
        int threadCount = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        BenchOptions options = new BenchOptions(engines, sweep.m, sweep.efConstruct,
                efs != null ? efs : quick ? QUICK_EFS : DEFAULT_EFS, sweep.k, threadCount, singleThreadBuild,
                warmBuilds, warmupSeconds != null ? warmupSeconds : quick ? 1.0 : 5.0,
                rounds != null ? rounds : quick ? 1 : 3);
        BenchData data = load(similarity);
        System.out.printf("dataset %s: %,d × %d, %,d queries, metric %s, ground truth %s%n", data.name(),
                data.base().length, data.dimension(), data.queries().length, sweep.metric, data.groundTruthSource());
        System.out.printf("engines %s, M=%d, ef_construct=%d, k=%d, ef %s, %d threads%n", options.engines(), sweep.m,
                sweep.efConstruct, sweep.k, options.efs(), threadCount);

        List<EngineResult> results = new BenchRunner(data, options, System.out).runAll();
        double kernelNanos = kernelNanos(data, results);
        System.out.printf("SIMD kernel: %.1f ns per distance (dim %d, streaming over the base)%n", kernelNanos,
                data.dimension());

        String timestamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path dir = out != null ? out : Path.of("bench-results", data.name().replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + timestamp);
        RunInfo info = new RunInfo(data.name(), data.base().length, data.dimension(), data.queries().length, sweep.metric,
                data.groundTruthSource(), options, DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
                RunInfo.describeMachine(), RunInfo.describeJdk(), commandLine, (System.nanoTime() - start) / 1e9, kernelNanos);
        Report.write(dir, info, results);
        System.out.printf("%nresults in %s (%.0f s)%n", dir.toAbsolutePath(), info.seconds());
        System.out.print(Report.summaryCsv(results));
        return results.stream().anyMatch(EngineResult::ran) ? 0 : 1;
    }

    /**
     * Our kernel's time per distance when streaming over the base: from the exact engine's
     * sweep point when it ran (warmed up, fastest round, same conditions as the others), else
     * timed here.
     */
    private double kernelNanos(BenchData data, List<EngineResult> results) {
        for (EngineResult r : results) {
            if (r.ran() && r.engine().equals("exact") && !r.sweep().isEmpty()) {
                return 1e9 / r.sweep().get(0).qps() / data.base().length;
            }
        }
        return KernelTiming.nanosPerDistance(data, quick ? 0.2 : 1.0);
    }

    private BenchData load(VectorSimilarity similarity) throws Exception {
        int baseN = quick ? BenchData.QUICK_BASE : sweep.baseLimit;
        int queryN = quick ? (sweep.queries > 0 ? Math.min(sweep.queries, BenchData.QUICK_QUERIES) : BenchData.QUICK_QUERIES) : sweep.queries;
        if (dataset == null) {
            if (!quick) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--dataset DIR is required (or use --quick)");
            }
            System.out.println("no --dataset: using generated clustered data (brute-force ground truth)");
            return BenchData.generated(GeneratedShape.EMBEDDINGS, baseN, queryN, 64, similarity, Math.max(sweep.k, 10), null);
        }
        GeneratedShape shape = GeneratedShape.of(dataset);
        if (shape != null) {
            return BenchData.generated(shape, baseN > 0 ? baseN : BenchData.GENERATED_BASE,
                    queryN > 0 ? queryN : BenchData.GENERATED_QUERIES, shape.dimension(dataset), similarity,
                    Math.max(sweep.k, 10), quick ? null : cache);
        }
        Path dir = Path.of(dataset);
        Path gt = groundTruth != null ? groundTruth : dir.resolve(switch (similarity) {
            case COSINE -> "groundtruth.ivecs";
            case EUCLID -> "groundtruth.l2.ivecs";
            case DOT -> "groundtruth.dot.ivecs";
        });
        return BenchData.load(dir, similarity, gt, baseN, queryN, sweep.k);
    }
}
