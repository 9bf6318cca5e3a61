package dev.vdb.engine.graph;

import java.util.Arrays;

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

    /**
     * What an upsert of points with {@code oldOrdinals} (-1: a new id) now at {@code newOrdinals}
     * changed: each point that took a fresh ordinal is linked there and unlinked from its old one;
     * every point's payload was published.
     */
    public static GraphChange ofUpsert(int[] oldOrdinals, int[] newOrdinals) {
        int[] added = new int[newOrdinals.length];
        int[] removed = new int[newOrdinals.length];
        int addedCount = 0;
        int removedCount = 0;
        for (int i = 0; i < newOrdinals.length; i++) {
            if (newOrdinals[i] != oldOrdinals[i]) {
                added[addedCount++] = newOrdinals[i];
                if (oldOrdinals[i] >= 0) {
                    removed[removedCount++] = oldOrdinals[i];
                }
            }
        }
        return new GraphChange(Arrays.copyOf(added, addedCount), Arrays.copyOf(removed, removedCount), newOrdinals);
    }
}
