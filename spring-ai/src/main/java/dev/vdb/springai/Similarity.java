package dev.vdb.springai;

import dev.vdb.engine.Distance;

/**
 * A hit's Spring AI score (a similarity: higher is closer, 1 for the same direction) from the
 * engine's raw score, and a {@code similarityThreshold} back onto a raw threshold.
 *
 * <ul>
 *   <li>{@link Distance#COSINE}: the cosine similarity, as Spring AI's {@code SimpleVectorStore}.</li>
 *   <li>{@link Distance#DOT}: the inner product.</li>
 *   <li>{@link Distance#EUCLID}: {@code 1 - d² / 2}.</li>
 * </ul>
 *
 * <p>For unit-length vectors all three are the cosine similarity, so a threshold means the same
 * whatever metric a collection uses. Stateless and thread-safe.
 */
final class Similarity {

    private Similarity() {}

    static double of(Distance distance, float raw) {
        return switch (distance) {
            case COSINE, DOT -> raw;
            case EUCLID -> 1.0 - (double) raw * raw / 2.0;
        };
    }

    /**
     * A raw threshold for the engine keeping every hit of similarity {@code >= threshold}, one
     * float step looser than exact (callers compare exactly afterwards).
     */
    static float rawThreshold(Distance distance, double threshold) {
        return switch (distance) {
            case COSINE, DOT -> Math.nextDown((float) threshold);
            case EUCLID -> Math.nextUp((float) Math.sqrt(Math.max(0.0, 2.0 * (1.0 - threshold))));
        };
    }
}
