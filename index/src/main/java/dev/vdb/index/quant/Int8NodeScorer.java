package dev.vdb.index.quant;

import dev.vdb.index.GraphVectors;
import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorKernels;

/**
 * Scores int8 codes ({@link Int8Quantizer}) with the SIMD int kernels of {@link VectorKernels}:
 * a query is encoded once into this scorer's own buffer, or a stored code is read in place.
 *
 * <p>Not thread-safe: one per searcher. Allocation-free after construction.
 */
final class Int8NodeScorer implements NodeScorer {

    private final QuantizedVectors vectors;
    private final boolean euclid;
    private final int dimension;
    private final float scale;
    private final byte[] ownCode;
    private final float[] ownCorr = new float[1];
    private byte[] q;
    private int qOff;
    private float qCorr;

    Int8NodeScorer(QuantizedVectors vectors, Int8Quantizer quantizer, boolean euclid) {
        this.vectors = vectors;
        this.euclid = euclid;
        this.dimension = quantizer.dimension();
        this.scale = quantizer.alphaSquared();
        this.ownCode = new byte[dimension];
    }

    @Override
    public GraphVectors vectors() {
        return vectors;
    }

    @Override
    public void setQuery(float[] preparedQuery) {
        vectors.quantizer().encode(preparedQuery, ownCode, 0, ownCorr, 0);
        q = ownCode;
        qOff = 0;
        qCorr = ownCorr[0];
    }

    @Override
    public void setQueryNode(int node) {
        q = vectors.codePage(node);
        qOff = vectors.codeOffset(node);
        qCorr = vectors.correction(node, 0);
    }

    @Override
    public float score(int node) {
        byte[] page = vectors.codePage(node);
        int off = vectors.codeOffset(node);
        if (euclid) {
            return -scale * VectorKernels.squareDistanceBytes(q, qOff, page, off, dimension);
        }
        return scale * VectorKernels.dotBytes(q, qOff, page, off, dimension) + qCorr + vectors.correction(node, 0);
    }

    @Override
    public void scoreAll(int[] ids, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = score(ids[i]);
        }
    }
}
