package dev.vdb.bench.scale;

import dev.vdb.bench.RecallTargets;
import dev.vdb.bench.SweepOptions;
import dev.vdb.bench.SweepPoint;
import dev.vdb.bench.engines.Engines;
import java.util.List;
import java.util.Locale;

/** The Markdown report of a scale run: one row per engine, ratios of ours to the best peer, the full sweep. Stateless. */
final class ScaleReport {

    private ScaleReport() {}

    static String markdown(String dataset, String heap, String command, SweepOptions sweep, List<ScaleResult> results) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## Scale run: %s, each engine in its own JVM with -Xmx%s%n%n", dataset, heap));
        md.append("```\n").append(command).append("\n```\n\n");
        md.append(String.format(Locale.ROOT, "M=%d, ef_construct=%d, recall@%d, metric %s. Heap: after full GCs with the index "
                + "built, minus the same before the build. RSS: VmRSS after the sweep (peak VmHWM); it counts the mapped "
                + "index files a search touched, not the input file.%n%n", sweep.m, sweep.efConstruct, sweep.k, sweep.metric));
        boolean rebuilt = results.stream().anyMatch(r -> r.ran() && r.firstBuildSeconds() != r.buildSeconds());
        if (rebuilt) {
            md.append("Each engine built several times in its JVM: \"first build\" is the fresh JVM's, \"build\" the last, "
                    + "which the memory and the sweep measure.\n\n");
        }
        md.append("| engine |" + (rebuilt ? " first build s |" : "") + " build s (threads) | heap MB | heap B/vector "
                + "| RSS MB (peak) | RSS B/vector | engine's B/vector | QPS @0.90 | QPS @0.95 | QPS @0.99 | best recall (ef) |\n");
        md.append("|---|" + (rebuilt ? "---:|" : "") + "---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScaleResult r : results) {
            if (!r.ran()) {
                md.append("| ").append(r.engine()).append(" | failed: ").append(r.error().replace('|', '/'))
                        .append(" |||||||||| \n");
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s |%s %.1f (%d) | %,d | %,.0f | %,d (%,d) | %,.0f | %s", r.engine(),
                    rebuilt ? String.format(Locale.ROOT, " %.1f |", r.firstBuildSeconds()) : "", r.buildSeconds(), r.buildThreads(), r.heapIndexBytes() >> 20, r.heapIndexBytes() / (double) r.vectors(),
                    r.residentBytes() >> 20, r.peakResidentBytes() >> 20, r.residentBytes() / (double) r.vectors(),
                    r.engineBytes() < 0 ? "–" : String.format(Locale.ROOT, "%,.0f", r.engineBytes() / (double) r.vectors())));
            for (double t : RecallTargets.TARGETS) {
                RecallTargets.QpsAt q = RecallTargets.qpsAt(r.sweep(), t);
                md.append(" | ").append(q == null ? "–" : (q.lowerBound() ? "≥ " : "") + String.format(Locale.ROOT, "%,.0f", q.qps()));
            }
            SweepPoint best = r.sweep().stream().max((a, b) -> Double.compare(a.recall(), b.recall())).orElse(null);
            md.append(best == null ? " | – |\n" : String.format(Locale.ROOT, " | %.4f (%d) |%n", best.recall(), best.ef()));
        }
        md.append('\n');
        ratios(md, results);
        md.append("<details><summary>Full sweep</summary>\n\n| engine | ef | recall | QPS | mean µs | p99 µs |\n|---|---:|---:|---:|---:|---:|\n");
        for (ScaleResult r : results) {
            for (SweepPoint p : r.sweep()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %,.0f | %.1f | %.1f |%n", r.engine(), p.ef(), p.recall(),
                        p.qps(), p.meanMicros(), p.p99Micros()));
            }
        }
        md.append("\n</details>\n");
        return md.toString();
    }

    /** Each of our engines ÷ the best of its peers at recall 0.95, and build time ÷ that peer's. */
    private static void ratios(StringBuilder md, List<ScaleResult> results) {
        for (ScaleResult o : results) {
            if (!o.ran() || !o.engine().startsWith("ours")) {
                continue;
            }
            RecallTargets.QpsAt mine = RecallTargets.qpsAt(o.sweep(), 0.95);
            ScaleResult best = null;
            double bestQps = 0;
            for (ScaleResult r : results) {
                RecallTargets.QpsAt q = r.ran() && Engines.peersOf(o.engine()).contains(r.engine())
                        ? RecallTargets.qpsAt(r.sweep(), 0.95) : null;
                if (q != null && q.qps() > bestQps) {
                    bestQps = q.qps();
                    best = r;
                }
            }
            if (mine == null) {
                md.append(String.format(Locale.ROOT, "- %s: recall 0.95 not reached%n", o.engine()));
            } else if (best == null) {
                md.append(String.format(Locale.ROOT, "- %s: recall 0.95 reached (%.0f QPS); no peer of this run reached it%n",
                        o.engine(), mine.qps()));
            } else {
                md.append(String.format(Locale.ROOT, "- %s ÷ %s at recall 0.95: QPS %.2f×, build time %.2f×%s%n", o.engine(),
                        best.engine(), mine.qps() / bestQps, o.buildSeconds() / best.buildSeconds(),
                        o.firstBuildSeconds() == o.buildSeconds() ? "" : String.format(Locale.ROOT, " (first builds %.2f×)",
                                o.firstBuildSeconds() / best.firstBuildSeconds())));
            }
        }
        md.append('\n');
    }
}
