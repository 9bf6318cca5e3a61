package dev.vdb.bench.filtered;

import dev.vdb.bench.Progress;
import dev.vdb.bench.engines.JVectorEngine;
import io.github.jbellis.jvector.util.Bits;
import java.util.List;

/**
 * jvector 4.0.2 with an accept filter: the {@link JVectorEngine} graph (ordinal = row),
 * searched with a {@link Bits} over the filter's rows, which jvector's searcher consults before
 * admitting a node to the results (it still walks through the others; it has no exact
 * fallback). jvector has no payload indexes, so the accept bits are computed once per filter
 * when the engine is built and are not part of the search time: an optimistic bound. Distance
 * computations: {@code SearchResult.getVisitedCount()}. Searchers may run concurrently.
 */
final class JVectorFiltered implements FilteredEngine {

    private final JVectorEngine engine;
    private FilteredData data;
    /** Accept bits, [case][group]. */
    private List<List<Bits>> accepts;

    JVectorFiltered(FilteredData data, int m, int efConstruct) {
        this.engine = new JVectorEngine(data.similarity(), m, efConstruct);
    }

    @Override
    public String name() {
        return "jvector";
    }

    @Override
    public List<String> variants() {
        return List.of("jvector");
    }

    @Override
    public void build(FilteredData data, int threads, Progress progress) throws Exception {
        this.data = data;
        engine.build(data.base(), threads, progress);
        accepts = data.acceptBits(admitted -> admitted::get);
    }

    @Override
    public Searcher newSearcher(String variant) {
        JVectorEngine.FilteredSearcher searcher = engine.newFilteredSearcher();
        return new Searcher() {
            @Override
            public int[] search(int query, FilterCase filter, int k, int ef) {
                Bits accept = filter == null ? Bits.ALL : accepts.get(filter.index()).get(filter.groupOf(query));
                return searcher.search(data.queries()[query], k, ef, accept);
            }

            @Override
            public long lastDistanceComputations() {
                return searcher.lastVisited();
            }
        };
    }

    @Override
    public void close() throws Exception {
        engine.close();
    }
}
