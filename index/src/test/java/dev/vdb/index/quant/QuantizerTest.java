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

    /**
     * An int8 scorer's batch scoring (groups of four, a short last group padded) gives every node
     * exactly the score {@code score} gives it, at every batch size a neighbour list can have,
     * for every metric, at a dimension that leaves a tail past the kernels' steps, with codes on
     * more than one page.
     */
    @Test
    void int8BatchScoresEqualSingleScores() {
        int dim = 77;
        int n = QuantizedVectors.MAX_PAGE_CODES + 100; // at 77 bytes a code, 2,048 codes a page
        SplittableRandom random = new SplittableRandom(9);
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            VectorStore full = store(similarity, n, dim, 2);
            int[] all = java.util.stream.IntStream.range(0, n).toArray();
            QuantizedVectors codes = new QuantizedVectors(Int8Quantizer.train(full, all, 0.99f));
            for (int i = 0; i < n; i++) {
                codes.set(i, full.get(i));
            }
            NodeScorer scorer = codes.newScorer(similarity);
            scorer.setQuery(full.get(random.nextInt(n)));
            float[] out = new float[32];
            for (int size = 1; size <= 32; size++) {
                int[] ids = random.ints(size, 0, n).toArray();
                scorer.scoreAll(ids, size, out);
                for (int i = 0; i < size; i++) {
                    assertEquals(scorer.score(ids[i]), out[i], similarity + ", batch of " + size + ", node " + i);
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

    /**
     * The binary Euclid estimate of a vector's own code, from the vector as query, is zero up to
     * the query's 4-bit rounding: the scale {@code f = |x'|²/Σ|x'ᵢ|} makes {@code f·Σ sᵢx'ᵢ = |x'|²}
     * exactly, and each rounded component moves by at most half a level.
     */
    @Test
    void binaryEuclidEstimateOfTheOwnCodeIsZeroUpToTheQueryRounding() {
        int n = 400;
        int dim = 256;
        VectorStore full = store(VectorSimilarity.EUCLID, n, dim, 2);
        int[] all = java.util.stream.IntStream.range(0, n).toArray();
        QuantizedVectors codes = new QuantizedVectors(BinaryQuantizer.train(full, all, VectorSimilarity.EUCLID));
        for (int i = 0; i < n; i++) {
            codes.set(i, full.get(i));
        }
        float[] centroid = new float[dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                centroid[d] += full.get(i)[d] / n;
            }
        }
        NodeScorer scorer = codes.newScorer(VectorSimilarity.EUCLID);
        for (int q = 0; q < n; q += 37) {
            float[] x = full.get(q);
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int d = 0; d < dim; d++) {
                min = Math.min(min, x[d] - centroid[d]);
                max = Math.max(max, x[d] - centroid[d]);
            }
            double halfLevel = (max - min) / 15 / 2;
            // |x−x|² estimate = 2·f·Σ sᵢ(x'ᵢ − x̂'ᵢ), each term at most half a level
            double bound = 2 * codes.correction(q, 0) * dim * halfLevel;
            scorer.setQuery(x);
            float own = scorer.score(q);
            assertTrue(Math.abs(own) <= bound * 1.01 + 1e-3, "own code " + own + ", bound " + bound);
        }
    }
}
