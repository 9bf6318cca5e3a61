package dev.vdb.index;

/**
 * The costs a filtered vector search plans with. Finding the best of the points a filter admits
 * costs either a scan of them all (one streaming distance each) or an HNSW traversal that walks
 * every node but admits only matching ones, whose cost depends on where the matches lie: a
 * filter correlated with the query (its matches are the query's neighbourhood) costs about an
 * unfiltered search, one that admits points away from the query can cost more than the scan.
 * Neither selectivity nor a sample can tell which, so the search tries the traversal with a
 * budget of as many distance computations as the scan would make (the number of matches) and
 * scans when the traversal exceeds it, as Lucene's {@code AbstractKnnVectorQuery} does with a
 * visit limit equal to the filter's cost; it skips the try when even an unfiltered search would
 * cost more than the scan ({@link #worthTraversing}).
 *
 * <p>A graph distance costs the kernel plus a fixed overhead of random access and heap work, so
 * it is worth {@code 1 + }{@value #GRAPH_DISTANCE_OVERHEAD}{@code / dimension} scan distances.
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

    private FilterCostModel() {}

    /** A graph distance's cost in scan distances at {@code dimension}. */
    public static double graphDistanceCost(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        return 1 + GRAPH_DISTANCE_OVERHEAD / dimension;
    }

    /**
     * Whether a traversal at {@code ef} can be cheaper than the scan of {@code matches} points at
     * {@code dimension} at all: even a filter that admits the query's whole neighbourhood costs
     * about an unfiltered search, {@link #GRAPH_DISTANCES_PER_EF} × ef graph distances.
     */
    public static boolean worthTraversing(int matches, int ef, int dimension) {
        if (matches < 0 || ef < 1) {
            throw new IllegalArgumentException("matches >= 0 and ef >= 1 expected, got " + matches + ", " + ef);
        }
        return GRAPH_DISTANCES_PER_EF * ef * graphDistanceCost(dimension) <= matches;
    }
}
