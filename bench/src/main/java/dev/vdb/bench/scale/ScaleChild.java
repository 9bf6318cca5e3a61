package dev.vdb.bench.scale;

import dev.vdb.bench.Progress;
import dev.vdb.bench.SweepPoint;
import dev.vdb.bench.SweepTimer;
import dev.vdb.bench.engines.AnnEngine;
import dev.vdb.bench.engines.Engines;
import dev.vdb.bench.engines.FvecsRows;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.testkit.data.Vecs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One engine of a scale run, alone in its own JVM (started by {@link ScaleCommand} with the
 * heap it is given): builds the engine from the base file row by row ({@link FvecsRows}: the
 * input is neither on the heap nor mapped), measures the heap after a full GC and the resident
 * memory, then sweeps ef on one thread. Prints progress lines, then one {@code RESULT} line and
 * one {@code POINT} line per ef ({@link ScaleResult} reads them back). With several builds, each
 * but the last is closed once timed: the last, in a JVM that compiled the build already, is the
 * one measured for memory and swept.
 *
 * <p>Arguments: engine, base.fvecs, query.fvecs, ground-truth ivecs, metric (enum name), m,
 * ef_construct, k, build threads, comma-separated efs, rounds, warm-up seconds, builds.
 */
public final class ScaleChild {

    private ScaleChild() {}

    public static void main(String[] args) throws Exception {
        String engineName = args[0];
        Path base = Path.of(args[1]);
        VectorSimilarity similarity = VectorSimilarity.valueOf(args[4]);
        int m = Integer.parseInt(args[5]);
        int efConstruct = Integer.parseInt(args[6]);
        int k = Integer.parseInt(args[7]);
        int threads = Integer.parseInt(args[8]);
        List<Integer> efs = Arrays.stream(args[9].split(",")).map(Integer::valueOf).toList();
        int rounds = Integer.parseInt(args[10]);
        double warmupSeconds = Double.parseDouble(args[11]);

        float[][] queries = Vecs.readFvecs(Path.of(args[2]));
        for (int q = 0; q < queries.length; q++) {
            queries[q] = similarity.prepare(queries[q]);
        }
        int[][] truth = Arrays.copyOf(Vecs.readIvecs(Path.of(args[3])), queries.length);
        int builds = Integer.parseInt(args[12]);
        double firstBuildSeconds = Double.NaN;
        for (int b = 1; b < builds; b++) {
            try (FvecsRows rows = new FvecsRows(base, similarity);
                 AnnEngine engine = Engines.create(engineName, similarity, m, efConstruct)) {
                double seconds = timedBuild(engine, rows, threads, engineName + " build " + b + " of " + builds);
                firstBuildSeconds = b == 1 ? seconds : firstBuildSeconds;
                System.out.printf(Locale.ROOT, "build %d of %d in %.2f s%n", b, builds, seconds);
            }
        }
        long heapBefore = heapAfterGc();
        try (FvecsRows rows = new FvecsRows(base, similarity);
             AnnEngine engine = Engines.create(engineName, similarity, m, efConstruct)) {
            double buildSeconds = timedBuild(engine, rows, threads, engineName + " build");
            firstBuildSeconds = builds == 1 ? buildSeconds : firstBuildSeconds;
            long heapIndex = heapAfterGc() - heapBefore;
            long engineBytes = engine.memoryBytes(heapIndex);
            System.out.printf(Locale.ROOT, "built in %.1f s; heap after GC %,d MB above the empty JVM's; RSS %,d MB%n",
                    buildSeconds, heapIndex >> 20, resident("VmRSS") >> 20);

            SweepTimer.warmUp(engine, queries, k, efs, warmupSeconds);
            SweepPoint[] best = new SweepPoint[efs.size()];
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < efs.size(); i++) {
                    SweepPoint p = SweepTimer.point(engine, queries, truth, k, efs.get(i));
                    if (best[i] == null || p.qps() > best[i].qps()) {
                        best[i] = p;
                    }
                    System.out.printf(Locale.ROOT, "  ef=%-4d recall %.4f  %,9.0f q/s%n", p.ef(), p.recall(), p.qps());
                }
            }
            ScaleResult result = new ScaleResult(engineName, null, rows.size(), firstBuildSeconds, buildSeconds, threads, heapIndex,
                    heapAfterGc(), resident("VmRSS"), resident("VmHWM"), engineBytes, engine.memoryMethod(), List.of(best));
            result.print(System.out);
        }
        System.out.flush();
    }

    /** Builds {@code engine} from {@code rows}, showing progress; the seconds it took. */
    private static double timedBuild(AnnEngine engine, FvecsRows rows, int threads, String label) throws Exception {
        Progress progress = new Progress(label + " (" + threads + " threads)", rows.size(), System.out);
        long t0 = System.nanoTime();
        engine.build(rows, threads, progress);
        double seconds = (System.nanoTime() - t0) / 1e9;
        progress.finish();
        return seconds;
    }

    /** Heap in use after full collections (a few, so that what dies in finalization-like chains goes too). */
    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A size line of {@code /proc/self/status} ({@code VmRSS}, {@code VmHWM}) in bytes, or -1 off Linux. */
    static long resident(String field) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim()) * 1024;
            }
        }
        return -1;
    }
}
