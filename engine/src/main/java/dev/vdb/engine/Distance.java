package dev.vdb.engine;

import dev.vdb.index.VectorSimilarity;
import java.util.Locale;

/**
 * A collection's metric. {@link #apiName()} is the name the HTTP API (and Qdrant) uses:
 * {@code Cosine}, {@code Euclid}, {@code Dot}.
 *
 * <ul>
 *   <li>{@link #COSINE}: vectors are normalised to unit length when stored; the score is the
 *       cosine similarity (higher is closer).</li>
 *   <li>{@link #EUCLID}: the score is the Euclidean distance (lower is closer; results still
 *       come best first).</li>
 *   <li>{@link #DOT}: the score is the inner product of the vectors as given (higher is closer).</li>
 * </ul>
 */
public enum Distance {
    COSINE("Cosine", VectorSimilarity.COSINE),
    EUCLID("Euclid", VectorSimilarity.EUCLID),
    DOT("Dot", VectorSimilarity.DOT);

    private final String apiName;
    private final VectorSimilarity similarity;

    Distance(String apiName, VectorSimilarity similarity) {
        this.apiName = apiName;
        this.similarity = similarity;
    }

    /** The name in the HTTP API: {@code Cosine}, {@code Euclid} or {@code Dot}. */
    public String apiName() {
        return apiName;
    }

    /** The index's similarity function for this metric. */
    public VectorSimilarity similarity() {
        return similarity;
    }

    /**
     * Parses a name case-insensitively ({@code Cosine}, {@code COSINE} and {@code cosine} are one).
     *
     * @throws IllegalArgumentException naming the value for an unknown name
     */
    public static Distance parse(String name) {
        if (name != null) {
            for (Distance d : values()) {
                if (d.name().equalsIgnoreCase(name.trim())) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("distance must be one of Cosine, Euclid, Dot, got '" + name + "'");
    }

    @Override
    public String toString() {
        return apiName;
    }
}
