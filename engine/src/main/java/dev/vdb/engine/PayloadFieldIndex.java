package dev.vdb.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.filter.PayloadMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;

/**
 * One payload index: for one (dotted) field, the ordinals holding each value, so that a filter
 * condition on the field resolves to its ordinals without reading payloads. It holds the leaves
 * {@link PayloadMatcher#forEachLeaf} reaches that its schema covers: strings for
 * {@link PayloadSchema#KEYWORD}, booleans for {@link PayloadSchema#BOOL}, every number for
 * {@link PayloadSchema#INTEGER} and {@link PayloadSchema#FLOAT} (so a range is exact whatever
 * mix of integers and decimals is stored).
 *
 * <p>{@link #answer} returns exactly the ordinals {@link PayloadMatcher} would accept, or null
 * when the index cannot tell (a condition on values of another type, {@code except},
 * {@code is_empty}): the caller then evaluates stored payloads.
 *
 * <p>Not thread-safe: the collection mutates it under its state write lock and reads it under
 * the read lock.
 */
final class PayloadFieldIndex {

    private final String field;
    private final PayloadSchema schema;
    /** Keyword values → ordinals. */
    private final Map<String, IntHashSet> strings = new HashMap<>();
    /** Boolean values → ordinals. */
    private final Map<Boolean, IntHashSet> booleans = new HashMap<>();
    /** Every numeric value (as a double, -0.0 as 0.0) → ordinals: what ranges read. */
    private final NavigableMap<Double, IntHashSet> numbers = new TreeMap<>();
    /** Integer values that fit a long → ordinals: what integer matches read. */
    private final Map<Long, IntHashSet> integers = new HashMap<>();
    /** Other numbers (decimals, integers beyond a long) → ordinals, matched by double value. */
    private final Map<Double, IntHashSet> decimals = new HashMap<>();
    /**
     * Bitsets of frequent keyword and boolean values (held by at least 1/{@value #DENSE_SHARE}
     * of the ordinals, so at most that many per field), built by the first query that needs one
     * and dropped when the value's postings change: a wide categorical filter then costs a copy
     * of words instead of a walk over thousands of postings. Queries fill it concurrently (under
     * the state read lock), writes clear entries (under the write lock).
     */
    private final ConcurrentHashMap<Object, long[]> denseBitsets = new ConcurrentHashMap<>();
    private static final int DENSE_SHARE = 32;
    /** The leaves indexed for each ordinal, to take them out again. */
    private final Int2ObjectHashMap<List<JsonNode>> leavesByOrdinal = new Int2ObjectHashMap<>();

    PayloadFieldIndex(String field, PayloadSchema schema) {
        this.field = field;
        this.schema = schema;
    }

    String field() {
        return field;
    }

    PayloadSchema schema() {
        return schema;
    }

    /** Indexes {@code ordinal}'s payload (null means none); the ordinal must not be indexed yet. */
    void add(int ordinal, ObjectNode payload) {
        if (payload == null) {
            return;
        }
        List<JsonNode> leaves = new ArrayList<>(1);
        PayloadMatcher.forEachLeaf(payload, field, leaf -> {
            if (covers(leaf)) {
                leaves.add(leaf);
            }
        });
        if (leaves.isEmpty()) {
            return;
        }
        leavesByOrdinal.put(ordinal, leaves);
        for (JsonNode leaf : leaves) {
            for (Map<?, IntHashSet> map : mapsOf(leaf)) {
                Object key = keyIn(map, leaf);
                postings(map, key).add(ordinal);
                denseBitsets.remove(key);
            }
        }
    }

    /** Takes {@code ordinal} out of the index, if it is in. */
    void remove(int ordinal) {
        List<JsonNode> leaves = leavesByOrdinal.remove(ordinal);
        if (leaves == null) {
            return;
        }
        for (JsonNode leaf : leaves) {
            for (Map<?, IntHashSet> map : mapsOf(leaf)) {
                Object key = keyIn(map, leaf);
                denseBitsets.remove(key);
                IntHashSet set = map.get(key);
                if (set != null) {
                    set.remove(ordinal);
                    if (set.isEmpty()) {
                        map.remove(key);
                    }
                }
            }
        }
    }

    /** The ordinals matching {@code condition} (a leaf on this field), or null when the index cannot tell. */
    OrdinalSet answer(Filter condition, int capacity) {
        if (!answers(condition)) {
            return null;
        }
        return switch (condition) {
            case Filter.MatchValue m -> union(List.of(m.value()), capacity);
            case Filter.MatchAny m -> union(m.values(), capacity);
            case Filter.Range r -> range(r, capacity);
            default -> throw new IllegalStateException("answers() admitted " + condition);
        };
    }

    /**
     * Whether {@code ordinal}'s indexed values satisfy {@code condition}, for a condition
     * {@link #answers} says this index decides: a per-point check for traversals that must not
     * pay for resolving the whole set.
     */
    boolean matches(int ordinal, Filter condition) {
        List<JsonNode> leaves = leavesByOrdinal.get(ordinal);
        if (leaves == null) {
            return false;
        }
        for (int i = 0; i < leaves.size(); i++) {
            if (PayloadMatcher.leafMatches(condition, leaves.get(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@link #answer} resolves {@code condition} cheaply: a match reads one postings set
     * per value; a range walks one entry per distinct value in it, so it is cheap only when it
     * spans at most {@code maxValues} of them (a rank or a timestamp range may span thousands).
     */
    boolean resolvesCheaply(Filter condition, int maxValues) {
        if (!answers(condition)) {
            return false;
        }
        if (!(condition instanceof Filter.Range r)) {
            return true;
        }
        double[] bounds = bounds(r);
        if (bounds[0] > bounds[1]) {
            return true;
        }
        int values = 0;
        for (Double key : numbers.subMap(numberKey(bounds[0]), true, numberKey(bounds[1]), true).keySet()) {
            if (++values > maxValues) {
                return false;
            }
        }
        return true;
    }

    /** Whether this index decides {@code condition} exactly, both in {@link #answer} and {@link #matches}. */
    boolean answers(Filter condition) {
        return switch (condition) {
            case Filter.MatchValue m -> answersMatch(m.value());
            case Filter.MatchAny m -> m.values().stream().allMatch(this::answersMatch);
            case Filter.Range r -> isNumeric();
            default -> false;
        };
    }

    /**
     * Visits the ordinals holding numeric values in value order (ascending, or descending),
     * from {@code startFrom} (inclusive; null for the first), ordinals of one value ascending,
     * until {@code sink} returns false. For a numeric index.
     */
    void forEachInOrder(boolean descending, Double startFrom, java.util.function.IntPredicate sink) {
        NavigableMap<Double, IntHashSet> view = descending ? numbers.descendingMap() : numbers;
        if (startFrom != null) {
            view = view.tailMap(numberKey(startFrom), true);
        }
        for (IntHashSet ordinals : view.values()) {
            int[] sorted = new int[ordinals.size()];
            int i = 0;
            for (IntHashSet.IntIterator it = ordinals.iterator(); it.hasNext(); ) {
                sorted[i++] = it.nextValue();
            }
            java.util.Arrays.sort(sorted);
            for (int ordinal : sorted) {
                if (!sink.test(ordinal)) {
                    return;
                }
            }
        }
    }

    /** How many ordinals hold an indexed value. */
    int indexedOrdinals() {
        return leavesByOrdinal.size();
    }

    private boolean isNumeric() {
        return schema == PayloadSchema.INTEGER || schema == PayloadSchema.FLOAT;
    }

    private boolean covers(JsonNode leaf) {
        return switch (schema) {
            case KEYWORD -> leaf.isTextual();
            case BOOL -> leaf.isBoolean();
            case INTEGER, FLOAT -> leaf.isNumber();
        };
    }

    /** Whether a match on {@code wanted} (a String, Boolean or Long) can be answered exactly. */
    private boolean answersMatch(Object wanted) {
        return switch (schema) {
            case KEYWORD -> wanted instanceof String;
            case BOOL -> wanted instanceof Boolean;
            case INTEGER, FLOAT -> wanted instanceof Long;
        };
    }

    private OrdinalSet union(List<Object> wanted, int capacity) {
        OrdinalSet out = new OrdinalSet(capacity);
        for (Object w : wanted) {
            switch (w) {
                case String s -> addCategory(out, s, strings.get(s), capacity);
                case Boolean b -> addCategory(out, b, booleans.get(b), capacity);
                case Long l -> {
                    // as PayloadMatcher compares: longs by value, other numbers by double value
                    addAll(out, integers.get(l));
                    addAll(out, decimals.get(numberKey((double) l)));
                }
                default -> throw new IllegalStateException("not a match value: " + w);
            }
        }
        return out;
    }

    /** The closed interval {low, high} holding every value the range admits (low > high when none). */
    private static double[] bounds(Filter.Range r) {
        double low = Double.NEGATIVE_INFINITY;
        double high = Double.POSITIVE_INFINITY;
        for (Double bound : new Double[] {r.gt(), r.gte()}) {
            if (bound != null) {
                low = Math.max(low, bound);
            }
        }
        for (Double bound : new Double[] {r.lt(), r.lte()}) {
            if (bound != null) {
                high = Math.min(high, bound);
            }
        }
        return new double[] {low, high};
    }

    private OrdinalSet range(Filter.Range r, int capacity) {
        double[] bounds = bounds(r);
        double low = bounds[0];
        double high = bounds[1];
        OrdinalSet out = new OrdinalSet(capacity);
        if (low > high) {
            return out;
        }
        for (Map.Entry<Double, IntHashSet> e : numbers.subMap(numberKey(low), true, numberKey(high), true).entrySet()) {
            if (r.contains(e.getKey())) {
                addAll(out, e.getValue());
            }
        }
        return out;
    }

    /** Adds a keyword's or boolean's ordinals, through its cached bitset when the value is frequent. */
    private void addCategory(OrdinalSet out, Object key, IntHashSet ordinals, int capacity) {
        if (ordinals == null) {
            return;
        }
        if (ordinals.size() < capacity / DENSE_SHARE) {
            addAll(out, ordinals);
            return;
        }
        out.orWords(denseBitsets.computeIfAbsent(key, k -> {
            OrdinalSet dense = new OrdinalSet(capacity);
            addAll(dense, ordinals);
            return dense.words();
        }));
    }

    private static void addAll(OrdinalSet out, IntHashSet ordinals) {
        if (ordinals != null) {
            for (IntHashSet.IntIterator it = ordinals.iterator(); it.hasNext(); ) {
                out.add(it.nextValue());
            }
        }
    }

    /** The maps a leaf of this index goes into. */
    private List<Map<?, IntHashSet>> mapsOf(JsonNode leaf) {
        return switch (schema) {
            case KEYWORD -> List.of(strings);
            case BOOL -> List.of(booleans);
            case INTEGER, FLOAT -> List.of(numbers,
                    leaf.isIntegralNumber() && leaf.canConvertToLong() ? integers : decimals);
        };
    }

    private Object keyIn(Map<?, IntHashSet> map, JsonNode leaf) {
        if (map == strings) {
            return leaf.textValue();
        }
        if (map == booleans) {
            return leaf.booleanValue();
        }
        if (map == integers) {
            return leaf.longValue();
        }
        return numberKey(leaf.doubleValue());
    }

    /** -0.0 and 0.0 are one key, as they are one value to a comparison. */
    private static Double numberKey(double value) {
        return value == 0 ? 0.0 : value;
    }

    @SuppressWarnings("unchecked")
    private static IntHashSet postings(Map<?, IntHashSet> map, Object key) {
        return ((Map<Object, IntHashSet>) map).computeIfAbsent(key, k -> new IntHashSet());
    }
}
