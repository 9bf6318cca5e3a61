package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exact scan scores a set's ordinals eight per kernel call; each must get the score the
 * one-vector kernel gives it ({@link VectorSimilarity#score}), whatever the set's size (groups
 * of eight and a short last group), wherever its ordinals lie (across pages), and ordinals past
 * the store's end are not scored; a scan through a {@link NodeScorer} likewise, in its batches.
 */
class ExactSearchTest {

    private static final int DIM = 37;

    @ParameterizedTest
    @EnumSource(VectorSimilarity.class)
    void batchedScoresEqualOneAtATimeScores(VectorSimilarity similarity) {
        SplittableRandom random = new SplittableRandom(23);
        VectorStore store = new VectorStore(DIM);
        int size = 2 * store.pageVectors() + 77; // three pages, the last one partial
        for (int i = 0; i < size; i++) {
            store.set(i, similarity.prepare(randomVector(random)));
        }
        float[] query = similarity.prepare(randomVector(random));
        for (int members : new int[] {1, 7, 8, 9, 15, 16, 17, 1_000, size}) {
            BitSet set = randomSubset(random, size, members);
            set.set(size + 3); // past the store's end: never scored
            TopK top = new TopK(members);
            ExactSearch.search(store, similarity, query, set.toLongArray(), top, false);
            assertEachMemberOnce(top, set, members, size,
                    o -> similarity.score(query, 0, store.page(o), store.offset(o), DIM));
        }
    }

    /** Through a {@link NodeScorer} (batches of 64): each member once, with the scorer's one-node score. */
    @ParameterizedTest
    @EnumSource(VectorSimilarity.class)
    void scorerScansScoreEachMemberOnceAsTheScorerDoes(VectorSimilarity similarity) {
        SplittableRandom random = new SplittableRandom(29);
        VectorStore store = new VectorStore(DIM);
        int size = 2 * store.pageVectors() + 77;
        for (int i = 0; i < size; i++) {
            store.set(i, similarity.prepare(randomVector(random)));
        }
        NodeScorer scorer = store.newScorer(similarity);
        scorer.setQuery(similarity.prepare(randomVector(random)));
        for (int members : new int[] {1, 63, 64, 65, 129, size}) {
            BitSet set = randomSubset(random, size, members);
            set.set(size + 3); // past the store's end: never scored
            TopK top = new TopK(members);
            ExactSearch.search(scorer, set.toLongArray(), top, Deadline.NONE);
            assertEachMemberOnce(top, set, members, size, scorer::score);
        }
    }

    /** {@code top} holds each of the set's {@code members} below {@code size} once, each with its {@code single} score. */
    private static void assertEachMemberOnce(TopK top, BitSet set, int members, int size, IntToDoubleFunction single) {
        int[] ordinals = new int[members];
        float[] scores = new float[members];
        assertEquals(members, top.drainBestFirst(ordinals, scores), "hits for a set of " + members);
        BitSet returned = new BitSet();
        for (int i = 0; i < members; i++) {
            int o = ordinals[i];
            assertTrue(o < size && set.get(o), "ordinal " + o + " is not in the set");
            returned.set(o);
            float expected = (float) single.applyAsDouble(o);
            assertEquals(expected, scores[i], 1e-5f * Math.max(1f, Math.abs(expected)), "score of " + o);
        }
        assertEquals(members, returned.cardinality(), "each member once");
    }

    private static BitSet randomSubset(SplittableRandom random, int size, int members) {
        BitSet set = new BitSet(size);
        while (set.cardinality() < members) {
            set.set(random.nextInt(size));
        }
        return set;
    }

    private static float[] randomVector(SplittableRandom random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
