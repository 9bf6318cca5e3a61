package dev.vdb.index.quant;

import dev.vdb.index.GraphVectors;
import dev.vdb.index.NodeScorer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Scores binary codes ({@link BinaryQuantizer}): the Hamming distance of two codes, 64 bits per
 * {@link Long#bitCount}, turned into a score estimate by the quantizer's cosine table and the
 * codes' corrections.
 *
 * <p>Not thread-safe: one per searcher. Allocation-free after construction.
 */
final class BinaryNodeScorer implements NodeScorer {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final QuantizedVectors vectors;
    private final BinaryQuantizer quantizer;
    private final boolean euclid;
    private final int words;
    private final byte[] ownCode;
    private final float[] ownCorr = new float[2];
    private byte[] q;
    private int qOff;
    private float qNorm;
    private float qCorr;

    BinaryNodeScorer(QuantizedVectors vectors, BinaryQuantizer quantizer, boolean euclid) {
        this.vectors = vectors;
        this.quantizer = quantizer;
        this.euclid = euclid;
        this.words = quantizer.words();
        this.ownCode = new byte[quantizer.codeBytes()];
    }

    @Override
    public GraphVectors vectors() {
        return vectors;
    }

    @Override
    public void setQuery(float[] preparedQuery) {
        quantizer.encode(preparedQuery, ownCode, 0, ownCorr, 0);
        q = ownCode;
        qOff = 0;
        qNorm = ownCorr[0];
        qCorr = ownCorr[1];
    }

    @Override
    public void setQueryNode(int node) {
        q = vectors.codePage(node);
        qOff = vectors.codeOffset(node);
        qNorm = vectors.correction(node, 0);
        qCorr = vectors.correction(node, 1);
    }

    @Override
    public float score(int node) {
        byte[] page = vectors.codePage(node);
        int off = vectors.codeOffset(node);
        int h = 0;
        for (int w = 0; w < words; w++) {
            h += Long.bitCount((long) LONGS.get(q, qOff + (w << 3)) ^ (long) LONGS.get(page, off + (w << 3)));
        }
        float r = vectors.correction(node, 0);
        float cross = qNorm * r * quantizer.cosineOf(h);
        if (euclid) {
            return -(qNorm * qNorm + r * r - 2 * cross);
        }
        return cross + qCorr + vectors.correction(node, 1);
    }

    @Override
    public void scoreAll(int[] ids, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = score(ids[i]);
        }
    }
}
