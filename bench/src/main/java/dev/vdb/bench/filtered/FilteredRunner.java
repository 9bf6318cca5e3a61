package dev.vdb.bench.filtered;

import dev.vdb.bench.Progress;
import dev.vdb.bench.engines.ExactEngine;
import dev.vdb.bench.engines.AnnEngine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Runs a filtered sweep on one {@link FilteredData}: builds each engine once (all threads), warms
 * every variant up on every filter, then runs the single-thread sweep <em>interleaved</em>
 * (round by round, filter by filter, ef by ef, variant by variant, so load from other processes
 * falls on all alike), keeping each point's fastest round. The variants run in order in odd rounds
 * and in reverse in even ones: a variant that follows another engine's finds its data pushed out
 * of the caches by that engine's (at a 1% filter our auto plan, run right after Lucene's, measured
 * 10.9 µs against 8.0 µs for the pre plan, which runs the same code right after it), so with two
 * rounds or more every variant has a round that follows its own engine. The unfiltered case is the sweep's
 * first filter. Last, the exact scan of the whole base, unfiltered, for the planner's cost
 * ratio. Only one variant works at any time. Not thread-safe.
 */
public final class FilteredRunner {

    /** What a run measured. */
    public record Result(List<FilteredPoint> points, FilteredPoint exactScan, Map<String, Double> buildSeconds,
                         Map<String, String> skipped) {}

    private final FilteredData data;
    private final FilteredOptions options;
    private final PrintStream out;

    public FilteredRunner(FilteredData data, FilteredOptions options, PrintStream out) {
        this.data = data;
        this.options = options;
        this.out = out;
    }

    private record Variant(String name, FilteredEngine engine, FilteredEngine.Searcher searcher, List<Integer> efs) {}

    public Result run() throws Exception {
        List<FilteredEngine> engines = new ArrayList<>();
        Map<String, Double> buildSeconds = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        try {
            List<Variant> variants = new ArrayList<>();
            for (String name : options.engines()) {
                FilteredEngine engine = create(name);
                out.printf("%n== build %s ==%n", name);
                try {
                    Progress progress = new Progress(name + " build", data.base().length, out);
                    long t0 = System.nanoTime();
                    engine.build(data, options.threads(), progress);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    progress.finish();
                    buildSeconds.put(name, seconds);
                    out.printf("  built on %d threads in %.2f s%n", options.threads(), seconds);
                    engines.add(engine);
                    for (String v : engine.variants()) {
                        variants.add(new Variant(v, engine, engine.newSearcher(v),
                                engine.usesEf(v) ? options.efs() : List.of(0)));
                    }
                } catch (Exception | LinkageError e) {
                    skipped.put(name, e.getClass().getSimpleName() + ": " + e.getMessage());
                    out.println("  skipped: " + skipped.get(name));
                    engine.close();
                }
            }
            List<FilterCase> cases = new ArrayList<>();
            cases.add(data.unfiltered());
            cases.addAll(data.cases());

            out.printf("%n== warm-up ==%n");
            for (Variant v : variants) {
                warmUp(v, cases);
            }
            FilteredPoint[][][] best = new FilteredPoint[cases.size()][variants.size()][options.efs().size()];
            for (int round = 1; round <= options.rounds(); round++) {
                out.printf("%n== sweep round %d/%d (1 thread) ==%n", round, options.rounds());
                for (int c = 0; c < cases.size(); c++) {
                    FilterCase fc = cases.get(c);
                    for (int e = 0; e < options.efs().size(); e++) {
                        for (int i = 0; i < variants.size(); i++) {
                            // odd rounds in order, even rounds in reverse: see the class comment
                            int v = round % 2 == 1 ? i : variants.size() - 1 - i;
                            Variant variant = variants.get(v);
                            if (e >= variant.efs().size()) {
                                continue;
                            }
                            FilteredPoint p = measure(variant, fc, variant.efs().get(e));
                            if (best[c][v][e] == null || p.qps() > best[c][v][e].qps()) {
                                best[c][v][e] = p;
                            }
                            out.printf("  %-24s %-10s ef=%-4d recall %.4f  %,9.0f q/s  p50 %8.1f us  p99 %8.1f us  %s dist/q  %d short%n",
                                    fc.label(), p.variant(), p.ef(), p.recall(), p.qps(), p.p50Micros(), p.p99Micros(),
                                    p.meanDistances() < 0 ? "?" : String.format("%,.0f", p.meanDistances()), p.shortAnswers());
                        }
                    }
                }
            }
            List<FilteredPoint> points = new ArrayList<>();
            for (FilteredPoint[][] byVariant : best) {
                for (FilteredPoint[] byEf : byVariant) {
                    for (FilteredPoint p : byEf) {
                        if (p != null) {
                            points.add(p);
                        }
                    }
                }
            }
            return new Result(points, exactScan(), buildSeconds, skipped);
        } finally {
            for (FilteredEngine e : engines) {
                e.close();
            }
        }
    }

    private FilteredEngine create(String name) {
        return switch (name) {
            case "ours" -> new OursFiltered(data, options.m(), options.efConstruct());
            case "ours-index" -> new OursGraphFiltered(data, options.m(), options.efConstruct());
            case "lucene" -> new LuceneFiltered(data, options.m(), options.efConstruct());
            case "jvector" -> new JVectorFiltered(data, options.m(), options.efConstruct());
            default -> throw new IllegalArgumentException("--engines: unknown engine '" + name + "'");
        };
    }

    /**
     * Searches every filter in turn, cycling through queries and ef values, until each filter has
     * had its share of the warm-up time and at least a few queries.
     */
    private void warmUp(Variant v, List<FilterCase> cases) throws Exception {
        long perCase = (long) (options.warmupSeconds() * 1e9 / cases.size());
        int total = 0;
        for (FilterCase c : cases) {
            long end = System.nanoTime() + perCase;
            int i = 0;
            while (i < 20 || System.nanoTime() < end) {
                int q = i % data.queries().length;
                v.searcher().search(q, c.isUnfiltered() ? null : c, options.k(), v.efs().get(i % v.efs().size()));
                i++;
            }
            total += i;
        }
        out.printf("  %-10s %,d queries%n", v.name(), total);
    }

    private FilteredPoint measure(Variant v, FilterCase c, int ef) throws Exception {
        FilterCase filter = c.isUnfiltered() ? null : c;
        int k = options.k();
        Histogram latencies = new Histogram(3);
        double recall = 0;
        long distances = 0;
        boolean counted = true;
        int shortAnswers = 0;
        long total = 0;
        int n = data.queries().length;
        for (int q = 0; q < n; q++) {
            long t0 = System.nanoTime();
            int[] ids = v.searcher().search(q, filter, k, ef);
            long nanos = System.nanoTime() - t0;
            total += nanos;
            latencies.recordValue(nanos);
            recall += c.recall(q, ids, k);
            if (c.shortAnswer(q, ids, k)) {
                shortAnswers++;
            }
            long d = v.searcher().lastDistanceComputations();
            counted &= d >= 0;
            distances += d;
        }
        return new FilteredPoint(c.label(), c.meanFraction(), v.name(), ef, recall / n, n / (total / 1e9),
                latencies.getMean() / 1e3, latencies.getValueAtPercentile(50) / 1e3,
                latencies.getValueAtPercentile(99) / 1e3, latencies.getMaxValue() / 1e3,
                counted ? distances / (double) n : -1, shortAnswers);
    }

    /** Our SIMD scan of the whole base, unfiltered: the cost of a distance when streaming (fastest of the rounds). */
    private FilteredPoint exactScan() throws Exception {
        out.printf("%n== exact scan of the whole base (planner calibration) ==%n");
        try (ExactEngine exact = new ExactEngine(data.similarity())) {
            exact.build(data.base(), 1, Progress.silent());
            AnnEngine.Session session = exact.newSession();
            FilterCase all = data.unfiltered();
            long end = System.nanoTime() + (long) (Math.min(options.warmupSeconds(), 2) * 1e9);
            for (int i = 0; i < 20 || System.nanoTime() < end; i++) {
                session.search(data.queries()[i % data.queries().length], options.k(), 0);
            }
            FilteredPoint best = null;
            for (int round = 0; round < options.rounds(); round++) {
                Histogram latencies = new Histogram(3);
                double recall = 0;
                long total = 0;
                int n = data.queries().length;
                for (int q = 0; q < n; q++) {
                    long t0 = System.nanoTime();
                    int[] ids = session.search(data.queries()[q], options.k(), 0);
                    long nanos = System.nanoTime() - t0;
                    total += nanos;
                    latencies.recordValue(nanos);
                    recall += all.recall(q, ids, options.k());
                }
                FilteredPoint p = new FilteredPoint(all.label(), 1, "exact", 0, recall / n, n / (total / 1e9),
                        latencies.getMean() / 1e3, latencies.getValueAtPercentile(50) / 1e3,
                        latencies.getValueAtPercentile(99) / 1e3, latencies.getMaxValue() / 1e3, data.base().length, 0);
                if (best == null || p.qps() > best.qps()) {
                    best = p;
                }
            }
            out.printf("  exact      recall %.4f  %,9.0f q/s (%.1f ns per distance)%n", best.recall(), best.qps(),
                    1e9 / best.qps() / data.base().length);
            return best;
        }
    }
}
