package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The four- and eight-at-once kernels against the scalar loops, on many lengths and offsets. */
class VectorKernelsBatchTest {

    @Test
    void fourAtOnceKernelsMatchScalarLoops() {
        SplittableRandom random = new SplittableRandom(17);
        float[] out = new float[6];
        for (int dim = 1; dim <= 800; dim += (dim < 70 ? 1 : 37)) {
            float[] q = randomVector(random, dim + 1);
            float[][] v = new float[4][];
            int[] off = new int[4];
            for (int i = 0; i < 4; i++) {
                off[i] = random.nextInt(5);
                v[i] = randomVector(random, dim + off[i]);
            }
            VectorKernels.dot4(q, 1, v[0], off[0], v[1], off[1], v[2], off[2], v[3], off[3], dim, out, 2);
            for (int i = 0; i < 4; i++) {
                float scalar = ScalarKernels.INSTANCE.dot(q, 1, v[i], off[i], dim);
                assertEquals(scalar, out[2 + i], 1e-4f * Math.max(1f, Math.abs(scalar)), "dot dim " + dim);
            }
            VectorKernels.squareDistance4(q, 1, v[0], off[0], v[1], off[1], v[2], off[2], v[3], off[3], dim, out, 1);
            for (int i = 0; i < 4; i++) {
                float scalar = ScalarKernels.INSTANCE.squareDistance(q, 1, v[i], off[i], dim);
                assertEquals(scalar, out[1 + i], 1e-4f * Math.max(1f, Math.abs(scalar)), "l2 dim " + dim);
            }
        }
    }

    @Test
    void eightAtOnceKernelsMatchScalarLoops() {
        SplittableRandom random = new SplittableRandom(19);
        float[] out = new float[11];
        for (int dim = 1; dim <= 800; dim += (dim < 70 ? 1 : 37)) {
            float[] q = randomVector(random, dim + 2);
            float[][] pages = new float[8][];
            int[] offsets = new int[8];
            for (int i = 0; i < 8; i++) {
                offsets[i] = random.nextInt(5);
                pages[i] = randomVector(random, dim + offsets[i] + random.nextInt(3));
            }
            pages[5] = pages[2]; // a repeated vector, as a padded group has
            offsets[5] = offsets[2];
            VectorKernels.dot8(q, 2, pages, offsets, dim, out, 3);
            for (int i = 0; i < 8; i++) {
                float scalar = ScalarKernels.INSTANCE.dot(q, 2, pages[i], offsets[i], dim);
                assertEquals(scalar, out[3 + i], 1e-4f * Math.max(1f, Math.abs(scalar)), "dot dim " + dim);
            }
            VectorKernels.squareDistance8(q, 2, pages, offsets, dim, out, 0);
            for (int i = 0; i < 8; i++) {
                float scalar = ScalarKernels.INSTANCE.squareDistance(q, 2, pages[i], offsets[i], dim);
                assertEquals(scalar, out[i], 1e-4f * Math.max(1f, Math.abs(scalar)), "l2 dim " + dim);
            }
        }
    }

    private static float[] randomVector(SplittableRandom random, int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
