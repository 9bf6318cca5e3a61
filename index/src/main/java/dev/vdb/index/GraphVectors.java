package dev.vdb.index;

/**
 * The vectors an HNSW graph walks, by dense ordinal: float32 pages ({@link VectorStore}) or
 * quantized codes ({@link dev.vdb.index.quant.QuantizedVectors}). A graph's structure does not
 * depend on which: it can switch from one to another that holds the same ordinals.
 *
 * <p>Implementations are thread-safe for reads concurrent with writes of other ordinals.
 */
public interface GraphVectors {

    int dimension();

    /** One more than the highest ordinal stored. */
    int size();

    /** A scorer over these vectors for one thread, scoring by {@code similarity}. */
    NodeScorer newScorer(VectorSimilarity similarity);

    /** Java heap these vectors hold. */
    long heapBytes();
}
