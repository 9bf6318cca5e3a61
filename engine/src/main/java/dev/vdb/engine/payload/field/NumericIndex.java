package dev.vdb.engine.payload.field;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.filter.DateTimes;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.payload.PayloadMatcher;
import dev.vdb.index.Bits;
import dev.vdb.index.OrdinalSet;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoublePredicate;
import java.util.function.ObjLongConsumer;
import org.agrona.collections.Hashing;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * A numeric index, for the {@code integer} and {@code float} schemas alike: both hold every
 * number at the field (an integer index also holds decimals, a float index integers), because a
 * range or a match must answer exactly what the matcher would for whatever mix is stored; they
 * differ only in the schema they declare. A {@code datetime} index holds instead the strings at
 * the field that {@link DateTimes} reads, as microseconds since the epoch, and answers date-time
 * ranges (as Qdrant's datetime index keeps its timestamps).
 *
 * <p>Layout, primitive throughout: each ordinal's values (one in a {@code double[]} by ordinal,
 * NaN for none; several in a small map); and (value, ordinal) entries sorted by value in one run
 * ({@code double[]} beside {@code int[]}), with the distinct values and where each starts, plus
 * a small unsorted buffer of recent entries that is merged in once it holds
 * max({@value #MIN_MERGE}, run/8) entries. Removing an ordinal leaves its run entries behind as
 * stale (an entry is live when its ordinal still holds its value); the run is rewritten without
 * them once they make up half of it. A range is two binary searches and a walk over the entries
 * between; {@code -0.0} is stored as {@code 0.0}.
 *
 * <p>An integer match beyond ±2^53 (where doubles lose integers) is left to the matcher
 * ({@link #answers} false), and so is a date-time range with a bound at or beyond ±2^53 µs
 * (about the years 1685 and 2255): a date-time stored beyond that is kept rounded, which can
 * only blur its order against another such value, never against a bound inside. Thread safety as {@link FieldIndex}: queries only read.
 */
public final class NumericIndex implements FieldIndex {

    private static final int MIN_MERGE = 1_024;
    private static final double EXACT_INTEGERS = 0x1p53;

    private final String field;
    private final PayloadSchema schema;
    /** Per ordinal its one value, or NaN; ordinals with several use {@link #multi}. */
    private double[] single = new double[0];
    /** Fresh iterators (not Agrona's cached one): snapshots may iterate it while readers run. */
    private final Int2ObjectHashMap<double[]> multi = new Int2ObjectHashMap<>(
            8, Hashing.DEFAULT_LOAD_FACTOR, false);
    private int indexedOrdinals;

    private double[] runValues = new double[0];
    private int[] runOrdinals = new int[0];
    private int runSize;
    private int staleInRun;
    /** The run's distinct values, ascending, and the run index where each starts. */
    private double[] distinct = new double[0];
    private int[] distinctStart = new int[0];
    private int distinctCount;

    private double[] recentValues = new double[16];
    private int[] recentOrdinals = new int[16];
    private int recentSize;
    /** Set between {@link #startBulk} and {@link #finishBulk}: the buffer grows without merging. */
    private boolean bulk;

    NumericIndex(String field, PayloadSchema schema) {
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
        double[][] found = {new double[2]};
        int[] n = {0};
        PayloadMatcher.forEachLeaf(payload, field, leaf -> {
            double value = valueOf(leaf);
            if (!Double.isNaN(value)) {
                double v = key(value);
                for (int i = 0; i < n[0]; i++) {
                    if (found[0][i] == v) {
                        return;
                    }
                }
                if (n[0] == found[0].length) {
                    found[0] = Arrays.copyOf(found[0], n[0] * 2);
                }
                found[0][n[0]++] = v;
            }
        });
        if (n[0] > 0) {
            put(ordinal, Arrays.copyOf(found[0], n[0]));
        }
    }

    /** The value this index keeps for a leaf, NaN for none: a number, or a date-time in a datetime index. */
    private double valueOf(JsonNode leaf) {
        if (schema == PayloadSchema.DATETIME) {
            Long micros = leaf.isTextual() ? DateTimes.parseMicros(leaf.textValue()) : null;
            return micros == null ? Double.NaN : micros;
        }
        return leaf.isNumber() ? leaf.doubleValue() : Double.NaN;
    }

    private void put(int ordinal, double[] values) {
        if (ordinal >= single.length) {
            int had = single.length;
            single = Arrays.copyOf(single, Math.max(ordinal + 1, Math.max(64, had * 2)));
            Arrays.fill(single, had, single.length, Double.NaN);
        }
        if (values.length == 1) {
            single[ordinal] = values[0];
        } else {
            multi.put(ordinal, values);
        }
        for (double v : values) {
            addRecent(v, ordinal);
        }
        indexedOrdinals++;
    }

    private void addRecent(double v, int ordinal) {
        if (recentSize == recentValues.length) {
            recentValues = Arrays.copyOf(recentValues, recentSize * 2);
            recentOrdinals = Arrays.copyOf(recentOrdinals, recentSize * 2);
        }
        recentValues[recentSize] = v;
        recentOrdinals[recentSize++] = ordinal;
        if (!bulk && recentSize >= Math.max(MIN_MERGE, runSize / 8)) {
            rewriteRun();
        }
    }

    @Override
    public void startBulk() {
        bulk = true;
    }

    @Override
    public void finishBulk() {
        bulk = false;
        rewriteRun();
    }

    @Override
    public void remove(int ordinal) {
        double[] values = valuesOf(ordinal);
        if (values.length == 0) {
            return;
        }
        single[ordinal] = Double.NaN;
        multi.remove(ordinal);
        indexedOrdinals--;
        staleInRun += values.length;
        if (staleInRun > runSize / 2 + MIN_MERGE) {
            rewriteRun();
        }
    }

    private double[] valuesOf(int ordinal) {
        double[] several = multi.get(ordinal);
        if (several != null) {
            return several;
        }
        return ordinal < single.length && !Double.isNaN(single[ordinal]) ? new double[] {single[ordinal]} : new double[0];
    }

    /** Integers only: each ordinal's whole values (a value with a fraction, stored in an integer field, is left out). */
    @Override
    public void countValues(Bits admitted, ObjLongConsumer<Object> sink) {
        if (schema != PayloadSchema.INTEGER) {
            throw new IllegalArgumentException("'" + field + "' has a " + schema.apiName() + " index: facets count "
                    + "keyword, integer and bool values");
        }
        Map<Long, Long> counts = new TreeMap<>();
        for (int ordinal = 0; ordinal < single.length; ordinal++) { // put grows single past every indexed ordinal
            if (admitted != null && !admitted.get(ordinal)) {
                continue;
            }
            for (double v : valuesOf(ordinal)) { // distinct per ordinal, as add keeps them
                if (v == Math.rint(v) && Math.abs(v) <= EXACT_INTEGERS) {
                    counts.merge((long) v, 1L, Long::sum);
                }
            }
        }
        counts.forEach(sink::accept);
    }

    /** Whether {@code ordinal} still holds {@code v} (so a run entry (v, ordinal) is live). */
    private boolean holds(int ordinal, double v) {
        if (ordinal < single.length && single[ordinal] == v) {
            return true;
        }
        double[] several = multi.get(ordinal);
        if (several != null) {
            for (double have : several) {
                if (have == v) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Rewrites the run: its live entries and the recent ones, sorted; the buffer empties. */
    private void rewriteRun() {
        int n = 0;
        double[] values = new double[runSize + recentSize];
        int[] ordinals = new int[values.length];
        for (int i = 0; i < runSize; i++) {
            if (holds(runOrdinals[i], runValues[i])) {
                values[n] = runValues[i];
                ordinals[n++] = runOrdinals[i];
            }
        }
        for (int i = 0; i < recentSize; i++) {
            if (holds(recentOrdinals[i], recentValues[i])) {
                values[n] = recentValues[i];
                ordinals[n++] = recentOrdinals[i];
            }
        }
        PairSort.sort(values, ordinals, n);
        // an ordinal re-added with a value it held before has that entry twice: keep one
        int unique = 0;
        for (int i = 0; i < n; i++) {
            if (unique == 0 || values[i] != values[unique - 1] || ordinals[i] != ordinals[unique - 1]) {
                values[unique] = values[i];
                ordinals[unique++] = ordinals[i];
            }
        }
        n = unique;
        runValues = values;
        runOrdinals = ordinals;
        runSize = n;
        staleInRun = 0;
        recentSize = 0;
        rebuildDistinct();
    }

    private void rebuildDistinct() {
        int d = 0;
        double[] dv = new double[Math.max(1, runSize)];
        int[] ds = new int[dv.length];
        for (int i = 0; i < runSize; i++) {
            if (i == 0 || runValues[i] != runValues[i - 1]) {
                dv[d] = runValues[i];
                ds[d++] = i;
            }
        }
        distinct = dv;
        distinctStart = ds;
        distinctCount = d;
    }

    @Override
    public boolean answers(Filter condition) {
        if (schema == PayloadSchema.DATETIME) {
            return condition instanceof Filter.DatetimeRange r
                    && exactMicros(r.gt()) && exactMicros(r.gte()) && exactMicros(r.lt()) && exactMicros(r.lte());
        }
        return switch (condition) {
            case Filter.Range r -> true;
            case Filter.MatchValue m -> exactInteger(m.value());
            case Filter.MatchAny m -> m.values().stream().allMatch(NumericIndex::exactInteger);
            default -> false;
        };
    }

    /** An open bound, or one a double holds exactly and compares with every stored value as a long would. */
    private static boolean exactMicros(Long bound) {
        return bound == null || Math.abs(bound) < EXACT_INTEGERS;
    }

    /** A date-time range as the range of the microseconds this index holds (exact: {@link #answers} checked its bounds). */
    private static Filter numeric(Filter condition) {
        if (condition instanceof Filter.DatetimeRange r) {
            return new Filter.Range(r.key(), asDouble(r.gt()), asDouble(r.gte()), asDouble(r.lt()), asDouble(r.lte()));
        }
        return condition;
    }

    private static Double asDouble(Long micros) {
        return micros == null ? null : (double) micros;
    }

    private static boolean exactInteger(Object wanted) {
        return wanted instanceof Long l && Math.abs((double) l) <= EXACT_INTEGERS;
    }

    @Override
    public OrdinalSet answer(Filter asked, int capacity) {
        Filter condition = numeric(asked);
        OrdinalSet out = new OrdinalSet(capacity);
        if (condition instanceof Filter.Range r) {
            double[] b = bounds(r);
            forEachBetween(b[0], b[1], (v, o) -> {
                if (r.contains(v)) {
                    out.add(o);
                }
            });
        } else {
            for (Object wanted : wanted(condition)) {
                double v = (double) (Long) wanted;
                forEachBetween(v, v, (value, o) -> out.add(o));
            }
        }
        return out;
    }

    /**
     * Reads the ordinal's values as {@link #valuesOf} does, without allocating: the map first, and
     * only when some ordinal has several values; else one array read.
     */
    @Override
    public Bits matcher(Filter asked) {
        Filter condition = numeric(asked);
        DoublePredicate accepts;
        if (condition instanceof Filter.Range r) {
            accepts = r::contains;
        } else {
            double[] wanted = wanted(condition).stream().mapToDouble(w -> (double) (Long) w).toArray();
            accepts = v -> {
                for (double w : wanted) {
                    if (w == v) {
                        return true;
                    }
                }
                return false;
            };
        }
        return ordinal -> {
            double[] several = multi.isEmpty() ? null : multi.get(ordinal);
            if (several != null) {
                for (double v : several) {
                    if (accepts.test(v)) {
                        return true;
                    }
                }
                return false;
            }
            double[] one = single;
            return ordinal < one.length && !Double.isNaN(one[ordinal]) && accepts.test(one[ordinal]);
        };
    }

    private static List<Object> wanted(Filter condition) {
        return switch (condition) {
            case Filter.MatchValue m -> List.of(m.value());
            case Filter.MatchAny m -> m.values();
            default -> throw new IllegalArgumentException("a numeric index does not answer " + condition);
        };
    }

    @Override
    public boolean resolvesCheaply(Filter asked, int maxValues) {
        if (!answers(asked)) {
            return false;
        }
        if (!(numeric(asked) instanceof Filter.Range r)) {
            return true;
        }
        double[] b = bounds(r);
        if (b[0] > b[1]) {
            return true;
        }
        int from = PairSort.lowerBound(distinct, distinctCount, b[0]);
        int to = PairSort.upperBound(distinct, distinctCount, b[1]);
        return to - from + recentSize <= maxValues;
    }

    /** Visits the live entries with {@code low <= value <= high}: the run's, then the buffer's. */
    private void forEachBetween(double low, double high, EntryVisitor visitor) {
        if (low > high) {
            return;
        }
        for (int i = PairSort.lowerBound(runValues, runSize, low); i < runSize && runValues[i] <= high; i++) {
            if (holds(runOrdinals[i], runValues[i])) {
                visitor.visit(runValues[i], runOrdinals[i]);
            }
        }
        for (int i = 0; i < recentSize; i++) {
            double v = recentValues[i];
            if (v >= low && v <= high && holds(recentOrdinals[i], v)) {
                visitor.visit(v, recentOrdinals[i]);
            }
        }
    }

    private interface EntryVisitor {
        void visit(double value, int ordinal);
    }

    /**
     * Visits the ordinals in value order (ascending, or descending) from {@code startFrom}
     * (inclusive; null for the first value), the ordinals of one value in the same direction, an
     * ordinal once per value it holds, until {@code sink} returns false.
     */
    public void forEachInOrder(boolean descending, Double startFrom, OrderedVisitor sink) {
        // the run and a sorted copy of the buffer, merged
        double[] rv = Arrays.copyOf(recentValues, recentSize);
        int[] ro = Arrays.copyOf(recentOrdinals, recentSize);
        PairSort.sort(rv, ro, recentSize);
        int i = descending ? runSize - 1 : 0;
        int j = descending ? recentSize - 1 : 0;
        int step = descending ? -1 : 1;
        double lastValue = Double.NaN;
        int lastOrdinal = -1;
        while ((descending ? i >= 0 : i < runSize) || (descending ? j >= 0 : j < recentSize)) {
            boolean fromRun;
            if (descending ? i < 0 : i >= runSize) {
                fromRun = false;
            } else if (descending ? j < 0 : j >= recentSize) {
                fromRun = true;
            } else {
                int c = compare(runValues[i], runOrdinals[i], rv[j], ro[j]);
                fromRun = descending ? c >= 0 : c <= 0;
            }
            double v = fromRun ? runValues[i] : rv[j];
            int o = fromRun ? runOrdinals[i] : ro[j];
            if (fromRun) {
                i += step;
            } else {
                j += step;
            }
            boolean started = startFrom == null || (descending ? v <= startFrom : v >= startFrom);
            boolean repeated = v == lastValue && o == lastOrdinal;
            lastValue = v;
            lastOrdinal = o;
            if (started && !repeated && holds(o, v) && !sink.visit(v, o)) {
                return;
            }
        }
    }

    /** Receives ordinals in value order with the value each is visited at; false stops the visit. */
    public interface OrderedVisitor {
        boolean visit(double value, int ordinal);
    }

    private static int compare(double v1, int o1, double v2, int o2) {
        int c = Double.compare(v1, v2);
        return c != 0 ? c : Integer.compare(o1, o2);
    }

    @Override
    public int indexedOrdinals() {
        return indexedOrdinals;
    }

    /** The closed interval {low, high} holding every value the range admits (low > high when none). */
    private static double[] bounds(Filter.Range r) {
        double low = Double.NEGATIVE_INFINITY;
        double high = Double.POSITIVE_INFINITY;
        if (r.gt() != null) {
            low = Math.max(low, r.gt());
        }
        if (r.gte() != null) {
            low = Math.max(low, r.gte());
        }
        if (r.lt() != null) {
            high = Math.min(high, r.lt());
        }
        if (r.lte() != null) {
            high = Math.min(high, r.lte());
        }
        return new double[] {key(low), key(high)};
    }

    /** -0.0 and 0.0 are one key, as they are one value to a comparison. */
    private static double key(double v) {
        return v == 0 ? 0.0 : v;
    }

    @Override
    public void writeEntries(DataOutput out) throws IOException {
        out.writeInt(indexedOrdinals);
        for (int ordinal = 0; ordinal < single.length; ordinal++) {
            if (!Double.isNaN(single[ordinal])) {
                out.writeInt(ordinal);
                out.writeInt(1);
                out.writeDouble(single[ordinal]);
            }
        }
        for (Int2ObjectHashMap<double[]>.EntryIterator it = multi.entrySet().iterator(); it.hasNext(); ) {
            it.next();
            out.writeInt(it.getIntKey());
            double[] values = it.getValue();
            out.writeInt(values.length);
            for (double v : values) {
                out.writeDouble(v);
            }
        }
    }

    @Override
    public void readEntries(DataInput in) throws IOException {
        int ordinals = in.readInt();
        for (int i = 0; i < ordinals; i++) {
            int ordinal = in.readInt();
            int count = in.readInt();
            if (ordinal < 0 || count < 1 || count > 1 << 20) {
                throw new IOException("numeric index on '" + field + "': entry " + ordinal + " with " + count + " values");
            }
            double[] values = new double[count];
            for (int j = 0; j < count; j++) {
                values[j] = in.readDouble();
            }
            put(ordinal, values);
        }
    }
}
