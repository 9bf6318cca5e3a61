package dev.vdb.index.hnsw;

import java.util.Arrays;

/**
 * Which ordinals one search has seen, as a bitset of one bit per ordinal that remembers which of
 * its words the search set, so that the next search clears only those (Lucene's sparse clearing).
 * A pooled searcher then holds 3n/16 bytes (a bit per ordinal, an int per word of them), not an
 * int per ordinal: at a million points 188 KB, instead of 4 MB per searcher counted against the
 * heap of every vector.
 *
 * <p>Not thread-safe; allocation-free except when the graph has outgrown it.
 */
final class VisitedSet {

    private long[] bits = new long[0];
    /**
     * Indexes of the words of {@link #bits} this search made non-zero: the ones to clear. One
     * longer than {@link #bits}, so a search never outgrows it (a branch to grow it, taken once
     * in a while, made the JIT recompile the searches it was inlined in).
     */
    private int[] touched = new int[1];
    private int touchedCount;

    /** Forgets every ordinal and makes room for ordinals below {@code capacity}. */
    void reset(int capacity) {
        if (touchedCount > bits.length >>> 3) {
            Arrays.fill(bits, 0L);
        } else {
            for (int i = 0; i < touchedCount; i++) {
                bits[touched[i]] = 0L;
            }
        }
        touchedCount = 0;
        int words = (capacity + 63) >>> 6;
        if (bits.length < words) {
            bits = new long[Math.max(words, bits.length + (bits.length >> 1))];
            touched = new int[bits.length + 1];
        }
    }

    /** Whether {@code ordinal} was visited. */
    boolean contains(int ordinal) {
        int word = ordinal >>> 6;
        return word < bits.length && (bits[word] & 1L << ordinal) != 0;
    }

    /**
     * Marks {@code ordinal} visited; returns 1 if it was not, else 0, without a branch on which:
     * a search's loop over a list counts the fresh ones with it, where a branch on each
     * neighbour, visited or not about as often, is mispredicted about half the time.
     */
    int visitFresh(int ordinal) {
        int word = ordinal >>> 6;
        long[] b = bits;
        if (word >= b.length) {
            // a node added while this search runs: grow (rare, allocates)
            b = bits = Arrays.copyOf(b, Math.max(word + 1, b.length + (b.length >> 1)));
            touched = Arrays.copyOf(touched, b.length + 1);
        }
        long value = b[word];
        long mask = 1L << ordinal; // the shifts take the low six bits
        b[word] = value | mask;
        touched[touchedCount] = word; // kept when the word was clear: the next one writes past it
        touchedCount += value == 0 ? 1 : 0; // a word's first bit: clear it at the next reset
        return (int) ((~value & mask) >>> ordinal);
    }

    /** Marks {@code ordinal} visited; returns whether it already was. */
    boolean visit(int ordinal) {
        return visitFresh(ordinal) == 0;
    }
}
