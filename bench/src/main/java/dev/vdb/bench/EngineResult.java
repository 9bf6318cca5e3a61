package dev.vdb.bench;

import java.util.List;

/**
 * Everything measured for one engine in one run.
 *
 * @param error why the engine was skipped, or null when it ran
 * @param buildSecondsOneThread build time on one thread, NaN when not measured
 * @param buildSeconds build time on {@code buildThreads} threads (the index that was searched)
 * @param bytesPerVector memory per vector, or -1 when not measurable
 * @param throughput the all-threads point, or null
 */
public record EngineResult(String engine, String error, double buildSecondsOneThread, double buildSeconds,
                           int buildThreads, double bytesPerVector, String memoryMethod,
                           List<SweepPoint> sweep, Throughput throughput) {

    /** Queries per second with several search threads at one ef. */
    public record Throughput(int threads, int ef, double recall, double qps) {}

    public static EngineResult failed(String engine, String error) {
        return new EngineResult(engine, error, Double.NaN, Double.NaN, 0, -1, "", List.of(), null);
    }

    public boolean ran() {
        return error == null;
    }
}
