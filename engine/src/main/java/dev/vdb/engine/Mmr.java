package dev.vdb.engine;

/**
 * Maximal marginal relevance, as Qdrant's {@code mmr}: the nearest {@code candidatesLimit} hits
 * re-ranked so that each next one is the best trade of relevance to the query against similarity
 * to the hits already chosen ({@link VectorCollection#searchMmr}).
 *
 * @param diversity from 0 (relevance only: the plain nearest order) to 1 (diversity only)
 * @param candidatesLimit how many nearest hits are re-ranked, 1..{@value #MAX_CANDIDATES}
 */
public record Mmr(float diversity, int candidatesLimit) {

    /** Qdrant's default diversity. */
    public static final float DEFAULT_DIVERSITY = 0.5f;
    /**
     * The most candidates: a search's limit ({@link SearchRequest#MAX_LIMIT}; Qdrant allows 16,384),
     * which also keeps the pairwise similarities affordable.
     */
    public static final int MAX_CANDIDATES = SearchRequest.MAX_LIMIT;

    public Mmr {
        if (!(diversity >= 0 && diversity <= 1)) {
            throw new IllegalArgumentException("mmr.diversity must be within [0, 1], got " + diversity);
        }
        if (candidatesLimit < 1 || candidatesLimit > MAX_CANDIDATES) {
            throw new IllegalArgumentException("mmr.candidates_limit must be in 1.." + MAX_CANDIDATES + ", got "
                    + candidatesLimit);
        }
    }
}
