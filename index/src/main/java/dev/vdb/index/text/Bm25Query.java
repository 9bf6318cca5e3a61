package dev.vdb.index.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A text query analysed against one index: its distinct terms that occur in the index, each
 * with a boost equal to how often the query repeats it (as Lucene's BooleanQuery rewrite merges
 * repeated SHOULD term clauses into one boosted clause).
 *
 * <p>Immutable and thread-safe. Valid for the index state it was built on.
 *
 * @param terms the terms, in first-occurrence order
 * @param termIds their ids in the index
 * @param boosts their repeat counts
 */
public record Bm25Query(String[] terms, int[] termIds, float[] boosts) {

    /** Analyses {@code text} with the index's analyzer and keeps the terms the index knows. */
    public static Bm25Query parse(InvertedIndex index, CharSequence text) {
        if (text == null) {
            throw new IllegalArgumentException("text: must not be null");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        index.analyzer().analyze(text, term -> counts.merge(term, 1, Integer::sum));
        List<String> kept = new ArrayList<>();
        for (String term : counts.keySet()) {
            int id = index.termId(term);
            if (id >= 0 && index.postings(id).size() > 0) {
                kept.add(term);
            }
        }
        String[] terms = kept.toArray(String[]::new);
        int[] ids = new int[terms.length];
        float[] boosts = new float[terms.length];
        for (int i = 0; i < terms.length; i++) {
            ids[i] = index.termId(terms[i]);
            boosts[i] = counts.get(terms[i]);
        }
        return new Bm25Query(terms, ids, boosts);
    }

    public int size() {
        return terms.length;
    }
}
