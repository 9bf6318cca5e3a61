package dev.vdb.bench.filtered;

import dev.vdb.bench.Progress;
import dev.vdb.bench.engines.OursIndexEngine;
import dev.vdb.index.Bits;
import dev.vdb.index.hnsw.HnswSearcher;
import dev.vdb.index.hnsw.SearchResults;
import java.util.List;

/**
 * The planner's graph plan alone, at the index level ({@link OursIndexEngine}: our
 * {@code HnswIndex} without the engine around it): {@code ours-graph} is an HNSW traversal that
 * walks through every node but admits only the rows the filter admits, with no budget and no
 * exact fallback, so it shows what the traversal costs at each selectivity. Distance
 * computations from {@link HnswSearcher#distanceComputations()}, exact. Searchers may run
 * concurrently.
 */
final class OursGraphFiltered implements FilteredEngine {

    private final OursIndexEngine engine;
    private FilteredData data;
    /** Accept bits, [case][group]. */
    private List<List<Bits>> accepts;

    OursGraphFiltered(FilteredData data, int m, int efConstruct) {
        this.engine = new OursIndexEngine(data.similarity(), m, efConstruct);
    }

    @Override
    public String name() {
        return "ours-index";
    }

    @Override
    public List<String> variants() {
        return List.of("ours-graph");
    }

    @Override
    public void build(FilteredData data, int threads, Progress progress) throws Exception {
        this.data = data;
        engine.build(data.base(), threads, progress);
        accepts = data.acceptBits(admitted -> admitted::get);
    }

    @Override
    public Searcher newSearcher(String variant) {
        HnswSearcher searcher = engine.index().newSearcher();
        SearchResults results = new SearchResults();
        return new Searcher() {
            private long last = -1;

            @Override
            public int[] search(int query, FilterCase filter, int k, int ef) {
                Bits accept = filter == null ? Bits.ALL : accepts.get(filter.index()).get(filter.groupOf(query));
                long before = searcher.distanceComputations();
                searcher.search(data.queries()[query], k, ef, accept, results);
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
    public void close() {
        engine.close();
    }
}
