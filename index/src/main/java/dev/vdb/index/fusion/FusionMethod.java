package dev.vdb.index.fusion;

/**
 * How a hybrid search combines its vector and text lists.
 *
 * <p>Implementations are immutable records.
 */
public sealed interface FusionMethod permits FusionMethod.Rrf, FusionMethod.Weighted {

    /**
     * Reciprocal rank fusion: {@code score = sum over the lists containing the hit of 1 / (k + rank)},
     * rank from 1. Uses ranks only, so needs no score normalisation.
     *
     * @param k the rank constant, >= 1; {@link #DEFAULT_K} by default (as Elasticsearch and the paper)
     */
    record Rrf(int k) implements FusionMethod {

        public static final int DEFAULT_K = 60;

        public static final Rrf DEFAULT = new Rrf(DEFAULT_K);

        public Rrf {
            if (k < 1) {
                throw new IllegalArgumentException("fusion.k: must be >= 1, got " + k);
            }
        }
    }

    /**
     * Convex combination of min-max-normalised scores:
     * {@code score = alpha * norm(vector score) + (1 - alpha) * norm(BM25 score)}, where over each
     * list {@code norm(s) = (s - min) / (max - min)}; when every score of a list is equal (one hit
     * included) each of its hits normalises to 1; a hit absent from a list contributes 0 for it.
     *
     * @param alpha weight of the vector score, 0 to 1
     */
    record Weighted(float alpha) implements FusionMethod {

        public Weighted {
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("fusion.alpha: must be between 0 and 1, got " + alpha);
            }
        }
    }
}
