package dev.vdb.index.quant;

import dev.vdb.index.GraphVectors;
import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorSimilarity;

/**
 * Scores {@link WholeNumberVectors}: by their codes when the query is whole numbers in their
 * range (a stored node always is while they are active), else by the floats. The floats' scorer
 * always has the query too, so a search the codes' retirement overtakes goes on with the floats
 * (a node stored after it has no code).
 *
 * <p>Not thread-safe: one per searcher. Allocates only a codes scorer, once per codes.
 */
final class WholeNumberScorer implements NodeScorer {

    private final WholeNumberVectors vectors;
    private final NodeScorer floats;
    private final VectorSimilarity similarity;
    /** The codes' scorer, and the codes it reads; dropped once they are retired. */
    private NodeScorer bytes;
    private QuantizedVectors bytesOf;
    private boolean onBytes;

    WholeNumberScorer(WholeNumberVectors vectors, NodeScorer floats, VectorSimilarity similarity) {
        this.vectors = vectors;
        this.floats = floats;
        this.similarity = similarity;
    }

    @Override
    public GraphVectors vectors() {
        return vectors;
    }

    @Override
    public void setQuery(float[] preparedQuery) {
        floats.setQuery(preparedQuery);
        QuantizedVectors codes = bytesFor(vectors.codes());
        onBytes = codes != null && WholeNumberVectors.holds(codes, preparedQuery);
        if (onBytes) {
            bytes.setQuery(preparedQuery);
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
            bytes = codes == null ? null : codes.newScorer(similarity);
            bytesOf = codes;
        }
        return codes;
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
