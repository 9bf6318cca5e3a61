package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorKernelsTest {

    @Test
    void simdKernelsMatchScalarLoopsOnRandomVectorsOfManyLengths() {
        SplittableRandom random = new SplittableRandom(42);
        for (int dim = 1; dim <= 800; dim += (dim < 70 ? 1 : 37)) {
            float[] a = randomVector(random, dim + 3);
            float[] b = randomVector(random, dim + 5);
            for (VectorSimilarity similarity : VectorSimilarity.values()) {
                float simd = similarity.score(a, 3, b, 5, dim);
                float scalar = similarity.scalarScore(a, 3, b, 5, dim);
                assertEquals(scalar, simd, 1e-4f * Math.max(1f, Math.abs(scalar)),
                        similarity + " dim " + dim);
            }
        }
    }

    @Test
    void cosineNormalisesAndScoresIdenticalVectorsAsOne() {
        float[] v = VectorSimilarity.COSINE.prepare(new float[] {3, 4});
        assertEquals(0.6f, v[0], 1e-6f);
        assertEquals(1f, VectorSimilarity.COSINE.score(v, v), 1e-6f);
        float[] zero = VectorSimilarity.COSINE.prepare(new float[] {0, 0});
        assertEquals(0f, VectorSimilarity.COSINE.score(zero, v));
    }

    @Test
    void euclidScoreTurnsBackIntoDistance() {
        float[] a = {0, 0};
        float[] b = {3, 4};
        float score = VectorSimilarity.EUCLID.score(a, b);
        assertEquals(-25f, score, 1e-6f);
        assertEquals(5f, VectorSimilarity.EUCLID.toUserScore(score), 1e-6f);
    }

    @Test
    void storeGrowsAcrossPagesAndReturnsWhatWasSet() {
        VectorStore store = new VectorStore(3);
        int n = store.pageVectors() * 2 + 17;
        for (int i = n - 1; i >= 0; i -= 7) {
            store.set(i, new float[] {i, i + 1, i + 2});
        }
        assertEquals(n, store.size());
        for (int i = n - 1; i >= 0; i -= 7) {
            float[] v = store.get(i);
            assertEquals(i + 2f, v[2]);
        }
    }

    private static float[] randomVector(SplittableRandom random, int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }
}
