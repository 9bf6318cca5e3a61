package dev.vdb.bench.scale;

import dev.vdb.bench.SweepPoint;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one engine's child JVM measured, and the line format that carries it to the parent:
 * one {@code RESULT} line, then one {@code POINT} line per swept ef (tab-separated).
 *
 * @param error why the engine has no result (its child failed), or null
 * @param firstBuildSeconds the JVM's first build (a fresh JVM's); {@code buildSeconds} is its last, which the rest measures
 * @param heapIndexBytes heap in use after a full GC with the index built, minus the same before the build
 * @param heapBytes heap in use after a full GC at the end (everything the JVM holds)
 * @param residentBytes the process's resident memory ({@code VmRSS}) after the sweep
 * @param peakResidentBytes its peak ({@code VmHWM})
 * @param engineBytes the engine's own account of its memory ({@code AnnEngine.memoryBytes})
 */
record ScaleResult(String engine, String error, int vectors, double firstBuildSeconds, double buildSeconds, int buildThreads,
                   long heapIndexBytes, long heapBytes, long residentBytes, long peakResidentBytes, long engineBytes,
                   String memoryMethod, List<SweepPoint> sweep) {

    static ScaleResult failed(String engine, String error) {
        return new ScaleResult(engine, error, 0, Double.NaN, Double.NaN, 0, -1, -1, -1, -1, -1, "", List.of());
    }

    boolean ran() {
        return error == null;
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "RESULT\t%s\t%d\t%.3f\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%.3f%n", engine, vectors, buildSeconds,
                buildThreads, heapIndexBytes, heapBytes, residentBytes, peakResidentBytes, engineBytes, memoryMethod,
                firstBuildSeconds);
        for (SweepPoint p : sweep) {
            out.printf(Locale.ROOT, "POINT\t%d\t%.6f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f%n", p.ef(), p.recall(), p.qps(),
                    p.meanMicros(), p.p50Micros(), p.p99Micros(), p.maxMicros(), p.meanDistances());
        }
    }

    /** The result in a child's output lines, or a failure naming {@code why} when there is none. */
    static ScaleResult parse(String engine, List<String> lines, String why) {
        String[] head = null;
        List<SweepPoint> sweep = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("\t");
            if (f[0].equals("RESULT")) {
                head = f;
            } else if (f[0].equals("POINT") && head != null) {
                sweep.add(new SweepPoint(Integer.parseInt(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                        Double.parseDouble(f[7]), Double.parseDouble(f[8])));
            }
        }
        if (head == null) {
            return failed(engine, why);
        }
        return new ScaleResult(head[1], null, Integer.parseInt(head[2]), Double.parseDouble(head[11]), Double.parseDouble(head[3]),
                Integer.parseInt(head[4]), Long.parseLong(head[5]), Long.parseLong(head[6]), Long.parseLong(head[7]),
                Long.parseLong(head[8]), Long.parseLong(head[9]), head[10], List.copyOf(sweep));
    }
}
