package dev.vdb.index.hnsw;

import java.util.Arrays;

/**
 * The hits of one search, best first: ordinals with their similarity scores (higher is closer,
 * see {@link dev.vdb.index.VectorSimilarity}). Reused across queries: a search overwrites it
 * and grows its arrays only when asked for more hits than ever before.
 *
 * <p>Not thread-safe; owned by the caller of {@link HnswSearcher#search}.
 */
public final class SearchResults {

    private int[] ordinals;
    private float[] scores;
    private int size;

    public SearchResults() {
        this(16);
    }

    public SearchResults(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be non-negative, got " + capacity);
        }
        ordinals = new int[capacity];
        scores = new float[capacity];
    }

    /** Number of hits. */
    public int size() {
        return size;
    }

    /** Ordinal of hit {@code i} (0 = best). */
    public int ordinal(int i) {
        checkIndex(i);
        return ordinals[i];
    }

    /** Similarity score of hit {@code i} (higher is closer). */
    public float score(int i) {
        checkIndex(i);
        return scores[i];
    }

    /** Hits it holds room for. */
    public int capacity() {
        return ordinals.length;
    }

    /** A fresh copy of the hit ordinals, best first. */
    public int[] toOrdinalArray() {
        return Arrays.copyOf(ordinals, size);
    }

    void clear(int capacity) {
        if (ordinals.length < capacity) {
            ordinals = new int[capacity];
            scores = new float[capacity];
        }
        size = 0;
    }

    /** Stores hit {@code i}; the caller fills slots in any order, then calls {@link #setSize}. */
    void set(int i, int ordinal, float score) {
        ordinals[i] = ordinal;
        scores[i] = score;
    }

    void setSize(int size) {
        this.size = size;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("hit " + i + " of " + size);
        }
    }
}
