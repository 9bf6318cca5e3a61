package dev.vdb.index.fusion;

/**
 * One fused hit and where it came from.
 *
 * <p>Immutable and thread-safe.
 *
 * @param ordinal the document
 * @param score the fused score
 * @param vectorRank rank in the vector list from 1, or 0 if absent
 * @param vectorScore score in the vector list, or NaN if absent
 * @param textRank rank in the BM25 list from 1, or 0 if absent
 * @param textScore BM25 score, or NaN if absent
 */
public record FusedHit(int ordinal, double score, int vectorRank, float vectorScore, int textRank, float textScore) {

    public boolean inVectorList() {
        return vectorRank > 0;
    }

    public boolean inTextList() {
        return textRank > 0;
    }
}
