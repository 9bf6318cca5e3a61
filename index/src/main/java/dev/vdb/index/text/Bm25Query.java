package dev.vdb.index.text;

import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Object2IntHashMap;

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
        Object2IntHashMap<String> counts = new Object2IntHashMap<>(0);
        List<String> kept = new ArrayList<>();
        index.analyzer().analyze(text, term -> {
            int count = counts.getValue(term);
            counts.put(term, count + 1);
            if (count == 0 && index.docFreq(term) > 0) {
                kept.add(term);
            }
        });
        String[] terms = kept.toArray(String[]::new);
        int[] ids = new int[terms.length];
        float[] boosts = new float[terms.length];
        for (int i = 0; i < terms.length; i++) {
            ids[i] = index.termId(terms[i]);
            boosts[i] = counts.getValue(terms[i]);
        }
        return new Bm25Query(terms, ids, boosts);
    }

    public int size() {
        return terms.length;
    }
}
