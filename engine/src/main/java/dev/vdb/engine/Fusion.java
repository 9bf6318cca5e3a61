package dev.vdb.engine;

/**
 * How a hybrid search (vector and text) merges its two ranked lists.
 *
 * @param method {@link Method#RRF} (reciprocal rank fusion) or {@link Method#WEIGHTED}
 * @param k RRF's rank constant, ≥ 1 (used by RRF only)
 * @param alpha weight of the min-max-normalised vector score, 0..1; the normalised BM25 score
 *     gets {@code 1 - alpha} (used by WEIGHTED only)
 */
public record Fusion(Method method, int k, float alpha) {

    public enum Method { RRF, WEIGHTED }

    public static final int DEFAULT_RRF_K = 60;
    public static final float DEFAULT_ALPHA = 0.5f;
    public static final Fusion DEFAULT = rrf(DEFAULT_RRF_K);

    public Fusion {
        if (method == null) {
            throw new IllegalArgumentException("fusion.method must be rrf or weighted");
        }
        if (k < 1) {
            throw new IllegalArgumentException("fusion.k must be >= 1, got " + k);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("fusion.alpha must be in 0..1, got " + alpha);
        }
    }

    public static Fusion rrf(int k) {
        return new Fusion(Method.RRF, k, DEFAULT_ALPHA);
    }

    public static Fusion weighted(float alpha) {
        return new Fusion(Method.WEIGHTED, DEFAULT_RRF_K, alpha);
    }
}
