package dev.vdb.index.text;

import java.util.List;

/**
 * Why a document got its BM25 score: the sum of its matching terms' contributions.
 *
 * <p>Immutable and thread-safe.
 *
 * @param ordinal the document
 * @param score its BM25 score (the float sum of {@link TermContribution#score()}s)
 * @param terms one entry per query term found in the document
 */
public record Bm25Explanation(int ordinal, float score, List<TermContribution> terms) {

    public Bm25Explanation {
        terms = List.copyOf(terms);
    }

    /**
     * One term's share: {@code score = boost * idf * freq / (freq + k1 * (1 - b + b * dl / avgdl))},
     * computed as Lucene does.
     *
     * @param term the analysed term
     * @param boost how often the query repeats it
     * @param idf {@code ln(1 + (N - n + 0.5) / (n + 0.5))}
     * @param docFreq n, the documents containing the term
     * @param docCount N, the documents with any text
     * @param freq occurrences in this document
     * @param length the document's exact length in terms
     * @param encodedLength the length BM25 used (Lucene's one-byte encoding, <= length)
     * @param averageLength avgdl
     * @param score the contribution
     */
    public record TermContribution(String term, float boost, float idf, int docFreq, int docCount, int freq,
            int length, float encodedLength, float averageLength, float score) {}
}
