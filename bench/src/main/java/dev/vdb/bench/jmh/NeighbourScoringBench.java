package dev.vdb.bench.jmh;

import dev.vdb.index.VectorKernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.VectorUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a graph search does per expanded node: score {@value #BATCH} vectors picked at random
 * from 256 MB of vectors (far more than the caches, so they come from memory), one query.
 * Ours one vector per call, four per call ({@code dot4}) and eight per call ({@code dot8}),
 * against Lucene 10.6's {@link VectorUtil} one per call. Nanoseconds per distance.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx2g"})
public class NeighbourScoringBench {

    static final int BATCH = 32;
    static final long BYTES = 256L << 20;

    @Param({"100", "784", "1536"})
    int dim;

    float[][] rows;
    float[] q;
    int[] ids;
    int next;
    final float[] out = new float[8];
    final float[][] pages = new float[8][];
    final int[] offsets = new int[8];

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(11);
        rows = new float[(int) (BYTES / 4 / dim)][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[dim];
            for (int d = 0; d < dim; d++) {
                rows[i][d] = (float) random.nextGaussian();
            }
        }
        q = rows[0].clone();
        ids = new int[BATCH << 12];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(rows.length);
        }
    }

    private int batch() {
        int at = next;
        next = (at + BATCH) % ids.length;
        return at;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float squareDistanceOne() {
        int at = batch();
        float sum = 0;
        for (int j = at; j < at + BATCH; j++) {
            sum += VectorKernels.squareDistance(q, 0, rows[ids[j]], 0, dim);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float squareDistanceFour() {
        int at = batch();
        float sum = 0;
        for (int j = at; j < at + BATCH; j += 4) {
            VectorKernels.squareDistance4(q, 0, rows[ids[j]], 0, rows[ids[j + 1]], 0, rows[ids[j + 2]], 0,
                    rows[ids[j + 3]], 0, dim, out, 0);
            sum += out[0] + out[3];
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float squareDistanceEight() {
        int at = batch();
        float sum = 0;
        for (int j = at; j < at + BATCH; j += 8) {
            for (int t = 0; t < 8; t++) {
                pages[t] = rows[ids[j + t]];
            }
            VectorKernels.squareDistance8(q, 0, pages, offsets, dim, out, 0);
            sum += out[0] + out[7];
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float squareDistanceLucene() {
        int at = batch();
        float sum = 0;
        for (int j = at; j < at + BATCH; j++) {
            sum += VectorUtil.squareDistance(q, rows[ids[j]]);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float dotOne() {
        int at = batch();
        float sum = 0;
        for (int j = at; j < at + BATCH; j++) {
            sum += VectorKernels.dot(q, 0, rows[ids[j]], 0, dim);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float dotFour() {
        int at = batch();
        float sum = 0;
        for (int j = at; j < at + BATCH; j += 4) {
            VectorKernels.dot4(q, 0, rows[ids[j]], 0, rows[ids[j + 1]], 0, rows[ids[j + 2]], 0, rows[ids[j + 3]], 0,
                    dim, out, 0);
            sum += out[0] + out[3];
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float dotEight() {
        int at = batch();
        float sum = 0;
        for (int j = at; j < at + BATCH; j += 8) {
            for (int t = 0; t < 8; t++) {
                pages[t] = rows[ids[j + t]];
            }
            VectorKernels.dot8(q, 0, pages, offsets, dim, out, 0);
            sum += out[0] + out[7];
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float dotLucene() {
        int at = batch();
        float sum = 0;
        for (int j = at; j < at + BATCH; j++) {
            sum += VectorUtil.dotProduct(q, rows[ids[j]]);
        }
        return sum;
    }
}
