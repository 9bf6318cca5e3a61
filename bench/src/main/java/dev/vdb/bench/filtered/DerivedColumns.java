package dev.vdb.bench.filtered;

import dev.vdb.index.VectorSimilarity;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payload columns the filtered bench computes from the data instead of reading them, so that
 * any dataset gets filters <em>correlated</em> with the query (its nearest neighbours tend to
 * pass) and <em>anti-correlated</em> ones (they tend not to), at a chosen selectivity:
 * <ul>
 *   <li>base {@code clusterC}: the base split into C cells of equal size around C centroids
 *       (distinct base rows drawn with a fixed seed): rows in a seeded random order each take
 *       the best-scoring centroid whose cell is not yet full, so each cell admits 1/C of the
 *       base and holds the rows around its centroid;</li>
 *   <li>query {@code clusterC}: the cell of the query's best-scoring centroid, so
 *       {@code clusterC=$query} is correlated; query {@code far_clusterC}: the cell of its
 *       worst-scoring centroid, so {@code clusterC=$query.far_clusterC} admits 1/C of the base
 *       far from the query, anti-correlated;</li>
 *   <li>query {@code other_FIELD}: the FIELD value of the next query (in file order) whose value
 *       differs from this query's, e.g. {@code lexname=$query.other_lexname} on WordNet: another
 *       category's rows, anti-correlated with the query's own.</li>
 * </ul>
 * Deterministic for the data. Stateless.
 */
final class DerivedColumns {

    private static final Pattern CLUSTER = Pattern.compile("cluster([1-9][0-9]*)");
    private static final Pattern FAR_CLUSTER = Pattern.compile("far_cluster([1-9][0-9]*)");
    private static final Pattern OTHER = Pattern.compile("other_(.+)");
    private static final long SEED = 42;

    private DerivedColumns() {}

    /** Whether the bench computes base column {@code field} rather than reading it. */
    static boolean isDerivedBase(String field) {
        return CLUSTER.matcher(field).matches();
    }

    /** Whether the bench computes query column {@code column} rather than reading it. */
    static boolean isDerivedQuery(String column) {
        return CLUSTER.matcher(column).matches() || FAR_CLUSTER.matcher(column).matches() || OTHER.matcher(column).matches();
    }

    /** For {@code other_FIELD}, the query column FIELD it derives from; else null. */
    static String otherSource(String column) {
        Matcher m = OTHER.matcher(column);
        return m.matches() ? m.group(1) : null;
    }

    /** The base columns among {@code fields} the bench computes, by name. */
    static Map<String, String[]> base(Set<String> fields, float[][] base, VectorSimilarity similarity) {
        Map<String, String[]> out = new HashMap<>();
        for (String field : fields) {
            Matcher m = CLUSTER.matcher(field);
            if (m.matches()) {
                out.put(field, new Cells(base, similarity, cellCount(m.group(1), base.length)).baseColumn());
            }
        }
        return out;
    }

    /**
     * The query columns among {@code columns} the bench computes, by name; {@code read} holds
     * the query columns read from the file (the sources of {@code other_FIELD}).
     */
    static Map<String, String[]> queries(Set<String> columns, float[][] base, float[][] queries,
                                         VectorSimilarity similarity, Map<String, String[]> read) {
        Map<String, String[]> out = new HashMap<>();
        for (String column : columns) {
            Matcher own = CLUSTER.matcher(column);
            Matcher far = FAR_CLUSTER.matcher(column);
            if (own.matches() || far.matches()) {
                String count = own.matches() ? own.group(1) : far.group(1);
                out.put(column, new Cells(base, similarity, cellCount(count, base.length)).queryColumn(queries, far.matches()));
            } else if (otherSource(column) != null) {
                out.put(column, other(read.get(otherSource(column)), column));
            }
        }
        return out;
    }

    private static int cellCount(String digits, int rows) {
        int count = Integer.parseInt(digits);
        if (count > rows) {
            throw new IllegalArgumentException("--filter cluster" + count + ": more cells than the " + rows + " base rows");
        }
        return count;
    }

    /** Each query's value replaced by the next differing value in file order (wrapping around). */
    static String[] other(String[] values, String column) {
        if (values == null) {
            throw new IllegalArgumentException("--filter column " + column + " needs the query column it derives from");
        }
        String[] out = new String[values.length];
        for (int q = 0; q < values.length; q++) {
            for (int j = 1; j < values.length && out[q] == null; j++) {
                String candidate = values[(q + j) % values.length];
                if (!candidate.equals(values[q])) {
                    out[q] = candidate;
                }
            }
            if (out[q] == null) {
                throw new IllegalArgumentException("--filter column " + column + ": every query has the value " + values[q]);
            }
        }
        return out;
    }

    /** C cells of equal size over the base, around C centroids drawn from it. */
    static final class Cells {
        private final float[][] base;
        private final VectorSimilarity similarity;
        private final float[][] centroids;

        Cells(float[][] base, VectorSimilarity similarity, int count) {
            this.base = base;
            this.similarity = similarity;
            SplittableRandom random = new SplittableRandom(SEED);
            int[] rows = shuffled(base.length, random);
            this.centroids = new float[count][];
            for (int c = 0; c < count; c++) {
                centroids[c] = base[rows[c]];
            }
        }

        /** The centroid of cell {@code c}. */
        float[] centroid(int c) {
            return centroids[c];
        }

        /** Each base row's cell: the best-scoring centroid with room left, rows in a seeded random order. */
        String[] baseColumn() {
            int capacity = (base.length + centroids.length - 1) / centroids.length;
            int[] fill = new int[centroids.length];
            String[] cell = new String[base.length];
            long[] ranked = new long[centroids.length];
            for (int row : shuffled(base.length, new SplittableRandom(SEED + 1))) {
                for (int c = 0; c < centroids.length; c++) {
                    ranked[c] = sortKey(similarity.score(base[row], centroids[c]), c);
                }
                Arrays.sort(ranked);
                for (long key : ranked) {
                    int c = (int) key;
                    if (fill[c] < capacity) {
                        fill[c]++;
                        cell[row] = Integer.toString(c);
                        break;
                    }
                }
            }
            return cell;
        }

        /** Each query's best-scoring centroid's cell, or its worst-scoring one's when {@code far}. */
        String[] queryColumn(float[][] queries, boolean far) {
            String[] out = new String[queries.length];
            for (int q = 0; q < queries.length; q++) {
                int chosen = 0;
                float chosenScore = similarity.score(queries[q], centroids[0]);
                for (int c = 1; c < centroids.length; c++) {
                    float s = similarity.score(queries[q], centroids[c]);
                    if (far ? s < chosenScore : s > chosenScore) {
                        chosen = c;
                        chosenScore = s;
                    }
                }
                out[q] = Integer.toString(chosen);
            }
            return out;
        }

        /** Ascending by (−score, index): the float's bits flipped into a sortable int. */
        private static long sortKey(float score, int index) {
            int bits = Float.floatToIntBits(-score);
            bits ^= (bits >> 31) & 0x7fffffff;
            return ((long) bits << 32) | index;
        }

        private static int[] shuffled(int n, SplittableRandom random) {
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = rows[i];
                rows[i] = rows[j];
                rows[j] = t;
            }
            return rows;
        }
    }
}
