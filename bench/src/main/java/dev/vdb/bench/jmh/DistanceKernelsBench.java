package dev.vdb.bench.jmh;

import dev.vdb.index.ScalarKernels;
import dev.vdb.index.VectorKernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.VectorUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One distance computation, cache-hot: ours through {@link VectorKernels} (the kernels the JVM
 * chose, the Vector API here), the plain loop ({@link ScalarKernels}) and Lucene 10.6's
 * {@link VectorUtil} (its Panama implementation), for the dimensions of the dev datasets (100,
 * 384), MNIST (784) and large embedding models (1536). Average time per call in nanoseconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class DistanceKernelsBench {

    @Param({"100", "384", "784", "1536"})
    int dim;

    float[] a;
    float[] b;
    float[] c;
    float[] d;
    float[] e;
    final float[] out = new float[4];

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        a = gaussian(random);
        b = gaussian(random);
        c = gaussian(random);
        d = gaussian(random);
        e = gaussian(random);
    }

    private float[] gaussian(SplittableRandom random) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    @Benchmark
    public float dotVector() {
        return VectorKernels.dot(a, 0, b, 0, dim);
    }

    @Benchmark
    public float dotScalar() {
        return ScalarKernels.INSTANCE.dot(a, 0, b, 0, dim);
    }

    @Benchmark
    public float dotLucene() {
        return VectorUtil.dotProduct(a, b);
    }

    @Benchmark
    public float squareDistanceVector() {
        return VectorKernels.squareDistance(a, 0, b, 0, dim);
    }

    @Benchmark
    public float squareDistanceLucene() {
        return VectorUtil.squareDistance(a, b);
    }

    @Benchmark
    public float squareDistanceScalar() {
        return ScalarKernels.INSTANCE.squareDistance(a, 0, b, 0, dim);
    }

    /** Four inner products with one query, in one call (a graph search's batch kernel). */
    @Benchmark
    public float[] dot4Vector() {
        VectorKernels.dot4(a, 0, b, 0, c, 0, d, 0, e, 0, dim, out, 0);
        return out;
    }

    /** The same four with Lucene, one call each. */
    @Benchmark
    public float dot4Lucene() {
        return VectorUtil.dotProduct(a, b) + VectorUtil.dotProduct(a, c) + VectorUtil.dotProduct(a, d)
                + VectorUtil.dotProduct(a, e);
    }

    @Benchmark
    public float[] squareDistance4Vector() {
        VectorKernels.squareDistance4(a, 0, b, 0, c, 0, d, 0, e, 0, dim, out, 0);
        return out;
    }

    @Benchmark
    public float squareDistance4Lucene() {
        return VectorUtil.squareDistance(a, b) + VectorUtil.squareDistance(a, c) + VectorUtil.squareDistance(a, d)
                + VectorUtil.squareDistance(a, e);
    }
}
