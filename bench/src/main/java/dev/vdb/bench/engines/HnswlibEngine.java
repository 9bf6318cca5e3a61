package dev.vdb.bench.engines;

import com.github.jelmerk.hnswlib.core.DistanceFunction;
import com.github.jelmerk.hnswlib.core.DistanceFunctions;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import dev.vdb.bench.Progress;
import dev.vdb.index.VectorSimilarity;
import java.util.ArrayList;
import java.util.List;

/**
 * hnswlib-java ({@code com.github.jelmerk:hnswlib-core}) {@link HnswIndex} with {@code m} and
 * {@code efConstruction}; its {@code addAll} builds on several threads. The per-query ef is the
 * index-wide {@code setEf}, so sessions of one engine must run with the same ef at a time (the
 * harness's throughput point does). Distance computations are counted by wrapping its
 * {@link DistanceFunction} (counting switched on only for single-thread sweeps).
 */
public final class HnswlibEngine implements AnnEngine {

    /** One indexed vector; hnswlib requires a serializable item. */
    record Row(Integer id, float[] vector) implements Item<Integer, float[]> {
        @Override
        public int dimensions() {
            return vector.length;
        }
    }

    /** Counts calls while {@link #counting} is set; the count is racy by design when shared. */
    static final class CountingDistance implements DistanceFunction<float[], Float> {
        private static final long serialVersionUID = 1L;
        private final DistanceFunction<float[], Float> delegate;
        volatile boolean counting;
        long count;

        CountingDistance(DistanceFunction<float[], Float> delegate) {
            this.delegate = delegate;
        }

        @Override
        public Float distance(float[] u, float[] v) {
            if (counting) {
                count++;
            }
            return delegate.distance(u, v);
        }
    }

    private final int m;
    private final int efConstruction;
    private final CountingDistance distance;
    private HnswIndex<Integer, float[], Row, Float> index;

    public HnswlibEngine(VectorSimilarity similarity, int m, int efConstruction) {
        this.m = m;
        this.efConstruction = efConstruction;
        this.distance = new CountingDistance(switch (similarity) {
            case COSINE, DOT -> DistanceFunctions.FLOAT_INNER_PRODUCT; // vectors pre-normalised for cosine
            case EUCLID -> DistanceFunctions.FLOAT_EUCLIDEAN_DISTANCE;
        });
    }

    @Override
    public String name() {
        return "hnswlib";
    }

    @Override
    public boolean buildsConcurrently() {
        return true;
    }

    @Override
    public void build(float[][] base, int threads, Progress progress) throws InterruptedException {
        index = HnswIndex.newBuilder(base[0].length, distance, base.length)
                .withM(m).withEfConstruction(efConstruction).withEf(efConstruction).build();
        List<Row> rows = new ArrayList<>(base.length);
        for (int i = 0; i < base.length; i++) {
            rows.add(new Row(i, base[i]));
        }
        long[] reported = {0};
        index.addAll(rows, threads, (done, max) -> {
            progress.advance(done - reported[0]);
            reported[0] = done;
        }, Math.max(1, base.length / 100));
        progress.advance(base.length - reported[0]);
    }

    @Override
    public Session newSession() {
        return new Session() {
            private long last = -1;

            @Override
            public int[] search(float[] query, int k, int ef) {
                if (index.getEf() != ef) {
                    index.setEf(ef);
                }
                long before = distance.count;
                List<SearchResult<Row, Float>> hits = index.findNearest(query, k);
                last = distance.counting ? distance.count - before : -1;
                int[] ids = new int[hits.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = hits.get(i).item().id();
                }
                return ids;
            }

            @Override
            public long lastDistanceComputations() {
                return last;
            }
        };
    }

    @Override
    public void countDistances(boolean on) {
        distance.counting = on;
    }

    @Override
    public long memoryBytes(long heapDeltaBytes) {
        return heapDeltaBytes;
    }

    @Override
    public String memoryMethod() {
        return "live heap after build − before (after GC), incl. its float[] per vector";
    }

    @Override
    public void close() {
        index = null;
    }
}
