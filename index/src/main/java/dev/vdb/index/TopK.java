package dev.vdb.index;

/**
 * The k best (score, ordinal) pairs seen so far: a binary min-heap of packed longs whose root is
 * the worst kept hit. A long packs the score's order-preserving int bits above the inverted
 * ordinal, so comparing longs orders by score and, on equal scores, prefers the smaller ordinal.
 *
 * <p>Not thread-safe: one per query. {@link #offer} allocates nothing.
 */
public final class TopK {

    private final long[] heap;
    private int size;

    public TopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        heap = new long[k];
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == heap.length;
    }

    /** The score a hit must beat to enter once the heap is full. */
    public float worstScore() {
        return scoreOf(heap[0]);
    }

    /** Keeps {@code (score, ordinal)} when it is among the best k so far. */
    public void offer(float score, int ordinal) {
        long packed = pack(score, ordinal);
        if (size < heap.length) {
            heap[size] = packed;
            siftUp(size++);
        } else if (packed > heap[0]) {
            heap[0] = packed;
            siftDown(0);
        }
    }

    /** Empties the heap into {@code ordinals} and {@code scores}, best first; returns the count. */
    public int drainBestFirst(int[] ordinals, float[] scores) {
        int n = size;
        for (int i = n - 1; i >= 0; i--) {
            long top = heap[0];
            ordinals[i] = ordinalOf(top);
            scores[i] = scoreOf(top);
            heap[0] = heap[--size];
            siftDown(0);
        }
        return n;
    }

    private static long pack(float score, int ordinal) {
        int bits = Float.floatToIntBits(score);
        bits ^= (bits >> 31) & 0x7fffffff;
        return ((long) bits << 32) | ((Integer.MAX_VALUE - ordinal) & 0xffffffffL);
    }

    private static float scoreOf(long packed) {
        int bits = (int) (packed >> 32);
        bits ^= (bits >> 31) & 0x7fffffff;
        return Float.intBitsToFloat(bits);
    }

    private static int ordinalOf(long packed) {
        return Integer.MAX_VALUE - (int) packed;
    }

    private void siftUp(int i) {
        long v = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= v) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = v;
    }

    private void siftDown(int i) {
        long v = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= v) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = v;
    }
}
