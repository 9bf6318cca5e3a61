package dev.vdb.engine;

import java.util.Map;

/**
 * One search hit, best first in a result list.
 *
 * @param score the user-facing score: cosine similarity, inner product or Euclidean distance for
 *     a vector search, the BM25 score for a text search, the fused score for hybrid
 * @param payload the payload (unmodifiable), or null when not requested
 * @param vector the stored vector, or null when not requested
 * @param explanation why the hit scored so, or null when not requested
 */
public record ScoredPoint(PointId id, float score, Map<String, Object> payload, float[] vector,
                          HitExplanation explanation) {

    /** A hit without explanation. */
    public ScoredPoint(PointId id, float score, Map<String, Object> payload, float[] vector) {
        this(id, score, payload, vector, null);
    }
}
