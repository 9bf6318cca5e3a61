package dev.vdb.index.hnsw;

import dev.vdb.index.Bits;
import dev.vdb.index.PackedHit;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Metric;
import dev.vdb.testkit.data.Datasets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** Shared helpers of the HNSW tests: datasets (real or generated), builds, recall oracles. */
final class TestData {

    static final int K = 10;

    private TestData() {}

    /** The named shared dataset with its cosine ground truth, or generated data of the same shape. */
    static Dataset cosineDataset(String name, int fallbackN, int fallbackDim) {
        return Datasets.find(name).map(dir -> {
            try {
                return Dataset.load(dir, "groundtruth.ivecs", Metric.COSINE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElseGet(() -> Dataset.generate(fallbackN, 200, fallbackDim, Metric.COSINE, 100, 7));
    }

    /** A store holding every base vector of {@code data}, prepared, at its row id. */
    static VectorStore store(Dataset data) {
        VectorStore store = new VectorStore(data.dimension());
        for (int i = 0; i < data.base().length; i++) {
            store.set(i, similarity(data).prepare(data.base()[i]));
        }
        return store;
    }

    /** The engine's similarity for the metric {@code data}'s ground truth was computed with. */
    static VectorSimilarity similarity(Dataset data) {
        return VectorSimilarity.valueOf(data.metric().name());
    }

    static float[][] preparedQueries(Dataset data) {
        return Arrays.stream(data.queries()).map(similarity(data)::prepare).toArray(float[][]::new);
    }

    static int[] range(int from, int to) {
        int[] out = new int[to - from];
        Arrays.setAll(out, i -> from + i);
        return out;
    }

    static HnswIndex build(VectorStore store, VectorSimilarity similarity, int[] ordinals, int threads) {
        HnswIndex index = new HnswIndex(store, similarity, HnswParams.DEFAULT);
        index.addAll(ordinals, threads);
        return index;
    }

    /** Mean recall@10 of {@code index} at {@code ef} over the first {@code queries} queries. */
    static double recall(HnswIndex index, Dataset data, float[][] queries, int count, int ef) {
        HnswSearcher searcher = index.newSearcher();
        SearchResults out = new SearchResults();
        double sum = 0;
        for (int q = 0; q < count; q++) {
            searcher.search(queries[q], K, ef, Bits.ALL, out);
            sum += data.recall(q, out.toOrdinalArray(), K);
        }
        return sum / count;
    }

    /** Exact top-k ordinals among {@code live} by brute force: the oracle over a subset. */
    static int[] exactTopK(VectorStore store, VectorSimilarity similarity, float[] query, int[] live, int k) {
        long[] packed = new long[live.length];
        for (int i = 0; i < live.length; i++) {
            float s = similarity.scalarScore(query, 0, store.page(live[i]), store.offset(live[i]), store.dimension());
            packed[i] = ~PackedHit.pack(s, live[i]);
        }
        Arrays.sort(packed);
        int[] top = new int[Math.min(k, live.length)];
        for (int i = 0; i < top.length; i++) {
            top[i] = PackedHit.ordinal(~packed[i]);
        }
        return top;
    }

    /** |found ∩ truth| / |truth|. */
    static double overlap(int[] found, int[] truth) {
        int hits = 0;
        for (int f : found) {
            for (int t : truth) {
                if (f == t) {
                    hits++;
                    break;
                }
            }
        }
        return hits / (double) truth.length;
    }
}
