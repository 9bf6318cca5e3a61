package dev.vdb.index;

import dev.vdb.index.hnsw.HnswIndex;
import dev.vdb.index.hnsw.HnswParams;
import dev.vdb.index.hnsw.HnswSearcher;
import dev.vdb.index.hnsw.SearchResults;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Metric;
import java.util.Arrays;

/**
 * Run by {@link KernelFallbackTest} in a child JVM: builds a small index, searches it with ef at
 * least the number of nodes (so the beam visits every node and must return the exact top k),
 * and compares every answer with the brute-force oracle. Prints which kernels ran; exits 1 on
 * the first wrong answer.
 */
public final class FallbackSearchMain {

    static final int N = 400;
    static final int QUERIES = 30;
    static final int K = 10;

    private FallbackSearchMain() {}

    public static void main(String[] args) {
        System.out.println("kernels: " + VectorKernels.implementation().getClass().getSimpleName());
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            Dataset data = Dataset.generate(N, QUERIES, 24, Metric.valueOf(similarity.name()), K, 3);
            VectorStore store = new VectorStore(data.dimension());
            int[] ordinals = new int[N];
            for (int i = 0; i < N; i++) {
                store.set(i, similarity.prepare(data.base()[i]));
                ordinals[i] = i;
            }
            HnswIndex index = new HnswIndex(store, similarity, HnswParams.DEFAULT);
            index.addAll(ordinals, 2);
            HnswSearcher searcher = index.newSearcher();
            SearchResults results = new SearchResults();
            for (int q = 0; q < QUERIES; q++) {
                searcher.search(similarity.prepare(data.queries()[q]), K, N, Bits.ALL, results);
                int[] found = results.toOrdinalArray();
                if (!Arrays.equals(found, data.groundTruth()[q])) {
                    System.out.println(similarity + " query " + q + ": found " + Arrays.toString(found)
                            + ", expected " + Arrays.toString(data.groundTruth()[q]));
                    System.exit(1);
                }
            }
            System.out.println(similarity + ": " + QUERIES + " exact answers");
        }
    }
}
