package dev.vdb.engine;

import dev.vdb.index.VectorSimilarity;
import java.util.Locale;

/** A collection's metric, named as in the HTTP contract ({@code Cosine}, {@code Euclid}, {@code Dot}). */
public enum Distance {
    Cosine(VectorSimilarity.COSINE),
    Euclid(VectorSimilarity.EUCLID),
    Dot(VectorSimilarity.DOT);

    private final VectorSimilarity similarity;

    Distance(VectorSimilarity similarity) {
        this.similarity = similarity;
    }

    public VectorSimilarity similarity() {
        return similarity;
    }

    /** Parses a name case-insensitively; unknown names are an {@link IllegalArgumentException}. */
    public static Distance parse(String name) {
        if (name != null) {
            for (Distance d : values()) {
                if (d.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException(
                "distance must be one of Cosine, Euclid, Dot, got '" + name + "'");
    }
}
