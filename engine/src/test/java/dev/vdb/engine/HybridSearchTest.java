package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hybrid search through the embedded API: RRF and weighted fusion of a small fixed case against
 * values worked out by hand from the formulas (cosines of known angles, BM25 as Lucene defines
 * it), explanations for vector, text and hybrid hits, and explanations on the text corpus whose
 * parts agree with the single-signal searches and whose term contributions sum to the BM25 score.
 */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
class HybridSearchTest {

    private static final double K1 = 1.2;
    private static final double B = 0.75;

    @TempDir
    Path dir;

    /**
     * Five points at 0, 20, 40, 60 and 80 degrees from the query vector (ids 1..5), with texts
     * "pear", "apple pear", "apple", "banana", "apple apple"; the query text is "apple".
     */
    private static List<Point> fixedCase() {
        String[] texts = {"pear", "apple pear", "apple", "banana", "apple apple"};
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            double angle = Math.toRadians(20 * i);
            points.add(new Point(PointId.of(i + 1), new float[] {(float) Math.cos(angle), (float) Math.sin(angle)}, null,
                    texts[i]));
        }
        return points;
    }

    private static final float[] QUERY = {1, 0};

    /** BM25 of "apple" (stem "appl") in a text where it occurs {@code freq} times among {@code length} terms. */
    private static double bm25(int freq, int length) {
        int docCount = 5;
        int docFreq = 3;
        double avgdl = 7 / 5.0; // lengths 1, 2, 1, 1, 2
        double idf = Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
        return idf * freq / (freq + K1 * (1 - B + B * length / avgdl));
    }

    private static final double[] COSINE = {1, Math.cos(Math.toRadians(20)), Math.cos(Math.toRadians(40)),
        Math.cos(Math.toRadians(60)), Math.cos(Math.toRadians(80))};
    /** Vector ranks of ids 1..5, and BM25 ranks (0: no "apple"): id 5 (tf 2), id 3 (short), id 2. */
    private static final int[] VECTOR_RANK = {1, 2, 3, 4, 5};
    private static final int[] TEXT_RANK = {0, 3, 2, 0, 1};
    private static final double[] TEXT_SCORE = {Double.NaN, bm25(1, 2), bm25(1, 1), Double.NaN, bm25(2, 2)};

    private VectorCollection fixedCollection(VectorDb db) {
        VectorCollection c = db.createCollection("fixed", new CollectionConfig(2, Distance.COSINE, TextSearchTest.CHEAP_GRAPH,
                TextConfig.DEFAULT));
        c.upsert(fixedCase());
        return c;
    }

    private static List<ScoredPoint> hybrid(VectorCollection c, Fusion fusion, int limit, int offset) {
        return c.search(SearchRequest.builder().vector(QUERY).text("apple").limit(limit).offset(offset).fusion(fusion).withPayload(false).explain(true).build());
    }

    @Test
    void rrfEqualsTheHandComputedScores() {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100))) {
            VectorCollection c = fixedCollection(db);
            for (int k : new int[] {60, 1}) {
                double[] expected = new double[5];
                for (int i = 0; i < 5; i++) {
                    expected[i] = 1.0 / (k + VECTOR_RANK[i]) + (TEXT_RANK[i] == 0 ? 0 : 1.0 / (k + TEXT_RANK[i]));
                }
                List<ScoredPoint> hits = hybrid(c, Fusion.rrf(k), 5, 0);
                // k = 60: ids 2 and 3 tie (1/62 + 1/63) and rank by insertion order; k = 1: the BM25 winner leads
                List<Long> order = k == 60 ? List.of(2L, 3L, 5L, 1L, 4L) : List.of(5L, 2L, 3L, 1L, 4L);
                assertEquals(order, ids(hits), "RRF k=" + k);
                assertFused(hits, expected);
            }
        }
    }

    @Test
    void weightedEqualsTheHandComputedScores() {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100))) {
            VectorCollection c = fixedCollection(db);
            double textMin = TEXT_SCORE[1];
            double textMax = TEXT_SCORE[4];
            Map<Float, List<Long>> orders = Map.of(
                    0.3f, List.of(3L, 5L, 1L, 2L, 4L),
                    0f, List.of(5L, 3L, 1L, 2L, 4L), // only BM25 counts; the rest tie at 0 and rank by ordinal
                    1f, List.of(1L, 2L, 3L, 4L, 5L));
            for (Map.Entry<Float, List<Long>> alphaOrder : orders.entrySet()) {
                float alpha = alphaOrder.getKey();
                double[] expected = new double[5];
                for (int i = 0; i < 5; i++) {
                    double vector = (COSINE[i] - COSINE[4]) / (COSINE[0] - COSINE[4]);
                    double text = TEXT_RANK[i] == 0 ? 0 : (TEXT_SCORE[i] - textMin) / (textMax - textMin);
                    expected[i] = alpha * vector + (1 - alpha) * text;
                }
                List<ScoredPoint> hits = hybrid(c, Fusion.weighted(alpha), 5, 0);
                assertEquals(alphaOrder.getValue(), ids(hits), "weighted alpha=" + alpha);
                assertFused(hits, expected);
            }
        }
    }

    /** Every hit's score and explanation against the hand-computed values for ids 1..5. */
    private static void assertFused(List<ScoredPoint> hits, double[] expectedFused) {
        for (ScoredPoint hit : hits) {
            int i = (int) ((PointId.Num) hit.id()).id() - 1;
            HitExplanation e = hit.explanation();
            assertEquals(expectedFused[i], e.fusedScore(), 1e-6, "fused score of " + hit.id());
            assertEquals((float) e.fusedScore(), hit.score(), "the hit's score is its fused score");
            assertEquals(VECTOR_RANK[i], e.vectorRank(), "vector rank of " + hit.id());
            assertEquals(COSINE[i], e.vectorScore(), 1e-6, "cosine of " + hit.id());
            assertEquals(TEXT_RANK[i], e.textRank(), "BM25 rank of " + hit.id());
            if (TEXT_RANK[i] == 0) {
                assertTrue(Float.isNaN(e.textScore()) && e.terms().isEmpty());
            } else {
                assertEquals(TEXT_SCORE[i], e.textScore(), 1e-6 * TEXT_SCORE[i], "BM25 of " + hit.id());
                assertEquals(1, e.terms().size());
                HitExplanation.TermScore term = e.terms().get(0);
                assertEquals("appl", term.term());
                assertEquals(i == 4 ? 2 : 1, term.freq());
                assertEquals(3, term.docFreq());
                assertEquals(Math.log(1 + 2.5 / 3.5), term.idf(), 1e-6);
                assertEquals(e.textScore(), term.score());
            }
        }
    }

    @Test
    void offsetKeepsRanksAndVectorAndTextOnlySearchesExplainThemselves() {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100))) {
            VectorCollection c = fixedCollection(db);
            List<ScoredPoint> page = hybrid(c, Fusion.rrf(60), 2, 1);
            assertEquals(List.of(3L, 5L), ids(page));

            List<ScoredPoint> vector = c.search(SearchRequest.of(QUERY, 3).toBuilder().explain(true).build());
            for (int r = 0; r < vector.size(); r++) {
                HitExplanation e = vector.get(r).explanation();
                assertEquals(new HitExplanation(r + 1, vector.get(r).score(), 0, Float.NaN, List.of(),
                        vector.get(r).score()), e);
                assertEquals(COSINE[r], e.vectorScore(), 1e-6);
            }
            List<ScoredPoint> text = c.search(SearchRequest.ofText("apple", 10).toBuilder().explain(true).build());
            assertEquals(List.of(5L, 3L, 2L), ids(text));
            for (int r = 0; r < text.size(); r++) {
                HitExplanation e = text.get(r).explanation();
                assertEquals(0, e.vectorRank());
                assertTrue(Float.isNaN(e.vectorScore()));
                assertEquals(r + 1, e.textRank());
                assertEquals(text.get(r).score(), e.textScore());
                assertEquals(e.textScore(), e.fusedScore(), 0.0);
            }
        }
    }

    @Test
    void explanationsAgreeWithSingleSignalSearchesOnTheCorpus() {
        TextCorpus corpus = TextCorpus.load();
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100_000))) {
            // Euclid: the explanation shows the distance the user sees, fusion the internal similarity
            VectorCollection c = db.createCollection("corpus", new CollectionConfig(TextSearchTest.DIM, Distance.EUCLID,
                    TextSearchTest.CHEAP_GRAPH, TextConfig.DEFAULT));
            c.upsert(TextSearchTest.corpusPoints());
            int checkedTerms = 0;
            for (int q = 0; q < corpus.queries().size(); q += 5) {
                String query = corpus.queries().get(q);
                float[] vector = TextCorpus.vectorOf(-q - 1, TextSearchTest.DIM);
                int candidates = 10 * 4; // limit x HybridFusion.DEFAULT_OVER_FETCH
                Map<PointId, ScoredPoint> byVector = byId(c.search(SearchRequest.builder().vector(vector).limit(candidates).params(new SearchParams(0, true)).withPayload(false).explain(true).build()));
                Map<PointId, ScoredPoint> byText = byId(c.search(SearchRequest.builder().text(query).limit(candidates).withPayload(false).explain(true).build()));
                for (ScoredPoint text : byText.values()) {
                    double sum = text.explanation().terms().stream().mapToDouble(HitExplanation.TermScore::score).sum();
                    assertEquals(text.score(), sum, 1e-5 * text.score(), "terms of " + text.id() + " for '" + query + "'");
                    checkedTerms += text.explanation().terms().size();
                }
                List<ScoredPoint> hybrid = c.search(SearchRequest.builder().vector(vector).text(query).limit(10).params(new SearchParams(0, true)).fusion(Fusion.rrf(60)).withPayload(false).explain(true).build());
                assertEquals(10, hybrid.size());
                for (ScoredPoint hit : hybrid) {
                    HitExplanation e = hit.explanation();
                    ScoredPoint v = byVector.get(hit.id());
                    ScoredPoint t = byText.get(hit.id());
                    assertEquals(v == null ? 0 : v.explanation().vectorRank(), e.vectorRank(), hit.id() + " vector rank");
                    assertEquals(t == null ? 0 : t.explanation().textRank(), e.textRank(), hit.id() + " text rank");
                    if (v != null) {
                        assertEquals(v.score(), e.vectorScore(), "vector score (a distance) of " + hit.id());
                    }
                    if (t != null) {
                        assertEquals(t.score(), e.textScore());
                        assertEquals(t.explanation().terms(), e.terms());
                    }
                    double rrf = (v == null ? 0 : 1.0 / (60 + e.vectorRank())) + (t == null ? 0 : 1.0 / (60 + e.textRank()));
                    assertEquals(rrf, e.fusedScore(), 1e-12);
                }
            }
            assertTrue(checkedTerms > 100, "only " + checkedTerms + " term contributions checked");
        }
    }

    private static Map<PointId, ScoredPoint> byId(List<ScoredPoint> hits) {
        Map<PointId, ScoredPoint> map = new HashMap<>();
        hits.forEach(h -> map.put(h.id(), h));
        return map;
    }

    private static List<Long> ids(List<ScoredPoint> hits) {
        return hits.stream().map(h -> ((PointId.Num) h.id()).id()).toList();
    }
}
