package dev.vdb.engine.state;

import dev.vdb.engine.PointId;
import dev.vdb.index.Bits;
import dev.vdb.index.OrdinalSet;
import java.util.Arrays;

/**
 * The ordinals of a collection's live points and the external id of each: a bitset plus an
 * ordinal-indexed id array, the in-memory image of the {@code 'o'} keys in RocksDB.
 *
 * <p>Not thread-safe by itself: the owning collection mutates it only under its write lock and
 * reads it under its read lock. {@link #get} allocates nothing.
 */
public final class LiveOrdinals implements Bits {

    private long[] words = new long[16];
    private PointId[] ids = new PointId[1024];
    private int count;
    private int nextOrdinal;

    @Override
    public boolean get(int ordinal) {
        int w = ordinal >>> 6;
        return w < words.length && (words[w] & (1L << ordinal)) != 0;
    }

    /** Live points. */
    public int count() {
        return count;
    }

    /** One more than the highest ordinal ever handed out. */
    public int nextOrdinal() {
        return nextOrdinal;
    }

    public void advanceNextOrdinal(int next) {
        nextOrdinal = Math.max(nextOrdinal, next);
    }

    /** The id of a live ordinal, or null. */
    public PointId idOf(int ordinal) {
        return ordinal < ids.length ? ids[ordinal] : null;
    }

    /** Backing words of the live bitset, for scans; valid until the next mutation. */
    public long[] words() {
        return words;
    }

    /**
     * Reserves ordinals below {@code next}: advances {@link #nextOrdinal} and grows the arrays so
     * that adding any of them allocates nothing. Called before a write is committed, so a write
     * that fails after this wastes its ordinals but never hands them out twice.
     */
    public void reserve(int next) {
        advanceNextOrdinal(next);
        int w = (next + 63) >>> 6;
        if (w > words.length) {
            words = Arrays.copyOf(words, Math.max(w, words.length * 2));
        }
        if (next > ids.length) {
            ids = Arrays.copyOf(ids, Math.max(next, ids.length * 2));
        }
    }

    public void add(int ordinal, PointId id) {
        if (get(ordinal)) {
            throw new IllegalStateException("ordinal " + ordinal + " is already live (id " + ids[ordinal] + ")");
        }
        int w = ordinal >>> 6;
        if (w >= words.length) {
            words = Arrays.copyOf(words, Math.max(w + 1, words.length * 2));
        }
        if (ordinal >= ids.length) {
            ids = Arrays.copyOf(ids, Math.max(ordinal + 1, ids.length * 2));
        }
        words[w] |= 1L << ordinal;
        ids[ordinal] = id;
        count++;
        advanceNextOrdinal(ordinal + 1);
    }

    public void remove(int ordinal) {
        if (!get(ordinal)) {
            throw new IllegalStateException("ordinal " + ordinal + " is not live");
        }
        words[ordinal >>> 6] &= ~(1L << ordinal);
        ids[ordinal] = null;
        count--;
    }

    /** The live ordinals in ascending order. */
    public int[] toArray() {
        return OrdinalSet.toArray(words, count);
    }
}
