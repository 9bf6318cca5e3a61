package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The int8 kernels of this JVM (SIMD when the Vector API is loaded) equal the scalar loops exactly, at every length and offset, the extreme bytes included. */
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
}
