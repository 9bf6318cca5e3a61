package dev.vdb.index.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.Bits;
import dev.vdb.index.text.Bm25Explanation;
import dev.vdb.index.text.Bm25Params;
import dev.vdb.index.text.Bm25Query;
import dev.vdb.index.text.Bm25Searcher;
import dev.vdb.index.text.EnglishAnalyzer;
import dev.vdb.index.text.InvertedIndex;
import dev.vdb.index.text.TextHits;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-hit explanations of a hybrid search agree with the lists and the BM25 breakdown. */
class HybridExplanationTest {

    @Test
    void explanationCarriesBothRanksTheBm25TermsAndTheFusedScore() {
        InvertedIndex index = new InvertedIndex(EnglishAnalyzer.INSTANCE);
        index.put(0, "supersonic flow over a flat plate");
        index.put(1, "heat transfer in supersonic flow");
        index.put(2, "buckling of thin cylindrical shells");
        index.put(3, "flow of heat in slabs");
        Bm25Searcher searcher = new Bm25Searcher(index, Bm25Params.DEFAULT);
        Bm25Query query = Bm25Query.parse(index, "supersonic heat flow");
        TextHits text = searcher.search(query, 10, Bits.ALL);
        RankedList vector = new RankedList(new int[] {2, 1}, new float[] {0.9f, 0.4f});
        List<FusedHit> hits = HybridFusion.fuse(vector, new RankedList(text.ordinals(), text.scores()),
                FusionMethod.Rrf.DEFAULT, 10);
        assertEquals(4, hits.size());
        for (FusedHit hit : hits) {
            HybridExplanation explanation = new HybridExplanation(hit, searcher.explain(query, hit.ordinal()));
            Bm25Explanation bm25 = explanation.text();
            if (hit.inTextList()) {
                assertEquals(text.scores()[hit.textRank() - 1], explanation.textScore());
                assertEquals(explanation.textScore(), bm25.score());
                double sum = bm25.terms().stream().mapToDouble(Bm25Explanation.TermContribution::score).sum();
                assertEquals(bm25.score(), sum, 1e-5);
            } else {
                assertTrue(bm25.terms().isEmpty(), bm25.toString());
            }
            double expected = (hit.inVectorList() ? 1.0 / (60 + hit.vectorRank()) : 0)
                    + (hit.inTextList() ? 1.0 / (60 + hit.textRank()) : 0);
            assertEquals(expected, explanation.fusedScore(), 1e-15);
        }
        FusedHit first = hits.get(0);
        Bm25Explanation other = searcher.explain(query, first.ordinal() == 0 ? 1 : 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HybridExplanation(first, other))
                .getMessage().contains("ordinal"));
    }
}
