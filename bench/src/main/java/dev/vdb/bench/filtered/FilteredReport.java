package dev.vdb.bench.filtered;

import dev.vdb.index.FilterCostModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes a filtered run's CSV, Markdown report and plot. Stateless. */
public final class FilteredReport {

    public static final String SWEEP_CSV = "filtered-sweep.csv";
    public static final String RESULTS_MD = "filtered.md";
    public static final String QPS_PNG = "filtered-qps.png";
    /** Recall a point must reach to count in the summary and the plot. */
    static final double TARGET = 0.95;
    /** The variants of the summary table, in column order. */
    static final List<String> SUMMARY_VARIANTS = List.of("ours-auto", "ours-pre", "ours-post", "ours-exact",
            "lucene", "lucene-graph", "jvector", "naive-post", "ours-graph");

    /** Where and how the run happened. */
    public record Header(String dataset, int baseSize, int dimension, int queries, String metric, FilteredOptions options,
                         String date, String machine, String jdk, String command, double seconds) {}

    private FilteredReport() {}

    public static void write(Path dir, Header header, FilteredData data, FilteredRunner.Result result) throws IOException {
        Files.createDirectories(dir);
        List<FilteredPoint> all = new ArrayList<>(result.points());
        all.add(result.exactScan());
        Files.writeString(dir.resolve(SWEEP_CSV), csv(all));
        plot(result.points(), header.dataset() + " (filtered, M=" + header.options().m() + ", ef_construct="
                + header.options().efConstruct() + ", k=" + header.options().k() + ")", dir.resolve(QPS_PNG));
        Files.writeString(dir.resolve(RESULTS_MD), markdown(header, data, result, ""));
    }

    static String csv(List<FilteredPoint> points) {
        StringBuilder sb = new StringBuilder("filter,fraction,variant,ef,recall,qps,mean_us,p50_us,p99_us,max_us,mean_distances,short_answers\n");
        for (FilteredPoint p : points) {
            sb.append(String.format(Locale.ROOT, "\"%s\",%.5f,%s,%d,%.5f,%.1f,%.2f,%.2f,%.2f,%.2f,%.1f,%d%n", p.filter(),
                    p.fraction(), p.variant(), p.ef(), p.recall(), p.qps(), p.meanMicros(), p.p50Micros(), p.p99Micros(),
                    p.maxMicros(), p.meanDistances(), p.shortAnswers()));
        }
        return sb.toString();
    }

    /** Points grouped by filter, then by variant, in run order. */
    private static Map<String, Map<String, List<FilteredPoint>>> byFilter(List<FilteredPoint> points) {
        Map<String, Map<String, List<FilteredPoint>>> map = new LinkedHashMap<>();
        for (FilteredPoint p : points) {
            map.computeIfAbsent(p.filter(), f -> new LinkedHashMap<>()).computeIfAbsent(p.variant(), v -> new ArrayList<>()).add(p);
        }
        return map;
    }

    /** The fastest point reaching {@code recall}, or null. */
    static FilteredPoint fastestAt(List<FilteredPoint> points, double recall) {
        FilteredPoint best = null;
        for (FilteredPoint p : points == null ? List.<FilteredPoint>of() : points) {
            if (p.recall() >= recall - 1e-9 && p.shortAnswers() == 0 && (best == null || p.qps() > best.qps())) {
                best = p;
            }
        }
        return best;
    }

    /**
     * Ours ÷ Lucene at equal or better recall: for each Lucene point, ours' fastest point with
     * at least its recall; the smallest and largest ratio over Lucene's points, or null.
     */
    static double[] ratioRange(List<FilteredPoint> ours, List<FilteredPoint> lucene) {
        if (ours == null || lucene == null) {
            return null;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (FilteredPoint l : lucene) {
            FilteredPoint o = fastestAt(ours, l.recall());
            if (o != null) {
                lo = Math.min(lo, o.qps() / l.qps());
                hi = Math.max(hi, o.qps() / l.qps());
            }
        }
        return hi == 0 ? null : new double[] {lo, hi};
    }

    public static String markdown(Header h, FilteredData data, FilteredRunner.Result result, String imagePrefix) {
        FilteredOptions o = h.options();
        StringBuilder md = new StringBuilder();
        md.append("### ").append(h.dataset()).append(", filtered\n\n");
        md.append(String.format(Locale.ROOT, """
                - data: %,d base vectors × %d dims, %,d queries, metric %s; filters on base_meta.tsv payload fields
                - parameters: M=%d, ef_construct=%d, k=%d, ef %s, one search thread; builds on %d threads (%s)
                - machine: %s; JDK: %s
                - date: %s; run took %.0f s; each point is the fastest of %d passes over the queries
                - command: `%s`

                """, h.baseSize(), h.dimension(), h.queries(), h.metric(), o.m(), o.efConstruct(), o.k(), o.efs(),
                o.threads(), buildTimes(result), h.machine(), h.jdk(), h.date(), h.seconds(), o.rounds(), h.command()));
        if (!result.skipped().isEmpty()) {
            md.append("Skipped: ").append(result.skipped()).append("\n\n");
        }
        md.append("Ground truth: ");
        List<FilterCase> cases = new ArrayList<>();
        cases.add(data.unfiltered());
        cases.addAll(data.cases());
        for (FilterCase c : cases) {
            md.append('`').append(c.spec()).append("`: ").append(c.truthSource()).append("; ");
        }
        md.append("\n\n");

        Map<String, Map<String, List<FilteredPoint>>> byFilter = byFilter(result.points());
        md.append(String.format(Locale.ROOT, "#### Single-thread QPS of each variant's fastest point with recall@%d ≥ %.2f and no short answer (its ef)%n%n",
                o.k(), TARGET));
        List<String> present = SUMMARY_VARIANTS.stream()
                .filter(v -> result.points().stream().anyMatch(p -> p.variant().equals(v))).toList();
        md.append("| filter |");
        present.forEach(v -> md.append(' ').append(v).append(" |"));
        md.append(" ours-auto ÷ lucene @≥").append(TARGET).append(", QPS | same, p50 latency (lucene ÷ ours) |"
                + " ours-auto ÷ lucene at equal or better recall (over Lucene's points) | ours-auto ÷ lucene-graph @≥")
                .append(TARGET).append(", QPS |\n|---|");
        present.forEach(v -> md.append("---:|"));
        md.append("---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, List<FilteredPoint>>> f : byFilter.entrySet()) {
            md.append("| ").append(f.getKey()).append(" |");
            for (String v : present) {
                FilteredPoint p = fastestAt(f.getValue().get(v), TARGET);
                md.append(p == null ? " – |" : String.format(Locale.ROOT, " %,.0f (%s) |", p.qps(), p.ef() == 0 ? "–" : p.ef()));
            }
            FilteredPoint ours = fastestAt(f.getValue().get("ours-auto"), TARGET);
            FilteredPoint lucene = fastestAt(f.getValue().get("lucene"), TARGET);
            md.append(ours == null || lucene == null ? " – | – |" : String.format(Locale.ROOT, " **%.2f×** | %.2f× |",
                    ours.qps() / lucene.qps(), lucene.p50Micros() / ours.p50Micros()));
            double[] range = ratioRange(f.getValue().get("ours-auto"), f.getValue().get("lucene"));
            md.append(range == null ? " – |" : String.format(Locale.ROOT, " %.2f× – %.2f× |", range[0], range[1]));
            FilteredPoint luceneGraph = fastestAt(f.getValue().get("lucene-graph"), TARGET);
            md.append(ours == null || luceneGraph == null ? " – |"
                    : String.format(Locale.ROOT, " %.2f× |", ours.qps() / luceneGraph.qps()));
            md.append('\n');
        }
        md.append("\n“–”: no point reached the recall without short answers. `ours-exact` is the exact scan of the "
                + "matching points through the API (ef does not apply); `ours-graph` the filtered traversal alone at the index "
                + "level, without the planner's exact fallback; `lucene-graph` Lucene's filtered graph search alone "
                + "(`searchNearestVectors` with the filter's documents as accept docs, no visit limit, so no exact fallback); "
                + "`naive-post` an unfiltered search for the top ef, then non-matching hits dropped.\n\n");
        md.append("![QPS at recall ≥ 0.95 by selectivity](").append(imagePrefix).append(QPS_PNG).append(")\n\n");
        planner(md, h, data, result, byFilter);
        md.append("<details><summary>Full filtered sweep</summary>\n\n");
        md.append("| filter | variant | ef | recall | QPS | mean µs | p50 µs | p99 µs | dist/query | short answers |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FilteredPoint p : result.points()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f | %,.0f | %.1f | %.1f | %.1f | %s | %d |%n", p.filter(),
                    p.variant(), p.ef(), p.recall(), p.qps(), p.meanMicros(), p.p50Micros(), p.p99Micros(),
                    p.meanDistances() < 0 ? "–" : String.format(Locale.ROOT, "%,.0f", p.meanDistances()), p.shortAnswers()));
        }
        md.append("\n</details>\n");
        return md.toString();
    }

    private static String buildTimes(FilteredRunner.Result result) {
        StringBuilder sb = new StringBuilder();
        result.buildSeconds().forEach((e, s) -> sb.append(String.format(Locale.ROOT, "%s%s %.1f s", sb.isEmpty() ? "" : ", ", e, s)));
        return sb.toString();
    }

    /**
     * The planner's constants against this run: distances per unit of ef of an unfiltered graph
     * search, the cost of a graph distance in scan distances, and the graph/exact crossover.
     */
    private static void planner(StringBuilder md, Header h, FilteredData data, FilteredRunner.Result result,
                                Map<String, Map<String, List<FilteredPoint>>> byFilter) {
        FilteredPoint exact = result.exactScan();
        double scanNanos = 1e9 / exact.qps() / data.base().length;
        md.append("#### The planner's constants (FilteredSearch) against this run\n\n");
        md.append(String.format(Locale.ROOT, "Planner: GRAPH_DISTANCES_PER_EF = %.0f, graph distance cost 1 + "
                + "GRAPH_DISTANCE_OVERHEAD ÷ dimension = %.1f scan distances here; "
                + "a filtered traversal gets a budget of as many distances as there are matches and is tried when an unfiltered "
                + "search (per_ef × ef graph distances) costs less than the scan. Exact scan of the whole base (our SIMD "
                + "kernel, streaming): %,.0f q/s = **%.1f ns per distance**.%n%n",
                FilterCostModel.GRAPH_DISTANCES_PER_EF, FilterCostModel.graphDistanceCost(data.base()[0].length), exact.qps(),
                scanNanos));
        String none = data.unfiltered().label();
        Map<String, List<FilteredPoint>> unfiltered = byFilter.getOrDefault(none, Map.of());
        md.append("Unfiltered HNSW searches (`ours-graph`: the index alone; `ours-auto`: through the API):\n\n");
        md.append("| variant | ef | recall | distances/query | distances ÷ ef | ns per distance | ÷ scan ns per distance |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (String v : List.of("ours-graph", "ours-auto")) {
            for (FilteredPoint p : unfiltered.getOrDefault(v, List.of())) {
                if (p.meanDistances() > 0) {
                    double ns = p.meanMicros() * 1e3 / p.meanDistances();
                    md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %,.0f | %.1f | %.1f | %.1f |%n", v, p.ef(), p.recall(),
                            p.meanDistances(), p.meanDistances() / p.ef(), ns, ns / scanNanos));
                }
            }
        }
        md.append("\nFiltered: the traversal's distances normalised as the planner models them (distances × fraction ÷ ef, "
                + "`ours-graph`), the exact plan's time per distance (`ours-exact`: mean time ÷ matching points, through the API), "
                + "and at each ef whether the budget lets `auto` try the traversal for the mean matching count versus which was faster here "
                + "(`ours-exact` vs `ours-graph` mean time; `ours-exact` includes resolving the filter through the payload "
                + "index, `ours-graph` gets it as ready bits, so the comparison favours the graph by the resolution time):\n\n");
        md.append("| filter | ef | graph dist/query | × fraction ÷ ef | graph ns/dist | exact-plan ns/dist | graph µs | exact µs | auto tries | faster here |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        int live = data.base().length;
        for (FilterCase c : data.cases()) {
            Map<String, List<FilteredPoint>> m = byFilter.getOrDefault(c.label(), Map.of());
            List<FilteredPoint> exactPts = m.getOrDefault("ours-exact", List.of());
            FilteredPoint ex = exactPts.isEmpty() ? null : exactPts.get(0);
            for (FilteredPoint g : m.getOrDefault("ours-graph", List.of())) {
                double fraction = c.meanFraction();
                int matches = (int) Math.round(fraction * live);
                String pick = FilterCostModel.worthTraversing(matches, g.ef(), data.base()[0].length) ? "graph" : "exact";
                String faster = ex == null ? "?" : ex.meanMicros() <= g.meanMicros() ? "exact" : "graph";
                md.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %.1f | %.1f | %s | %.1f | %s | %s | %s%s |%n", c.label(), g.ef(),
                        g.meanDistances(), g.meanDistances() * fraction / g.ef(), g.meanMicros() * 1e3 / g.meanDistances(),
                        ex == null || ex.meanDistances() <= 0 ? "–" : String.format(Locale.ROOT, "%.1f", ex.meanMicros() * 1e3 / ex.meanDistances()),
                        g.meanMicros(), ex == null ? "–" : String.format(Locale.ROOT, "%.1f", ex.meanMicros()), pick, faster,
                        pick.equals(faster) || ex == null ? "" : " ✗"));
            }
        }
        md.append("\n");
    }

    /** QPS of each variant's fastest point reaching the target recall, by selectivity (log–log). */
    static void plot(List<FilteredPoint> points, String title, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title)
                .xAxisTitle("share of the base the filter admits (log scale)")
                .yAxisTitle("queries/s at recall@10 ≥ " + TARGET + " (1 thread, log scale)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        Map<String, Map<String, List<FilteredPoint>>> byFilter = byFilter(points);
        for (String v : SUMMARY_VARIANTS) {
            Map<Double, Double> series = new java.util.TreeMap<>();
            for (Map<String, List<FilteredPoint>> f : byFilter.values()) {
                FilteredPoint p = fastestAt(f.get(v), TARGET);
                if (p != null) {
                    series.merge(p.fraction(), p.qps(), Math::max);
                }
            }
            if (!series.isEmpty()) {
                XYSeries s = chart.addSeries(v, series.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                        series.values().stream().mapToDouble(Double::doubleValue).toArray());
                s.setMarker(SeriesMarkers.CIRCLE);
                if (series.size() == 1) {
                    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                }
            }
        }
        if (!chart.getSeriesMap().isEmpty()) {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
