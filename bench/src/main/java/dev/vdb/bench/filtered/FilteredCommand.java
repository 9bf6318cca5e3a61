package dev.vdb.bench.filtered;

import dev.vdb.bench.BenchData;
import dev.vdb.bench.GeneratedShape;
import dev.vdb.bench.RunInfo;
import dev.vdb.bench.SweepOptions;
import dev.vdb.index.VectorSimilarity;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./vdb bench filtered}: recall and speed of filtered searches by selectivity: ours with
 * each filter strategy, Lucene's filtered HNSW, jvector with accept bits and a naive
 * post-filter, on filters over {@code base_meta.tsv} payload fields.
 */
@Command(name = "filtered", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Filtered search by selectivity: ours (auto, pre, post, exact), Lucene, jvector and a naive post-filter.",
                "Writes filtered-sweep.csv, filtered.md and filtered-qps.png."})
public final class FilteredCommand implements Callable<Integer> {

    static final List<Integer> DEFAULT_EFS = List.of(10, 16, 24, 32, 48, 64, 96, 128, 256);
    static final List<Integer> QUICK_EFS = List.of(16, 64);
    static final int QUICK_BASE = 2_000;
    static final int QUICK_QUERIES = 50;

    @Mixin
    SweepOptions sweep;

    @Option(names = "--dataset", paramLabel = "DIR|generated:DIM|generated-int8:DIM|generated-images",
            description = {"Folder with base.fvecs, query.fvecs and base_meta.tsv (query_meta.tsv for FIELD=$query),",
                    "or generated data as the unfiltered bench draws it (" + BenchData.GENERATED_BASE + " base, "
                            + BenchData.GENERATED_QUERIES + " queries unless --base/--queries) with a column 'rank':",
                    "generated:DIM clustered embeddings, generated-int8:DIM them as int8, generated-images 784-d digit images.",
                    "Required unless --quick."})
    String dataset;

    @Option(names = "--filter", split = ";", paramLabel = "SPEC",
            description = {"Filters (repeat or separate with ';'): FIELD<N, FIELD=VALUE or FIELD=$query (the query's own value).",
                    "Default by the columns: freq_rank<25000,10000,5000,1000,500,100 (GloVe); pos=n, lexname=noun.artifact, lexname=verb.motion, lexname=$query (WordNet)."})
    List<String> filters = new ArrayList<>();

    @Option(names = "--engines", split = ",", description = "Engines, from ours,ours-index,lucene,jvector (default: all).")
    List<String> engines = FilteredOptions.ENGINES;

    @Option(names = "--ef", split = ",", description = "ef values (default 10,16,24,32,48,64,96,128,256: from k = 10 up,"
            + " fine where engines pass recall 0.95).")
    List<Integer> efs;

    @Option(names = "--threads", defaultValue = "0", description = "Build threads (default: all cores). Searches use one.")
    int threads;

    @Option(names = "--warmup-seconds", paramLabel = "S", description = "Least warm-up time per variant (default 5; 0.5 with --quick).")
    Double warmupSeconds;

    @Option(names = "--rounds", paramLabel = "R", description = "Passes per point; the fastest is kept (default 2; 1 with --quick).")
    Integer rounds;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default bench-results/<dataset>-filtered-<timestamp>).")
    Path out;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where brute-force filtered ground truth is kept between runs (default bench-results/groundtruth-cache).")
    Path cache;

    @Option(names = "--quick", description = "CI smoke: " + QUICK_BASE + " base vectors, " + QUICK_QUERIES
            + " queries, ef 16,64, brute-force ground truth (generated data when no --dataset).")
    boolean quick;

    private String commandLine = "./vdb bench filtered";

    /** Sets the command line the report quotes. */
    public void commandLine(String line) {
        this.commandLine = line;
    }

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        long start = System.nanoTime();
        VectorSimilarity similarity = sweep.similarity();
        FilteredOptions options = new FilteredOptions(engines, sweep.m, sweep.efConstruct,
                efs != null ? efs : quick ? QUICK_EFS : DEFAULT_EFS, sweep.k,
                threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
                warmupSeconds != null ? warmupSeconds : quick ? 0.5 : 5.0, rounds != null ? rounds : quick ? 1 : 2);
        FilteredData data = load(similarity);
        System.out.printf("dataset %s: %,d × %d, %,d queries, metric %s%n", data.name(), data.base().length,
                data.dimension(), data.queries().length, sweep.metric);
        for (FilterCase c : data.cases()) {
            System.out.printf("  filter %-28s ground truth: %s%n", c.label(), c.truthSource());
        }
        FilteredRunner.Result result = new FilteredRunner(data, options, System.out).run();

        String timestamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path dir = out != null ? out
                : Path.of("bench-results", data.name().replaceAll("[^A-Za-z0-9_.-]", "_") + "-filtered-" + timestamp);
        FilteredReport.Header header = new FilteredReport.Header(data.name(), data.base().length, data.dimension(),
                data.queries().length, sweep.metric, options,
                DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)),
                RunInfo.describeMachine(), RunInfo.describeJdk(), commandLine, (System.nanoTime() - start) / 1e9);
        FilteredReport.write(dir, header, data, result);
        System.out.printf("%nresults in %s (%.0f s)%n", dir.toAbsolutePath(), header.seconds());
        return result.skipped().size() < options.engines().size() ? 0 : 1;
    }

    private FilteredData load(VectorSimilarity similarity) throws Exception {
        int baseN = quick ? QUICK_BASE : sweep.baseLimit;
        int queryN = quick ? (sweep.queries > 0 ? Math.min(sweep.queries, QUICK_QUERIES) : QUICK_QUERIES) : sweep.queries;
        if (dataset == null) {
            if (!quick) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--dataset DIR is required (or use --quick)");
            }
            System.out.println("no --dataset: using generated clustered data with a random integer column 'rank'");
            return FilteredData.generated(GeneratedShape.EMBEDDINGS, baseN, queryN, 32, similarity, filters, sweep.k, null);
        }
        Path cacheRoot = quick ? null : cache != null ? cache : Path.of("bench-results", "groundtruth-cache");
        GeneratedShape shape = GeneratedShape.of(dataset);
        if (shape != null) {
            return FilteredData.generated(shape, baseN > 0 ? baseN : BenchData.GENERATED_BASE,
                    queryN > 0 ? queryN : BenchData.GENERATED_QUERIES, shape.dimension(dataset), similarity,
                    filters, sweep.k, cacheRoot);
        }
        return FilteredData.load(Path.of(dataset), similarity, filters, baseN, queryN, sweep.k, cacheRoot);
    }
}
