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
import dev.vdb.testkit.data.Metric;
import dev.vdb.testkit.data.Vecs;
import java.io.IOException;
import java.nio.file.Path;
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
 * One HNSW search (k=10) at a fixed ef on the first 20,000 GloVe vectors (cosine, M=16,
 * ef_construct=100), queries taken in turn; generated clustered data when the datasets are
 * missing. Average time per search in microseconds; the graph is built once per fork.
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
        HnswIndex index;
        float[][] queries;

        @Setup(Level.Trial)
        public void build() throws IOException {
            VectorSimilarity similarity = VectorSimilarity.COSINE;
            Optional<Path> dir = Datasets.find("glove-100-angular");
            float[][] base;
            float[][] rawQueries;
            if (dir.isPresent()) {
                base = Vecs.readFvecs(dir.get().resolve("base.fvecs"), BASE);
                rawQueries = Vecs.readFvecs(dir.get().resolve("query.fvecs"), QUERIES);
            } else {
                Dataset d = Dataset.generate(BASE, QUERIES, 100, Metric.valueOf(similarity.name()), 10, 1);
                base = d.base();
                rawQueries = d.queries();
            }
            VectorStore store = new VectorStore(base[0].length);
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

    @Param({"64"})
    int ef;

    @Benchmark
    public int search(Graph graph, Searcher s) {
        float[] q = graph.queries[s.next++ % graph.queries.length];
        return s.searcher.search(q, 10, ef, Bits.ALL, s.results);
    }
}
