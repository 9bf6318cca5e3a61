package dev.vdb.index;

/**
 * The cost model a filtered vector search plans with: finding the best of the points a filter
 * admits either by scanning them all (one streaming distance each) or by an HNSW traversal that
 * walks every node but admits only matching ones (about {@value #GRAPH_DISTANCES_PER_EF}
 * distances per unit of ef, divided by the fraction that matches, each costing
 * {@code 1 + }{@value #GRAPH_DISTANCE_OVERHEAD}{@code / dimension} scan distances). Lucene's
 * {@code AbstractKnnVectorQuery} makes the same choice between exact and graph search.
 *
 * <p>Stateless and thread-safe.
 */
public final class FilterCostModel {

    /**
     * Distance computations an unfiltered HNSW search makes per unit of ef, at M = 16 (measured
     * on glove-100 and wordnet-384: docs/BENCHMARKS.md, "Filtered search").
     */
    public static final double GRAPH_DISTANCES_PER_EF = 12;
    /**
     * A graph distance costs the kernel plus a fixed 55–80 ns of random access and heap work;
     * a scan distance only the (streaming) kernel, about 0.15 ns per dimension. So a graph
     * distance costs about {@code 1 + GRAPH_DISTANCE_OVERHEAD / dimension} scan distances: 5.9–7.1
     * measured at d = 100 (glove), 1.6–2.1 at d = 384 (wordnet) (docs/BENCHMARKS.md, "Filtered search").
     */
    public static final double GRAPH_DISTANCE_OVERHEAD = 450;

    /** How to find the best of a filter's matches. */
    public enum Plan { EXACT, GRAPH }

    private FilterCostModel() {}

    /** A graph distance's cost in scan distances at {@code dimension}. */
    public static double graphDistanceCost(int dimension) {
        return 1 + GRAPH_DISTANCE_OVERHEAD / dimension;
    }

    /** The cheaper way to find the best of {@code matches} points among {@code liveCount}, at this ef. */
    public static Plan plan(int matches, int liveCount, int ef, int dimension) {
        if (matches < 0 || liveCount < 0 || ef < 1 || dimension < 1) {
            throw new IllegalArgumentException("matches, liveCount >= 0 and ef, dimension >= 1 expected, got "
                    + matches + ", " + liveCount + ", " + ef + ", " + dimension);
        }
        double fraction = (double) matches / Math.max(1, liveCount);
        double graphCost = graphDistanceCost(dimension) * GRAPH_DISTANCES_PER_EF * ef / fraction;
        return matches <= graphCost ? Plan.EXACT : Plan.GRAPH;
    }
}
