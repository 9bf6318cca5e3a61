package dev.vdb.index.quant;

import dev.vdb.index.DistanceKernels;
import dev.vdb.index.GraphVectors;
import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorSimilarity;

/**
 * Scores {@link WholeNumberVectors}: by their codes when the query is whole numbers in their
 * range (a stored node always is while they are active), else by the floats. The floats' scorer
 * always has the query too, so a search the codes' retirement overtakes goes on with the floats
 * (a node stored after it has no code).
 *
 * <p>Not thread-safe: one per searcher. Allocates the query's code once, and a codes scorer once per codes.
 */
final class WholeNumberScorer implements NodeScorer {

    private final WholeNumberVectors vectors;
    private final NodeScorer floats;
    private final VectorSimilarity similarity;
    /** The codes' scorer, and the codes it reads; dropped once they are retired. */
    private Int8NodeScorer bytes;
    private QuantizedVectors bytesOf;
    private boolean onBytes;
    /** The query's code while {@link #onBytes}. */
    private final byte[] queryCode;

    WholeNumberScorer(WholeNumberVectors vectors, NodeScorer floats, VectorSimilarity similarity) {
        this.vectors = vectors;
        this.floats = floats;
        this.similarity = similarity;
        this.queryCode = new byte[vectors.dimension()];
    }

    @Override
    public GraphVectors vectors() {
        return vectors;
    }

    @Override
    public void setQuery(float[] preparedQuery) {
        floats.setQuery(preparedQuery);
        QuantizedVectors codes = bytesFor(vectors.codes());
        onBytes = false;
        if (codes != null) {
            Int8Quantizer range = (Int8Quantizer) codes.quantizer();
            int levelSum = WholeNumberVectors.encodeExactly(range, preparedQuery, queryCode);
            onBytes = levelSum != DistanceKernels.NOT_WHOLE;
            if (onBytes) {
                bytes.setQueryCode(queryCode, range.correction(levelSum));
            }
        }
    }

    @Override
    public void setQueryNode(int node) {
        floats.setQueryNode(node);
        onBytes = bytesFor(vectors.codes()) != null; // every node set while they are active has its code
        if (onBytes) {
            bytes.setQueryNode(node);
        }
    }

    /** Points {@link #bytes} at {@code codes} (null: drops it); returns them. */
    private QuantizedVectors bytesFor(QuantizedVectors codes) {
        if (codes != bytesOf) {
            bytes = codes == null ? null : (Int8NodeScorer) codes.newScorer(similarity);
            bytesOf = codes;
        }
        return codes;
    }

    /** Whether the query is scored by the codes (until they retire). */
    boolean onBytes() {
        return onBytes;
    }

    @Override
    public float score(int node) {
        return onBytes && !vectors.retired() ? bytes.score(node) : floats.score(node);
    }

    @Override
    public void scoreAll(int[] ids, int n, float[] out) {
        if (onBytes && !vectors.retired()) {
            bytes.scoreAll(ids, n, out);
        } else {
            floats.scoreAll(ids, n, out);
        }
    }
}
