package dev.vdb.index.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vdb.index.Bits;
import dev.vdb.testkit.lucene.LuceneBm25;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * MaxScore over several windows, with skipping, deletes and filters, returns exactly the
 * exhaustive term-at-a-time ranking, and both equal Lucene's, on a generated Zipf corpus larger
 * than one MaxScore window.
 */
class Bm25MaxScoreTest {

    private static final int DOCS = 10_000;

    @Test
    void maxScoreEqualsExhaustiveScoringAndLuceneAcrossWindows() throws IOException {
        SplittableRandom random = new SplittableRandom(23);
        List<String> texts = new ArrayList<>();
        for (int d = 0; d < DOCS; d++) {
            texts.add(zipfText(random, 5 + random.nextInt(60)));
        }
        List<String> queries = new ArrayList<>();
        for (int q = 0; q < 60; q++) {
            queries.add(zipfText(random, 1 + random.nextInt(6)));
        }
        InvertedIndex index = new InvertedIndex(StandardAnalyzer.INSTANCE);
        for (int d = 0; d < DOCS; d++) {
            index.put(d, texts.get(d));
        }
        Bm25Searcher searcher = new Bm25Searcher(index, Bm25Params.DEFAULT);
        try (LuceneBm25 lucene = new LuceneBm25("standard", texts, 1.2f, 0.75f)) {
            for (String text : queries) {
                Bm25Query query = Bm25Query.parse(index, text);
                for (int k : new int[] {1, 10, 100}) {
                    TextHits maxScore = searcher.search(query, k, Bits.ALL);
                    assertSame(searcher.searchTermAtATime(query, k, Bits.ALL), maxScore, text);
                    TextHits expected = LuceneHits.of(lucene, text, k);
                    assertEquals(expected.size(), maxScore.size(), text);
                    for (int i = 0; i < expected.size(); i++) {
                        assertEquals(expected.scores()[i], maxScore.scores()[i], 1e-4f * expected.scores()[i], text);
                        assertEquals(expected.ordinals()[i], maxScore.ordinals()[i], "rank " + (i + 1) + " of " + text);
                    }
                }
                Bits sparse = ordinal -> ordinal % 97 == 3;
                assertSame(searcher.searchTermAtATime(query, 10, sparse), searcher.search(query, 10, sparse), text);
            }
        }
        for (int d = 0; d < DOCS; d += 3) {
            index.delete(d);
        }
        for (String text : queries) {
            Bm25Query query = Bm25Query.parse(index, text);
            assertSame(searcher.searchTermAtATime(query, 10, Bits.ALL), searcher.search(query, 10, Bits.ALL), text);
        }
    }

    private static void assertSame(TextHits expected, TextHits actual, String text) {
        assertArrayEquals(expected.ordinals(), actual.ordinals(), text + " " + Arrays.toString(actual.ordinals()));
        assertArrayEquals(expected.scores(), actual.scores(), text);
    }

    /** Words drawn from a Zipf(1) distribution over 3,000 letter-only words. */
    private static String zipfText(SplittableRandom random, int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            int rank = (int) Math.floor(Math.exp(random.nextDouble() * Math.log(3000)));
            text.append("w").append(Integer.toString(rank, 26).replace('0', 'z')).append(' ');
        }
        return text.toString();
    }
}
