package dev.vdb.index;

import java.util.Arrays;

/**
 * A set of ordinals as a bitset: what a filter resolves to. Built by one thread (the query
 * resolving it), then only read, so safe to share once built. {@link #get} allocates nothing.
 */
public final class OrdinalSet implements Bits {

    private long[] words;

    /** An empty set with room for ordinals below {@code capacity} (it grows past that). */
    public OrdinalSet(int capacity) {
        words = new long[Math.max(1, (capacity + 63) >>> 6)];
    }

    private OrdinalSet(long[] words) {
        this.words = words;
    }

    /** A copy of {@code words} as a set. */
    public static OrdinalSet copyOf(long[] words) {
        return new OrdinalSet(words.clone());
    }

    @Override
    public boolean get(int ordinal) {
        int w = ordinal >>> 6;
        return w < words.length && (words[w] & (1L << ordinal)) != 0;
    }

    public void add(int ordinal) {
        int w = ordinal >>> 6;
        if (w >= words.length) {
            words = Arrays.copyOf(words, Math.max(w + 1, words.length * 2));
        }
        words[w] |= 1L << ordinal;
    }

    /** Removes {@code ordinal}, if it is in. */
    public void remove(int ordinal) {
        int w = ordinal >>> 6;
        if (w < words.length) {
            words[w] &= ~(1L << ordinal);
        }
    }

    /** Keeps only the ordinals also in {@code other}. */
    public void and(OrdinalSet other) {
        andWords(other.words);
    }

    /** Keeps only the ordinals also in the bitset {@code o} (only read). */
    public void andWords(long[] o) {
        int common = Math.min(words.length, o.length);
        for (int i = 0; i < common; i++) {
            words[i] &= o[i];
        }
        Arrays.fill(words, common, words.length, 0L);
    }

    /** Adds every ordinal of {@code other}. */
    public void or(OrdinalSet other) {
        orWords(other.words);
    }

    /** Adds every ordinal of the bitset {@code o} (only read). */
    public void orWords(long[] o) {
        if (o.length > words.length) {
            words = Arrays.copyOf(words, o.length);
        }
        for (int i = 0; i < o.length; i++) {
            words[i] |= o[i];
        }
    }

    /** Removes every ordinal of {@code other}. */
    public void andNot(OrdinalSet other) {
        long[] o = other.words;
        int common = Math.min(words.length, o.length);
        for (int i = 0; i < common; i++) {
            words[i] &= ~o[i];
        }
    }

    public int cardinality() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** Backing words, for scans; valid until the next mutation. */
    public long[] words() {
        return words;
    }

    /** The ordinals in ascending order. */
    public int[] toArray() {
        return toArray(words, cardinality());
    }

    /** The {@code count} ordinals of the bitset {@code words}, in ascending order. */
    public static int[] toArray(long[] words, int count) {
        int[] out = new int[count];
        int n = 0;
        for (int w = 0; w < words.length; w++) {
            long bits = words[w];
            while (bits != 0) {
                out[n++] = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
        }
        return out;
    }
}
