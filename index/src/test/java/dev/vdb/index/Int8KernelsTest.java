package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The int8 kernels of this JVM (SIMD when the Vector API is loaded) equal the scalar loops exactly, at every length and offset, the extreme bytes included;
 * whole-number codes are exact and refuse any other vector; int8 codes round as {@link Math#round(float)}.
 */
class Int8KernelsTest {

    @Test
    void simdInt8KernelsEqualTheScalarLoops() {
        SplittableRandom random = new SplittableRandom(7);
        DistanceKernels simd = VectorKernels.implementation();
        for (int dim = 1; dim <= 1600; dim += (dim < 70 ? 1 : 23)) {
            byte[] a = new byte[dim + 3];
            byte[] b = new byte[dim + 5];
            for (int i = 0; i < a.length; i++) {
                a[i] = (byte) random.nextInt(256);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = i % 7 == 0 ? Byte.MIN_VALUE : (byte) random.nextInt(256);
            }
            assertEquals(ScalarKernels.INSTANCE.dotBytes(a, 3, b, 5, dim), simd.dotBytes(a, 3, b, 5, dim), "dot, dim " + dim);
            assertEquals(ScalarKernels.INSTANCE.squareDistanceBytes(a, 3, b, 5, dim), simd.squareDistanceBytes(a, 3, b, 5, dim),
                    "square distance, dim " + dim);
            // four codes at once: b at four offsets (the query a against each), one repeated
            byte[][] pages = {b, b, a, b};
            int[] offsets = {5, 0, 3, 5};
            int[] dots = new int[4];
            int[] squares = new int[4];
            simd.dotBytes4(a, 3, pages, offsets, dim, dots);
            simd.squareDistanceBytes4(a, 3, pages, offsets, dim, squares);
            for (int j = 0; j < 4; j++) {
                assertEquals(ScalarKernels.INSTANCE.dotBytes(a, 3, pages[j], offsets[j], dim), dots[j], "dot of four, code " + j + ", dim " + dim);
                assertEquals(ScalarKernels.INSTANCE.squareDistanceBytes(a, 3, pages[j], offsets[j], dim), squares[j],
                        "square distance of four, code " + j + ", dim " + dim);
            }
        }
    }

    /**
     * The whole-number code: for whole numbers in range, each byte is {@code v - lo - 128} and
     * the sum theirs; one value with a fraction, out of range, NaN or infinite, wherever it lies
     * (SIMD steps or tail), makes it {@code NOT_WHOLE}. SIMD and scalar agree.
     */
    @Test
    void wholeNumberCodesAreExactAndRefuseAnythingElse() {
        SplittableRandom random = new SplittableRandom(11);
        DistanceKernels simd = VectorKernels.implementation();
        float[] spoilers = {0.5f, 255.25f, -0.001f, 256f, -129f, 1e9f, Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY};
        for (int dim = 1; dim <= 800; dim += (dim < 40 ? 1 : 37)) {
            for (float lo : new float[] {0, -128}) {
                float[] v = new float[dim];
                for (int i = 0; i < dim; i++) {
                    v[i] = lo + random.nextInt(256);
                }
                v[random.nextInt(dim)] = lo; // the range's ends, and minus zero
                v[random.nextInt(dim)] = lo + 255;
                v[random.nextInt(dim)] = -0f;
                int expectedSum = 0;
                for (float x : v) {
                    expectedSum += (int) (x - lo) - 128;
                }
                for (DistanceKernels kernels : new DistanceKernels[] {ScalarKernels.INSTANCE, simd}) {
                    byte[] out = new byte[dim];
                    assertEquals(expectedSum, kernels.wholeNumberCode(v, dim, lo, out), kernels + " sum, dim " + dim + ", lo " + lo);
                    for (int i = 0; i < dim; i++) {
                        assertEquals((byte) ((int) (v[i] - lo) - 128), out[i], kernels + " byte " + i + ", dim " + dim);
                    }
                    for (int at : new int[] {0, dim / 2, dim - 1}) {
                        float kept = v[at];
                        v[at] = spoilers[random.nextInt(spoilers.length)]; // outside both ranges, or not whole
                        assertEquals(DistanceKernels.NOT_WHOLE, kernels.wholeNumberCode(v, dim, lo, new byte[dim]),
                                kernels + ": " + v[at] + " at " + at + ", dim " + dim + ", lo " + lo);
                        v[at] = kept;
                    }
                }
            }
        }
    }

    @Test
    void int8CodesRoundHalfUpAsMathRoundAtEveryLengthAndOffset() {
        SplittableRandom random = new SplittableRandom(13);
        float[][] ranges = {{0f, 1f}, {0f, 2f}, {-1f, 127.5f}, {-0.37f, 311.7f}}; // {lo, inv}
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 1e9f, -1e9f};
        for (int dim = 1; dim <= 1600; dim += (dim < 70 ? 1 : 23)) {
            for (float[] range : ranges) {
                float lo = range[0];
                float inv = range[1];
                float[] v = new float[dim];
                for (int i = 0; i < dim; i++) {
                    float level = random.nextInt(-3, 260);
                    v[i] = switch (random.nextInt(5)) {
                        case 0 -> lo + (level + 0.5f) / inv; // a tie where the range makes it exact
                        case 1 -> lo + Math.nextDown(level + 0.5f) / inv; // just below one
                        case 2 -> specials[random.nextInt(specials.length)];
                        default -> lo + (float) random.nextDouble(-5, 262) / inv;
                    };
                }
                int expectedSum = 0;
                byte[] expected = new byte[dim];
                for (int i = 0; i < dim; i++) {
                    int s = Math.max(0, Math.min(255, Math.round((v[i] - lo) * inv))) - 128;
                    expected[i] = (byte) s;
                    expectedSum += s;
                }
                for (DistanceKernels kernels : new DistanceKernels[] {ScalarKernels.INSTANCE, VectorKernels.implementation()}) {
                    byte[] out = new byte[dim + 9];
                    assertEquals(expectedSum, kernels.int8Code(v, dim, lo, inv, out, 9), kernels + " sum, dim " + dim);
                    for (int i = 0; i < dim; i++) {
                        assertEquals(expected[i], out[9 + i], kernels + ": " + v[i] + " at " + i + ", dim " + dim + ", lo " + lo
                                + ", inv " + inv);
                    }
                }
            }
        }
    }
}
