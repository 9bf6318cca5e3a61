package dev.vdb.index.text;

import java.util.Arrays;

/**
 * Keeps the best {@code k} (ordinal, score) pairs seen, ranking by score then smaller ordinal.
 * Each entry is one {@code long}: the score's bits (scores are >= 0, so their int bits order
 * like the floats) above the complemented ordinal, so a larger key is a better hit. A min-heap
 * of keys exposes the worst kept hit, the threshold a candidate must beat.
 *
 * <p>Not thread-safe; reusable after {@link #reset}; allocates only when it grows.
 */
final class TopHitsHeap {

    private long[] heap = new long[16];
    private int size;
    private int k;

    void reset(int k) {
        this.k = k;
        size = 0;
        if (heap.length < k) {
            heap = new long[k];
        }
    }

    boolean isFull() {
        return size == k;
    }

    /** The worst kept score; only meaningful when full. */
    float threshold() {
        return Float.intBitsToFloat((int) (heap[0] >>> 32));
    }

    /** Offers a hit; keeps it if it is among the best {@code k} so far. */
    void offer(int ordinal, float score) {
        assert score >= 0 : score;
        long key = ((long) Float.floatToIntBits(score) << 32) | (~ordinal & 0xFFFFFFFFL);
        if (size < k) {
            heap[size] = key;
            siftUp(size++);
        } else if (key > heap[0]) {
            heap[0] = key;
            siftDown(0);
        }
    }

    /** The kept hits, best first; empties the heap. */
    TextHits drain() {
        long[] keys = Arrays.copyOf(heap, size);
        Arrays.sort(keys);
        int n = keys.length;
        int[] ordinals = new int[n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            long key = keys[n - 1 - i];
            ordinals[i] = ~(int) key;
            scores[i] = Float.intBitsToFloat((int) (key >>> 32));
        }
        size = 0;
        return new TextHits(ordinals, scores);
    }

    private void siftUp(int i) {
        long key = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= key) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = key;
    }

    private void siftDown(int i) {
        long key = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (key <= heap[child]) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = key;
    }
}
