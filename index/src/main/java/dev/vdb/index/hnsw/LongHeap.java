package dev.vdb.index.hnsw;

import dev.vdb.index.PackedHit;

/**
 * A binary min-heap of {@code long}s that grows on demand. Searches store score and ordinal
 * packed into one long ({@link PackedHit}); a max-heap is this heap over bitwise-negated values.
 *
 * <p>Not thread-safe; allocation-free once it has reached its working size.
 */
final class LongHeap {

    private long[] heap;
    private int size;

    LongHeap(int capacity) {
        heap = new long[Math.max(capacity, 8) + 1];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    /** Values it can hold before it grows. */
    int capacity() {
        return heap.length - 1;
    }

    /** Empties the heap and gives back the room it grew past {@code capacity}. */
    void shrinkTo(int capacity) {
        size = 0;
        if (heap.length - 1 > capacity) {
            heap = new long[Math.max(capacity, 8) + 1];
        }
    }

    /** The smallest value; the heap must not be empty. */
    long peek() {
        return heap[1];
    }

    void push(long value) {
        if (++size == heap.length) {
            heap = java.util.Arrays.copyOf(heap, heap.length * 2);
        }
        long[] h = heap;
        int i = size;
        while (i > 1) {
            int parent = i >>> 1;
            long p = h[parent];
            if (value >= p) {
                break;
            }
            h[i] = p;
            i = parent;
        }
        h[i] = value;
    }

    /** Removes and returns the smallest value; the heap must not be empty. */
    long pop() {
        long top = heap[1];
        long last = heap[size--];
        siftDownFromRoot(last);
        return top;
    }

    /** Replaces the smallest value by {@code value} (one sift instead of pop + push). */
    void replaceTop(long value) {
        siftDownFromRoot(value);
    }

    /**
     * Puts {@code value} at the root's place and moves it to where it belongs, bottom-up (Floyd):
     * first down to a leaf along the smaller children, moving each up a place, choosing each
     * child by a select rather than a branch; then up from there to where {@code value} fits.
     * What replaces the root (the last value on a pop, a better result on a replace) mostly
     * belongs near the leaves, so the climb back is short, where sifting down from the root
     * branches, unpredictably, on two comparisons per level.
     */
    private void siftDownFromRoot(long value) {
        long[] h = heap;
        int n = size;
        int i = 1;
        int child;
        while ((child = i << 1) < n) {
            long left = h[child];
            long right = h[child + 1];
            child += right < left ? 1 : 0;
            h[i] = Math.min(left, right);
            i = child;
        }
        if (child == n) {
            h[i] = h[n];
            i = n;
        }
        while (i > 1) {
            int parent = i >>> 1;
            long p = h[parent];
            if (value >= p) {
                break;
            }
            h[i] = p;
            i = parent;
        }
        h[i] = value;
    }
}
