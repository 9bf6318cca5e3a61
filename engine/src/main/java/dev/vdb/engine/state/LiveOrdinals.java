package dev.vdb.engine.state;

import dev.vdb.engine.PointId;
import dev.vdb.index.Bits;
import dev.vdb.index.OrdinalSet;
import java.util.Arrays;

/**
 * The ordinals of a collection's live points and the external id of each: a bitset plus
 * ordinal-indexed ids, the in-memory image of the {@code 'o'} keys in RocksDB. Numeric ids are
 * kept as primitives ({@code long[]}, 8 bytes an ordinal); a {@link PointId} object per ordinal
 * would cost 24 more. Only string ids are held as objects, in an array made on the first one.
 *
 * <p>Not thread-safe by itself: the owning collection mutates it only under its write lock and
 * reads it under its read lock. {@link #get} allocates nothing.
 */
public final class LiveOrdinals implements Bits {

    private long[] words = new long[16];
    /** Upper bound of the heap a string id holds: record, String and byte[] headers and fields. */
    private static final int STR_ID_OBJECT_BYTES = 64;

    private long[] nums = new long[1024];
    /** Null until a string id is added; a null slot in it is a numeric id. */
    private PointId.Str[] strs;
    /** Heap held by the string ids in {@link #strs}, an upper bound (UTF-16 characters). */
    private long strBytes;
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
        return get(ordinal) ? liveId(ordinal, nums[ordinal]) : null;
    }

    /** The id of live {@code ordinal}, whose numeric slot holds {@code num}. */
    private PointId liveId(int ordinal, long num) {
        PointId.Str str = strs == null ? null : strs[ordinal];
        return str != null ? str : new PointId.Num(num);
    }

    /**
     * The ids of {@code ordinals[from..to)} into {@code out[0..)}, null for one not live. The
     * numeric ids are read in a loop of their own first: a search's hits are scattered over the
     * id array, and loads with nothing in between wait for memory together, not one by one.
     */
    public void idsOf(int[] ordinals, int from, int to, PointId[] out) {
        long[] raw = new long[to - from];
        long[] n = nums;
        for (int i = from; i < to; i++) {
            raw[i - from] = n[Math.min(ordinals[i], n.length - 1)]; // used only for a live one, which is in range
        }
        for (int i = from; i < to; i++) {
            int ordinal = ordinals[i];
            out[i - from] = get(ordinal) ? liveId(ordinal, raw[i - from]) : null;
        }
    }

    /** Heap held here: the bitset, the id arrays (at capacity) and the string ids. */
    public long heapBytes() {
        return (long) words.length * Long.BYTES + (long) nums.length * Long.BYTES
                + (strs == null ? 0 : (long) strs.length * Long.BYTES) + strBytes;
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
        growIds(next);
    }

    private void growIds(int next) {
        if (next > nums.length) {
            nums = Arrays.copyOf(nums, Math.max(next, nums.length * 2));
        }
        if (strs != null && next > strs.length) {
            strs = Arrays.copyOf(strs, nums.length);
        }
    }

    public void add(int ordinal, PointId id) {
        if (get(ordinal)) {
            throw new IllegalStateException("ordinal " + ordinal + " is already live (id " + idOf(ordinal) + ")");
        }
        int w = ordinal >>> 6;
        if (w >= words.length) {
            words = Arrays.copyOf(words, Math.max(w + 1, words.length * 2));
        }
        growIds(ordinal + 1);
        words[w] |= 1L << ordinal;
        switch (id) {
            case PointId.Num num -> nums[ordinal] = num.id();
            case PointId.Str str -> {
                if (strs == null) {
                    strs = new PointId.Str[nums.length];
                }
                strs[ordinal] = str;
                strBytes += strIdBytes(str);
            }
        }
        count++;
        advanceNextOrdinal(ordinal + 1);
    }

    public void remove(int ordinal) {
        if (!get(ordinal)) {
            throw new IllegalStateException("ordinal " + ordinal + " is not live");
        }
        words[ordinal >>> 6] &= ~(1L << ordinal);
        if (strs != null && strs[ordinal] != null) {
            strBytes -= strIdBytes(strs[ordinal]);
            strs[ordinal] = null;
        }
        count--;
    }

    private static long strIdBytes(PointId.Str str) {
        return STR_ID_OBJECT_BYTES + 2L * str.id().length();
    }

    /** The live ordinals in ascending order. */
    public int[] toArray() {
        return OrdinalSet.toArray(words, count);
    }
}
