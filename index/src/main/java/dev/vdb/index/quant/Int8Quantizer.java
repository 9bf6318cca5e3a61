package dev.vdb.index.quant;

import dev.vdb.index.FullPrecisionVectors;
import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorKernels;
import dev.vdb.index.VectorSimilarity;
import java.util.Arrays;

/**
 * Scalar int8 quantization with one range for every component, as Qdrant's: the range
 * {@code [lo, hi]} holds the central {@code quantile} of the sampled component values, and a
 * component {@code x} becomes the level {@code c = round((x - lo) / α)} clamped to 0..255,
 * {@code α = (hi - lo) / 255}, stored as the signed byte {@code s = c - 128}. So
 * {@code x ≈ m + α·s} with {@code m = lo + 128·α}, and for two codes
 *
 * <pre>
 *   x·y   ≈ α²·Σ sᵢtᵢ + corr(x) + corr(y),  corr(x) = m·α·Σ sᵢ + d·m²/2
 *   |x−y|² ≈ α²·Σ (sᵢ − tᵢ)²
 * </pre>
 *
 * so the int kernels' exact integer sums give scores on the full-precision scale (one
 * correction float per code). Immutable, thread-safe.
 */
public final class Int8Quantizer implements Quantizer {

    /** Component values sampled for the quantile, at most. */
    static final int SAMPLE_VALUES = 1 << 21;

    private final int dimension;
    private final float lo;
    private final float hi;
    private final float alpha;
    private final float mid;

    public Int8Quantizer(int dimension, float lo, float hi) {
        if (!(hi > lo) || !Float.isFinite(lo) || !Float.isFinite(hi)) {
            throw new IllegalArgumentException("int8 range must be finite with lo < hi, got [" + lo + ", " + hi + "]");
        }
        this.dimension = dimension;
        this.lo = lo;
        this.hi = hi;
        this.alpha = (hi - lo) / 255f;
        this.mid = lo + 128 * alpha;
    }

    /**
     * Bounds from the central {@code quantile} of the component values of (a sample of)
     * {@code ordinals}' vectors; [-1, 1] when there are none (unit vectors' range).
     */
    public static Int8Quantizer train(FullPrecisionVectors source, int[] ordinals, float quantile) {
        int dim = source.dimension();
        int vectors = Math.min(ordinals.length, Math.max(1, SAMPLE_VALUES / dim));
        if (ordinals.length == 0) {
            return new Int8Quantizer(dim, -1f, 1f);
        }
        float[] values = new float[vectors * dim];
        float[] v = new float[dim];
        for (int i = 0; i < vectors; i++) {
            source.read(ordinals[(int) ((long) i * ordinals.length / vectors)], v);
            System.arraycopy(v, 0, values, i * dim, dim);
        }
        Arrays.sort(values);
        float tail = (1f - quantile) / 2f;
        float lo = values[(int) Math.floor(tail * (values.length - 1))];
        float hi = values[(int) Math.ceil((1f - tail) * (values.length - 1))];
        if (!(hi > lo)) {
            hi = lo + Math.max(Math.ulp(lo) * 256, 1e-6f); // constant data: any non-empty range codes it exactly
        }
        return new Int8Quantizer(dim, lo, hi);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int codeBytes() {
        return dimension;
    }

    @Override
    public int corrections() {
        return 1;
    }

    /** The lower bound of the range. */
    public float lo() {
        return lo;
    }

    /** The upper bound of the range. */
    public float hi() {
        return hi;
    }

    /** Scale of one level: α² multiplies the integer sums. */
    float alphaSquared() {
        return alpha * alpha;
    }

    @Override
    public void encode(float[] vector, byte[] codes, int codeOff, float[] corr, int corrOff) {
        corr[corrOff] = correction(VectorKernels.int8Code(vector, dimension, lo, 1f / alpha, codes, codeOff));
    }

    /** The correction of a code whose signed levels {@code s} sum to {@code levelSum}: {@code m·α·Σ sᵢ + d·m²/2}. */
    float correction(int levelSum) {
        return mid * alpha * levelSum + dimension * mid * mid / 2f;
    }

    /**
     * 1: rescoring the beam's nearest misses as well found no more neighbours (WordNet 384-d:
     * recall@10 the same at ef 16 to 32; docs/BENCHMARKS.md "The beam's near misses").
     */
    @Override
    public int candidatesPerBeamSlot() {
        return 1;
    }

    @Override
    public NodeScorer newScorer(QuantizedVectors vectors, VectorSimilarity similarity) {
        return new Int8NodeScorer(vectors, this, similarity == VectorSimilarity.EUCLID);
    }

    @Override
    public String toString() {
        return "int8[" + lo + ", " + hi() + "]";
    }
}
