package dev.vdb.bench.filtered;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * One filter of a run resolved against the data: which base rows it admits for each query
 * (one set for a fixed filter; one per distinct query value for {@code FIELD=$query}), and the
 * exact filtered top-k of every query (-1 padded when fewer rows match). Immutable once the
 * ground truth is set; engines must not modify the sets.
 */
public final class FilterCase {

    private final int index;
    private final FilterSpec spec;
    private final boolean integerField;
    private final int baseSize;
    /** The admitted rows of each group; a fixed filter has one group. */
    private final BitSet[] groups;
    /** The query value of each group, null for a fixed filter. */
    private final String[] groupValues;
    private final int[] groupOfQuery;
    private int[][] truth;
    private String truthSource;

    private FilterCase(int index, FilterSpec spec, boolean integerField, int baseSize, BitSet[] groups,
                       String[] groupValues, int[] groupOfQuery) {
        this.index = index;
        this.spec = spec;
        this.integerField = integerField;
        this.baseSize = baseSize;
        this.groups = groups;
        this.groupValues = groupValues;
        this.groupOfQuery = groupOfQuery;
    }

    /** The unfiltered case (every row), with index -1: engines search it without a filter. */
    public static FilterCase unfiltered(int baseSize, int queries) {
        BitSet all = new BitSet(baseSize);
        all.set(0, baseSize);
        return new FilterCase(-1, FilterSpec.NONE, false, baseSize, new BitSet[] {all}, new String[] {null}, new int[queries]);
    }

    /** Whether this is the unfiltered case. */
    public boolean isUnfiltered() {
        return spec.op() == FilterSpec.Op.NONE;
    }

    /**
     * Resolves {@code spec} on the base payloads ({@code base}) and, for {@code FIELD=$query},
     * the queries' own values ({@code queryMeta}, may be null otherwise).
     */
    public static FilterCase resolve(int index, FilterSpec spec, MetaTable base, int baseSize, MetaTable queryMeta,
                                     int queries) {
        String[] values = base.column(spec.field());
        boolean integer = base.isInteger(spec.field());
        if (spec.op() == FilterSpec.Op.LESS_THAN && !integer) {
            throw new IllegalArgumentException("--filter " + spec + ": '" + spec.field() + "' is not an integer column");
        }
        if (spec.op() != FilterSpec.Op.SAME_AS_QUERY) {
            BitSet admitted = new BitSet(baseSize);
            for (int row = 0; row < baseSize; row++) {
                boolean match = spec.op() == FilterSpec.Op.LESS_THAN
                        ? Integer.parseInt(values[row]) < Long.parseLong(spec.value())
                        : values[row].equals(spec.value());
                if (match) {
                    admitted.set(row);
                }
            }
            return new FilterCase(index, spec, integer, baseSize, new BitSet[] {admitted}, new String[] {null}, new int[queries]);
        }
        if (queryMeta == null) {
            throw new IllegalArgumentException("--filter " + spec + " needs query_meta.tsv with a '" + spec.queryColumn() + "' column");
        }
        String[] queryValues = queryMeta.column(spec.queryColumn());
        Map<String, Integer> groupIndex = new LinkedHashMap<>();
        int[] groupOfQuery = new int[queries];
        for (int q = 0; q < queries; q++) {
            groupOfQuery[q] = groupIndex.computeIfAbsent(queryValues[q], v -> groupIndex.size());
        }
        BitSet[] groups = new BitSet[groupIndex.size()];
        String[] groupValues = groupIndex.keySet().toArray(String[]::new);
        for (int g = 0; g < groups.length; g++) {
            groups[g] = new BitSet(baseSize);
        }
        for (int row = 0; row < baseSize; row++) {
            Integer g = groupIndex.get(values[row]);
            if (g != null) {
                groups[g].set(row);
            }
        }
        return new FilterCase(index, spec, integer, baseSize, groups, groupValues, groupOfQuery);
    }

    /** Position of this case in its run (engines index their translated filters by it). */
    public int index() {
        return index;
    }

    public FilterSpec spec() {
        return spec;
    }

    /** Whether the filtered field holds integers (an integer payload index / Lucene IntField). */
    public boolean integerField() {
        return integerField;
    }

    public int groupCount() {
        return groups.length;
    }

    /** The group (set of admitted rows) query {@code q} searches in. */
    public int groupOf(int q) {
        return groupOfQuery[q];
    }

    /** The rows group {@code g} admits; do not modify. */
    public BitSet admitted(int g) {
        return groups[g];
    }

    /** The query value of group {@code g}, null for a fixed filter. */
    public String groupValue(int g) {
        return groupValues[g];
    }

    /** The filter of group {@code g} in the engine's JSON. */
    public String json(int g) {
        return spec.toJson(groupValues[g], integerField);
    }

    /** Fraction of the base query {@code q}'s filter admits. */
    public double fraction(int q) {
        return groups[groupOfQuery[q]].cardinality() / (double) baseSize;
    }

    /** Mean over the queries of the admitted fraction. */
    public double meanFraction() {
        double sum = 0;
        for (int q = 0; q < groupOfQuery.length; q++) {
            sum += fraction(q);
        }
        return sum / groupOfQuery.length;
    }

    /**
     * A checksum of the rows every group admits and of which group each query searches: cached
     * ground truth is only reused for the same sets.
     */
    public int admittedChecksum() {
        CRC32C crc = new CRC32C();
        for (BitSet group : groups) {
            crc.update(group.toByteArray());
        }
        for (int g : groupOfQuery) {
            crc.update(g);
        }
        return (int) crc.getValue();
    }

    /** The filter and its mean selectivity, e.g. {@code freq_rank<5000 (9.8%)}. */
    public String label() {
        double percent = 100 * meanFraction();
        return spec + String.format(Locale.ROOT, percent >= 10 ? " (%.0f%%)" : percent >= 1 ? " (%.1f%%)" : " (%.2f%%)", percent);
    }

    void setTruth(int[][] truth, String source) {
        this.truth = truth;
        this.truthSource = source;
    }

    /** Exact filtered top-k rows per query, -1 padded; do not modify. */
    public int[][] truth() {
        return truth;
    }

    /** The ground-truth file, or how it was computed. */
    public String truthSource() {
        return truthSource;
    }

    /**
     * Recall@k of {@code found} for query {@code q}: the share of the true filtered top-k found,
     * where the filter admits at least k rows; else the share of the admitted rows found.
     */
    public double recall(int q, int[] found, int k) {
        int[] t = truth[q];
        int expected = 0;
        while (expected < Math.min(k, t.length) && t[expected] >= 0) {
            expected++;
        }
        if (expected == 0) {
            return 1;
        }
        int hits = 0;
        for (int i = 0; i < Math.min(k, found.length); i++) {
            for (int j = 0; j < expected; j++) {
                if (t[j] == found[i]) {
                    hits++;
                    break;
                }
            }
        }
        return hits / (double) expected;
    }

    /** Whether query {@code q} got fewer hits than its filter admits (up to k). */
    public boolean shortAnswer(int q, int[] found, int k) {
        int expected = 0;
        int[] t = truth[q];
        while (expected < Math.min(k, t.length) && t[expected] >= 0) {
            expected++;
        }
        return found.length < expected;
    }
}
