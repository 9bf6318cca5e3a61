package dev.vdb.index.quant;

import dev.vdb.index.FullPrecisionVectors;
import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorSimilarity;

/**
 * Binary quantization, one bit per dimension: the sign of each component after subtracting the
 * collection's mean vector μ (centring makes the bits informative for embeddings, whose
 * components are rarely centred on zero). Two vectors whose codes differ in {@code h} of
 * {@code d} bits are taken to be at the angle {@code π·h/d} around μ (the random-hyperplane
 * estimate), so with {@code r = |x − μ|} and two correction floats per code
 *
 * <pre>
 *   x·y    ≈ r_x·r_y·cos(π·h/d) + corr(x) + corr(y),   corr(x) = x·μ − |μ|²/2
 *   |x−y|² ≈ r_x² + r_y² − 2·r_x·r_y·cos(π·h/d)
 * </pre>
 *
 * Codes are padded to whole 64-bit words, which {@link Long#bitCount} counts (a popcount
 * instruction). Immutable, thread-safe.
 */
public final class BinaryQuantizer implements Quantizer {

    /** Vectors sampled for the mean, at most. */
    static final int SAMPLE_VECTORS = 1 << 16;

    private final float[] mean;
    private final float meanNormSquaredHalf;
    /** cos(π·h/d) for h = 0..d. */
    private final float[] cosine;
    private final int words;

    public BinaryQuantizer(float[] mean) {
        this.mean = mean.clone();
        double norm = 0;
        for (float m : mean) {
            norm += (double) m * m;
        }
        this.meanNormSquaredHalf = (float) (norm / 2);
        int d = mean.length;
        this.cosine = new float[d + 1];
        for (int h = 0; h <= d; h++) {
            cosine[h] = (float) Math.cos(Math.PI * h / d);
        }
        this.words = (d + 63) >>> 6;
    }

    /** The mean of (a sample of) {@code ordinals}' vectors; zero when there are none. */
    public static BinaryQuantizer train(FullPrecisionVectors source, int[] ordinals) {
        int dim = source.dimension();
        int vectors = Math.min(ordinals.length, SAMPLE_VECTORS);
        double[] sum = new double[dim];
        float[] v = new float[dim];
        for (int i = 0; i < vectors; i++) {
            source.read(ordinals[(int) ((long) i * ordinals.length / vectors)], v);
            for (int j = 0; j < dim; j++) {
                sum[j] += v[j];
            }
        }
        float[] mean = new float[dim];
        for (int j = 0; vectors > 0 && j < dim; j++) {
            mean[j] = (float) (sum[j] / vectors);
        }
        return new BinaryQuantizer(mean);
    }

    @Override
    public int dimension() {
        return mean.length;
    }

    @Override
    public int codeBytes() {
        return words * Long.BYTES;
    }

    @Override
    public int corrections() {
        return 2;
    }

    /** 64-bit words per code. */
    int words() {
        return words;
    }

    /** cos(π·h/d): the angle estimate of {@code h} differing bits. */
    float cosineOf(int h) {
        return cosine[h];
    }

    @Override
    public void encode(float[] vector, byte[] codes, int codeOff, float[] corr, int corrOff) {
        java.util.Arrays.fill(codes, codeOff, codeOff + codeBytes(), (byte) 0);
        double r = 0;
        double dotMean = 0;
        for (int i = 0; i < mean.length; i++) {
            float c = vector[i] - mean[i];
            if (c > 0) {
                codes[codeOff + (i >>> 3)] |= (byte) (1 << (i & 7));
            }
            r += (double) c * c;
            dotMean += (double) vector[i] * mean[i];
        }
        corr[corrOff] = (float) Math.sqrt(r);
        corr[corrOff + 1] = (float) dotMean - meanNormSquaredHalf;
    }

    @Override
    public NodeScorer newScorer(QuantizedVectors vectors, VectorSimilarity similarity) {
        return new BinaryNodeScorer(vectors, this, similarity == VectorSimilarity.EUCLID);
    }

    @Override
    public String toString() {
        return "binary[" + mean.length + " bits]";
    }
}
