package dev.vdb.bench.engines;

import dev.vdb.bench.Progress;
import dev.vdb.index.VectorSimilarity;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.InfoStream;
import org.apache.lucene.util.hnsw.ConcurrentHnswMerger;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Lucene 10.6's HNSW graph builders used directly, without an index around them: the vectors
 * as in-memory {@link FloatVectorValues#fromFloats}, scored by Lucene's default flat scorer
 * ({@link FlatVectorScorerUtil#getLucene99FlatVectorsScorer()}, Panama {@code VectorUtil} on
 * heap arrays). On one thread {@link HnswGraphBuilder}; on N threads {@code
 * HnswConcurrentMergeBuilder} with N workers, reached through {@link ConcurrentHnswMerger}
 * with no segment to start from (what a {@code forceMerge} does to the largest segment's
 * graph, from scratch). This is Lucene's fastest build: no documents, codec or files. Search:
 * {@link HnswGraphSearcher#search} on the {@code OnHeapHnswGraph} (top ef, no visit limit)
 * over the same scorer; distance computations are the collector's visited count. Memory: the
 * graph's {@code ramBytesUsed()} plus 4·d bytes per vector. Sessions may run concurrently.
 */
public final class LuceneHnswEngine implements AnnEngine {

    private static final FlatVectorsScorer SCORER = FlatVectorScorerUtil.getLucene99FlatVectorsScorer();

    private final VectorSimilarityFunction function;
    private final int m;
    private final int efConstruct;
    private FloatVectorValues vectors;
    private OnHeapHnswGraph graph;
    private int dimension;

    public LuceneHnswEngine(VectorSimilarity similarity, int m, int efConstruct) {
        this.function = LuceneEngine.function(similarity);
        this.m = m;
        this.efConstruct = efConstruct;
    }

    @Override
    public String name() {
        return "lucene-hnsw";
    }

    @Override
    public boolean buildsConcurrently() {
        return true;
    }

    @Override
    public void build(float[][] base, int threads, Progress progress) throws IOException {
        dimension = base[0].length;
        vectors = FloatVectorValues.fromFloats(Arrays.asList(base), dimension);
        RandomVectorScorerSupplier supplier = SCORER.getRandomVectorScorerSupplier(function, vectors);
        if (threads == 1) {
            graph = HnswGraphBuilder.create(supplier, m, efConstruct, HnswGraphBuilder.randSeed, base.length)
                    .build(base.length);
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                graph = new ConcurrentHnswMerger(null, supplier, m, efConstruct, new TaskExecutor(pool), threads)
                        .merge(vectors, InfoStream.NO_OUTPUT, base.length);
            } finally {
                pool.shutdown();
            }
        }
        progress.advance(base.length);
    }

    @Override
    public Session newSession() {
        Bits all = new Bits.MatchAllBits(vectors.size());
        return new Session() {
            private long last = -1;

            @Override
            public int[] search(float[] query, int k, int ef) throws IOException {
                // the OnHeapHnswGraph overload keeps its walk state in the searcher it creates: the
                // generic one seeks through the graph object and cannot run on two threads at once
                KnnCollector collector = HnswGraphSearcher.search(SCORER.getRandomVectorScorer(function, vectors, query),
                        Math.max(ef, k), graph, all, Integer.MAX_VALUE);
                last = collector.visitedCount();
                ScoreDoc[] docs = collector.topDocs().scoreDocs;
                int[] ids = new int[Math.min(k, docs.length)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = docs[i].doc;
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
    public long memoryBytes(long heapDeltaBytes) {
        return graph.ramBytesUsed() + 4L * dimension * vectors.size();
    }

    @Override
    public String memoryMethod() {
        return "OnHeapHnswGraph.ramBytesUsed() + 4·d per vector (the float[] rows)";
    }

    @Override
    public void close() {
        graph = null;
        vectors = null;
    }
}
