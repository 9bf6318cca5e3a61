package dev.vdb.bench.tenants;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown tables of {@code ./vdb bench tenants}: per bucket, each engine's recall and
 * queries per CPU second of the searching thread at each ef; and the summary: per bucket, each
 * engine's queries per CPU second at the smallest ef reaching the target recall, and its ratio to
 * the tenant's own collection.
 */
final class TenantReport {

    private TenantReport() {}

    static void sweep(PrintStream out, TenantSweep.Bucket b) {
        out.printf(Locale.ROOT, "%n%,d tenants, size %s (%d sampled: %s points)%n%n", b.tenants(),
                TenantLayout.bucketLabel(b.bucket()), b.sizes().size(), b.sizes());
        out.println("| ef | " + String.join(" | ", TenantSweep.ENGINES.stream().map(e -> e + " recall | " + e + " q/cpu-s").toList()) + " |");
        out.println("|" + " ---: |".repeat(1 + 2 * TenantSweep.ENGINES.size()));
        for (int ef : b.measures().stream().map(TenantSweep.Measure::ef).distinct().toList()) {
            StringBuilder row = new StringBuilder("| " + ef + " |");
            for (String engine : TenantSweep.ENGINES) {
                TenantSweep.Measure m = find(b, engine, ef);
                row.append(String.format(Locale.ROOT, " %.3f | %,.0f |", m.recall(), m.qps()));
            }
            out.println(row);
        }
    }

    static void summary(PrintStream out, List<TenantSweep.Bucket> buckets, List<Double> targets) {
        for (double target : targets) {
            summary(out, buckets, target);
        }
    }

    private static void summary(PrintStream out, List<TenantSweep.Bucket> buckets, double target) {
        out.printf(Locale.ROOT, "%nQueries per CPU second at recall@k >= %.2f (at the smallest ef reaching it; ratio to the tenant's own collection)%n%n", target);
        out.println("| tenants | tenant size | sampled | own collection | is_tenant | ratio | keyword index | ratio |");
        out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (TenantSweep.Bucket b : buckets) {
            double own = bestQps(b, TenantSweep.OWN, target);
            double tenant = bestQps(b, TenantSweep.IS_TENANT, target);
            double keyword = bestQps(b, TenantSweep.KEYWORD, target);
            out.printf(Locale.ROOT, "| %,d | %s | %d | %s | %s | %s | %s | %s |%n", b.tenants(),
                    TenantLayout.bucketLabel(b.bucket()), b.sizes().size(), qps(own), qps(tenant), ratio(tenant, own),
                    qps(keyword), ratio(keyword, own));
        }
    }

    private static TenantSweep.Measure find(TenantSweep.Bucket b, String engine, int ef) {
        return b.measures().stream().filter(m -> m.engine().equals(engine) && m.ef() == ef).findFirst().orElseThrow();
    }

    /**
     * The queries per second at the smallest ef whose recall reaches {@code target} (the operating
     * point one would choose; not the best of several noisy figures), or NaN when none does.
     */
    static double bestQps(TenantSweep.Bucket b, String engine, double target) {
        return b.measures().stream().filter(m -> m.engine().equals(engine) && m.recall() >= target)
                .min(Comparator.comparingInt(TenantSweep.Measure::ef)).map(TenantSweep.Measure::qps).orElse(Double.NaN);
    }

    private static String qps(double v) {
        return Double.isNaN(v) ? "not reached" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ratio(double v, double own) {
        return Double.isNaN(v) || Double.isNaN(own) ? "-" : String.format(Locale.ROOT, "%.2fx", v / own);
    }
}
