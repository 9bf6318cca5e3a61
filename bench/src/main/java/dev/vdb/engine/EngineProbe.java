package dev.vdb.engine;

/**
 * What the bench reads from inside the engine that the public API does not expose: the
 * distance computations searches have made, and the filtered-search planner's choice. It sits
 * in the engine's package (in the bench module) because both are package-private there.
 * Stateless.
 */
public final class EngineProbe {

    private EngineProbe() {}

    /**
     * Distance computations all searches of {@code collection} have made so far (graph
     * traversals plus exact scans of matching sets); the difference around one search on one
     * thread is that search's count.
     *
     * @throws IllegalArgumentException when the collection is not the embedded engine's
     */
    public static long searchDistanceComputations(VectorCollection collection) {
        if (collection instanceof RocksCollection rocks) {
            return rocks.searchDistanceComputations();
        }
        throw new IllegalArgumentException("not an embedded collection: " + collection.getClass().getName());
    }

    /**
     * Whether the planner scans {@code matches} of {@code liveCount} points of this dimension
     * exactly at this ef (else it traverses the graph).
     */
    public static boolean plansExactScan(int matches, int liveCount, int ef, int dimension) {
        return FilteredSearch.plan(matches, liveCount, ef, dimension) == FilteredSearch.Plan.EXACT;
    }

    /** The planner's distance computations per unit of ef of an unfiltered HNSW search. */
    public static double graphDistancesPerEf() {
        return FilteredSearch.GRAPH_DISTANCES_PER_EF;
    }

    /** The planner's cost of a graph distance in exact-scan distances, at this dimension. */
    public static double graphDistanceCost(int dimension) {
        return 1 + FilteredSearch.GRAPH_DISTANCE_OVERHEAD / dimension;
    }
}
