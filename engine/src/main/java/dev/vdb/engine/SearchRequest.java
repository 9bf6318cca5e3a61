package dev.vdb.engine;

import java.util.Objects;

/**
 * A nearest-neighbour query.
 *
 * @param vector the query vector (collection dimension)
 * @param limit results wanted, 1..{@value #MAX_LIMIT}
 * @param offset results to skip first, ≥ 0
 */
public record SearchRequest(float[] vector, int limit, int offset, SearchParams params,
                            boolean withPayload, boolean withVector) {

    public static final int MAX_LIMIT = 10_000;

    public SearchRequest {
        Objects.requireNonNull(vector, "vector");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be in 1.." + MAX_LIMIT + ", got " + limit);
        }
        if (offset < 0 || offset > MAX_LIMIT) {
            throw new IllegalArgumentException("offset must be in 0.." + MAX_LIMIT + ", got " + offset);
        }
        params = params == null ? SearchParams.DEFAULT : params;
    }

    /** Top {@code limit} by the index, with payloads, without vectors. */
    public static SearchRequest of(float[] vector, int limit) {
        return new SearchRequest(vector, limit, 0, SearchParams.DEFAULT, true, false);
    }

    public SearchRequest withParams(SearchParams newParams) {
        return new SearchRequest(vector, limit, offset, newParams, withPayload, withVector);
    }
}
