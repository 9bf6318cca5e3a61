package dev.vdb.index.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.testkit.data.EmbeddingLikeGenerator;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The asymmetric binary estimate (4-bit query against 1-bit codes with RaBitQ's corrections)
 * against exact scores on clustered, embedding-like data, for every metric, compared with the
 * symmetric Hamming estimate of the same centred sign bits (the angle {@code π·h/d} between two
 * codes, the scheme it replaces), which the test computes itself: the asymmetric one must find
 * more of the true top 10 among its best candidates and correlate better with the exact scores.
 */
class BinaryEstimatorTest {

    private static final int VECTORS = 3_000;
    private static final int QUERIES = 40;
    private static final int K = 10;
    private static final int CANDIDATES = 40;

    @Test
    void asymmetricEstimateRanksBetterThanHammingForEveryMetric() {
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            for (int dim : new int[] {128, 384}) {
                Quality[] q = measure(similarity, dim, 7 + dim);
                Quality asymmetric = q[0];
                Quality hamming = q[1];
                String what = similarity + " d=" + dim + ": asymmetric " + asymmetric + ", hamming " + hamming;
                assertTrue(asymmetric.recall > hamming.recall, what);
                assertTrue(asymmetric.correlation > hamming.correlation, what);
            }
        }
    }

    /** Recall of the true top K among the best CANDIDATES by estimate, and the estimates' correlation with the exact scores. */
    private record Quality(double recall, double correlation) {}

    private static Quality[] measure(VectorSimilarity similarity, int dim, long seed) {
        EmbeddingLikeGenerator generator = new EmbeddingLikeGenerator(dim, VECTORS + QUERIES, seed);
        VectorStore full = clustered(generator, similarity, VECTORS);
        float[][] queries = new float[QUERIES][];
        for (int i = 0; i < QUERIES; i++) {
            queries[i] = similarity.prepare(generator.next());
        }
        QuantizedVectors codes = encode(full, similarity);
        HammingOracle hamming = new HammingOracle(full, similarity);
        NodeScorer scorer = codes.newScorer(similarity);
        double[] recall = new double[2];
        double[] correlation = new double[2];
        float[] exact = new float[VECTORS];
        float[][] estimates = new float[2][VECTORS];
        for (float[] query : queries) {
            scorer.setQuery(query);
            for (int i = 0; i < VECTORS; i++) {
                exact[i] = full.score(similarity, query, i);
                estimates[0][i] = scorer.score(i);
                estimates[1][i] = hamming.score(query, i);
            }
            int[] truth = top(exact, K);
            for (int e = 0; e < 2; e++) {
                int[] found = top(estimates[e], CANDIDATES);
                recall[e] += (double) Arrays.stream(truth).filter(t -> Arrays.stream(found).anyMatch(f -> f == t)).count() / K;
                correlation[e] += pearson(exact, estimates[e]);
            }
        }
        return new Quality[] {new Quality(recall[0] / QUERIES, correlation[0] / QUERIES),
                new Quality(recall[1] / QUERIES, correlation[1] / QUERIES)};
    }

    /** {@code n} prepared vectors of {@code generator}. */
    private static VectorStore clustered(EmbeddingLikeGenerator generator, VectorSimilarity similarity, int n) {
        VectorStore full = new VectorStore(generator.dimension());
        for (int i = 0; i < n; i++) {
            full.set(i, similarity.prepare(scaled(generator.next(), similarity, i)));
        }
        return full;
    }

    /** Binary codes of every vector of {@code full}, the quantizer trained on all of them. */
    private static QuantizedVectors encode(VectorStore full, VectorSimilarity similarity) {
        QuantizedVectors codes = new QuantizedVectors(
                BinaryQuantizer.train(full, IntStream.range(0, full.size()).toArray(), similarity));
        for (int i = 0; i < full.size(); i++) {
            codes.set(i, full.get(i));
        }
        return codes;
    }

    /** Dot product data with norms that vary (0.5× to 1.5×), so the inner product is not a cosine. */
    private static float[] scaled(float[] v, VectorSimilarity similarity, int i) {
        if (similarity == VectorSimilarity.DOT) {
            float s = 0.5f + (i % 11) / 10f;
            for (int j = 0; j < v.length; j++) {
                v[j] *= s;
            }
        }
        return v;
    }

    /** A stored node as query scores symmetrically: a as query to b equals b as query to a. */
    @Test
    void aStoredNodeAsQueryScoresSymmetrically() {
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            QuantizedVectors codes = encode(clustered(new EmbeddingLikeGenerator(200, 300, 3), similarity, 300), similarity);
            NodeScorer a = codes.newScorer(similarity);
            NodeScorer b = codes.newScorer(similarity);
            for (int x = 0; x < 300; x += 7) {
                a.setQueryNode(x);
                for (int y = 0; y < 300; y += 5) {
                    b.setQueryNode(y);
                    float xy = a.score(y);
                    assertEquals(xy, b.score(x), 1e-4f * Math.max(1, Math.abs(xy)), similarity + " " + x + "," + y);
                }
            }
        }
    }

    /** Indices of the {@code k} highest scores. */
    private static int[] top(float[] scores, int k) {
        long[] keyed = new long[scores.length]; // (order of −score as a signed int, index): ascending is best first
        for (int i = 0; i < scores.length; i++) {
            int bits = Float.floatToIntBits(-scores[i]);
            keyed[i] = ((long) (bits ^ ((bits >> 31) & 0x7fffffff)) << 32) | i;
        }
        Arrays.sort(keyed);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = (int) keyed[i];
        }
        return out;
    }

    private static double pearson(float[] x, float[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= x.length;
        my /= y.length;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /**
     * The symmetric estimate of sign codes around the same centroid: query and vector both
     * reduced to their signs, {@code x'·q' ≈ |x'|·|q'|·cos(π·h/d)}, plus the exact additive terms.
     */
    private static final class HammingOracle {
        private final VectorStore full;
        private final VectorSimilarity similarity;
        private final float[] centroid;

        HammingOracle(VectorStore full, VectorSimilarity similarity) {
            this.full = full;
            this.similarity = similarity;
            int dim = full.dimension();
            this.centroid = new float[dim];
            for (int i = 0; i < full.size(); i++) {
                float[] v = full.get(i);
                for (int j = 0; j < dim; j++) {
                    centroid[j] += v[j] / full.size();
                }
            }
        }

        float score(float[] query, int node) {
            float[] x = full.get(node);
            int dim = x.length;
            int differing = 0;
            double xn = 0;
            double qn = 0;
            double xc = 0;
            double qc = 0;
            double cc = 0;
            for (int j = 0; j < dim; j++) {
                float a = x[j] - centroid[j];
                float b = query[j] - centroid[j];
                if ((a > 0) != (b > 0)) {
                    differing++;
                }
                xn += a * a;
                qn += b * b;
                xc += x[j] * centroid[j];
                qc += query[j] * centroid[j];
                cc += centroid[j] * centroid[j];
            }
            double cross = Math.sqrt(xn * qn) * Math.cos(Math.PI * differing / dim);
            if (similarity == VectorSimilarity.EUCLID) {
                return (float) -(xn + qn - 2 * cross);
            }
            return (float) (cross + xc + qc - cc);
        }
    }
}
