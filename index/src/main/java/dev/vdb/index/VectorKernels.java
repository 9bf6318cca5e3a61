package dev.vdb.index;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Distance kernels on the Vector API ({@code jdk.incubator.vector}), with a scalar tail.
 * Results equal {@link ScalarKernels} up to float rounding (summation order differs).
 * Stateless and allocation-free once C2 has compiled them (vectors are scalar-replaced).
 */
public final class VectorKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private VectorKernels() {}

    /** Inner product of {@code a[aOff..aOff+dim)} and {@code b[bOff..bOff+dim)}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
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

    /** Squared Euclidean distance of {@code a[aOff..aOff+dim)} and {@code b[bOff..bOff+dim)}. */
    public static float squareDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
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
}
