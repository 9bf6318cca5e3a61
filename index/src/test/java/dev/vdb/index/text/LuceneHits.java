package dev.vdb.index.text;

import dev.vdb.testkit.lucene.LuceneBm25;
import org.apache.lucene.search.ScoreDoc;

/** Lucene's BM25 answers in our shape, for comparing hit lists. */
final class LuceneHits {

    private LuceneHits() {}

    /** Lucene's top {@code k} for {@code text} as a best-first list of (doc id = ordinal, score). */
    static TextHits of(LuceneBm25 lucene, String text, int k) {
        ScoreDoc[] docs = lucene.search(text, k).scoreDocs;
        int[] ordinals = new int[docs.length];
        float[] scores = new float[docs.length];
        for (int i = 0; i < docs.length; i++) {
            ordinals[i] = docs[i].doc;
            scores[i] = docs[i].score;
        }
        return new TextHits(ordinals, scores);
    }
}
