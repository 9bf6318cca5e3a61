package dev.vdb.bench;

import dev.vdb.bench.engines.AnnEngine;
import dev.vdb.bench.engines.Engines;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.DoubleAdder;
import org.HdrHistogram.Histogram;

/**
 * Runs the measurements for each engine in turn on one {@link BenchData}: build on one thread
 * and on all threads, a warm-up pass, the single-thread ef sweep and one all-threads throughput
 * point. Engines run one after another, never at the same time. Not thread-safe.
 */
public final class BenchRunner {

    /** Throughput point: the smallest ef reaching this recall, else the largest ef. */
    static final double THROUGHPUT_RECALL = 0.95;

    private final BenchData data;
    private final BenchOptions options;
    private final PrintStream out;

    public BenchRunner(BenchData data, BenchOptions options, PrintStream out) {
        this.data = data;
        this.options = options;
        this.out = out;
    }

    public List<EngineResult> runAll() {
        List<EngineResult> results = new ArrayList<>();
        for (String name : options.engines()) {
            out.printf("%n== %s ==%n", name);
            try {
                results.add(run(name));
            } catch (Exception | LinkageError e) {
                String why = e.getClass().getSimpleName() + ": " + e.getMessage();
                out.println("  skipped: " + why);
                results.add(EngineResult.failed(name, why));
            }
            System.gc();
        }
        return results;
    }

    private AnnEngine newEngine(String name) {
        return Engines.create(name, data.similarity(), options.m(), options.efConstruct());
    }

    private EngineResult run(String name) throws Exception {
        int threads = options.threads();
        double oneThread = Double.NaN;
        boolean concurrent;
        try (AnnEngine probe = newEngine(name)) {
            concurrent = probe.buildsConcurrently();
        }
        if (concurrent && threads > 1 && options.singleThreadBuild()) {
            try (AnnEngine engine = newEngine(name)) {
                oneThread = timedBuild(engine, copy(data.base()), 1);
            }
            System.gc();
        }
        int buildThreads = concurrent ? threads : 1;
        try (AnnEngine engine = newEngine(name)) {
            long before = liveHeap();
            float[][] vectors = copy(data.base());
            double seconds = timedBuild(engine, vectors, buildThreads);
            vectors = null; // the engine keeps its own reference if it needs the vectors
            long heapDelta = liveHeap() - before;
            long bytes = engine.memoryBytes(heapDelta);
            double perVector = bytes < 0 ? -1 : bytes / (double) data.base().length;
            if (!concurrent) {
                oneThread = seconds;
            }
            out.printf("  memory: %,.0f bytes/vector (%s)%n", perVector, engine.memoryMethod());

            List<Integer> efs = name.equals("exact") ? List.of(0) : options.efs();
            warmUp(engine, efs);
            engine.countDistances(true);
            List<SweepPoint> sweep = new ArrayList<>();
            for (int ef : efs) {
                SweepPoint p = sweepPoint(engine, ef);
                sweep.add(p);
                out.printf("  ef=%-4d recall %.4f  %,9.0f q/s  mean %8.1f us  p99 %8.1f us  %s dist/q%n",
                        ef, p.recall(), p.qps(), p.meanMicros(), p.p99Micros(),
                        p.meanDistances() < 0 ? "?" : String.format("%,.0f", p.meanDistances()));
            }
            engine.countDistances(false);
            EngineResult.Throughput tp = throughput(engine, throughputEf(sweep), threads);
            out.printf("  throughput: %d threads ef=%d recall %.4f  %,.0f q/s%n", tp.threads(), tp.ef(), tp.recall(), tp.qps());
            return new EngineResult(name, null, oneThread, seconds, buildThreads, perVector,
                    engine.memoryMethod(), sweep, tp);
        }
    }

    private double timedBuild(AnnEngine engine, float[][] vectors, int threads) throws Exception {
        Progress progress = new Progress(engine.name() + " build (" + threads + " thread" + (threads > 1 ? "s" : "") + ")",
                vectors.length, out);
        long t0 = System.nanoTime();
        engine.build(vectors, threads, progress);
        double seconds = (System.nanoTime() - t0) / 1e9;
        progress.finish();
        out.printf("  built on %d thread%s in %.2f s (%,.0f vectors/s)%n", threads, threads > 1 ? "s" : "",
                seconds, vectors.length / seconds);
        return seconds;
    }

    /**
     * Searches cycling through queries and ef values until every query has run once and the
     * warm-up time has passed, so the JIT has compiled every path before anything is timed.
     */
    private void warmUp(AnnEngine engine, List<Integer> efs) throws Exception {
        AnnEngine.Session session = engine.newSession();
        float[][] queries = data.queries();
        long end = System.nanoTime() + (long) (options.warmupSeconds() * 1e9);
        int i = 0;
        while (i < queries.length || System.nanoTime() < end) {
            session.search(queries[i % queries.length], options.k(), efs.get(i % efs.size()));
            i++;
        }
        out.printf("  warm-up: %,d queries%n", i);
    }

    private SweepPoint sweepPoint(AnnEngine engine, int ef) throws Exception {
        AnnEngine.Session session = engine.newSession();
        float[][] queries = data.queries();
        int k = options.k();
        Histogram latencies = new Histogram(3);
        double recall = 0;
        long distances = 0;
        boolean counted = true;
        long total = 0;
        for (int q = 0; q < queries.length; q++) {
            long t0 = System.nanoTime();
            int[] ids = session.search(queries[q], k, ef);
            long nanos = System.nanoTime() - t0;
            total += nanos;
            latencies.recordValue(nanos);
            recall += data.recall(q, ids, k);
            long d = session.lastDistanceComputations();
            counted &= d >= 0;
            distances += d;
        }
        int n = queries.length;
        return new SweepPoint(ef, recall / n, n / (total / 1e9), latencies.getMean() / 1e3,
                latencies.getValueAtPercentile(50) / 1e3, latencies.getValueAtPercentile(99) / 1e3,
                latencies.getMaxValue() / 1e3, counted ? distances / (double) n : -1);
    }

    private static int throughputEf(List<SweepPoint> sweep) {
        for (SweepPoint p : sweep) {
            if (p.recall() >= THROUGHPUT_RECALL) {
                return p.ef();
            }
        }
        return sweep.get(sweep.size() - 1).ef();
    }

    /** Every thread runs all queries once, each starting at a different offset. */
    private EngineResult.Throughput throughput(AnnEngine engine, int ef, int threads) throws Exception {
        float[][] queries = data.queries();
        int k = options.k();
        AnnEngine.Session[] sessions = new AnnEngine.Session[threads];
        for (int t = 0; t < threads; t++) {
            sessions[t] = engine.newSession();
        }
        CountDownLatch start = new CountDownLatch(1);
        DoubleAdder recall = new DoubleAdder();
        Exception[] failure = new Exception[1];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int offset = t * queries.length / threads;
            AnnEngine.Session session = sessions[t];
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                    double sum = 0;
                    for (int i = 0; i < queries.length; i++) {
                        int q = (offset + i) % queries.length;
                        sum += data.recall(q, session.search(queries[q], k, ef), k);
                    }
                    recall.add(sum);
                } catch (Exception e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            });
            workers[t].start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failure[0] != null) {
            throw failure[0];
        }
        long total = (long) threads * queries.length;
        return new EngineResult.Throughput(threads, ef, recall.sum() / total, total / seconds);
    }

    private static float[][] copy(float[][] vectors) {
        float[][] out = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            out[i] = vectors[i].clone();
        }
        return out;
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
