package dev.vdb.index.quant;

import dev.vdb.index.FullPrecisionVectors;
import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorSimilarity;
import java.util.Arrays;

/**
 * Binary quantization, one bit per dimension, scored asymmetrically as RaBitQ and Lucene's BBQ
 * do. A vector {@code x} is centred on the collection's centroid {@code c} ({@code x' = x − c},
 * which makes the bits informative for embeddings, whose components are rarely centred on
 * zero) and stored as the signs {@code sᵢ = ±1} of {@code x'} (bit set for +1) plus two
 * correction floats:
 *
 * <ul>
 *   <li>the scale {@code f = |x'|² / Σ|x'ᵢ|}: RaBitQ's estimator of an inner product with the
 *       unit code {@code ō = s/√d}, {@code x'·q' ≈ |x'|·(ō·q')/(ō·x'/|x'|)}, is
 *       {@code x'·q' ≈ f·Σ sᵢq'ᵢ}; dividing by {@code ō·x'/|x'|} (how well the code points
 *       along the vector) removes the bias a plain sign code has;</li>
 *   <li>the additive term of the metric: {@code x·c − |c|²/2} for Dot and Cosine, since
 *       {@code x·q = x'·q' + (x·c − |c|²/2) + (q·c − |c|²/2)}; {@code |x'|²} for Euclid, since
 *       {@code |x−q|² = |x'|² + |q'|² − 2·x'·q'}.</li>
 * </ul>
 *
 * The query is kept at 4 bits per dimension ({@link QueryBitPlanes}), so {@code Σ sᵢq'ᵢ} is a
 * few popcounts per 64 dimensions ({@link BinaryNodeScorer}). Codes are padded to whole 64-bit
 * words with zero bits. Immutable, thread-safe.
 */
public final class BinaryQuantizer implements Quantizer {

    /** Vectors sampled for the centroid, at most. */
    static final int SAMPLE_VECTORS = 1 << 16;

    private final float[] centroid;
    private final float centroidNormSquaredHalf;
    private final boolean euclid;
    private final int words;

    /** A quantizer around {@code centroid} for scores by {@code similarity}. */
    public BinaryQuantizer(float[] centroid, VectorSimilarity similarity) {
        this.centroid = centroid.clone();
        double norm = 0;
        for (float m : centroid) {
            norm += (double) m * m;
        }
        this.centroidNormSquaredHalf = (float) (norm / 2);
        this.euclid = similarity == VectorSimilarity.EUCLID;
        this.words = (centroid.length + 63) >>> 6;
    }

    /** The centroid the codes are signs around (a copy). */
    public float[] centroid() {
        return centroid.clone();
    }

    /** The centroid of (a sample of) {@code ordinals}' vectors, zero when there are none. */
    public static BinaryQuantizer train(FullPrecisionVectors source, int[] ordinals, VectorSimilarity similarity) {
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
        float[] centroid = new float[dim];
        for (int j = 0; vectors > 0 && j < dim; j++) {
            centroid[j] = (float) (sum[j] / vectors);
        }
        return new BinaryQuantizer(centroid, similarity);
    }

    @Override
    public int dimension() {
        return centroid.length;
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

    /** Whether scores are minus squared Euclidean distances (else inner products). */
    boolean euclid() {
        return euclid;
    }

    @Override
    public void encode(float[] vector, byte[] codes, int codeOff, float[] corr, int corrOff) {
        Arrays.fill(codes, codeOff, codeOff + codeBytes(), (byte) 0);
        double normSquared = 0;
        double absSum = 0;
        double dotCentroid = 0;
        for (int i = 0; i < centroid.length; i++) {
            float c = vector[i] - centroid[i];
            if (c > 0) {
                codes[codeOff + (i >>> 3)] |= (byte) (1 << (i & 7));
            }
            normSquared += (double) c * c;
            absSum += Math.abs(c);
            dotCentroid += (double) vector[i] * centroid[i];
        }
        corr[corrOff] = absSum > 0 ? (float) (normSquared / absSum) : 0f; // x = c: every estimate is 0
        corr[corrOff + 1] = euclid ? (float) normSquared : (float) dotCentroid - centroidNormSquaredHalf;
    }

    /**
     * Centres {@code query} into {@code centred} and returns its additive term (the second
     * correction a code of it would get): {@code |q'|²} for Euclid, {@code q·c − |c|²/2} else.
     */
    float centre(float[] query, float[] centred) {
        double normSquared = 0;
        double dotCentroid = 0;
        for (int i = 0; i < centroid.length; i++) {
            float c = query[i] - centroid[i];
            centred[i] = c;
            normSquared += (double) c * c;
            dotCentroid += (double) query[i] * centroid[i];
        }
        return euclid ? (float) normSquared : (float) dotCentroid - centroidNormSquaredHalf;
    }

    /**
     * 2: a one-bit code's estimate errs enough that true neighbours often fall just outside the
     * beam; rescoring as many of its nearest misses as it holds reaches a recall for less time
     * than widening the beam does: QPS at recall 0.95 +8-10 % on WordNet 384-d, +21-28 % on
     * GloVe-100, the same at 768-d, where the codes err less (docs/BENCHMARKS.md "The beam's near
     * misses").
     */
    @Override
    public int candidatesPerBeamSlot() {
        return 2;
    }

    @Override
    public NodeScorer newScorer(QuantizedVectors vectors, VectorSimilarity similarity) {
        if ((similarity == VectorSimilarity.EUCLID) != euclid) {
            throw new IllegalArgumentException("binary codes encoded for " + (euclid ? "EUCLID" : "an inner product")
                    + " cannot score by " + similarity);
        }
        return new BinaryNodeScorer(vectors, this);
    }

    @Override
    public String toString() {
        return "binary[" + centroid.length + " bits" + (euclid ? ", euclid" : "") + "]";
    }
}
