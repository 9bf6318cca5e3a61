package dev.vdb.bench;

import dev.vdb.bench.engines.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes a run's CSV files and its Markdown report. Stateless. */
public final class Report {

    public static final String SWEEP_CSV = "sweep.csv";
    public static final String SUMMARY_CSV = "summary.csv";
    public static final String RESULTS_MD = "results.md";
    public static final String QPS_PNG = "recall-qps.png";
    public static final String P99_PNG = "recall-p99.png";
    /** The ef at which the report compares graph quality (recall). */
    static final int QUALITY_EF = 100;

    private Report() {}

    /** Writes CSV, Markdown and PNG plots into {@code dir} (created if needed). */
    public static void write(Path dir, RunInfo info, List<EngineResult> results) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SWEEP_CSV), sweepCsv(results));
        Files.writeString(dir.resolve(SUMMARY_CSV), summaryCsv(results));
        String title = info.dataset() + " (" + info.metric() + ", M=" + info.options().m()
                + ", ef_construct=" + info.options().efConstruct() + ", k=" + info.options().k() + ")";
        Charts.recallVsQps(results, title, dir.resolve(QPS_PNG));
        Charts.recallVsP99(results, title, dir.resolve(P99_PNG));
        Files.writeString(dir.resolve(RESULTS_MD), markdown(info, results, ""));
    }

    static String sweepCsv(List<EngineResult> results) {
        StringBuilder sb = new StringBuilder("engine,ef,recall,qps,mean_us,p50_us,p99_us,max_us,mean_distances\n");
        for (EngineResult r : results) {
            for (SweepPoint p : r.sweep()) {
                sb.append(String.format(Locale.ROOT, "%s,%d,%.5f,%.1f,%.2f,%.2f,%.2f,%.2f,%.1f%n", r.engine(), p.ef(),
                        p.recall(), p.qps(), p.meanMicros(), p.p50Micros(), p.p99Micros(), p.maxMicros(),
                        p.meanDistances()));
            }
        }
        return sb.toString();
    }

    static String summaryCsv(List<EngineResult> results) {
        StringBuilder sb = new StringBuilder("engine,status,build_1t_s,build_s,build_threads,bytes_per_vector,"
                + "qps_at_0.90,qps_at_0.95,qps_at_0.99,distances_at_0.95,throughput_threads,throughput_ef,"
                + "throughput_recall,throughput_qps\n");
        for (EngineResult r : results) {
            if (!r.ran()) {
                sb.append(r.engine()).append(",skipped,,,,,,,,,,,,\n");
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%s,ok,%.3f,%.3f,%d,%.1f", r.engine(), r.buildSecondsOneThread(),
                    r.buildSeconds(), r.buildThreads(), r.bytesPerVector()));
            for (double t : RecallTargets.TARGETS) {
                RecallTargets.QpsAt q = RecallTargets.qpsAt(r.sweep(), t);
                sb.append(',').append(q == null ? "" : String.format(Locale.ROOT, "%.1f", q.qps()));
            }
            sb.append(String.format(Locale.ROOT, ",%.1f", RecallTargets.distancesAt(r.sweep(), 0.95)));
            EngineResult.Throughput tp = r.throughput();
            sb.append(String.format(Locale.ROOT, ",%d,%d,%.5f,%.1f%n", tp.threads(), tp.ef(), tp.recall(), tp.qps()));
        }
        return sb.toString();
    }

    /**
     * The Markdown report; {@code imagePrefix} is put before the PNG names (empty when the
     * report sits next to them).
     */
    public static String markdown(RunInfo info, List<EngineResult> results, String imagePrefix) {
        BenchOptions o = info.options();
        StringBuilder md = new StringBuilder();
        md.append("## ").append(info.dataset()).append("\n\n");
        md.append(String.format(Locale.ROOT, """
                - data: %,d base vectors × %d dims, %,d queries, metric %s, ground truth: %s
                - parameters: M=%d, ef_construct=%d, k=%d, ef sweep %s, %d threads for concurrent builds and the throughput point
                - machine: %s; JDK: %s
                - date: %s; run took %.0f s; single-thread sweep points are the fastest of %d passes over the queries
                - builds: %s
                - command: `%s`

                """, info.baseSize(), info.dimension(), info.queries(), info.metric(), info.groundTruth(),
                o.m(), o.efConstruct(), o.k(), o.efs(), o.threads(), info.machine(), info.jdk(), info.date(),
                info.seconds(), o.rounds(), o.warmBuilds() == 0
                        ? "timed from each engine's first in this JVM (so they also pay for compiling its code)"
                        : o.warmBuilds() + " untimed build(s) of each engine before its timed ones",
                info.command()));

        md.append("### Recall at target versus single-thread QPS (interpolated)\n\n");
        md.append("| engine | QPS @0.90 | QPS @0.95 | QPS @0.99 | dist/query @0.95 | build 1 thread (s) | build N threads (s) | bytes/vector | throughput (threads, ef, recall, QPS) |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (EngineResult r : results) {
            if (!r.ran()) {
                md.append("| ").append(r.engine()).append(" | skipped: ").append(r.error().replace('|', '/'))
                        .append(" |||||||||\n");
                continue;
            }
            md.append("| ").append(r.engine());
            for (double t : RecallTargets.TARGETS) {
                md.append(" | ").append(qpsCell(RecallTargets.qpsAt(r.sweep(), t)));
            }
            double d = RecallTargets.distancesAt(r.sweep(), 0.95);
            md.append(" | ").append(Double.isNaN(d) ? "–" : String.format(Locale.ROOT, "%,.0f", d));
            md.append(" | ").append(Double.isNaN(r.buildSecondsOneThread()) ? "–"
                    : String.format(Locale.ROOT, "%.2f", r.buildSecondsOneThread()));
            md.append(" | ").append(r.buildThreads() > 1
                    ? String.format(Locale.ROOT, "%.2f (%d)", r.buildSeconds(), r.buildThreads()) : "–");
            md.append(" | ").append(r.bytesPerVector() < 0 ? "–" : String.format(Locale.ROOT, "%,.0f", r.bytesPerVector()));
            EngineResult.Throughput tp = r.throughput();
            md.append(String.format(Locale.ROOT, " | %d, %d, %.3f, %,.0f |%n", tp.threads(), tp.ef(), tp.recall(), tp.qps()));
        }
        md.append("\n“≥” marks a lower bound: the engine already reached the target at its smallest ef. "
                + "“–” means not reached (or not measured).\n\n");
        ratios(md, results);
        gapToHardware(md, info, results);
        md.append("Memory: ");
        for (EngineResult r : results) {
            if (r.ran()) {
                md.append(r.engine()).append(" = ").append(r.memoryMethod()).append("; ");
            }
        }
        md.append("\n\n");
        md.append("![recall vs QPS](").append(imagePrefix).append(QPS_PNG).append(")\n");
        md.append("![recall vs p99](").append(imagePrefix).append(P99_PNG).append(")\n\n");
        md.append("<details><summary>Full sweep</summary>\n\n");
        md.append("| engine | ef | recall | QPS | mean µs | p50 µs | p99 µs | max µs | dist/query |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (EngineResult r : results) {
            for (SweepPoint p : r.sweep()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %,.0f | %.1f | %.1f | %.1f | %.1f | %s |%n",
                        r.engine(), p.ef(), p.recall(), p.qps(), p.meanMicros(), p.p50Micros(), p.p99Micros(),
                        p.maxMicros(), p.meanDistances() < 0 ? "–" : String.format(Locale.ROOT, "%,.0f", p.meanDistances())));
            }
        }
        md.append("\n</details>\n");
        return md.toString();
    }

    /** Ours ÷ the best HNSW peer at each target recall, when both reached it (quantized ours against quantized peers). */
    private static void ratios(StringBuilder md, List<EngineResult> results) {
        List<EngineResult> ours = results.stream().filter(r -> r.ran() && r.engine().startsWith("ours")).toList();
        if (ours.isEmpty()) {
            md.append("No \"ours\" engine ran in this run, so there is no ratio yet.\n\n");
            return;
        }
        md.append("| ratio (single-thread QPS) | @0.90 | @0.95 | @0.99 |\n|---|---:|---:|---:|\n");
        for (EngineResult o : ours) {
            md.append("| ").append(o.engine()).append(" ÷ best peer");
            for (double t : RecallTargets.TARGETS) {
                RecallTargets.QpsAt mine = RecallTargets.qpsAt(o.sweep(), t);
                EngineResult best = null;
                double bestQps = 0;
                for (EngineResult r : results) {
                    RecallTargets.QpsAt q = r.ran() && Engines.peersOf(o.engine()).contains(r.engine())
                            ? RecallTargets.qpsAt(r.sweep(), t) : null;
                    if (q != null && q.qps() > bestQps) {
                        bestQps = q.qps();
                        best = r;
                    }
                }
                md.append(" | ").append(mine == null || best == null ? "–"
                        : String.format(Locale.ROOT, "%.2f× (vs %s)", mine.qps() / bestQps, best.engine()));
            }
            md.append(" |\n");
        }
        md.append('\n');
        EngineResult fastestPeer = null;
        for (EngineResult r : results) {
            if (r.ran() && Engines.PEERS.contains(r.engine())
                    && (fastestPeer == null || fastestBuild(r) < fastestBuild(fastestPeer))) {
                fastestPeer = r;
            }
        }
        if (fastestPeer != null) {
            md.append("Build time, each engine's fastest of its 1-thread and N-thread builds:");
            for (EngineResult o : ours) {
                md.append(String.format(Locale.ROOT, " %s %.2f s ÷ %s %.2f s = %.2f×;", o.engine(), fastestBuild(o),
                        fastestPeer.engine(), fastestBuild(fastestPeer), fastestBuild(o) / fastestBuild(fastestPeer)));
            }
            md.append(" (below 1 means ours builds faster).\n\n");
        }
        EngineResult fastestConcurrent = null;
        for (EngineResult r : results) {
            if (r.ran() && Engines.PEERS.contains(r.engine()) && r.buildThreads() > 1
                    && (fastestConcurrent == null || r.buildSeconds() < fastestConcurrent.buildSeconds())) {
                fastestConcurrent = r;
            }
        }
        if (fastestConcurrent != null) {
            md.append(String.format(Locale.ROOT, "Build on %d threads against the fastest peer on as many:",
                    fastestConcurrent.buildThreads()));
            for (EngineResult o : ours) {
                if (o.buildThreads() == fastestConcurrent.buildThreads()) {
                    md.append(String.format(Locale.ROOT, " %s %.2f s ÷ %s %.2f s = %.2f×;", o.engine(), o.buildSeconds(),
                            fastestConcurrent.engine(), fastestConcurrent.buildSeconds(),
                            o.buildSeconds() / fastestConcurrent.buildSeconds()));
                }
            }
            md.append("\n\n");
        }
        graphQuality(md, results);
    }

    /** Recall at the swept ef nearest {@value #QUALITY_EF}, the beam width that shows a graph's quality. */
    private static void graphQuality(StringBuilder md, List<EngineResult> results) {
        md.append("Graph quality, recall@k at the swept ef nearest ").append(QUALITY_EF).append(':');
        for (EngineResult r : results) {
            SweepPoint nearest = null;
            for (SweepPoint p : r.ran() ? r.sweep() : List.<SweepPoint>of()) {
                if (p.ef() > 0 && (nearest == null || Math.abs(p.ef() - QUALITY_EF) < Math.abs(nearest.ef() - QUALITY_EF))) {
                    nearest = p;
                }
            }
            if (nearest != null) {
                md.append(String.format(Locale.ROOT, " %s %.4f (ef %d);", r.engine(), nearest.recall(), nearest.ef()));
            }
        }
        md.append("\n\n");
    }

    /** The faster of an engine's 1-thread and N-thread builds (Lucene's N-thread build can be slower). */
    static double fastestBuild(EngineResult r) {
        return Double.isNaN(r.buildSecondsOneThread()) ? r.buildSeconds() : Math.min(r.buildSecondsOneThread(), r.buildSeconds());
    }

    /** Mean time per query at recall 0.95 ÷ (distances per query × our kernel time per distance). */
    private static void gapToHardware(StringBuilder md, RunInfo info, List<EngineResult> results) {
        md.append(String.format(Locale.ROOT, "Gap to the hardware limit at recall 0.95: mean time per query ÷ "
                + "(distance computations × %.1f ns, our SIMD kernel's time per distance streaming over these vectors, i.e. the exact scan's time per query ÷ n):", info.kernelNanos()));
        for (EngineResult r : results) {
            double d = RecallTargets.distancesAt(r.sweep(), 0.95);
            double micros = RecallTargets.meanMicrosAt(r.sweep(), 0.95);
            if (r.ran() && !Double.isNaN(d) && !Double.isNaN(micros)) {
                md.append(String.format(Locale.ROOT, " %s %.1f×;", r.engine(), micros * 1e3 / (d * info.kernelNanos())));
            }
        }
        md.append(" (1× would mean all time goes into distance kernels.)\n\n");
    }

    private static String qpsCell(RecallTargets.QpsAt q) {
        return q == null ? "–" : (q.lowerBound() ? "≥ " : "") + String.format(Locale.ROOT, "%,.0f", q.qps());
    }
}
