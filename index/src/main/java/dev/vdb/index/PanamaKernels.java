package dev.vdb.index;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Distance kernels on the Vector API ({@code jdk.incubator.vector}), with a scalar tail.
 * Results equal {@link ScalarKernels} up to float rounding (summation order differs). Loading
 * this class needs the {@code jdk.incubator.vector} module: only {@link VectorKernels} creates
 * it, after checking. Stateless, thread-safe, allocation-free once C2 has compiled it (vectors
 * are scalar-replaced).
 */
final class PanamaKernels implements DistanceKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    PanamaKernels() {}

    /** Bits per vector register the kernels use (the preferred species' width). */
    static int vectorBits() {
        return SPECIES.vectorBitSize();
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        int i = 0;
        float sum = 0f;
        if (dim >= 2 * LANES) {
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            int bound = dim - dim % (2 * LANES);
            for (; i < bound; i += 2 * LANES) {
                acc1 = FloatVector.fromArray(SPECIES, a, aOff + i)
                        .fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc1);
                acc2 = FloatVector.fromArray(SPECIES, a, aOff + i + LANES)
                        .fma(FloatVector.fromArray(SPECIES, b, bOff + i + LANES), acc2);
            }
            sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        }
        for (; i < dim; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public float squareDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
        int i = 0;
        float sum = 0f;
        if (dim >= 2 * LANES) {
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            int bound = dim - dim % (2 * LANES);
            for (; i < bound; i += 2 * LANES) {
                FloatVector d1 = FloatVector.fromArray(SPECIES, a, aOff + i)
                        .sub(FloatVector.fromArray(SPECIES, b, bOff + i));
                FloatVector d2 = FloatVector.fromArray(SPECIES, a, aOff + i + LANES)
                        .sub(FloatVector.fromArray(SPECIES, b, bOff + i + LANES));
                acc1 = d1.fma(d1, acc1);
                acc2 = d2.fma(d2, acc2);
            }
            sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        }
        for (; i < dim; i++) {
            float d = a[aOff + i] - b[bOff + i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public void dot4(float[] q, int qOff,
                            float[] a, int aOff, float[] b, int bOff,
                            float[] c, int cOff, float[] d, int dOff,
                            int dim, float[] out, int outOff) {
        FloatVector accA = FloatVector.zero(SPECIES);
        FloatVector accB = FloatVector.zero(SPECIES);
        FloatVector accC = FloatVector.zero(SPECIES);
        FloatVector accD = FloatVector.zero(SPECIES);
        int i = 0;
        int bound = SPECIES.loopBound(dim);
        for (; i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, q, qOff + i);
            accA = x.fma(FloatVector.fromArray(SPECIES, a, aOff + i), accA);
            accB = x.fma(FloatVector.fromArray(SPECIES, b, bOff + i), accB);
            accC = x.fma(FloatVector.fromArray(SPECIES, c, cOff + i), accC);
            accD = x.fma(FloatVector.fromArray(SPECIES, d, dOff + i), accD);
        }
        float sumA = accA.reduceLanes(VectorOperators.ADD);
        float sumB = accB.reduceLanes(VectorOperators.ADD);
        float sumC = accC.reduceLanes(VectorOperators.ADD);
        float sumD = accD.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float x = q[qOff + i];
            sumA += x * a[aOff + i];
            sumB += x * b[bOff + i];
            sumC += x * c[cOff + i];
            sumD += x * d[dOff + i];
        }
        out[outOff] = sumA;
        out[outOff + 1] = sumB;
        out[outOff + 2] = sumC;
        out[outOff + 3] = sumD;
    }

    @Override
    public void squareDistance4(float[] q, int qOff,
                                       float[] a, int aOff, float[] b, int bOff,
                                       float[] c, int cOff, float[] d, int dOff,
                                       int dim, float[] out, int outOff) {
        FloatVector accA = FloatVector.zero(SPECIES);
        FloatVector accB = FloatVector.zero(SPECIES);
        FloatVector accC = FloatVector.zero(SPECIES);
        FloatVector accD = FloatVector.zero(SPECIES);
        int i = 0;
        int bound = SPECIES.loopBound(dim);
        for (; i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, q, qOff + i);
            FloatVector da = x.sub(FloatVector.fromArray(SPECIES, a, aOff + i));
            FloatVector db = x.sub(FloatVector.fromArray(SPECIES, b, bOff + i));
            FloatVector dc = x.sub(FloatVector.fromArray(SPECIES, c, cOff + i));
            FloatVector dd = x.sub(FloatVector.fromArray(SPECIES, d, dOff + i));
            accA = da.fma(da, accA);
            accB = db.fma(db, accB);
            accC = dc.fma(dc, accC);
            accD = dd.fma(dd, accD);
        }
        float sumA = accA.reduceLanes(VectorOperators.ADD);
        float sumB = accB.reduceLanes(VectorOperators.ADD);
        float sumC = accC.reduceLanes(VectorOperators.ADD);
        float sumD = accD.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float x = q[qOff + i];
            float da = x - a[aOff + i];
            float db = x - b[bOff + i];
            float dc = x - c[cOff + i];
            float dd = x - d[dOff + i];
            sumA += da * da;
            sumB += db * db;
            sumC += dc * dc;
            sumD += dd * dd;
        }
        out[outOff] = sumA;
        out[outOff + 1] = sumB;
        out[outOff + 2] = sumC;
        out[outOff + 3] = sumD;
    }
}
