package dev.vdb.index.fusion;

import dev.vdb.index.text.Bm25Explanation;

/**
 * Why a hybrid hit ranks where it does: its vector score and rank, its BM25 score with each
 * term's contribution, and the fused score.
 *
 * <p>Immutable and thread-safe.
 *
 * @param hit the fused hit (ranks, raw scores, fused score)
 * @param text the BM25 breakdown; no terms when the document matched no query term
 */
public record HybridExplanation(FusedHit hit, Bm25Explanation text) {

    public HybridExplanation {
        if (hit == null || text == null) {
            throw new IllegalArgumentException("hit and text: must not be null");
        }
        if (hit.ordinal() != text.ordinal()) {
            throw new IllegalArgumentException("text.ordinal: " + text.ordinal() + " != hit ordinal " + hit.ordinal());
        }
    }

    public int ordinal() {
        return hit.ordinal();
    }

    public int vectorRank() {
        return hit.vectorRank();
    }

    public float vectorScore() {
        return hit.vectorScore();
    }

    public int textRank() {
        return hit.textRank();
    }

    public float textScore() {
        return hit.textScore();
    }

    public double fusedScore() {
        return hit.score();
    }
}
