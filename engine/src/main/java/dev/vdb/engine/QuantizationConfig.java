package dev.vdb.engine;

/**
 * How a collection compresses the vectors its HNSW graph walks; {@code null} where a config is
 * expected means no quantization (the graph walks float32 vectors).
 *
 * <p>A quantized collection keeps its codes in RAM and its full-precision vectors only in a
 * memory-mapped derived file, which rescoring and exact search read. Immutable records.
 */
public sealed interface QuantizationConfig {

    /** Qdrant's default quantile: the int8 range drops the 1% most extreme component values. */
    float DEFAULT_QUANTILE = 0.99f;

    /**
     * Qdrant's {@code always_ram}: kept and reported for its clients; in this version the codes
     * are always on the Java heap, whatever its value.
     */
    boolean alwaysRam();

    /**
     * Scalar int8 quantization: each component is mapped onto 256 levels between bounds taken
     * from a quantile of the collection's component values (Qdrant's {@code quantile}).
     *
     * @param quantile share of component values the int8 range covers, in (0.5, 1]
     * @param alwaysRam Qdrant's {@code always_ram} (see {@link #alwaysRam()})
     */
    record Scalar(float quantile, boolean alwaysRam) implements QuantizationConfig {
        public Scalar {
            if (!(quantile > 0.5f && quantile <= 1f)) {
                throw new IllegalArgumentException(
                        "quantization_config.scalar.quantile must be in (0.5, 1], got " + quantile);
            }
        }
    }

    /**
     * Binary quantization: one bit per dimension (the sign of the component after centring);
     * searches walk the graph on codes and rescore the best candidates with full precision.
     *
     * @param alwaysRam Qdrant's {@code always_ram} (see {@link #alwaysRam()})
     */
    record Binary(boolean alwaysRam) implements QuantizationConfig {}

    /** int8 with the default quantile, codes in RAM. */
    static QuantizationConfig int8() {
        return new Scalar(DEFAULT_QUANTILE, true);
    }

    /** Binary, codes in RAM. */
    static QuantizationConfig binary() {
        return new Binary(true);
    }
}
