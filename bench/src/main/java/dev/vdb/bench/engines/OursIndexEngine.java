package dev.vdb.bench.engines;

import dev.vdb.bench.Progress;
import dev.vdb.index.Bits;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.index.hnsw.HnswIndex;
import dev.vdb.index.hnsw.HnswParams;
import dev.vdb.index.hnsw.HnswSearcher;
import dev.vdb.index.hnsw.SearchResults;
import java.util.stream.IntStream;

/**
 * Our raw {@link HnswIndex} without the engine around it (no RocksDB, no id mapping), to tune
 * the index alone: vectors copied into a {@link VectorStore}, then {@link HnswIndex#addAll} on
 * the build threads. Search: {@link HnswSearcher} with ef, match-all filter; distance
 * computations from {@link HnswSearcher#distanceComputations()}, exact. Memory: the store's
 * pages plus the graph's own accounting, exact. One searcher per session; sessions may run
 * concurrently.
 */
public final class OursIndexEngine implements AnnEngine {

    private final VectorSimilarity similarity;
    private final int m;
    private final int efConstruct;
    private VectorStore store;
    private HnswIndex index;

    public OursIndexEngine(VectorSimilarity similarity, int m, int efConstruct) {
        this.similarity = similarity;
        this.m = m;
        this.efConstruct = efConstruct;
    }

    @Override
    public String name() {
        return "ours-index";
    }

    @Override
    public boolean buildsConcurrently() {
        return true;
    }

    @Override
    public void build(float[][] base, int threads, Progress progress) throws InterruptedException {
        store = VectorStore.scoredWith(base[0].length, similarity);
        for (int i = 0; i < base.length; i++) {
            store.set(i, base[i]);
        }
        HnswIndex built = new HnswIndex(store, similarity, new HnswParams(m, efConstruct, HnswParams.DEFAULT_SEED));
        Thread poller = Thread.ofPlatform().daemon().name("ours-index-progress").start(() -> {
            long reported = 0;
            try {
                while (true) {
                    Thread.sleep(1_000);
                    long now = built.size();
                    progress.advance(now - reported);
                    reported = now;
                }
            } catch (InterruptedException stop) {
                progress.advance(built.size() - reported);
            }
        });
        try {
            built.addAll(IntStream.range(0, base.length).toArray(), threads);
        } finally {
            poller.interrupt();
            poller.join();
        }
        index = built;
    }

    /** The built index (after {@link #build}). */
    public HnswIndex index() {
        return index;
    }

    @Override
    public Session newSession() {
        HnswSearcher searcher = index.newSearcher();
        return new Session() {
            private final SearchResults results = new SearchResults();
            private long last = -1;

            @Override
            public int[] search(float[] query, int k, int ef) {
                long before = searcher.distanceComputations();
                searcher.search(query, k, ef, Bits.ALL, results);
                last = searcher.distanceComputations() - before;
                return results.toOrdinalArray();
            }

            @Override
            public long lastDistanceComputations() {
                return last;
            }
        };
    }

    @Override
    public long memoryBytes(long heapDeltaBytes) {
        return store.memoryBytes() + index.graphMemoryBytes();
    }

    @Override
    public String memoryMethod() {
        return "VectorStore.memoryBytes() + HnswIndex.graphMemoryBytes() (exact; a full store page fills one G1 heap region)";
    }

    @Override
    public void close() {
        index = null;
        store = null;
    }
}
