package dev.vdb.index.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RRF and weighted fusion against values computed by hand for a small fixed case. */
class HybridFusionTest {

    // vector: 10 (0.9), 20 (0.8), 30 (0.5); text: 20 (12), 40 (6), 10 (3)
    private static final RankedList VECTOR = new RankedList(new int[] {10, 20, 30}, new float[] {0.9f, 0.8f, 0.5f});
    private static final RankedList TEXT = new RankedList(new int[] {20, 40, 10}, new float[] {12f, 6f, 3f});

    @Test
    void rrfSumsReciprocalRanksWithKSixty() {
        List<FusedHit> hits = HybridFusion.fuse(VECTOR, TEXT, FusionMethod.Rrf.DEFAULT, 10);
        // 20: 1/62 + 1/61; 10: 1/61 + 1/63; 40: 1/62; 30: 1/63
        assertOrder(hits, 20, 10, 40, 30);
        assertEquals(1.0 / 62 + 1.0 / 61, hits.get(0).score(), 1e-15);
        assertEquals(1.0 / 61 + 1.0 / 63, hits.get(1).score(), 1e-15);
        assertEquals(1.0 / 62, hits.get(2).score(), 1e-15);
        assertEquals(1.0 / 63, hits.get(3).score(), 1e-15);
        FusedHit top = hits.get(0);
        assertEquals(2, top.vectorRank());
        assertEquals(0.8f, top.vectorScore());
        assertEquals(1, top.textRank());
        assertEquals(12f, top.textScore());
        FusedHit vectorOnly = hits.get(3);
        assertEquals(0, vectorOnly.textRank());
        assertTrue(Float.isNaN(vectorOnly.textScore()));
    }

    @Test
    void rrfWithAnotherKAndATruncatedTopK() {
        List<FusedHit> hits = HybridFusion.fuse(VECTOR, TEXT, new FusionMethod.Rrf(1), 2);
        // k = 1: 10: 1/2 + 1/4 = 0.75; 20: 1/3 + 1/2 = 0.8333
        assertOrder(hits, 20, 10);
        assertEquals(1.0 / 3 + 1.0 / 2, hits.get(0).score(), 1e-15);
        assertEquals(0.75, hits.get(1).score(), 1e-15);
    }

    @Test
    void weightedCombinesMinMaxNormalisedScores() {
        List<FusedHit> hits = HybridFusion.fuse(VECTOR, TEXT, new FusionMethod.Weighted(0.3f), 10);
        // vector norm: 10 -> 1, 20 -> 0.75, 30 -> 0; text norm: 20 -> 1, 40 -> 1/3, 10 -> 0
        // 20: 0.3 * 0.75 + 0.7 * 1 = 0.925; 10: 0.3; 40: 0.7 / 3; 30: 0
        assertOrder(hits, 20, 10, 40, 30);
        assertEquals(0.925, hits.get(0).score(), 1e-6);
        assertEquals(0.3, hits.get(1).score(), 1e-6);
        assertEquals(0.7 / 3, hits.get(2).score(), 1e-6);
        assertEquals(0.0, hits.get(3).score(), 1e-6);
    }

    @Test
    void alphaOneAndZeroReproduceTheSingleLists() {
        assertOrder(HybridFusion.fuse(VECTOR, TEXT, new FusionMethod.Weighted(1f), 3), 10, 20, 30);
        // alpha 0: text order; 30 and 10 both normalise to 0 for text, ties by smaller ordinal
        assertOrder(HybridFusion.fuse(VECTOR, TEXT, new FusionMethod.Weighted(0f), 4), 20, 40, 10, 30);
    }

    @Test
    void aSingleHitOrEqualScoresNormaliseToOneAndTiesRankSmallerOrdinalsFirst() {
        RankedList one = new RankedList(new int[] {7}, new float[] {0.2f});
        List<FusedHit> hits = HybridFusion.fuse(one, RankedList.EMPTY, new FusionMethod.Weighted(0.4f), 5);
        assertOrder(hits, 7);
        assertEquals(0.4, hits.get(0).score(), 1e-6);
        RankedList flat = new RankedList(new int[] {9, 3}, new float[] {5f, 5f});
        List<FusedHit> tied = HybridFusion.fuse(RankedList.EMPTY, flat, new FusionMethod.Weighted(0.5f), 5);
        assertOrder(tied, 3, 9);
        assertEquals(0.5, tied.get(0).score(), 1e-6);
        assertEquals(0.5, tied.get(1).score(), 1e-6);
    }

    @Test
    void invalidInputIsRejectedNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FusionMethod.Weighted(1.5f))
                .getMessage().contains("alpha"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FusionMethod.Rrf(0))
                .getMessage().contains("fusion.k"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new RankedList(new int[] {1, 2}, new float[] {1f, 2f})).getMessage().contains("scores[1]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new RankedList(new int[] {1, 1}, new float[] {2f, 1f})).getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HybridFusion.candidates(10, 0))
                .getMessage().contains("overFetch"));
        assertEquals(40, HybridFusion.candidates(10, HybridFusion.DEFAULT_OVER_FETCH));
    }

    private static void assertOrder(List<FusedHit> hits, int... ordinals) {
        assertEquals(ordinals.length, hits.size(), hits.toString());
        for (int i = 0; i < ordinals.length; i++) {
            assertEquals(ordinals[i], hits.get(i).ordinal(), "rank " + (i + 1) + " of " + hits);
        }
    }
}
