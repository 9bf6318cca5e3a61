package dev.vdb.index.hnsw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float scorer's batch scoring (groups of eight and four, short groups padded) gives every node
 * the score the scalar loop gives it, for every batch size a neighbour list can have and every
 * similarity, with nodes on different store pages.
 */
class ScoreAllTest {

    @Test
    void everyBatchSizeScoresLikeTheScalarLoop() {
        SplittableRandom random = new SplittableRandom(23);
        int dim = 37;
        int n = new VectorStore(dim).pageVectors() + 100;
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            VectorStore store = new VectorStore(dim);
            for (int i = 0; i < n; i++) {
                float[] v = new float[dim];
                for (int d = 0; d < dim; d++) {
                    v[d] = (float) random.nextGaussian();
                }
                store.set(i, similarity.prepare(v));
            }
            NodeScorer scorer = store.newScorer(similarity);
            float[] q = store.get(random.nextInt(n));
            scorer.setQuery(q);
            int max = 2 * HnswParams.DEFAULT.m();
            float[] out = HnswSearcher.scoreBuffer(max);
            for (int size = 1; size <= max; size++) {
                int[] ids = new int[size];
                for (int i = 0; i < size; i++) {
                    ids[i] = random.nextInt(n);
                }
                scorer.scoreAll(ids, size, out);
                for (int i = 0; i < size; i++) {
                    float expected = similarity.scalarScore(q, 0, store.page(ids[i]), store.offset(ids[i]), dim);
                    assertEquals(expected, out[i], 1e-4f * Math.max(1f, Math.abs(expected)),
                            similarity + ", batch of " + size + ", node " + i);
                }
            }
        }
    }
}
