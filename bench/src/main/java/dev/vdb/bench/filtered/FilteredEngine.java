package dev.vdb.bench.filtered;

import dev.vdb.bench.Progress;
import java.util.List;

/**
 * An engine under test in a filtered run: built once with the payloads the filters need, then
 * searched through one or more <em>variants</em> (e.g. ours with the auto, pre and post
 * strategies). Filters are translated into the engine's own form when it is built, so a search
 * only looks the translation up. Lifecycle: {@link #build}, searchers, {@link #close}. Not
 * thread-safe except where a method says so.
 */
public interface FilteredEngine extends AutoCloseable {

    /** Name of the built index, e.g. {@code ours}. */
    String name();

    /** The variants searched, e.g. {@code ours-auto}; names are unique across engines. */
    List<String> variants();

    /** Whether {@code variant}'s work depends on ef (an exact scan does not: it is run at one ef). */
    default boolean usesEf(String variant) {
        return true;
    }

    /** Indexes the base rows (row i gets id i) with their payloads, on up to {@code threads} threads. */
    void build(FilteredData data, int threads, Progress progress) throws Exception;

    /** A searcher of one variant for one thread. */
    Searcher newSearcher(String variant) throws Exception;

    @Override
    void close() throws Exception;

    /** A per-thread searcher. Not thread-safe. */
    interface Searcher {

        /**
         * Row ids of the top {@code k} of query {@code query} among the rows {@code filter}
         * admits for it (all rows when {@code filter} is null), best first, at beam width ef.
         */
        int[] search(int query, FilterCase filter, int k, int ef) throws Exception;

        /** Distance computations of the last search, or -1 when the engine cannot tell. */
        long lastDistanceComputations();
    }
}
