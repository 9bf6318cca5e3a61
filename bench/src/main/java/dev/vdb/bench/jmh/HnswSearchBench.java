package dev.vdb.bench.jmh;

import dev.vdb.index.Bits;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.index.hnsw.HnswIndex;
import dev.vdb.index.hnsw.HnswParams;
import dev.vdb.index.hnsw.HnswSearcher;
import dev.vdb.index.hnsw.SearchResults;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Datasets;
import dev.vdb.testkit.data.EmbeddingLikeGenerator;
import dev.vdb.testkit.data.Metric;
import dev.vdb.testkit.data.Vecs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One HNSW search (k=10) at a fixed ef over 20,000 vectors (M=16, ef_construct=100), queries
 * taken in turn: the first GloVe vectors (cosine; generated 100-d vectors when the datasets are
 * missing), or generated embedding-like vectors of 784 or 1536 dimensions with the Euclidean
 * distance ({@code generated-784-l2}: 63 MB of vectors, more than the L3 cache here). Average
 * time per search in microseconds; the graph is built once per fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class HnswSearchBench {

    static final int BASE = 20_000;
    static final int QUERIES = 1_000;

    /** The index, shared by all benchmark threads. */
    @State(Scope.Benchmark)
    public static class Graph {
        @Param({"glove-100-angular", "generated-784-l2", "generated-1536-l2"})
        String set;

        HnswIndex index;
        float[][] queries;

        @Setup(Level.Trial)
        public void build() throws IOException {
            VectorSimilarity similarity;
            float[][] base;
            float[][] rawQueries;
            if (set.equals("glove-100-angular")) {
                similarity = VectorSimilarity.COSINE;
                Optional<Path> dir = Datasets.find(set);
                if (dir.isPresent()) {
                    base = Vecs.readFvecs(dir.get().resolve("base.fvecs"), BASE);
                    rawQueries = Vecs.readFvecs(dir.get().resolve("query.fvecs"), QUERIES);
                } else {
                    EmbeddingLikeGenerator generator = new EmbeddingLikeGenerator(100, BASE, 1);
                    base = generator.next(BASE);
                    rawQueries = generator.next(QUERIES);
                }
            } else {
                String[] parts = set.split("-");
                similarity = switch (parts[2].toLowerCase(Locale.ROOT)) {
                    case "l2" -> VectorSimilarity.EUCLID;
                    case "dot" -> VectorSimilarity.DOT;
                    default -> VectorSimilarity.COSINE;
                };
                EmbeddingLikeGenerator generator = new EmbeddingLikeGenerator(Integer.parseInt(parts[1]), BASE, 1);
                base = generator.next(BASE);
                rawQueries = generator.next(QUERIES);
            }
            VectorStore store = VectorStore.scoredWith(base[0].length, similarity);
            int[] ordinals = new int[base.length];
            for (int i = 0; i < base.length; i++) {
                store.set(i, similarity.prepare(base[i]));
                ordinals[i] = i;
            }
            index = new HnswIndex(store, similarity, HnswParams.DEFAULT);
            index.addAll(ordinals, Runtime.getRuntime().availableProcessors());
            queries = new float[rawQueries.length][];
            for (int i = 0; i < rawQueries.length; i++) {
                queries[i] = similarity.prepare(rawQueries[i]);
            }
        }
    }

    /** One searcher and result buffer per benchmark thread. */
    @State(Scope.Thread)
    public static class Searcher {
        HnswSearcher searcher;
        final SearchResults results = new SearchResults();
        int next;

        @Setup(Level.Trial)
        public void open(Graph graph) {
            searcher = graph.index.newSearcher();
        }
    }

    @Param({"10", "64"})
    int ef;

    @Benchmark
    public int search(Graph graph, Searcher s) {
        float[] q = graph.queries[s.next++ % graph.queries.length];
        return s.searcher.search(q, 10, ef, Bits.ALL, s.results);
    }
}
