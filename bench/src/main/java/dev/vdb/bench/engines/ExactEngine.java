package dev.vdb.bench.engines;

import dev.vdb.bench.Progress;
import dev.vdb.index.VectorSimilarity;

/**
 * Brute-force scan with our SIMD kernels ({@link VectorSimilarity#score}): the recall floor
 * (always 1.0) and the speed every index must beat. Vectors live in one contiguous slab.
 * Sessions are independent; each owns its top-k scratch and allocates only the result array.
 */
public final class ExactEngine implements AnnEngine {

    private final VectorSimilarity similarity;
    private float[] slab;
    private int dim;
    private int size;

    public ExactEngine(VectorSimilarity similarity) {
        this.similarity = similarity;
    }

    @Override
    public String name() {
        return "exact";
    }

    @Override
    public boolean buildsConcurrently() {
        return false;
    }

    @Override
    public void build(float[][] base, int threads, Progress progress) {
        dim = base[0].length;
        size = base.length;
        slab = new float[size * dim];
        for (int i = 0; i < size; i++) {
            System.arraycopy(base[i], 0, slab, i * dim, dim);
            progress.advance(1);
        }
    }

    @Override
    public Session newSession() {
        return new Session() {
            private final TopK top = new TopK();

            @Override
            public int[] search(float[] query, int k, int ef) {
                top.reset(k);
                for (int i = 0, off = 0; i < size; i++, off += dim) {
                    top.offer(similarity.score(query, 0, slab, off, dim), i);
                }
                return top.idsBestFirst();
            }

            @Override
            public long lastDistanceComputations() {
                return size;
            }
        };
    }

    @Override
    public long memoryBytes(long heapDeltaBytes) {
        return 4L * dim * size;
    }

    @Override
    public String memoryMethod() {
        return "exact: 4·d bytes per vector in one float[] slab";
    }

    @Override
    public void close() {
        slab = null;
    }

    /**
     * Bounded min-heap of (score, id) packed in longs so that the worst kept hit is on top.
     * Ties go to the smaller id. Reused across queries; not thread-safe.
     */
    static final class TopK {
        private long[] heap = new long[16];
        private int size;
        private int k;

        void reset(int newK) {
            k = newK;
            size = 0;
            if (heap.length < newK) {
                heap = new long[newK];
            }
        }

        /** Packs so that a larger long is a better hit: score bits high, inverted id low. */
        static long pack(float score, int id) {
            int bits = Float.floatToIntBits(score);
            bits ^= (bits >> 31) & 0x7fffffff;
            return ((long) bits << 32) | (0xffffffffL & ~id);
        }

        void offer(float score, int id) {
            long v = pack(score, id);
            if (size < k) {
                heap[size] = v;
                siftUp(size++);
            } else if (v > heap[0]) {
                heap[0] = v;
                siftDown(0);
            }
        }

        int[] idsBestFirst() {
            long[] sorted = java.util.Arrays.copyOf(heap, size);
            java.util.Arrays.sort(sorted);
            int[] ids = new int[size];
            for (int i = 0; i < size; i++) {
                ids[i] = ~(int) sorted[size - 1 - i];
            }
            return ids;
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
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
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
}
