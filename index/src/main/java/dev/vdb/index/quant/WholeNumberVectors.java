package dev.vdb.index.quant;

import dev.vdb.index.DistanceKernels;
import dev.vdb.index.GraphVectors;
import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorKernels;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;

/**
 * The vectors of a {@link VectorStore} walked as one-byte codes while every component stored is
 * a whole number in one byte's range: pixel intensities 0..255 stored as floats (MNIST, SIFT) or
 * signed int8 embeddings. An {@link Int8Quantizer} whose range is 255 wide steps by exactly 1,
 * so such a vector's code holds it exactly, and the int kernels' sums are the exact squared
 * distances and inner products: the graph reads a quarter of the bytes for the same scores (up
 * to the float kernels' rounding of sums past 2^24). A query that is not whole numbers in the
 * range is scored against the floats; once a stored vector is not, this is <em>retired</em> for
 * good: its codes are dropped and every score is the floats'.
 *
 * <p>The range is fixed by the first vector encoded: {@code [0, 255]} when none of its components
 * is negative, else {@code [-128, 127]}. The floats stay the collection's full-precision vectors
 * (exact search, rescoring, reads); the codes add a quarter of their heap.
 *
 * <p>Thread safety: {@link #encode} may run concurrently with reads and with encodes of other
 * ordinals (as {@link VectorStore#set}). Retiring sets a volatile flag inside the {@link #encode}
 * of the vector that caused it, so before its ordinal is published: a search that reaches the
 * ordinal has the flag in view, and its scorer reads the flag on every scoring call.
 */
public final class WholeNumberVectors implements GraphVectors {

    private final VectorStore floats;
    private final Object firstLock = new Object();
    /** Null before the first vector is encoded and once retired. */
    private volatile QuantizedVectors codes;
    private volatile boolean retired;

    private WholeNumberVectors(VectorStore floats) {
        this.floats = floats;
    }

    /**
     * Codes beside {@code floats} for vectors scored with {@code similarity}; null for cosine,
     * whose prepared (unit) vectors are not whole numbers.
     */
    public static WholeNumberVectors over(VectorStore floats, VectorSimilarity similarity) {
        return similarity == VectorSimilarity.COSINE ? null : new WholeNumberVectors(floats);
    }

    /** The float vectors these codes mirror. */
    public VectorStore floats() {
        return floats;
    }

    /**
     * Encodes the prepared {@code vector} of {@code ordinal}, which the caller has set (or is
     * setting) in {@link #floats}, before publishing the ordinal; retires when it is not whole
     * numbers in the range.
     */
    public void encode(int ordinal, float[] vector) {
        if (retired) {
            return;
        }
        QuantizedVectors c = codes;
        if (c == null) {
            c = firstCodes(vector);
        }
        if (c == null) {
            retire();
            return;
        }
        Int8Quantizer range = (Int8Quantizer) c.quantizer();
        byte[] code = new byte[vector.length];
        int levelSum = encodeExactly(range, vector, code);
        if (levelSum == DistanceKernels.NOT_WHOLE) {
            retire();
            return;
        }
        c.setCode(ordinal, code, new float[] {range.correction(levelSum)}); // checked and encoded in one pass
    }

    /** The codes, made with their range taken from {@code first} when there are none yet; null once retired. */
    private QuantizedVectors firstCodes(float[] first) {
        synchronized (firstLock) {
            if (codes == null && !retired) {
                float lo = 0;
                for (float x : first) {
                    lo = x < 0 ? -128 : lo;
                }
                codes = new QuantizedVectors(new Int8Quantizer(first.length, lo, lo + 255));
            }
            return codes;
        }
    }

    private void retire() {
        synchronized (firstLock) { // so that no first vector's codes appear after it
            retired = true;
            codes = null;
        }
    }

    /** Whether the codes are in use: no vector so far was other than whole numbers in their range. */
    public boolean active() {
        return !retired;
    }

    /** The codes while {@link #active} (null before the first vector too). */
    QuantizedVectors codes() {
        return codes;
    }

    boolean retired() {
        return retired;
    }

    /**
     * Writes the code of {@code vector} into {@code out} and returns the sum of its signed
     * levels, when the vector is whole numbers in the range of {@code range} (its code then
     * equals {@link Int8Quantizer#encode}'s); else returns {@link DistanceKernels#NOT_WHOLE}.
     * One SIMD pass without rounding: a 784-d query's check and encoding through a scalar check
     * and {@code Int8Quantizer.encode} took about 2.5 µs, a tenth of an unfiltered search at
     * ef 10 and a fifth of a scan of 200 matches; a stored vector was checked and then encoded.
     */
    static int encodeExactly(Int8Quantizer range, float[] vector, byte[] out) {
        return VectorKernels.wholeNumberCode(vector, vector.length, range.lo(), out);
    }

    @Override
    public int dimension() {
        return floats.dimension();
    }

    @Override
    public int size() {
        return floats.size();
    }

    @Override
    public NodeScorer newScorer(VectorSimilarity similarity) {
        return new WholeNumberScorer(this, floats.newScorer(similarity), similarity);
    }

    /**
     * A scorer of the codes with {@code query} (prepared) set, when the codes are active and the
     * query is whole numbers in their range, for exact scans: their scores are the exact
     * distances or inner products. Null otherwise: the caller scans the floats directly (this
     * class's scorer would score such a query by the floats' scorer, which may take a Euclidean
     * distance from norms and an inner product).
     */
    public NodeScorer exactCodeScorer(VectorSimilarity similarity, float[] query) {
        WholeNumberScorer scorer = new WholeNumberScorer(this, floats.newScorer(similarity), similarity);
        scorer.setQuery(query);
        return scorer.onBytes() ? scorer : null;
    }

    /** Heap the codes take (the floats' is {@link VectorStore#heapBytes}). */
    public long codeHeapBytes() {
        QuantizedVectors c = codes;
        return c == null ? 0 : c.heapBytes();
    }

    @Override
    public long heapBytes() {
        return floats.heapBytes() + codeHeapBytes();
    }
}
