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

    /** Puts {@code value} at the root's place and sifts it down to where it belongs. */
    private void siftDownFromRoot(long value) {
        long[] h = heap;
        int n = size;
        int i = 1;
        int child;
        while ((child = i << 1) <= n) {
            long c = h[child];
            if (child < n) {
                long right = h[child + 1];
                if (right < c) {
                    child++;
                    c = right;
                }
            }
            if (value <= c) {
                break;
            }
            h[i] = c;
            i = child;
        }
        h[i] = value;
    }
}
