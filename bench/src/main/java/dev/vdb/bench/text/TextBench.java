package dev.vdb.bench.text;

import dev.vdb.bench.RunInfo;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Fusion;
import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.TextConfig;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.testkit.data.Datasets;
import dev.vdb.testkit.lucene.LuceneBm25;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.lucene.search.ScoreDoc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ./vdb bench text}: full-text and hybrid retrieval on a text collection (Cranfield by
 * default), through the embedded API. Effectiveness (nDCG@10, MAP@100, Recall@100 over the
 * judged queries) of our BM25, Lucene's BM25 (same analyzer, k1, b) in the same run, dense
 * (MiniLM embeddings, HNSW), hybrid RRF and hybrid weighted over an alpha sweep; queries/s of
 * our BM25 against Lucene's in interleaved rounds (query analysis included for both), with
 * dense and hybrid for scale; and what the BM25 index adds to opening a database, loaded from
 * its snapshot or rebuilt.
 * Writes {@value #EFFECTIVENESS_CSV}, {@value #SPEED_CSV} and {@value #RESULTS_MD}.
 */
@Command(name = "text", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"BM25, dense and hybrid retrieval quality and BM25 speed (ours vs Lucene) on a text collection.",
                "Writes text-effectiveness.csv, text-speed.csv and text-results.md."})
public final class TextBench implements Callable<Integer> {

    public static final String EFFECTIVENESS_CSV = "text-effectiveness.csv";
    public static final String SPEED_CSV = "text-speed.csv";
    public static final String RESULTS_MD = "text-results.md";
    private static final int DEPTH = 100;
    private static final int BATCH = 1_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "DIR",
            description = "Folder with docs.jsonl, queries.jsonl, qrels.tsv and the embeddings (default: ../shared/datasets/cranfield; generated data with --quick when absent).")
    Path dataset;

    @Option(names = "--analyzer", defaultValue = "english", description = "english or standard (default ${DEFAULT-VALUE}).")
    String analyzer;

    @Option(names = "--k1", defaultValue = "1.2", description = "BM25 k1 (default ${DEFAULT-VALUE}).")
    float k1;

    @Option(names = "--b", defaultValue = "0.75", description = "BM25 b (default ${DEFAULT-VALUE}).")
    float b;

    @Option(names = "--rrf-k", defaultValue = "60", description = "RRF rank constant (default ${DEFAULT-VALUE}).")
    int rrfK;

    @Option(names = "--alphas", split = ",", description = "Weights of the vector score for weighted fusion (default 0,0.1,...,1).")
    List<Float> alphas;

    @Option(names = "--rounds", paramLabel = "R", description = "Timed passes over the queries per engine and k, interleaved; the median is reported (default 15; 2 with --quick).")
    Integer rounds;

    @Option(names = "--warmup-seconds", paramLabel = "S", description = "Least time each timed engine searches before timing (default 5; 0.5 with --quick).")
    Double warmupSeconds;

    @Option(names = "--rebuild-docs", paramLabel = "N",
            description = "Also time opening a database of N points whose texts are drawn from the collection (BM25 snapshot loaded, and rebuilt), against the same points without text (default 100000; 2000 with --quick; 0 skips).")
    Integer rebuildDocs;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default bench-results/text-<dataset>-<timestamp>).")
    Path out;

    @Option(names = "--quick", description = "Smoke run: few rounds, short warm-up, a small rebuild set.")
    boolean quick;

    /** One run's ranked doc ids per query. */
    private record Run(String name, List<List<String>> rankings) {}

    /** Queries/s of one engine at one k: median, min and max over the rounds. */
    record Speed(String engine, int k, double median, double min, double max) {}

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        int roundCount = rounds != null ? rounds : quick ? 2 : 15;
        double warmup = warmupSeconds != null ? warmupSeconds : quick ? 0.5 : 5;
        int rebuildN = rebuildDocs != null ? rebuildDocs : quick ? 2_000 : 100_000;
        List<Float> alphaSweep = alphas != null ? alphas
                : List.of(0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1f);
        if (roundCount < 1 || warmup < 0 || rebuildN < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be >= 1, --warmup-seconds and --rebuild-docs >= 0");
        }
        TextData data = load();
        System.out.printf("%s: %,d docs, %,d queries (%d judged), %d-d embeddings; analyzer %s, k1=%s, b=%s%n",
                data.name(), data.docIds().size(), data.queryIds().size(), data.qrels().size(), data.dimension(),
                analyzer, k1, b);
        TextConfig textConfig = new TextConfig(analyzer, k1, b);
        Path dbDir = Files.createTempDirectory("vdb-bench-text");
        StringBuilder notes = new StringBuilder();
        List<Run> runs = new ArrayList<>();
        List<Speed> speeds = new ArrayList<>();
        try (LuceneBm25 lucene = new LuceneBm25(analyzer, data.docTexts(), k1, b)) {
            double loadSeconds;
            VectorDb db = VectorDb.open(dbDir, new DbOptions(false, 100_000));
            try {
                long t0 = System.nanoTime();
                VectorCollection c = db.createCollection("text", new CollectionConfig(data.dimension(), Distance.COSINE,
                        HnswConfig.DEFAULT, textConfig));
                upsertAll(c, data);
                loadSeconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("loaded through the embedded API in %.2f s%n", loadSeconds);

                runs.add(run("BM25 (ours)", data, q -> ids(c.search(textRequest(data.queryTexts().get(q), DEPTH)))));
                runs.add(run("BM25 (Lucene " + org.apache.lucene.util.Version.LATEST + ")", data,
                        q -> Arrays.stream(lucene.search(data.queryTexts().get(q), DEPTH).scoreDocs).map(d -> data.docIds().get(d.doc)).toList()));
                notes.append(compareWithLucene(c, lucene, data));
                runs.add(run("dense (ours, HNSW)", data, q -> ids(c.search(vectorRequest(data.queryVectors()[q], DEPTH)))));
                runs.add(run("hybrid RRF k=" + rrfK, data,
                        q -> ids(c.search(hybridRequest(data, q, DEPTH, Fusion.rrf(rrfK))))));
                for (float alpha : alphaSweep) {
                    runs.add(run(String.format(Locale.ROOT, "hybrid weighted alpha=%.1f", alpha), data,
                            q -> ids(c.search(hybridRequest(data, q, DEPTH, Fusion.weighted(alpha))))));
                }
                speeds.addAll(timeSearches(c, lucene, data, new int[] {10, 100}, roundCount, warmup));
            } finally {
                db.close();
            }
            long t0 = System.nanoTime();
            try (VectorDb reopened = VectorDb.open(dbDir, new DbOptions(false, 100_000))) {
                notes.append(String.format(Locale.ROOT, "- reopening the %,d-point database after a clean close (vectors, graph, id map, BM25 snapshot): %.0f ms%n",
                        reopened.collection("text").count(), (System.nanoTime() - t0) / 1e6));
            }
            notes.insert(0, String.format(Locale.ROOT, "- load through the embedded API (%,d points, batches of %,d, HNSW M=16, ef_construct=100, BM25 analysis): %.2f s%n",
                    data.docIds().size(), BATCH, loadSeconds));
        } finally {
            deleteTree(dbDir);
        }
        if (rebuildN > 0) {
            notes.append(timeRebuild(data, textConfig, rebuildN));
        }

        List<IrMetrics.Means> means = runs.stream().map(r -> IrMetrics.means(data.queryIds(), r.rankings(), data.qrels())).toList();
        String timestamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path dir = out != null ? out : Path.of("bench-results", "text-" + data.name() + "-" + timestamp);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(EFFECTIVENESS_CSV), effectivenessCsv(runs, means));
        Files.writeString(dir.resolve(SPEED_CSV), speedCsv(speeds));
        String md = markdown(data, runs, means, speeds, notes.toString(), roundCount, warmup, (System.nanoTime() - start) / 1e9);
        Files.writeString(dir.resolve(RESULTS_MD), md);
        System.out.println();
        System.out.print(md);
        System.out.printf("%nresults in %s%n", dir.toAbsolutePath());
        return 0;
    }

    private TextData load() throws IOException {
        Optional<Path> dir = dataset != null ? Optional.of(dataset) : Datasets.find("cranfield");
        if (dir.isPresent()) {
            return TextData.load(dir.get());
        }
        if (!quick) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dataset DIR is required (no ../shared/datasets/cranfield found)");
        }
        System.out.println("no dataset: using a generated text collection");
        return TextData.generated(1_000, 50, 32, 7);
    }

    private static void upsertAll(VectorCollection c, TextData data) {
        List<Point> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < data.docIds().size(); i++) {
            batch.add(new Point(PointId.of(data.docIds().get(i)), data.docVectors()[i], null, data.docTexts().get(i)));
            if (batch.size() == BATCH || i == data.docIds().size() - 1) {
                c.upsert(batch);
                batch.clear();
            }
        }
    }

    private static SearchRequest textRequest(String text, int k) {
        return SearchRequest.builder().text(text).limit(k).withPayload(false).build();
    }

    private static SearchRequest vectorRequest(float[] vector, int k) {
        return SearchRequest.builder().vector(vector).limit(k).withPayload(false).build();
    }

    private static SearchRequest hybridRequest(TextData data, int q, int k, Fusion fusion) {
        return SearchRequest.builder().vector(data.queryVectors()[q]).text(data.queryTexts().get(q)).limit(k).fusion(fusion).withPayload(false).build();
    }

    private static List<String> ids(List<ScoredPoint> hits) {
        return hits.stream().map(h -> h.id().value().toString()).toList();
    }

    private static Run run(String name, TextData data, IntFunction<List<String>> search) {
        List<List<String>> rankings = new ArrayList<>(data.queryIds().size());
        for (int q = 0; q < data.queryIds().size(); q++) {
            rankings.add(search.apply(q));
        }
        return new Run(name, rankings);
    }

    /** How many queries' top 100 equal Lucene's, id for id with scores within 1e-4 relative. */
    private static String compareWithLucene(VectorCollection c, LuceneBm25 lucene, TextData data) {
        int equal = 0;
        double worst = 0;
        for (int q = 0; q < data.queryIds().size(); q++) {
            List<ScoredPoint> ours = c.search(textRequest(data.queryTexts().get(q), DEPTH));
            ScoreDoc[] theirs = lucene.search(data.queryTexts().get(q), DEPTH).scoreDocs;
            boolean same = ours.size() == theirs.length;
            for (int r = 0; same && r < theirs.length; r++) {
                double rel = Math.abs(ours.get(r).score() - theirs[r].score) / Math.max(1e-12, Math.abs(theirs[r].score));
                worst = Math.max(worst, rel);
                same = ours.get(r).id().value().toString().equals(data.docIds().get(theirs[r].doc)) && rel <= 1e-4;
            }
            equal += same ? 1 : 0;
        }
        String line = String.format(Locale.ROOT, "- BM25 top-%d equal to Lucene's (ids rank by rank, scores within 1e-4 relative): %d of %d queries; largest relative score difference %.2e%n",
                DEPTH, equal, data.queryIds().size(), worst);
        System.out.print(line);
        return line;
    }

    /**
     * Queries/s over every query, per engine and k: after {@code warmup} seconds of each engine
     * at each k, {@code rounds} rounds in which every engine makes one timed pass over the
     * queries at each k in turn (so load changes on a shared machine hit all of them alike).
     */
    private List<Speed> timeSearches(VectorCollection c, LuceneBm25 lucene, TextData data, int[] ks, int rounds, double warmup) {
        int n = data.queryIds().size();
        Map<String, Search> engines = new LinkedHashMap<>();
        engines.put("BM25 (ours)", (q, k) -> c.search(textRequest(data.queryTexts().get(q), k)));
        engines.put("BM25 (Lucene)", (q, k) -> lucene.search(data.queryTexts().get(q), k));
        engines.put("dense (ours, HNSW)", (q, k) -> c.search(vectorRequest(data.queryVectors()[q], k)));
        engines.put("hybrid RRF (ours)", (q, k) -> c.search(hybridRequest(data, q, k, Fusion.rrf(rrfK))));
        long sink = 0;
        for (int k : ks) {
            for (Search engine : engines.values()) {
                long until = System.nanoTime() + (long) (warmup * 1e9);
                do {
                    for (int q = 0; q < n; q++) {
                        sink += engine.run(q, k).hashCode();
                    }
                } while (System.nanoTime() < until);
            }
        }
        Map<String, double[]> qps = new LinkedHashMap<>();
        for (int k : ks) {
            engines.keySet().forEach(name -> qps.put(k + " " + name, new double[rounds]));
        }
        for (int r = 0; r < rounds; r++) {
            for (int k : ks) {
                for (Map.Entry<String, Search> engine : engines.entrySet()) {
                    long t0 = System.nanoTime();
                    for (int q = 0; q < n; q++) {
                        sink += engine.getValue().run(q, k).hashCode();
                    }
                    qps.get(k + " " + engine.getKey())[r] = n / ((System.nanoTime() - t0) / 1e9);
                }
            }
        }
        List<Speed> speeds = new ArrayList<>();
        for (int k : ks) {
            for (String name : engines.keySet()) {
                double[] sorted = qps.get(k + " " + name).clone();
                Arrays.sort(sorted);
                Speed s = new Speed(name, k, sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
                System.out.printf(Locale.ROOT, "k=%d %-20s %,10.0f queries/s (min %,.0f, max %,.0f)%n", k, name, s.median(),
                        s.min(), s.max());
                speeds.add(s);
            }
        }
        if (sink == 42) {
            System.out.println(); // keeps the results alive
        }
        return speeds;
    }

    /** One timed search: query {@code q}, top {@code k}. */
    private interface Search {
        Object run(int q, int k);
    }

    /**
     * Times opening a database of {@code n} points whose texts are drawn from the collection:
     * after a clean close (the BM25 snapshot is loaded), and with the snapshot file deleted (the
     * index is rebuilt from RocksDB, as after a crash); and the same points without texts.
     */
    private static String timeRebuild(TextData data, TextConfig textConfig, int n) throws IOException {
        double withoutTexts = 0;
        double snapshot = 0;
        double rebuilt = 0;
        long words = 0;
        for (boolean withText : new boolean[] {false, true}) {
            Path dir = Files.createTempDirectory("vdb-bench-rebuild");
            try {
                try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100_000))) {
                    VectorCollection c = db.createCollection("rebuild", new CollectionConfig(8, Distance.COSINE,
                            new HnswConfig(8, 32), textConfig));
                    SplittableRandom random = new SplittableRandom(17);
                    List<Point> batch = new ArrayList<>(BATCH);
                    for (int i = 0; i < n; i++) {
                        float[] v = new float[8];
                        for (int d = 0; d < v.length; d++) {
                            v[d] = (float) random.nextGaussian();
                        }
                        String text = data.docTexts().get(random.nextInt(data.docTexts().size()));
                        if (withText) {
                            words += text.split("\\s+").length;
                        }
                        batch.add(new Point(PointId.of(i), v, null, withText ? text : null));
                        if (batch.size() == BATCH || i == n - 1) {
                            c.upsert(batch);
                            batch.clear();
                        }
                    }
                }
                if (!withText) {
                    withoutTexts = openMillis(dir, n);
                    continue;
                }
                snapshot = openMillis(dir, n);
                try (Stream<Path> files = Files.list(dir.resolve("text"))) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
                rebuilt = openMillis(dir, n);
            } finally {
                deleteTree(dir);
            }
        }
        String line = String.format(Locale.ROOT, "- opening a database of %,d points with texts drawn from the collection (%,d words): "
                + "%.0f ms after a clean close (BM25 snapshot loaded), %.0f ms with the snapshot deleted (BM25 rebuilt from RocksDB, "
                + "as after a crash); the same points without texts: %.0f ms%n", n, words, snapshot, rebuilt, withoutTexts);
        System.out.print(line);
        return line;
    }

    private static double openMillis(Path dir, int n) {
        long t0 = System.nanoTime();
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100_000))) {
            double millis = (System.nanoTime() - t0) / 1e6;
            if (db.collection("rebuild").count() != n) {
                throw new IllegalStateException("reopened with " + db.collection("rebuild").count() + " points");
            }
            return millis;
        }
    }

    private static String effectivenessCsv(List<Run> runs, List<IrMetrics.Means> means) {
        StringBuilder csv = new StringBuilder("run,ndcg_at_10,map_at_100,recall_at_100,queries\n");
        for (int i = 0; i < runs.size(); i++) {
            IrMetrics.Means m = means.get(i);
            csv.append(String.format(Locale.ROOT, "\"%s\",%.4f,%.4f,%.4f,%d%n", runs.get(i).name(), m.ndcg10(), m.map100(),
                    m.recall100(), m.queries()));
        }
        return csv.toString();
    }

    private static String speedCsv(List<Speed> speeds) {
        StringBuilder csv = new StringBuilder("engine,k,qps_median,qps_min,qps_max\n");
        for (Speed s : speeds) {
            csv.append(String.format(Locale.ROOT, "\"%s\",%d,%.1f,%.1f,%.1f%n", s.engine(), s.k(), s.median(), s.min(), s.max()));
        }
        return csv.toString();
    }

    private String markdown(TextData data, List<Run> runs, List<IrMetrics.Means> means, List<Speed> speeds, String notes,
                            int roundCount, double warmup, double seconds) {
        StringBuilder md = new StringBuilder();
        md.append("## Text and hybrid retrieval: ").append(data.name()).append("\n\n");
        md.append(String.format(Locale.ROOT, """
                - data: %,d documents, %,d queries (%d judged), %d-d embeddings; analyzer %s, k1=%s, b=%s; \
                hybrid lists over-fetched x4 (limit 100 → 400 candidates each); dense and hybrid use HNSW (M=16, ef_construct=100, ef = max(64, candidates))
                - machine: %s; JDK: %s
                - date: %s; run took %.0f s; speed: median of %d interleaved rounds (all queries per round) after %.1f s warm-up per engine and k
                - command: `%s`
                """, data.docIds().size(), data.queryIds().size(), data.qrels().size(), data.dimension(), analyzer, k1, b,
                RunInfo.describeMachine(), RunInfo.describeJdk(),
                DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)), seconds, roundCount, warmup,
                commandLine()));
        md.append(notes).append('\n');
        md.append("| run | nDCG@10 | MAP@100 | Recall@100 |\n| --- | --- | --- | --- |\n");
        int bestHybrid = -1;
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).name().startsWith("hybrid") && (bestHybrid < 0 || means.get(i).ndcg10() > means.get(bestHybrid).ndcg10())) {
                bestHybrid = i;
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            IrMetrics.Means m = means.get(i);
            md.append(String.format(Locale.ROOT, "| %s%s | %.4f | %.4f | %.4f |%n", runs.get(i).name(),
                    i == bestHybrid ? " (best hybrid)" : "", m.ndcg10(), m.map100(), m.recall100()));
        }
        md.append("\nQueries/s, one thread, query analysis included (text for BM25; Lucene builds its query from the text):\n\n");
        md.append("| engine | k | queries/s (median) | min | max |\n| --- | --- | --- | --- | --- |\n");
        for (Speed s : speeds) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %,.0f |%n", s.engine(), s.k(), s.median(), s.min(), s.max()));
        }
        for (int k : new int[] {10, 100}) {
            Optional<Speed> ours = speeds.stream().filter(s -> s.k() == k && s.engine().equals("BM25 (ours)")).findFirst();
            Optional<Speed> theirs = speeds.stream().filter(s -> s.k() == k && s.engine().equals("BM25 (Lucene)")).findFirst();
            if (ours.isPresent() && theirs.isPresent()) {
                md.append(String.format(Locale.ROOT, "%nBM25 ours / Lucene at k=%d: %.2f", k, ours.get().median() / theirs.get().median()));
            }
        }
        md.append('\n');
        return md.toString();
    }

    private String commandLine() {
        return "./vdb bench " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
