package dev.vdb.bench.filtered;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.VectorSimilarity;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Metric;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The computed filter columns: cells split the base into equal shares, a query's own cell is
 * the one whose centroid scores best against it and its far cell the one that scores worst
 * (checked against every centroid of the cells), and {@code other_FIELD} is always another value.
 */
class DerivedColumnsTest {

    @Test
    void cellsAreEqualSharesAndQueriesGetTheirBestAndWorstCentroidsCells() {
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            Dataset d = Dataset.generate(1_000, 40, 16, Metric.valueOf(similarity.name()), 10, 5);
            float[][] base = prepare(d.base(), similarity);
            float[][] queries = prepare(d.queries(), similarity);
            String[] cells = DerivedColumns.base(Set.of("cluster10", "rank"), base, similarity).get("cluster10");
            Map<String, Integer> sizes = new HashMap<>();
            for (String c : cells) {
                sizes.merge(c, 1, Integer::sum);
            }
            assertEquals(10, sizes.size(), similarity + ": " + sizes);
            sizes.values().forEach(size -> assertEquals(100, size, similarity + ": " + sizes));

            Map<String, String[]> q = DerivedColumns.queries(Set.of("cluster10", "far_cluster10"), base, queries,
                    similarity, Map.of());
            DerivedColumns.Cells centroids = new DerivedColumns.Cells(base, similarity, 10);
            for (int i = 0; i < queries.length; i++) {
                float best = Float.NEGATIVE_INFINITY;
                float worst = Float.POSITIVE_INFINITY;
                for (int c = 0; c < 10; c++) {
                    float s = similarity.score(queries[i], centroids.centroid(c));
                    best = Math.max(best, s);
                    worst = Math.min(worst, s);
                }
                int own = Integer.parseInt(q.get("cluster10")[i]);
                int far = Integer.parseInt(q.get("far_cluster10")[i]);
                assertEquals(best, similarity.score(queries[i], centroids.centroid(own)), similarity + " query " + i);
                assertEquals(worst, similarity.score(queries[i], centroids.centroid(far)), similarity + " query " + i);
            }
        }
    }

    @Test
    void otherTakesTheNextDifferentValueAndNeedsTwoValues() {
        assertArrayEquals(new String[] {"b", "c", "c", "a"}, DerivedColumns.other(new String[] {"a", "b", "b", "c"}, "other_k"));
        assertThrows(IllegalArgumentException.class, () -> DerivedColumns.other(new String[] {"a", "a"}, "other_k"));
        assertTrue(DerivedColumns.isDerivedQuery("other_lexname"));
        assertTrue(DerivedColumns.isDerivedQuery("far_cluster100"));
        assertTrue(DerivedColumns.isDerivedBase("cluster100"));
        assertFalse(DerivedColumns.isDerivedBase("lexname"));
    }

    private static float[][] prepare(float[][] vectors, VectorSimilarity similarity) {
        float[][] out = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            out[i] = similarity.prepare(vectors[i]);
        }
        return out;
    }
}
