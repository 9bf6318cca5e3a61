package dev.vdb.index.text;

/**
 * Collection statistics BM25 needs, exact at every moment (after deletes and updates too).
 *
 * <p>Immutable and thread-safe.
 *
 * @param docCount documents with at least one term (Lucene's {@code docCount}; empty texts do not count)
 * @param sumTotalTermFreq total number of terms over all documents
 */
public record TextStatistics(int docCount, long sumTotalTermFreq) {

    /** Lucene's average field length: {@code sumTotalTermFreq / docCount}, as a float. */
    public float averageLength() {
        return docCount == 0 ? 0f : (float) (sumTotalTermFreq / (double) docCount);
    }
}
