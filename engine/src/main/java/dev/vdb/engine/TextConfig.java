package dev.vdb.engine;

import java.util.Set;

/**
 * Full-text settings of a collection: the analyzer that tokenises point texts and the BM25
 * parameters.
 *
 * @param analyzer {@code standard} or {@code english}
 * @param k1 BM25 term-frequency saturation, ≥ 0
 * @param b BM25 length normalisation, 0..1
 */
public record TextConfig(String analyzer, float k1, float b) {

    public static final Set<String> ANALYZERS = Set.of("standard", "english");
    public static final TextConfig DEFAULT = new TextConfig("english", 1.2f, 0.75f);

    public TextConfig {
        if (analyzer == null || !ANALYZERS.contains(analyzer)) {
            throw new IllegalArgumentException(
                    "text.analyzer must be one of " + ANALYZERS + ", got '" + analyzer + "'");
        }
        if (!(k1 >= 0) || Float.isInfinite(k1)) {
            throw new IllegalArgumentException("text.k1 must be a finite number >= 0, got " + k1);
        }
        if (!(b >= 0 && b <= 1)) {
            throw new IllegalArgumentException("text.b must be in 0..1, got " + b);
        }
    }
}
