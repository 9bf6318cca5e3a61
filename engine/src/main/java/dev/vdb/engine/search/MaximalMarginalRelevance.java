package dev.vdb.engine.search;

import dev.vdb.engine.Mmr;
import dev.vdb.engine.QueryTimeoutException;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.index.VectorSimilarity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A vector search re-ranked by maximal marginal relevance, as Qdrant computes it: the search's
 * nearest {@link Mmr#candidatesLimit} hits (with their vectors), then, greedily, the most
 * relevant first and each next the one maximising {@code λ·sim(query, c) − (1 − λ)·max sim(c, s)}
 * over the chosen {@code s}, {@code λ = 1 − diversity}, where {@code sim} is the collection's
 * similarity on full-precision vectors (cosine, dot product, minus the squared Euclidean
 * distance). Hits keep their search scores; ties go to the nearer hit. Stateless.
 */
public final class MaximalMarginalRelevance {

    private MaximalMarginalRelevance() {}

    /** {@link VectorCollection#searchMmr}. */
    public static List<ScoredPoint> search(VectorCollection collection, SearchRequest request, Mmr mmr) {
        if (request.vector() == null || request.text() != null) {
            throw new IllegalArgumentException("mmr re-ranks a vector search: the request needs a vector and no text");
        }
        Duration timeout = request.timeout();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        List<ScoredPoint> candidates = collection.search(request.toBuilder().limit(mmr.candidatesLimit()).offset(0)
                .withVector(true).build());
        int wanted = Math.min(candidates.size(), request.offset() + request.limit());
        VectorSimilarity similarity = collection.config().distance().similarity();
        float[] query = similarity.prepare(request.vector());
        int dim = query.length;
        float[][] vectors = new float[candidates.size()][];
        float[] relevance = new float[candidates.size()];
        float[] closestChosen = new float[candidates.size()];
        boolean[] chosen = new boolean[candidates.size()];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = similarity.prepare(candidates.get(i).vector());
            relevance[i] = similarity.score(query, 0, vectors[i], 0, dim);
            closestChosen[i] = Float.NEGATIVE_INFINITY;
        }
        float lambda = 1 - mmr.diversity();
        List<ScoredPoint> out = new ArrayList<>(wanted);
        for (int round = 0; round < wanted; round++) {
            if (System.nanoTime() > deadline) {
                throw new QueryTimeoutException("search", timeout);
            }
            int best = -1;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < vectors.length; i++) {
                if (chosen[i]) {
                    continue;
                }
                float score = round == 0 ? relevance[i] : lambda * relevance[i] - (1 - lambda) * closestChosen[i];
                if (best < 0 || score > bestScore) {
                    best = i;
                    bestScore = score;
                }
            }
            chosen[best] = true;
            ScoredPoint hit = candidates.get(best);
            out.add(request.withVector() ? hit : new ScoredPoint(hit.id(), hit.score(), hit.payload(), null));
            for (int i = 0; i < vectors.length; i++) {
                if (!chosen[i]) {
                    closestChosen[i] = Math.max(closestChosen[i], similarity.score(vectors[i], 0, vectors[best], 0, dim));
                }
            }
        }
        return out.subList(Math.min(request.offset(), out.size()), out.size());
    }
}
