package dev.vdb.bench;

import dev.vdb.bench.engines.AnnEngine;
import dev.vdb.bench.engines.Engines;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs the measurements on one {@link BenchData}: each engine is built on one thread and on
 * all threads (the latter is kept and searched), then all kept engines are warmed up and the
 * single-thread ef sweep runs <em>interleaved</em>: round by round, ef by ef, engine by engine,
 * so that load from other processes on a shared machine falls on every engine alike; each
 * point keeps its fastest round. Last, one all-threads throughput point per engine. Only one
 * engine works at any time. Not thread-safe.
 */
public final class BenchRunner {

    /** Throughput point: the smallest ef reaching this recall, else the largest ef. */
    static final double THROUGHPUT_RECALL = 0.95;
    /** The longest the throughput point is made to run (it runs at least the warm-up's time, up to this). */
    static final double THROUGHPUT_MAX_SECONDS = 2.0;

    private final BenchData data;
    private final BenchOptions options;
    private final PrintStream out;

    public BenchRunner(BenchData data, BenchOptions options, PrintStream out) {
        this.data = data;
        this.options = options;
        this.out = out;
    }

    /** A built engine and what is known of it so far. */
    private static final class Built {
        final String name;
        final AnnEngine engine;
        final double oneThread;
        final double seconds;
        final int threads;
        final double bytesPerVector;
        final List<Integer> efs;
        final SweepPoint[] best;
        String error;

        Built(String name, AnnEngine engine, double oneThread, double seconds, int threads, double bytesPerVector,
              List<Integer> efs) {
            this.name = name;
            this.engine = engine;
            this.oneThread = oneThread;
            this.seconds = seconds;
            this.threads = threads;
            this.bytesPerVector = bytesPerVector;
            this.efs = efs;
            this.best = new SweepPoint[efs.size()];
        }
    }

    public List<EngineResult> runAll() {
        List<Built> built = new ArrayList<>();
        List<EngineResult> failed = new ArrayList<>();
        for (String name : options.engines()) {
            out.printf("%n== build %s ==%n", name);
            try {
                built.add(build(name));
            } catch (Exception | LinkageError e) {
                failed.add(EngineResult.failed(name, describe(e)));
                out.println("  skipped: " + describe(e));
            }
        }
        try {
            out.printf("%n== warm-up ==%n");
            for (Built b : built) {
                guarded(b, () -> warmUp(b));
            }
            sweep(built);
            out.printf("%n== throughput (%d threads) ==%n", options.threads());
            List<EngineResult> results = new ArrayList<>();
            for (String name : options.engines()) {
                Built b = built.stream().filter(x -> x.name.equals(name)).findFirst().orElse(null);
                if (b == null) {
                    results.add(failed.stream().filter(f -> f.engine().equals(name)).findFirst().orElseThrow());
                } else {
                    results.add(finish(b));
                }
            }
            return results;
        } finally {
            for (Built b : built) {
                try {
                    b.engine.close();
                } catch (Exception e) {
                    out.println("  closing " + b.name + " failed: " + describe(e));
                }
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs a step of one engine; a failure marks that engine as skipped instead of ending the run. */
    private void guarded(Built b, Step step) {
        if (b.error != null) {
            return;
        }
        try {
            step.run();
        } catch (Exception | LinkageError e) {
            b.error = describe(e);
            out.println("  " + b.name + " failed: " + b.error);
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private AnnEngine newEngine(String name) {
        return Engines.create(name, data.similarity(), options.m(), options.efConstruct());
    }

    private Built build(String name) throws Exception {
        int threads = options.threads();
        double oneThread = Double.NaN;
        boolean concurrent;
        try (AnnEngine probe = newEngine(name)) {
            concurrent = probe.buildsConcurrently();
        }
        int buildThreads = concurrent ? threads : 1;
        for (int i = 1; i <= options.warmBuilds(); i++) {
            out.printf("  untimed warm-up build %d/%d%n", i, options.warmBuilds());
            try (AnnEngine engine = newEngine(name)) {
                engine.build(copy(data.base()), buildThreads, Progress.silent());
            }
        }
        if (concurrent && threads > 1 && options.singleThreadBuild()) {
            try (AnnEngine engine = newEngine(name)) {
                oneThread = timedBuild(engine, copy(data.base()), 1);
            }
        }
        AnnEngine engine = newEngine(name);
        try {
            long before = liveHeap();
            float[][] vectors = copy(data.base());
            double seconds = timedBuild(engine, vectors, buildThreads);
            vectors = null; // the engine keeps its own reference if it needs the vectors
            long heapDelta = liveHeap() - before;
            long bytes = engine.memoryBytes(heapDelta);
            double perVector = bytes < 0 ? -1 : bytes / (double) data.base().length;
            out.printf("  memory: %,.0f bytes/vector (%s)%n", perVector, engine.memoryMethod());
            return new Built(name, engine, buildThreads == 1 ? seconds : oneThread, seconds, buildThreads, perVector,
                    name.equals("exact") ? List.of(0) : options.efs());
        } catch (Exception | LinkageError e) {
            engine.close();
            throw e;
        }
    }

    /** Round by round, ef by ef, engine by engine; each point keeps its fastest round. */
    private void sweep(List<Built> built) {
        for (Built b : built) {
            guarded(b, () -> b.engine.countDistances(true));
        }
        int maxPoints = options.efs().size();
        for (int round = 1; round <= options.rounds(); round++) {
            out.printf("%n== sweep round %d/%d (1 thread) ==%n", round, options.rounds());
            for (int i = 0; i < maxPoints; i++) {
                for (Built b : built) {
                    if (i >= b.efs.size()) {
                        continue;
                    }
                    int index = i;
                    guarded(b, () -> {
                        SweepPoint p = SweepTimer.point(b.engine, data.queries(), data.groundTruth(), options.k(), b.efs.get(index));
                        if (b.best[index] == null || p.qps() > b.best[index].qps()) {
                            b.best[index] = p;
                        }
                        out.printf("  %-8s ef=%-4d recall %.4f  %,9.0f q/s  mean %8.1f us  p99 %8.1f us  %s dist/q%n",
                                b.name, p.ef(), p.recall(), p.qps(), p.meanMicros(), p.p99Micros(),
                                p.meanDistances() < 0 ? "?" : String.format("%,.0f", p.meanDistances()));
                    });
                }
            }
        }
        for (Built b : built) {
            guarded(b, () -> b.engine.countDistances(false));
        }
    }

    private EngineResult finish(Built b) {
        List<SweepPoint> sweep = List.of(b.best);
        EngineResult.Throughput[] tp = new EngineResult.Throughput[1];
        guarded(b, () -> {
            tp[0] = throughput(b.engine, throughputEf(sweep), options.threads());
            out.printf("  %-8s ef=%d recall %.4f  %,.0f q/s%n", b.name, tp[0].ef(), tp[0].recall(), tp[0].qps());
        });
        if (b.error != null) {
            return EngineResult.failed(b.name, b.error);
        }
        return new EngineResult(b.name, null, b.oneThread, b.seconds, b.threads, b.bytesPerVector,
                b.engine.memoryMethod(), sweep, tp[0]);
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

    private void warmUp(Built b) throws Exception {
        int queries = SweepTimer.warmUp(b.engine, data.queries(), options.k(), b.efs, options.warmupSeconds());
        out.printf("  %-8s %,d queries%n", b.name, queries);
    }

    private static int throughputEf(List<SweepPoint> sweep) {
        for (SweepPoint p : sweep) {
            if (p.recall() >= THROUGHPUT_RECALL) {
                return p.ef();
            }
        }
        return sweep.get(sweep.size() - 1).ef();
    }

    /**
     * Every thread passes over all queries, each starting at a different offset, and passes again
     * until {@link #throughputSeconds} have gone by: one pass of a thousand queries takes tens of
     * milliseconds, too short to time two threads against each other.
     */
    private EngineResult.Throughput throughput(AnnEngine engine, int ef, int threads) throws Exception {
        float[][] queries = data.queries();
        int k = options.k();
        AnnEngine.Session[] sessions = new AnnEngine.Session[threads];
        for (int t = 0; t < threads; t++) {
            sessions[t] = engine.newSession();
        }
        CountDownLatch start = new CountDownLatch(1);
        DoubleAdder recall = new DoubleAdder();
        LongAdder answered = new LongAdder();
        Exception[] failure = new Exception[1];
        Thread[] workers = new Thread[threads];
        long[] deadline = new long[1];
        for (int t = 0; t < threads; t++) {
            int offset = t * queries.length / threads;
            AnnEngine.Session session = sessions[t];
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                    double sum = 0;
                    long n = 0;
                    do {
                        for (int i = 0; i < queries.length; i++) {
                            int q = (offset + i) % queries.length;
                            sum += data.recall(q, session.search(queries[q], k, ef), k);
                        }
                        n += queries.length;
                    } while (System.nanoTime() < deadline[0]);
                    recall.add(sum);
                    answered.add(n);
                } catch (Exception e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            });
            workers[t].start();
        }
        long t0 = System.nanoTime();
        deadline[0] = t0 + (long) (throughputSeconds() * 1e9); // published to the workers by the latch
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failure[0] != null) {
            throw failure[0];
        }
        long total = answered.sum();
        return new EngineResult.Throughput(threads, ef, recall.sum() / total, total / seconds);
    }

    /** How long the throughput point runs at least: the warm-up's time, at most {@value #THROUGHPUT_MAX_SECONDS} s. */
    private double throughputSeconds() {
        return Math.min(options.warmupSeconds(), THROUGHPUT_MAX_SECONDS);
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
