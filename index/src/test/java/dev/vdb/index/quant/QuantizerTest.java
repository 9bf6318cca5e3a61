package dev.vdb.index.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Code scores estimate full-precision scores on their scale, for every metric: int8 within the
 * rounding error its range implies (half a level per component), and a stored node as query
 * scores as its vector does; binary Euclid estimates are squared distances.
 */
class QuantizerTest {

    private static VectorStore store(VectorSimilarity similarity, int n, int dim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        VectorStore store = new VectorStore(dim);
        for (int i = 0; i < n; i++) {
            float[] v = new float[dim];
            for (int d = 0; d < dim; d++) {
                v[d] = (float) (random.nextGaussian() * 0.3 + 0.1);
            }
            store.set(i, similarity.prepare(v));
        }
        return store;
    }

    @Test
    void int8ScoresStayWithinTheRoundingBound() {
        int n = 500;
        int dim = 48;
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            VectorStore full = store(similarity, n, dim, 1);
            int[] all = java.util.stream.IntStream.range(0, n).toArray();
            Int8Quantizer quantizer = Int8Quantizer.train(full, all, 1f); // quantile 1: no clipping, only rounding
            QuantizedVectors codes = new QuantizedVectors(quantizer);
            for (int i = 0; i < n; i++) {
                codes.set(i, full.get(i));
            }
            NodeScorer scorer = codes.newScorer(similarity);
            float level = (quantizer.hi() - quantizer.lo()) / 255;
            for (int q = 0; q < 20; q++) {
                float[] query = full.get(q);
                scorer.setQuery(query);
                float[] alsoQuery = new float[n];
                for (int i = 0; i < n; i++) {
                    float exact = full.score(similarity, query, i);
                    float estimate = scorer.score(i);
                    // each component moves by at most half a level: |Δ(x·y)| ≤ Σ (|xᵢ|+|yᵢ|)·level/2 + d·level²/4
                    double bound = bound(query, full.get(i), level, similarity == VectorSimilarity.EUCLID);
                    assertTrue(Math.abs(estimate - exact) <= bound * 1.001 + 1e-5,
                            similarity + ": " + estimate + " vs " + exact + ", bound " + bound);
                    alsoQuery[i] = estimate;
                }
                scorer.setQueryNode(q);
                for (int i = 0; i < n; i++) {
                    assertEquals(alsoQuery[i], scorer.score(i), 1e-4f * Math.max(1, Math.abs(alsoQuery[i])),
                            "a stored node as query scores as its vector");
                }
            }
        }
    }

    private static double bound(float[] x, float[] y, float level, boolean euclid) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += euclid ? 2 * Math.abs(x[i] - y[i]) * level + level * level
                    : (Math.abs(x[i]) + Math.abs(y[i])) * level / 2 + level * level / 4;
        }
        return sum;
    }

    /** The binary Euclid estimate is a squared distance (law of cosines): zero for a vector's own code, never above zero. */
    @Test
    void binaryEuclidEstimatesAreZeroForTheOwnCodeAndNegativeElsewhere() {
        int n = 400;
        int dim = 256;
        VectorStore full = store(VectorSimilarity.EUCLID, n, dim, 2);
        int[] all = java.util.stream.IntStream.range(0, n).toArray();
        QuantizedVectors codes = new QuantizedVectors(BinaryQuantizer.train(full, all));
        for (int i = 0; i < n; i++) {
            codes.set(i, full.get(i));
        }
        NodeScorer scorer = codes.newScorer(VectorSimilarity.EUCLID);
        for (int q = 0; q < n; q += 37) {
            scorer.setQuery(full.get(q));
            assertEquals(0f, scorer.score(q), 1e-3f, "own code");
            for (int i = 0; i < n; i++) {
                assertTrue(scorer.score(i) <= 1e-3f, "node " + i + " estimated closer than distance 0");
            }
        }
    }
}
