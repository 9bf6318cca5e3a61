package dev.vdb.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

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
        return linearAt(sweep, target, SweepPoint::meanDistances);
    }

    /** Interpolates the mean latency (µs) at {@code target} linearly in recall, or NaN. */
    public static double meanMicrosAt(List<SweepPoint> sweep, double target) {
        return linearAt(sweep, target, SweepPoint::meanMicros);
    }

    private static double linearAt(List<SweepPoint> sweep, double target, ToDoubleFunction<SweepPoint> value) {
        for (int i = 0; i < sweep.size(); i++) {
            SweepPoint p = sweep.get(i);
            if (p.recall() >= target) {
                if (value.applyAsDouble(p) < 0) {
                    return Double.NaN;
                }
                if (i == 0) {
                    return value.applyAsDouble(p);
                }
                SweepPoint lo = sweep.get(i - 1);
                double t = (target - lo.recall()) / (p.recall() - lo.recall());
                return value.applyAsDouble(lo) + t * (value.applyAsDouble(p) - value.applyAsDouble(lo));
            }
        }
        return Double.NaN;
    }
}
