package dev.vdb.bench;

import java.util.List;

/**
 * QPS at a target recall, read off an engine's recall/QPS curve. Stateless.
 *
 * <p>Points are taken in ef order. Between the last point below the target and the first at or
 * above it, log(QPS) is interpolated linearly in recall. When the very first point already
 * reaches the target, its QPS is a lower bound (the curve was not sampled lower). When no point
 * reaches the target, there is no value.
 */
public final class RecallTargets {

    public static final double[] TARGETS = {0.90, 0.95, 0.99};

    /** @param lowerBound true when the engine reached the target at its smallest ef */
    public record QpsAt(double qps, boolean lowerBound) {}

    private RecallTargets() {}

    /** The QPS at {@code target} recall, or null when the sweep never reaches it. */
    public static QpsAt qpsAt(List<SweepPoint> sweep, double target) {
        for (int i = 0; i < sweep.size(); i++) {
            SweepPoint p = sweep.get(i);
            if (p.recall() >= target) {
                if (i == 0) {
                    return new QpsAt(p.qps(), true);
                }
                SweepPoint lo = sweep.get(i - 1);
                double t = (target - lo.recall()) / (p.recall() - lo.recall());
                double logQps = Math.log(lo.qps()) + t * (Math.log(p.qps()) - Math.log(lo.qps()));
                return new QpsAt(Math.exp(logQps), false);
            }
        }
        return null;
    }

    /** Interpolates the mean distance computations per query at {@code target} the same way, or NaN. */
    public static double distancesAt(List<SweepPoint> sweep, double target) {
        for (int i = 0; i < sweep.size(); i++) {
            SweepPoint p = sweep.get(i);
            if (p.recall() >= target) {
                if (p.meanDistances() < 0) {
                    return Double.NaN;
                }
                if (i == 0) {
                    return p.meanDistances();
                }
                SweepPoint lo = sweep.get(i - 1);
                double t = (target - lo.recall()) / (p.recall() - lo.recall());
                return lo.meanDistances() + t * (p.meanDistances() - lo.meanDistances());
            }
        }
        return Double.NaN;
    }
}
