package dev.vdb.index.hnsw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.DistanceKernels;
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
                int[] ids = random.ints(size, 0, n).toArray();
                scorer.scoreAll(ids, size, out);
                for (int i = 0; i < size; i++) {
                    float expected = similarity.scalarScore(q, 0, store.page(ids[i]), store.offset(ids[i]), dim);
                    assertEquals(expected, out[i], 1e-4f * Math.max(1f, Math.abs(expected)),
                            similarity + ", batch of " + size + ", node " + i);
                }
            }
        }
    }

    /**
     * A Euclidean search query zero in most of its blocks (an image's background) is scored over
     * its nonzero blocks from the stored norms (a stored node as the query, an insert's, is not);
     * either way every node, in every batch size and one at a time, gets the scalar loop's score
     * within rounding, and a stored vector against itself scores 0 within rounding, never above it.
     */
    @Test
    void aQueryZeroInWholeBlocksScoresLikeTheScalarLoop() {
        SplittableRandom random = new SplittableRandom(29);
        int dim = 8 * DistanceKernels.BLOCK;
        VectorStore store = VectorStore.scoredWith(dim, VectorSimilarity.EUCLID);
        int n = store.pageVectors() + 100;
        for (int i = 0; i < n; i++) {
            float[] v = new float[dim];
            for (int d = 0; d < dim; d++) {
                // ink in the middle blocks only, and not everywhere there
                boolean ink = d >= 2 * DistanceKernels.BLOCK && d < 5 * DistanceKernels.BLOCK && random.nextInt(3) > 0;
                v[d] = ink ? random.nextInt(256) : 0f;
            }
            store.set(i, v);
        }
        NodeScorer scorer = store.newScorer(VectorSimilarity.EUCLID);
        int max = 2 * HnswParams.DEFAULT.m();
        float[] out = HnswSearcher.scoreBuffer(max);
        for (int query = 0; query < 20; query++) {
            int queryNode = random.nextInt(n);
            float[] q = store.get(queryNode);
            if (query % 2 == 0) {
                scorer.setQuery(q);
            } else {
                scorer.setQueryNode(queryNode);
            }
            float self = scorer.score(queryNode);
            assertTrue(self <= 0f && self > -1e-6f * store.squaredNorm(queryNode), "a vector against itself: " + self);
            for (int size = 1; size <= max; size++) {
                int[] ids = random.ints(size, 0, n).toArray();
                scorer.scoreAll(ids, size, out);
                for (int i = 0; i < size; i++) {
                    float expected = VectorSimilarity.EUCLID.scalarScore(q, 0, store.page(ids[i]), store.offset(ids[i]), dim);
                    float tolerance = 1e-5f * (store.squaredNorm(queryNode) + store.squaredNorm(ids[i]));
                    assertEquals(expected, out[i], tolerance, "batch of " + size + ", node " + i);
                    assertEquals(expected, scorer.score(ids[i]), tolerance, "node " + ids[i] + " alone");
                }
            }
        }
    }

    /**
     * A query half a level off a stored image in one pixel (a near duplicate): its distance to
     * that image, and to every other, within 1e-4 of the scalar loop's, relative to the distance
     * itself, in batches and one at a time (from the norms alone the difference of large terms
     * lost it: 0 for 0.5).
     */
    @Test
    void aNearDuplicateQueryGetsItsDistanceNotTheNormsRounding() {
        SplittableRandom random = new SplittableRandom(31);
        int dim = 64 * DistanceKernels.BLOCK;
        VectorStore store = VectorStore.scoredWith(dim, VectorSimilarity.EUCLID);
        int n = 300;
        for (int i = 0; i < n; i++) {
            float[] v = new float[dim];
            for (int d = 8 * DistanceKernels.BLOCK; d < 48 * DistanceKernels.BLOCK; d++) {
                v[d] = 200 + random.nextInt(56); // squared norms past 2^24, where floats round whole numbers
            }
            store.set(i, v);
        }
        NodeScorer scorer = store.newScorer(VectorSimilarity.EUCLID);
        float[] out = HnswSearcher.scoreBuffer(n);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        for (int query = 0; query < 10; query++) {
            int near = random.nextInt(n);
            float[] q = store.get(near);
            q[20 * DistanceKernels.BLOCK + query] += 0.5f;
            scorer.setQuery(q);
            scorer.scoreAll(ids, n, out);
            for (int i = 0; i < n; i++) {
                float expected = VectorSimilarity.EUCLID.scalarScore(q, 0, store.page(i), store.offset(i), dim);
                assertEquals(expected, out[i], 1e-4f * -expected, "node " + i + " of a query near " + near);
                assertEquals(expected, scorer.score(i), 1e-4f * -expected, "node " + i + " alone");
            }
            assertEquals(-0.25f, out[near], "the near duplicate");
        }
    }
}
