package dev.vdb.index.text;

/**
 * A best-first list of hits: {@code ordinals[i]} scored {@code scores[i]}, scores non-increasing,
 * equal scores by increasing ordinal (Lucene's rule: on a tie the smaller doc id ranks first).
 *
 * <p>Immutable by convention (the arrays are not copied; do not modify them).
 */
public record TextHits(int[] ordinals, float[] scores) {

    public TextHits {
        if (ordinals.length != scores.length) {
            throw new IllegalArgumentException("scores: length " + scores.length + " != ordinals length "
                    + ordinals.length);
        }
    }

    public int size() {
        return ordinals.length;
    }
}
