package dev.vdb.index.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The 4-bit query's planes against the levels computed one by one from their definition
 * ({@code kᵢ = round((q'ᵢ − min) / step)}, clamped to 15): every dimension's level read back
 * from the planes, the padding bits past the dimension zero, the level sum, and
 * {@code Σ bᵢkᵢ = Σⱼ 2ʲ·popcount(b AND plane j)} for random codes.
 */
class QueryBitPlanesTest {

    @Test
    void planesHoldEachDimensionsLevel() {
        SplittableRandom random = new SplittableRandom(11);
        for (int dim : new int[] {1, 63, 64, 100, 130, 384, 1536}) {
            int words = (dim + 63) >>> 6;
            QueryBitPlanes planes = new QueryBitPlanes(words);
            for (int round = 0; round < 20; round++) {
                float[] q = new float[dim];
                for (int i = 0; i < dim; i++) {
                    q[i] = round == 0 ? 0.25f : (float) random.nextGaussian();
                }
                planes.set(q, dim);
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (float v : q) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                float step = (max - min) / 15;
                assertEquals(min, planes.lower);
                assertEquals(step, planes.step);
                int sum = 0;
                int[] levels = new int[dim];
                for (int i = 0; i < dim; i++) {
                    levels[i] = step > 0 ? Math.min(15, Math.round((q[i] - min) * (1f / step))) : 0;
                    sum += levels[i];
                    int read = 0;
                    for (int j = 0; j < 4; j++) {
                        read |= (int) ((planes.planes[j * words + (i >>> 6)] >>> (i & 63)) & 1) << j;
                    }
                    assertEquals(levels[i], read, "d=" + dim + ", dimension " + i);
                }
                assertEquals(sum, planes.levelSum, "d=" + dim);
                for (int j = 0; j < 4; j++) {
                    for (int i = dim; i < words * 64; i++) {
                        assertEquals(0, (planes.planes[j * words + (i >>> 6)] >>> (i & 63)) & 1, "padding bit " + i);
                    }
                }
                long[] code = random.longs(words).toArray();
                long expected = 0;
                for (int i = 0; i < dim; i++) {
                    expected += ((code[i >>> 6] >>> (i & 63)) & 1) * levels[i];
                }
                long viaPlanes = 0;
                for (int j = 0; j < 4; j++) {
                    for (int w = 0; w < words; w++) {
                        viaPlanes += (long) Long.bitCount(code[w] & planes.planes[j * words + w]) << j;
                    }
                }
                assertEquals(expected, viaPlanes, "d=" + dim);
            }
        }
    }
}
