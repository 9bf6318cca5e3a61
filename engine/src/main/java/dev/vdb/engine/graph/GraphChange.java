package dev.vdb.engine.graph;

/**
 * What a write changed in the graph: ordinals to link (their vectors are stored) and ordinals
 * to unlink. Immutable by convention: the arrays are not copied.
 */
public record GraphChange(int[] added, int[] removed) {

    public static final GraphChange NONE = new GraphChange(new int[0], new int[0]);

    public static GraphChange removing(int[] removed) {
        return new GraphChange(new int[0], removed);
    }
}
