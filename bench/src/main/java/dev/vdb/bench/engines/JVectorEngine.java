package dev.vdb.bench.engines;

import dev.vdb.bench.Progress;
import dev.vdb.index.VectorSimilarity;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.quantization.PQVectors;
import io.github.jbellis.jvector.quantization.ProductQuantization;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * jvector 4.0.2, in memory: {@link GraphIndexBuilder} with a hierarchy (HNSW-like layers),
 * base-layer degree 2·M and upper-layer degree M (as HNSW's layer 0 keeps 2·M links),
 * beam width ef_construct, jvector's default neighbour overflow 1.2 and alpha 1.2; nodes are
 * added in parallel on a {@link ForkJoinPool} of the build threads, then {@code cleanup()}.
 * Search: {@link GraphSearcher} with exact scores, topK = k and rerankK = ef (the beam width).
 * Distance computations: {@link SearchResult#getVisitedCount()} (nodes scored).
 * One {@link GraphSearcher} per session; sessions may run concurrently.
 *
 * <p>{@code jvector-pq} searches on compressed vectors the way jvector's own examples
 * ({@code SiftSmall}, {@code Grid}) do: the graph is built as above on full precision, then
 * {@link ProductQuantization} with d/4 subspaces of 256 centroids each (one byte per 4
 * dimensions, 16× smaller; centred globally for Euclid) encodes every vector; a search walks the
 * graph on the codes' precomputed score function, collecting rerankK = ef candidates, and
 * reranks them with the full-precision vectors ({@code RandomAccessVectorValues.rerankerFor}).
 * Built from rows read from a file (the scale run, {@link #build(BaseVectors, int, Progress)}),
 * where the full vectors do not fit the heap, it encodes first and builds the graph on the codes
 * ({@code BuildScoreProvider.pqBuildScoreProvider}, jvector's way to build in little memory),
 * each row read once to insert it and again only to rerank.
 */
public final class JVectorEngine implements AnnEngine {

    private static final VectorTypeSupport VTS = VectorizationProvider.getInstance().getVectorTypeSupport();

    private final VectorSimilarityFunction function;
    private final int m;
    private final int efConstruct;
    private final boolean compressed;
    private RandomAccessVectorValues vectors;
    private ImmutableGraphIndex graph;
    private PQVectors codes;

    public JVectorEngine(VectorSimilarity similarity, int m, int efConstruct) {
        this(similarity, m, efConstruct, false);
    }

    /** @param compressed search on product-quantized codes, reranking with full precision */
    public JVectorEngine(VectorSimilarity similarity, int m, int efConstruct, boolean compressed) {
        this.compressed = compressed;
        this.function = switch (similarity) {
            case COSINE, DOT -> VectorSimilarityFunction.DOT_PRODUCT; // vectors are unit length for cosine
            case EUCLID -> VectorSimilarityFunction.EUCLIDEAN;
        };
        this.m = m;
        this.efConstruct = efConstruct;
    }

    @Override
    public String name() {
        return compressed ? "jvector-pq" : "jvector";
    }

    @Override
    public boolean buildsConcurrently() {
        return true;
    }

    @Override
    public void build(float[][] base, int threads, Progress progress) throws Exception {
        build(BaseVectors.of(base), threads, progress);
    }

    /**
     * Heap rows as {@link #build(float[][], int, Progress)}; rows of a file ({@link FvecsRows})
     * are read as the builder asks for them, and a compressed engine builds on the codes.
     */
    @Override
    public void build(BaseVectors base, int threads, Progress progress) throws Exception {
        build(base instanceof FvecsRows ? new RowVectorValues(base)
                : new ListRandomAccessVectorValues(toVectors(base), base.dimension()), threads, progress, base instanceof FvecsRows);
    }

    private static List<VectorFloat<?>> toVectors(BaseVectors base) {
        List<VectorFloat<?>> list = new ArrayList<>(base.size());
        for (int i = 0; i < base.size(); i++) {
            list.add(VTS.createFloatVector(base.row(i)));
        }
        return list;
    }

    /** @param onCodes build the graph on the PQ codes (compressed engines only) */
    private void build(RandomAccessVectorValues ravv, int threads, Progress progress, boolean onCodes) throws Exception {
        int dim = ravv.dimension();
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            if (compressed) {
                ProductQuantization pq = ProductQuantization.compute(ravv, Math.max(1, dim / 4), 256,
                        function == VectorSimilarityFunction.EUCLIDEAN);
                codes = pq.encodeAll(ravv, pool);
            }
            BuildScoreProvider scores = compressed && onCodes ? BuildScoreProvider.pqBuildScoreProvider(function, codes)
                    : BuildScoreProvider.randomAccessScoreProvider(ravv, function);
            GraphIndexBuilder builder = new GraphIndexBuilder(scores, dim,
                    List.of(2 * m, m), efConstruct, 1.2f, 1.2f, true, true, pool, pool);
            pool.submit(() -> IntStream.range(0, ravv.size()).parallel().forEach(i -> {
                builder.addGraphNode(i, ravv);
                progress.advance(1);
            })).get();
            builder.cleanup();
            graph = builder.getGraph();
        } finally {
            pool.shutdown();
        }
        vectors = ravv;
    }

    /** Vectors read row by row from {@link BaseVectors} (a file): each read is a fresh vector. */
    private record RowVectorValues(BaseVectors base) implements RandomAccessVectorValues {
        @Override
        public int size() {
            return base.size();
        }

        @Override
        public int dimension() {
            return base.dimension();
        }

        @Override
        public VectorFloat<?> getVector(int node) {
            return VTS.createFloatVector(base.row(node));
        }

        @Override
        public boolean isValueShared() {
            return false;
        }

        @Override
        public RandomAccessVectorValues copy() {
            return this;
        }
    }

    /** A per-thread searcher that admits only the ordinals a {@link Bits} accepts. Not thread-safe. */
    public final class FilteredSearcher {
        private final GraphSearcher searcher = new GraphSearcher(graph);
        private long last = -1;

        /** Row ids of the approximate top {@code k} among the accepted ones, best first, beam width {@code ef}. */
        public int[] search(float[] query, int k, int ef, Bits accept) {
            VectorFloat<?> q = VTS.createFloatVector(query);
            SearchScoreProvider scores = codes == null ? DefaultSearchScoreProvider.exact(q, function, vectors)
                    : new DefaultSearchScoreProvider(codes.precomputedScoreFunctionFor(q, function),
                            vectors.rerankerFor(q, function));
            SearchResult result = searcher.search(scores, k, Math.max(ef, k), 0f, 0f, accept);
            last = result.getVisitedCount();
            SearchResult.NodeScore[] nodes = result.getNodes();
            int[] ids = new int[nodes.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = nodes[i].node;
            }
            return ids;
        }

        /** Nodes the last search scored. */
        public long lastVisited() {
            return last;
        }
    }

    /** A searcher with an accept filter (after {@link #build}). */
    public FilteredSearcher newFilteredSearcher() {
        return new FilteredSearcher();
    }

    @Override
    public Session newSession() {
        FilteredSearcher searcher = new FilteredSearcher();
        return new Session() {
            @Override
            public int[] search(float[] query, int k, int ef) {
                return searcher.search(query, k, ef, Bits.ALL);
            }

            @Override
            public long lastDistanceComputations() {
                return searcher.lastVisited();
            }
        };
    }

    @Override
    public long memoryBytes(long heapDeltaBytes) {
        return heapDeltaBytes;
    }

    @Override
    public String memoryMethod() {
        return "live heap after build − before (after GC), incl. its vectors" + (compressed ? " and codes" : "");
    }

    @Override
    public void close() throws Exception {
        if (graph != null) {
            graph.close();
        }
        graph = null;
        vectors = null;
        codes = null;
    }
}
