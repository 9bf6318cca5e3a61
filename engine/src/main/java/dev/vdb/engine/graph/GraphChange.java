package dev.vdb.engine.graph;

/**
 * What a write changed in the graph: ordinals to link (their vectors are stored) and ordinals
 * to unlink; and every ordinal whose payload it published, kept or new (a tenant's graph follows
 * the tenant field, which a payload-only change may move). Immutable by convention: the arrays
 * are not copied.
 */
public record GraphChange(int[] added, int[] removed, int[] published) {

    public static final GraphChange NONE = new GraphChange(new int[0], new int[0], new int[0]);

    public static GraphChange removing(int[] removed) {
        return new GraphChange(new int[0], removed, new int[0]);
    }
}
