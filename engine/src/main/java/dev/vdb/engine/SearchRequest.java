package dev.vdb.engine;

import dev.vdb.engine.filter.Filter;
import java.util.Objects;

/**
 * A query: nearest neighbours of {@code vector}, BM25 over {@code text}, or both fused
 * (hybrid), among the points that pass {@code filter}.
 *
 * @param vector the query vector (collection dimension), or null for a text-only search
 * @param text the query text, or null for a vector-only search
 * @param filter only points it matches are returned, or null for all
 * @param limit results wanted, 1..{@value #MAX_LIMIT}
 * @param offset results to skip first, ≥ 0
 * @param fusion how hybrid merges the two lists ({@link Fusion#DEFAULT} when null)
 * @param explain attach a {@link HitExplanation} to every hit
 */
public record SearchRequest(float[] vector, String text, Filter filter, int limit, int offset,
                            SearchParams params, Fusion fusion, boolean withPayload, boolean withVector,
                            boolean explain) {

    public static final int MAX_LIMIT = 10_000;

    public SearchRequest {
        if (vector == null && text == null) {
            throw new IllegalArgumentException("a search needs a vector, a text, or both");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be in 1.." + MAX_LIMIT + ", got " + limit);
        }
        if (offset < 0 || offset > MAX_LIMIT) {
            throw new IllegalArgumentException("offset must be in 0.." + MAX_LIMIT + ", got " + offset);
        }
        params = Objects.requireNonNullElse(params, SearchParams.DEFAULT);
        fusion = Objects.requireNonNullElse(fusion, Fusion.DEFAULT);
    }

    /** A vector search without filter or explanation. */
    public SearchRequest(float[] vector, int limit, int offset, SearchParams params, boolean withPayload,
                         boolean withVector) {
        this(Objects.requireNonNull(vector, "vector"), null, null, limit, offset, params, Fusion.DEFAULT,
                withPayload, withVector, false);
    }

    /** A vector search: top {@code limit} by the index, with payloads, without vectors. */
    public static SearchRequest of(float[] vector, int limit) {
        Objects.requireNonNull(vector, "vector");
        return new SearchRequest(vector, null, null, limit, 0, SearchParams.DEFAULT, Fusion.DEFAULT,
                true, false, false);
    }

    /** A text (BM25) search: top {@code limit}, with payloads. */
    public static SearchRequest ofText(String text, int limit) {
        Objects.requireNonNull(text, "text");
        return new SearchRequest(null, text, null, limit, 0, SearchParams.DEFAULT, Fusion.DEFAULT,
                true, false, false);
    }

    public SearchRequest withParams(SearchParams newParams) {
        return new SearchRequest(vector, text, filter, limit, offset, newParams, fusion, withPayload, withVector, explain);
    }

    public SearchRequest withFilter(Filter newFilter) {
        return new SearchRequest(vector, text, newFilter, limit, offset, params, fusion, withPayload, withVector, explain);
    }

    public SearchRequest withText(String newText) {
        return new SearchRequest(vector, newText, filter, limit, offset, params, fusion, withPayload, withVector, explain);
    }

    public SearchRequest withFusion(Fusion newFusion) {
        return new SearchRequest(vector, text, filter, limit, offset, params, newFusion, withPayload, withVector, explain);
    }

    public SearchRequest withExplain(boolean newExplain) {
        return new SearchRequest(vector, text, filter, limit, offset, params, fusion, withPayload, withVector, newExplain);
    }

    public SearchRequest withOffset(int newOffset) {
        return new SearchRequest(vector, text, filter, limit, newOffset, params, fusion, withPayload, withVector, explain);
    }

    public SearchRequest withPayloadAndVector(boolean payload, boolean vectorToo) {
        return new SearchRequest(vector, text, filter, limit, offset, params, fusion, payload, vectorToo, explain);
    }
}
