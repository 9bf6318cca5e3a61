package dev.vdb.index.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.Bits;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Statistics, postings and rankings after deletes, updates, re-adds and a snapshot round trip
 * equal those of a fresh index of the same documents (the oracle).
 */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
class InvertedIndexStatisticsTest {

    private static final Cranfield CORPUS = Cranfield.load();

    @Test
    void deletingAndReAddingDocumentsGivesTheStatisticsOfAFreshIndex() {
        List<String> texts = CORPUS.docTexts();
        InvertedIndex fresh = Bm25LuceneEquivalenceTest.build("english");
        InvertedIndex churned = new InvertedIndex(EnglishAnalyzer.INSTANCE);
        SplittableRandom random = new SplittableRandom(5);
        // Add in a shuffled order, overwrite a third with other texts, delete a quarter, re-add.
        List<Integer> order = shuffledOrdinals(texts.size(), random);
        for (int ordinal : order) {
            churned.put(ordinal, texts.get(ordinal));
        }
        for (int ordinal : order.subList(0, texts.size() / 3)) {
            churned.put(ordinal, texts.get(random.nextInt(texts.size())) + " replaced text");
        }
        for (int ordinal : order.subList(texts.size() / 4, texts.size() / 2)) {
            assertTrue(churned.delete(ordinal));
            assertFalse(churned.contains(ordinal));
        }
        assertFalse(churned.delete(order.get(texts.size() / 4)), "second delete of the same ordinal");
        for (int ordinal : order.subList(0, texts.size() / 2)) {
            churned.put(ordinal, texts.get(ordinal));
        }
        assertSameIndex(fresh, churned);
    }

    @Test
    void snapshotRoundTripAndRebuildFromTextsEqualTheOriginal() {
        InvertedIndex original = Bm25LuceneEquivalenceTest.build("english");
        for (int ordinal = 0; ordinal < original.maxOrdinal(); ordinal += 7) {
            original.delete(ordinal);
        }
        InvertedIndex restored = InvertedIndexFormat.read(InvertedIndexFormat.write(original));
        assertSameIndex(original, restored);
        List<TextDocument> documents = new ArrayList<>();
        for (int ordinal = 0; ordinal < CORPUS.docTexts().size(); ordinal++) {
            if (original.contains(ordinal)) {
                documents.add(new TextDocument(ordinal, CORPUS.docTexts().get(ordinal)));
            }
        }
        assertSameIndex(original, InvertedIndex.rebuild(EnglishAnalyzer.INSTANCE, documents));
        InvertedIndex fromRecords = new InvertedIndex(EnglishAnalyzer.INSTANCE);
        for (TextDocument document : documents) {
            byte[] stored = AnalyzedText.of(EnglishAnalyzer.INSTANCE, document.text()).toBytes();
            fromRecords.putAnalyzed(document.ordinal(), AnalyzedText.fromBytes(stored));
        }
        assertSameIndex(original, fromRecords);
    }

    @Test
    void inconsistentAnalyzedTextsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new AnalyzedText(new String[] {"a"}, new int[] {2}, 3));
        assertThrows(IllegalArgumentException.class, () -> new AnalyzedText(new String[] {"a"}, new int[] {0}, 0));
        InvertedIndex index = new InvertedIndex(StandardAnalyzer.INSTANCE);
        AnalyzedText twice = new AnalyzedText(new String[] {"a", "a"}, new int[] {1, 1}, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> index.putAnalyzed(0, twice)).getMessage()
                .contains("twice"));
        byte[] bytes = AnalyzedText.of(StandardAnalyzer.INSTANCE, "some text here").toBytes();
        bytes[0] = 7;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AnalyzedText.fromBytes(bytes)).getMessage()
                .contains("version 7"));
    }

    @Test
    void corruptOrForeignSnapshotsAreRejected() {
        byte[] snapshot = InvertedIndexFormat.write(Bm25LuceneEquivalenceTest.build("standard"));
        byte[] flipped = snapshot.clone();
        flipped[snapshot.length / 2] ^= 1;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InvertedIndexFormat.read(flipped))
                .getMessage().contains("checksum"));
        byte[] foreign = snapshot.clone();
        foreign[0] = 'X';
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InvertedIndexFormat.read(foreign))
                .getMessage().contains("magic"));
        byte[] future = snapshot.clone();
        future[7] = 9;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InvertedIndexFormat.read(future))
                .getMessage().contains("version 9"));
    }

    @Test
    void upperBoundsAreTheExactBestScoreOfEachTermAfterDeletes() {
        InvertedIndex index = Bm25LuceneEquivalenceTest.build("english");
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < index.maxOrdinal() / 3; i++) {
            index.delete(random.nextInt(index.maxOrdinal() + 1));
        }
        Bm25Query all = allTerms(index);
        Bm25Weights weights = new Bm25Weights(index, Bm25Params.DEFAULT, all);
        for (int t = 0; t < all.size(); t++) {
            PostingList postings = index.postings(all.termIds()[t]);
            float best = 0;
            for (int i = 0; i < postings.size(); i++) {
                best = Math.max(best, weights.score(t, postings.freq(i), index.norm(postings.ordinal(i))));
            }
            assertEquals(best, weights.upperBound[t], all.terms()[t]);
        }
    }

    @Test
    void badArgumentsNameTheField() {
        InvertedIndex index = new InvertedIndex(StandardAnalyzer.INSTANCE);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> index.put(-1, "x")).getMessage()
                .contains("ordinal"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> index.put(0, null)).getMessage()
                .contains("text"));
        Bm25Searcher searcher = new Bm25Searcher(index, Bm25Params.DEFAULT);
        Bm25Query query = Bm25Query.parse(index, "x");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> searcher.search(query, 0, Bits.ALL))
                .getMessage().contains("k"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Bm25Params(-1f, 0.5f)).getMessage()
                .contains("k1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Bm25Params(1f, 1.5f)).getMessage()
                .contains("b"));
    }

    private static Bm25Query allTerms(InvertedIndex index) {
        List<String> terms = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < index.termCount(); id++) {
            if (index.postings(id).size() > 0) {
                terms.add(index.term(id));
                ids.add(id);
            }
        }
        float[] boosts = new float[ids.size()];
        java.util.Arrays.fill(boosts, 1f);
        return new Bm25Query(terms.toArray(String[]::new), ids.stream().mapToInt(Integer::intValue).toArray(), boosts);
    }

    static void assertSameIndex(InvertedIndex expected, InvertedIndex actual) {
        assertEquals(expected.statistics(), actual.statistics());
        assertEquals(expected.documents(), actual.documents());
        int terms = 0;
        for (int id = 0; id < expected.termCount(); id++) {
            PostingList e = expected.postings(id);
            if (e.size() == 0) {
                continue;
            }
            terms++;
            String term = expected.term(id);
            PostingList a = actual.postings(actual.termId(term));
            assertEquals(e.size(), a.size(), "docFreq of " + term);
            for (int i = 0; i < e.size(); i++) {
                assertEquals(e.ordinal(i), a.ordinal(i), term);
                assertEquals(e.freq(i), a.freq(i), term);
            }
        }
        int actualTerms = 0;
        for (int id = 0; id < actual.termCount(); id++) {
            actualTerms += actual.postings(id).size() > 0 ? 1 : 0;
        }
        assertEquals(terms, actualTerms, "terms with postings");
        for (int ordinal = 0; ordinal <= Math.max(expected.maxOrdinal(), actual.maxOrdinal()); ordinal++) {
            assertEquals(expected.contains(ordinal), actual.contains(ordinal), "ordinal " + ordinal);
            assertEquals(expected.length(ordinal), actual.length(ordinal), "length of " + ordinal);
        }
        Bm25Searcher expectedSearcher = new Bm25Searcher(expected, Bm25Params.DEFAULT);
        Bm25Searcher actualSearcher = new Bm25Searcher(actual, Bm25Params.DEFAULT);
        for (String text : CORPUS.queryTexts()) {
            TextHits e = expectedSearcher.search(Bm25Query.parse(expected, text), 20, Bits.ALL);
            TextHits a = actualSearcher.search(Bm25Query.parse(actual, text), 20, Bits.ALL);
            assertArrayEquals(e.ordinals(), a.ordinals(), text);
            assertArrayEquals(e.scores(), a.scores(), text);
        }
    }

    private static List<Integer> shuffledOrdinals(int n, SplittableRandom random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        for (int i = n - 1; i > 0; i--) {
            java.util.Collections.swap(order, i, random.nextInt(i + 1));
        }
        return order;
    }
}
