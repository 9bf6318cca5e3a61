package dev.vdb.index;

/**
 * Plain-loop distance kernels: the reference that {@link VectorKernels} is tested against,
 * and the fallback where the Vector API is unavailable. Stateless and allocation-free.
 */
public final class ScalarKernels {

    private ScalarKernels() {}

    /** Inner product of {@code a[aOff..aOff+dim)} and {@code b[bOff..bOff+dim)}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /** Squared Euclidean distance of {@code a[aOff..aOff+dim)} and {@code b[bOff..bOff+dim)}. */
    public static float squareDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            float d = a[aOff + i] - b[bOff + i];
            sum += d * d;
        }
        return sum;
    }
}
