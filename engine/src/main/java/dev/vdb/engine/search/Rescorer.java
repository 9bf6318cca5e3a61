package dev.vdb.engine.search;

import dev.vdb.index.FullPrecisionVectors;
import dev.vdb.index.TopK;
import dev.vdb.index.VectorSimilarity;

/**
 * Rescores a quantized search's candidates with full-precision vectors (read from the
 * memory-mapped file) and keeps the best {@code k}: what turns code scores, estimates, into
 * exact scores and repairs the order the codes got wrong.
 *
 * <p>Stateless; allocates one vector's scratch and a top-k heap per call.
 */
final class Rescorer {

    private Rescorer() {}

    /**
     * The best {@code k} of {@code candidates[0..n)} by full-precision score, best first, into
     * {@code ordinals} and {@code scores}; returns how many.
     */
    static int rescore(FullPrecisionVectors full, VectorSimilarity similarity, float[] query, int[] candidates, int n,
                       int k, int[] ordinals, float[] scores) {
        TopK top = new TopK(k);
        float[] v = new float[full.dimension()];
        for (int i = 0; i < n; i++) {
            full.read(candidates[i], v);
            top.offer(similarity.score(query, 0, v, 0, v.length), candidates[i]);
        }
        return top.drainBestFirst(ordinals, scores);
    }
}
