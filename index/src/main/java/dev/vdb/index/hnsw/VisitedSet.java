package dev.vdb.index.hnsw;

/**
 * Which ordinals one search has seen, as an epoch-tagged int array (hnswlib's
 * {@code VisitedList}): starting a search bumps the epoch instead of clearing the array.
 *
 * <p>Not thread-safe; allocation-free except when the graph has outgrown it.
 */
final class VisitedSet {

    private int[] tags = new int[0];
    private int epoch;

    /** Forgets every ordinal and makes room for ordinals below {@code capacity}. */
    void reset(int capacity) {
        if (tags.length < capacity) {
            tags = new int[Math.max(capacity, tags.length + (tags.length >> 1))];
            epoch = 0;
        }
        if (++epoch == 0) {
            java.util.Arrays.fill(tags, 0);
            epoch = 1;
        }
    }

    /** Marks {@code ordinal} visited; returns whether it already was. */
    boolean visit(int ordinal) {
        int[] t = tags;
        if (ordinal >= t.length) {
            // a node added while this search runs: grow (rare, allocates)
            t = tags = java.util.Arrays.copyOf(t, Math.max(ordinal + 1, t.length + (t.length >> 1)));
        }
        if (t[ordinal] == epoch) {
            return true;
        }
        t[ordinal] = epoch;
        return false;
    }
}
