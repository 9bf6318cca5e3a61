package dev.vdb.index.fusion;

import java.util.Arrays;

/**
 * One retriever's best-first candidates for fusion: {@code ordinals[i]} has rank {@code i + 1}
 * and score {@code scores[i]} (higher is better, non-increasing, finite; no ordinal twice).
 *
 * <p>Immutable by convention (the arrays are not copied).
 *
 * @param ordinals documents, best first
 * @param scores their scores (vector similarity, or BM25)
 */
public record RankedList(int[] ordinals, float[] scores) {

    /** A list with no hits (e.g. a retriever that found nothing). */
    public static final RankedList EMPTY = new RankedList(new int[0], new float[0]);

    /** @throws IllegalArgumentException if the arrays differ in length or scores increase or are not finite */
    public RankedList {
        if (ordinals.length != scores.length) {
            throw new IllegalArgumentException("scores: length " + scores.length + " != ordinals length "
                    + ordinals.length);
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new IllegalArgumentException("scores[" + i + "]: must be finite, got " + scores[i]);
            }
            if (i > 0 && scores[i] > scores[i - 1]) {
                throw new IllegalArgumentException("scores[" + i + "]: " + scores[i] + " > previous "
                        + scores[i - 1] + "; a ranked list is best first");
            }
        }
        int[] sorted = ordinals.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("ordinals: " + sorted[i] + " appears twice");
            }
        }
    }

    public int size() {
        return ordinals.length;
    }
}
