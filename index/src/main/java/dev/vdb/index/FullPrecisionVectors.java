package dev.vdb.index;

/**
 * A collection's float32 vectors by dense ordinal, as {@link VectorSimilarity#prepare prepared}:
 * on the Java heap ({@link VectorStore}) or in a memory-mapped file ({@link MappedVectorStore}).
 * What exact search and rescoring read.
 *
 * <p>Thread safety: {@link #set} may run concurrently with reads and with other sets of other
 * ordinals; a reader learns of an ordinal through a happens-before edge (its publication).
 */
public interface FullPrecisionVectors {

    int dimension();

    /** One more than the highest ordinal ever set. */
    int size();

    /** Makes room for ordinals below {@code vectors}. */
    void reserve(int vectors);

    /** Stores a copy of the prepared {@code vector} at {@code ordinal}. */
    void set(int ordinal, float[] vector);

    /** Copies the vector at {@code ordinal} into {@code dst[0..dimension)}. */
    void read(int ordinal, float[] dst);

    /** Java heap the vectors hold. */
    long heapBytes();

    /** Bytes mapped from a file (none on the heap store). */
    long mappedBytes();
}
