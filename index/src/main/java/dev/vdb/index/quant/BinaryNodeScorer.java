package dev.vdb.index.quant;

import dev.vdb.index.GraphVectors;
import dev.vdb.index.NodeScorer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Scores binary codes ({@link BinaryQuantizer}) against a query held as 4-bit planes
 * ({@link QueryBitPlanes}): per 64 dimensions, five {@link Long#bitCount}s (popcount
 * instructions) give {@code Σ sᵢq'ᵢ}, which the code's scale turns into {@code x'·q'} and the
 * additive terms into the score. A stored node as query is its code taken as the vector it
 * stands for, which makes the estimate {@code f_x·f_y·(d − 2·hamming)}.
 *
 * <p>Not thread-safe: one per searcher. Allocation-free after construction.
 */
final class BinaryNodeScorer implements NodeScorer {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final QuantizedVectors vectors;
    private final BinaryQuantizer quantizer;
    private final boolean euclid;
    private final int words;
    private final int dimension;
    private final float[] centred;
    private final QueryBitPlanes query;
    /** The query's additive term: {@code |q'|²} (Euclid) or {@code q·c − |c|²/2}. */
    private float queryTerm;

    BinaryNodeScorer(QuantizedVectors vectors, BinaryQuantizer quantizer) {
        this.vectors = vectors;
        this.quantizer = quantizer;
        this.euclid = quantizer.euclid();
        this.words = quantizer.words();
        this.dimension = quantizer.dimension();
        this.centred = new float[dimension];
        this.query = new QueryBitPlanes(words);
    }

    @Override
    public GraphVectors vectors() {
        return vectors;
    }

    @Override
    public void setQuery(float[] preparedQuery) {
        queryTerm = quantizer.centre(preparedQuery, centred);
        query.set(centred, dimension);
    }

    @Override
    public void setQueryNode(int node) {
        query.setCode(vectors.codePage(node), vectors.codeOffset(node), vectors.correction(node, 0));
        queryTerm = vectors.correction(node, 1);
    }

    @Override
    public float score(int node) {
        byte[] page = vectors.codePage(node);
        int off = vectors.codeOffset(node);
        long[] planes = query.planes;
        int ones = 0;
        int weighted = 0;
        for (int w = 0; w < words; w++) {
            long code = (long) LONGS.get(page, off + (w << 3));
            ones += Long.bitCount(code);
            weighted += Long.bitCount(code & planes[w])
                    + (Long.bitCount(code & planes[words + w]) << 1)
                    + (Long.bitCount(code & planes[2 * words + w]) << 2)
                    + (Long.bitCount(code & planes[3 * words + w]) << 3);
        }
        float signedDot = query.lower * (2 * ones - dimension) + query.step * (2 * weighted - query.levelSum);
        float cross = vectors.correction(node, 0) * signedDot; // ≈ x'·q'
        if (euclid) {
            return -(vectors.correction(node, 1) + queryTerm - 2 * cross);
        }
        return cross + queryTerm + vectors.correction(node, 1);
    }

    @Override
    public void scoreAll(int[] ids, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = score(ids[i]);
        }
    }
}
