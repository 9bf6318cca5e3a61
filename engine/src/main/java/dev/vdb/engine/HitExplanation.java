package dev.vdb.engine;

import java.util.List;

/**
 * Why a hit got its score ({@code "explain": true}): its place and score in the vector list and
 * in the BM25 list (each term's contribution), and the fused score.
 *
 * @param vectorRank 1-based rank in the vector list, 0 when the hit was not in it (or there was none)
 * @param vectorScore its user-facing vector score, NaN when {@code vectorRank} is 0
 * @param textRank 1-based rank in the BM25 list, 0 when the hit was not in it (or there was none)
 * @param textScore its BM25 score, NaN when {@code textRank} is 0
 * @param terms each matching query term's share of {@code textScore}
 * @param fusedScore the score the hit was ranked by
 */
public record HitExplanation(int vectorRank, float vectorScore, int textRank, float textScore,
                             List<TermScore> terms, double fusedScore) {

    public HitExplanation {
        terms = List.copyOf(terms);
    }

    /**
     * One query term's BM25 contribution, computed as Lucene's BM25Similarity does.
     *
     * @param term the analysed term
     * @param freq its occurrences in the point's text
     * @param docFreq points whose text holds it
     * @param idf {@code ln(1 + (N - n + 0.5) / (n + 0.5))}
     * @param score the contribution
     */
    public record TermScore(String term, int freq, int docFreq, float idf, float score) {}
}
