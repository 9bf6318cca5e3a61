package dev.vdb.index.fusion;

import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Int2IntHashMap;

/**
 * Fuses a vector list and a BM25 list into one best-first list of k hits, by {@link FusionMethod}.
 * Ties in the fused score rank the smaller ordinal first.
 *
 * <p>Each list should be fetched deeper than k, {@link #candidates(int, int)}: a document only
 * scores for the lists it appears in, so with exactly k per list a document ranked k + 1 by one
 * retriever and 1 by the other would lose what it earns from the first. The default factor
 * {@link #DEFAULT_OVER_FETCH} = 4 (k = 10 fetches 40 from each side) bounds what a cut-off
 * document loses under RRF (k = 60) by 1 / (60 + 41), against 2 / 61 for a document both lists
 * rank first.
 *
 * <p>Stateless and thread-safe; allocates per call in proportion to the two lists.
 */
public final class HybridFusion {

    /** Default over-fetch factor: each retriever returns k x 4 candidates. */
    public static final int DEFAULT_OVER_FETCH = 4;

    private HybridFusion() {}

    /**
     * How many candidates to fetch from each retriever for a fused top {@code k}.
     *
     * @throws IllegalArgumentException if k or overFetch is below 1
     */
    public static int candidates(int k, int overFetch) {
        if (k < 1) {
            throw new IllegalArgumentException("k: must be >= 1, got " + k);
        }
        if (overFetch < 1) {
            throw new IllegalArgumentException("overFetch: must be >= 1, got " + overFetch);
        }
        return (int) Math.min(Integer.MAX_VALUE, (long) k * overFetch);
    }

    /**
     * The best {@code k} documents of the union of {@code vector} and {@code text}, by {@code method}.
     *
     * @throws IllegalArgumentException if k is below 1 or an argument is null
     */
    public static List<FusedHit> fuse(RankedList vector, RankedList text, FusionMethod method, int k) {
        if (vector == null || text == null || method == null) {
            throw new IllegalArgumentException("vector, text and method: must not be null");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k: must be >= 1, got " + k);
        }
        Int2IntHashMap slots = new Int2IntHashMap(vector.size() + text.size(), 0.65f, -1);
        List<int[]> ranks = new ArrayList<>();
        addRanks(vector, 0, slots, ranks);
        addRanks(text, 1, slots, ranks);
        Normaliser vectorNorm = new Normaliser(vector);
        Normaliser textNorm = new Normaliser(text);
        List<FusedHit> hits = new ArrayList<>(ranks.size());
        for (int[] entry : ranks) {
            int ordinal = entry[0];
            int vectorRank = entry[1];
            int textRank = entry[2];
            double score = switch (method) {
                case FusionMethod.Rrf rrf -> reciprocal(rrf.k(), vectorRank) + reciprocal(rrf.k(), textRank);
                case FusionMethod.Weighted weighted -> weighted.alpha() * vectorNorm.normalised(vectorRank)
                        + (1.0 - weighted.alpha()) * textNorm.normalised(textRank);
            };
            hits.add(new FusedHit(ordinal, score, vectorRank, scoreAt(vector, vectorRank), textRank,
                    scoreAt(text, textRank)));
        }
        hits.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score())
                : Integer.compare(a.ordinal(), b.ordinal()));
        return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
    }

    /** Records each hit's rank (from 1) in column {@code list + 1} of its entry {ordinal, vectorRank, textRank}. */
    private static void addRanks(RankedList hits, int list, Int2IntHashMap slots, List<int[]> ranks) {
        for (int i = 0; i < hits.size(); i++) {
            int ordinal = hits.ordinals()[i];
            int slot = slots.get(ordinal);
            if (slot == -1) {
                slot = ranks.size();
                slots.put(ordinal, slot);
                ranks.add(new int[] {ordinal, 0, 0});
            }
            ranks.get(slot)[list + 1] = i + 1;
        }
    }

    private static double reciprocal(int k, int rank) {
        return rank == 0 ? 0.0 : 1.0 / (k + rank);
    }

    private static float scoreAt(RankedList list, int rank) {
        return rank == 0 ? Float.NaN : list.scores()[rank - 1];
    }

    /** Min-max normalisation over one list (max is first, min is last: the list is best first). */
    private static final class Normaliser {
        private final RankedList list;
        private final double min;
        private final double range;

        Normaliser(RankedList list) {
            this.list = list;
            this.min = list.size() == 0 ? 0 : list.scores()[list.size() - 1];
            this.range = list.size() == 0 ? 0 : list.scores()[0] - min;
        }

        /** The normalised score of the hit at {@code rank} (from 1), 0 when absent, 1 when all are equal. */
        double normalised(int rank) {
            if (rank == 0) {
                return 0.0;
            }
            return range == 0 ? 1.0 : (list.scores()[rank - 1] - min) / range;
        }
    }
}
