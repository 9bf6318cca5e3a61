package dev.vdb.bench.engines;

import dev.vdb.bench.Progress;
import dev.vdb.index.TopK;
import dev.vdb.index.VectorSimilarity;

/**
 * Brute-force scan with our SIMD kernels ({@link VectorSimilarity#score}): the recall floor
 * (always 1.0) and the speed every index must beat. Vectors live in one contiguous slab.
 * Sessions are independent; a search allocates its k-sized heap and result arrays.
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
            @Override
            public int[] search(float[] query, int k, int ef) {
                TopK top = new TopK(k);
                for (int i = 0, off = 0; i < size; i++, off += dim) {
                    top.offer(similarity.score(query, 0, slab, off, dim), i);
                }
                int[] ids = new int[top.size()];
                top.drainBestFirst(ids, new float[ids.length]);
                return ids;
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
}
