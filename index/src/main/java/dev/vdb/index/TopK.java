package dev.vdb.index;

/**
 * The k best (score, ordinal) pairs seen so far: a binary min-heap of {@link PackedHit}s whose
 * root is the worst kept hit, so ties go to the smaller ordinal.
 *
 * <p>Not thread-safe: one per query, or reused through {@link #reset}. {@link #offer} allocates
 * nothing.
 */
public final class TopK {

    private long[] heap;
    private int k;
    private int size;

    public TopK(int k) {
        heap = new long[0];
        reset(k);
    }

    /** Empties the heap and makes it keep the best {@code k}; grows its array only when needed. */
    public void reset(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        if (heap.length < k) {
            heap = new long[k];
        }
        this.k = k;
        size = 0;
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == k;
    }

    /** The score a hit must beat to enter once the heap is full. */
    public float worstScore() {
        return PackedHit.score(heap[0]);
    }

    /** Keeps {@code (score, ordinal)} when it is among the best k so far. */
    public void offer(float score, int ordinal) {
        long packed = PackedHit.pack(score, ordinal);
        if (size < k) {
            heap[size] = packed;
            siftUp(size++);
        } else if (packed > heap[0]) {
            heap[0] = packed;
            siftDown(0);
        }
    }

    /** {@link #offer}s each of the {@code n} scored ordinals, {@code ordinals[i]} with {@code scores[i]}. */
    public void offerAll(int[] ordinals, float[] scores, int n) {
        for (int i = 0; i < n; i++) {
            offer(scores[i], ordinals[i]);
        }
    }

    /** Empties the heap into {@code ordinals} and {@code scores}, best first; returns the count. */
    public int drainBestFirst(int[] ordinals, float[] scores) {
        int n = size;
        for (int i = n - 1; i >= 0; i--) {
            long top = heap[0];
            ordinals[i] = PackedHit.ordinal(top);
            scores[i] = PackedHit.score(top);
            heap[0] = heap[--size];
            siftDown(0);
        }
        return n;
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
