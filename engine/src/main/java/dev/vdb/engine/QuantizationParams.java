package dev.vdb.engine;

/**
 * Per-query use of a collection's quantization (Qdrant's {@code params.quantization}); ignored
 * by collections without quantization.
 *
 * @param ignore walk full-precision vectors instead of the codes
 * @param rescore rescore the best candidates with full-precision vectors
 * @param oversampling how many candidates to rescore per wanted result (at least ef are), in 1..100
 */
public record QuantizationParams(boolean ignore, boolean rescore, double oversampling) {

    public static final double MAX_OVERSAMPLING = 100;
    public static final QuantizationParams DEFAULT = new QuantizationParams(false, true, 1.0);

    public QuantizationParams {
        if (!(oversampling >= 1 && oversampling <= MAX_OVERSAMPLING)) {
            throw new IllegalArgumentException(
                    "params.quantization.oversampling must be in 1..100, got " + oversampling);
        }
    }
}
