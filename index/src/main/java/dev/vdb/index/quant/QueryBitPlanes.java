package dev.vdb.index.quant;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A centred query at 4 bits per dimension, for scoring against 1-bit codes: component
 * {@code q'ᵢ ≈ lower + step·kᵢ} with the level {@code kᵢ ∈ 0..15} spread over the query's own
 * range [min, max], and the levels stored as four bit planes (plane {@code j} holds bit
 * {@code j} of every level) laid out like the codes, so that for a code's bits {@code bᵢ}
 *
 * <pre>
 *   Σ bᵢkᵢ = Σⱼ 2ʲ·popcount(b AND plane j)
 *   Σ sᵢq'ᵢ ≈ lower·(2·popcount(b) − d) + step·(2·Σ bᵢkᵢ − Σ kᵢ),   sᵢ = 2bᵢ − 1
 * </pre>
 *
 * (RaBitQ's and Lucene BBQ's 4-bit query). Not thread-safe: owned by one scorer; set
 * allocation-free.
 */
final class QueryBitPlanes {

    static final int BITS = 4;
    private static final int TOP_LEVEL = (1 << BITS) - 1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int words;
    /** Plane {@code j}'s word {@code w} at {@code j·words + w}. */
    final long[] planes;
    float lower;
    float step;
    /** Σ kᵢ. */
    int levelSum;

    QueryBitPlanes(int words) {
        this.words = words;
        this.planes = new long[BITS * words];
    }

    /** Quantizes the centred query {@code centred[0..dim)}. */
    void set(float[] centred, int dim) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < dim; i++) {
            min = Math.min(min, centred[i]);
            max = Math.max(max, centred[i]);
        }
        lower = min;
        step = (max - min) / TOP_LEVEL;
        float inv = step > 0 ? 1f / step : 0f; // a constant query: every level 0, exactly
        int sum = 0;
        // a word of each plane at a time, in registers and without branches (a branch per bit
        // of a level mispredicted half the time: about a tenth of a 384-d binary search)
        for (int w = 0; w < words; w++) {
            long p0 = 0;
            long p1 = 0;
            long p2 = 0;
            long p3 = 0;
            for (int b = 0, i = w << 6, end = Math.min(dim, i + 64); i < end; b++, i++) {
                int k = Math.min(TOP_LEVEL, Math.round((centred[i] - min) * inv));
                sum += k;
                p0 |= (long) (k & 1) << b;
                p1 |= (long) ((k >>> 1) & 1) << b;
                p2 |= (long) ((k >>> 2) & 1) << b;
                p3 |= (long) (k >>> 3) << b;
            }
            planes[w] = p0;
            planes[words + w] = p1;
            planes[2 * words + w] = p2;
            planes[3 * words + w] = p3;
        }
        levelSum = sum;
    }

    /**
     * Makes a stored code the query, as the vector it stands for, {@code q'ᵢ = scale·sᵢ}: levels
     * 0 and 15 over [−scale, scale] hold it exactly (every plane is the code).
     */
    void setCode(byte[] page, int off, float scale) {
        int ones = 0;
        for (int w = 0; w < words; w++) {
            long word = (long) LONGS.get(page, off + (w << 3));
            ones += Long.bitCount(word);
            for (int j = 0; j < BITS; j++) {
                planes[j * words + w] = word;
            }
        }
        lower = -scale;
        step = 2 * scale / TOP_LEVEL;
        levelSum = TOP_LEVEL * ones;
    }
}
