package dev.vdb.langchain4j;

import dev.vdb.engine.Distance;

/**
 * Maps the engine's raw vector scores onto LangChain4j's relevance scale, 0 (far) to 1 (same
 * direction), and a {@code minScore} on that scale back onto a raw score threshold.
 *
 * <ul>
 *   <li>{@link Distance#COSINE}: {@code (1 + cos) / 2}, as LangChain4j's
 *       {@code RelevanceScore.fromCosineSimilarity}.</li>
 *   <li>{@link Distance#DOT}: {@code (1 + dot) / 2}, clamped to 0..1.</li>
 *   <li>{@link Distance#EUCLID}: {@code 1 - d² / 4}, clamped to 0..1.</li>
 * </ul>
 *
 * <p>For unit-length vectors (what LangChain4j's embedding models return) all three equal
 * {@code (1 + cos) / 2}, so a {@code minScore} means the same whatever metric a collection uses.
 * For vectors of other lengths, Dot and Euclid relevance saturate at 0 or 1 outside that range;
 * ranking is unaffected (it is the engine's), only the scores and {@code minScore} lose resolution
 * there. Stateless and thread-safe.
 */
final class Relevance {

    private Relevance() {}

    /** The relevance of a hit with the engine's score {@code raw} under {@code distance}. */
    static double of(Distance distance, float raw) {
        double relevance = switch (distance) {
            case COSINE, DOT -> (1.0 + raw) / 2.0;
            case EUCLID -> 1.0 - (double) raw * raw / 4.0;
        };
        return Math.max(0.0, Math.min(1.0, relevance));
    }

    /**
     * A raw threshold for the engine that keeps every hit of relevance {@code >= minScore} (one
     * float step looser than exact, so rounding never drops one: callers compare relevance
     * exactly afterwards), or null when {@code minScore <= 0} keeps everything.
     *
     * @throws IllegalArgumentException when minScore is above 1 or not a number
     */
    static Float rawThreshold(Distance distance, double minScore) {
        if (!(minScore <= 1.0)) {
            throw new IllegalArgumentException("minScore must be in 0..1, got " + minScore);
        }
        if (minScore <= 0.0) {
            return null;
        }
        return switch (distance) {
            case COSINE, DOT -> Math.nextDown((float) (2.0 * minScore - 1.0));
            case EUCLID -> Math.nextUp((float) Math.sqrt(4.0 * (1.0 - minScore)));
        };
    }
}
