package dev.vdb.engine.payload.field;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.payload.PayloadMatcher;
import dev.vdb.index.Bits;
import dev.vdb.index.OrdinalSet;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;
import java.util.function.ObjLongConsumer;
import org.agrona.collections.Hashing;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Object2IntHashMap;

/**
 * A keyword index: every string at the field, through a dictionary of distinct values (value id
 * per string) to the postings of each, and each ordinal's value ids (one in an int array by
 * ordinal, several in a small map), primitive throughout. Frequent values (held by at least
 * 1/{@value #DENSE_SHARE} of the ordinals) get a bitset, built by the first query that needs it
 * and dropped when the value's postings change: a wide categorical filter then costs a copy of
 * words instead of a walk over thousands of postings.
 *
 * <p>The {@code uuid} schema is this index under that name: Qdrant's uuid index matches UUID
 * strings exactly, as this one matches any string (Qdrant parses them, so it would also match
 * one written in other letter case).
 *
 * <p>Thread safety as {@link FieldIndex}; the bitset cache is filled by concurrent readers.
 */
public final class KeywordIndex implements FieldIndex {

    private static final int DENSE_SHARE = 32;
    private static final int NONE = -1;

    /**
     * Agrona's collections hand out one cached iterator unless told not to; readers iterate
     * postings concurrently (searches under the read lock, the tenant graph build), so each
     * iteration takes a fresh one.
     */
    private static final boolean FRESH_ITERATORS = false;

    private final String field;
    private final PayloadSchema schema;
    private final Object2IntHashMap<String> valueIds = new Object2IntHashMap<>(NONE);
    private final List<String> values = new ArrayList<>();
    private final List<IntHashSet> postings = new ArrayList<>();
    /** Per ordinal its one value id, or {@link #NONE}; ordinals with several use {@link #multi}. */
    private int[] single = new int[0];
    private final Int2ObjectHashMap<int[]> multi = new Int2ObjectHashMap<>(
            IntHashSet.DEFAULT_INITIAL_CAPACITY, Hashing.DEFAULT_LOAD_FACTOR, FRESH_ITERATORS);
    /** Bitsets of frequent values by value id; readers fill it, writers drop entries. */
    private volatile AtomicReferenceArray<long[]> dense = new AtomicReferenceArray<>(16);
    private int indexedOrdinals;

    KeywordIndex(String field, PayloadSchema schema) {
        this.field = field;
        this.schema = schema;
    }

    @Override
    public String field() {
        return field;
    }

    @Override
    public PayloadSchema schema() {
        return schema;
    }

    @Override
    public void add(int ordinal, JsonNode payload) {
        if (payload == null) {
            return;
        }
        IntArrayList ids = new IntArrayList();
        PayloadMatcher.forEachLeaf(payload, field, leaf -> {
            if (leaf.isTextual()) {
                int id = idOf(leaf.textValue());
                if (!ids.containsInt(id)) {
                    ids.addInt(id);
                }
            }
        });
        if (!ids.isEmpty()) {
            put(ordinal, ids.toIntArray());
        }
    }

    private void put(int ordinal, int[] ids) {
        growTo(ordinal + 1);
        if (ids.length == 1) {
            single[ordinal] = ids[0];
        } else {
            multi.put(ordinal, ids);
        }
        for (int id : ids) {
            postings.get(id).add(ordinal);
            dense.set(id, null);
        }
        indexedOrdinals++;
    }

    private int idOf(String value) {
        int id = valueIds.getValue(value);
        if (id == NONE) {
            id = values.size();
            valueIds.put(value, id);
            values.add(value);
            postings.add(new IntHashSet(IntHashSet.DEFAULT_INITIAL_CAPACITY, Hashing.DEFAULT_LOAD_FACTOR, FRESH_ITERATORS));
            if (id >= dense.length()) {
                AtomicReferenceArray<long[]> grown = new AtomicReferenceArray<>(dense.length() * 2);
                dense = grown; // every entry is dropped: the postings they cached may change
            }
        }
        return id;
    }

    @Override
    public void remove(int ordinal) {
        int[] ids = idsOf(ordinal);
        if (ids.length == 0) {
            return;
        }
        if (ids.length == 1 && multi.get(ordinal) == null) {
            single[ordinal] = NONE;
        } else {
            multi.remove(ordinal);
        }
        for (int id : ids) {
            postings.get(id).remove(ordinal);
            dense.set(id, null);
        }
        indexedOrdinals--;
    }

    private int[] idsOf(int ordinal) {
        int[] several = multi.get(ordinal);
        if (several != null) {
            return several;
        }
        return ordinal < single.length && single[ordinal] != NONE ? new int[] {single[ordinal]} : new int[0];
    }

    @Override
    public boolean answers(Filter condition) {
        return switch (condition) {
            case Filter.MatchValue m -> m.value() instanceof String;
            case Filter.MatchAny m -> m.values().stream().allMatch(v -> v instanceof String);
            default -> false;
        };
    }

    @Override
    public OrdinalSet answer(Filter condition, int capacity) {
        OrdinalSet out = new OrdinalSet(capacity);
        for (Object wanted : wanted(condition)) {
            int id = valueIds.getValue((String) wanted);
            if (id != NONE) {
                addPostings(out, id, capacity);
            }
        }
        return out;
    }

    /**
     * Reads the ordinal's values as {@link #idsOf} does, without allocating: the map first, and
     * only when some ordinal has several values; else one array read.
     */
    @Override
    public Bits matcher(Filter condition) {
        int[] wanted = wanted(condition).stream().mapToInt(w -> valueIds.getValue((String) w)).filter(id -> id != NONE)
                .toArray();
        if (wanted.length == 0) {
            return ordinal -> false;
        }
        return ordinal -> {
            int[] several = multi.isEmpty() ? null : multi.get(ordinal);
            if (several != null) {
                for (int id : several) {
                    if (contains(wanted, id)) {
                        return true;
                    }
                }
                return false;
            }
            int[] one = single;
            return ordinal < one.length && one[ordinal] != NONE && contains(wanted, one[ordinal]);
        };
    }

    private static boolean contains(int[] ids, int id) {
        for (int wanted : ids) {
            if (wanted == id) {
                return true;
            }
        }
        return false;
    }

    private static List<Object> wanted(Filter condition) {
        return switch (condition) {
            case Filter.MatchValue m -> List.of(m.value());
            case Filter.MatchAny m -> m.values();
            default -> throw new IllegalArgumentException("a keyword index does not answer " + condition);
        };
    }

    @Override
    public boolean resolvesCheaply(Filter condition, int maxValues) {
        return answers(condition);
    }

    /** Adds a value's ordinals, through its cached bitset when the value is frequent. */
    private void addPostings(OrdinalSet out, int id, int capacity) {
        IntHashSet ordinals = postings.get(id);
        if (ordinals.size() < capacity / DENSE_SHARE) {
            for (IntHashSet.IntIterator it = ordinals.iterator(); it.hasNext(); ) {
                out.add(it.nextValue());
            }
            return;
        }
        AtomicReferenceArray<long[]> cache = dense;
        long[] words = cache.get(id);
        if (words == null) {
            OrdinalSet set = new OrdinalSet(capacity);
            for (IntHashSet.IntIterator it = ordinals.iterator(); it.hasNext(); ) {
                set.add(it.nextValue());
            }
            words = set.words();
            cache.compareAndSet(id, null, words);
        }
        out.orWords(words);
    }

    /** The ordinals holding {@code value} (a tenant's points), in no order. */
    public int[] ordinalsOf(String value) {
        int id = valueIds.getValue(value);
        if (id == NONE) {
            return new int[0];
        }
        IntHashSet ordinals = postings.get(id);
        int[] out = new int[ordinals.size()];
        int n = 0;
        for (IntHashSet.IntIterator it = ordinals.iterator(); it.hasNext(); ) {
            out[n++] = it.nextValue();
        }
        return out;
    }

    /**
     * A test of whether an ordinal holds {@code value}, the value looked up once: what a
     * {@code match} on it means, without a string lookup per point. Valid while the index does
     * not change (under the collection's state read lock).
     */
    public Bits holding(String value) {
        int id = valueIds.getValue(value);
        if (id == NONE) {
            return ordinal -> false;
        }
        int[] singles = single;
        return ordinal -> {
            int one = ordinal < singles.length ? singles[ordinal] : NONE;
            if (one != NONE) {
                return one == id;
            }
            int[] several = multi.get(ordinal);
            if (several != null) {
                for (int have : several) {
                    if (have == id) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    /** Calls {@code action} with each ordinal holding {@code value}, in no order; under the state read lock. */
    public void forEachHolding(String value, IntConsumer action) {
        int id = valueIds.getValue(value);
        if (id != NONE) {
            for (IntHashSet.IntIterator it = postings.get(id).iterator(); it.hasNext(); ) {
                action.accept(it.nextValue());
            }
        }
    }

    @Override
    public void countValues(Bits admitted, ObjLongConsumer<Object> sink) {
        for (int id = 0; id < values.size(); id++) {
            IntHashSet holders = postings.get(id);
            long count = 0;
            if (admitted == null) {
                count = holders.size();
            } else {
                for (IntHashSet.IntIterator it = holders.iterator(); it.hasNext(); ) {
                    if (admitted.get(it.nextValue())) {
                        count++;
                    }
                }
            }
            if (count > 0) {
                sink.accept(values.get(id), count);
            }
        }
    }

    /** How many ordinals hold {@code value}. */
    public int count(String value) {
        int id = valueIds.getValue(value);
        return id == NONE ? 0 : postings.get(id).size();
    }

    /** The distinct values held by at least one ordinal. */
    public List<String> heldValues() {
        List<String> out = new ArrayList<>();
        for (int id = 0; id < values.size(); id++) {
            if (!postings.get(id).isEmpty()) {
                out.add(values.get(id));
            }
        }
        return out;
    }

    /** The values {@code ordinal} holds (none when it is not indexed). */
    public String[] valuesOf(int ordinal) {
        int[] ids = idsOf(ordinal);
        String[] out = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = values.get(ids[i]);
        }
        return out;
    }

    @Override
    public int indexedOrdinals() {
        return indexedOrdinals;
    }

    private void growTo(int ordinals) {
        if (ordinals > single.length) {
            int had = single.length;
            single = Arrays.copyOf(single, Math.max(ordinals, Math.max(16, had * 2)));
            Arrays.fill(single, had, single.length, NONE);
        }
    }

    @Override
    public void writeEntries(DataOutput out) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            out.writeUTF(value);
        }
        out.writeInt(indexedOrdinals);
        for (int ordinal = 0; ordinal < single.length; ordinal++) {
            if (single[ordinal] != NONE) {
                out.writeInt(ordinal);
                out.writeInt(1);
                out.writeInt(single[ordinal]);
            }
        }
        for (Int2ObjectHashMap<int[]>.EntryIterator it = multi.entrySet().iterator(); it.hasNext(); ) {
            it.next();
            out.writeInt(it.getIntKey());
            int[] ids = it.getValue();
            out.writeInt(ids.length);
            for (int id : ids) {
                out.writeInt(id);
            }
        }
    }

    @Override
    public void readEntries(DataInput in) throws IOException {
        int distinct = in.readInt();
        for (int i = 0; i < distinct; i++) {
            idOf(in.readUTF());
        }
        int ordinals = in.readInt();
        for (int i = 0; i < ordinals; i++) {
            int ordinal = in.readInt();
            int[] ids = new int[in.readInt()];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = in.readInt();
                if (ids[j] < 0 || ids[j] >= distinct) {
                    throw new IOException("keyword index on '" + field + "': value id " + ids[j] + " of " + distinct);
                }
            }
            put(ordinal, ids);
        }
    }
}
