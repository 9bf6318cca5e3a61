package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.filter.Filter;
import dev.vdb.testkit.data.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dropping payload indexes ({@link VectorCollection#deletePayloadIndex}): filtered searches keep
 * answering what a brute force over the written points answers, the dropped index stays dropped
 * across writes and a reopen, and dropping the {@code is_tenant} index forgets the tenant field
 * (a keyword index made later on the same field is a plain one, also after a reopen).
 */
class PayloadIndexDropTest {

    private static final int N = 1_500;
    private static final int DIM = 8;

    @TempDir
    Path dir;

    @Test
    void droppedIndexesLeaveFiltersExactAndStayDropped() {
        SplittableRandom random = new SplittableRandom(9);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            float[] v = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                v[d] = (float) random.nextGaussian();
            }
            points.add(new Point(PointId.of(i), v, Map.of("city", "c" + i % 5, "group", "g" + i % 3), null));
        }
        float[][] queries = new float[6][];
        for (int q = 0; q < queries.length; q++) {
            queries[q] = points.get(random.nextInt(N)).vector();
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("d", CollectionConfig.of(DIM, Distance.EUCLID));
            c.createPayloadIndex("city", PayloadSchema.KEYWORD);
            c.createPayloadIndex("group", PayloadSchema.KEYWORD, true);
            c.upsert(points);
            Indexing.awaitTenantGraphs(c);
            checkFilters(c, points, queries);

            assertTrue(c.deletePayloadIndex("city"));
            assertFalse(c.deletePayloadIndex("city"), "a second drop finds nothing");
            assertTrue(c.deletePayloadIndex("group"));
            assertEquals(Map.of(), c.payloadIndexes());
            assertEquals(Optional.empty(), c.tenantField());
            checkFilters(c, points, queries);
            assertThrows(IllegalArgumentException.class, () -> c.facet("city", null, 5));

            Point moved = new Point(PointId.of(7), points.get(7).vector(), Map.of("city", "c9", "group", "g9"), null);
            c.upsert(List.of(moved)); // a write after the drop touches no dropped index
            points.set(7, moved);
            checkFilters(c, points, queries);
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("d");
            assertEquals(Map.of(), c.payloadIndexes());
            assertEquals(Optional.empty(), c.tenantField());
            checkFilters(c, points, queries);
            c.createPayloadIndex("group", PayloadSchema.KEYWORD);
            assertEquals(Optional.empty(), c.tenantField(), "a plain keyword index now");
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("d");
            assertEquals(Map.of("group", PayloadSchema.KEYWORD), c.payloadIndexes());
            assertEquals(Optional.empty(), c.tenantField(), "the dropped tenant field is not revived by a reopen");
            checkFilters(c, points, queries);
        }
    }

    /** Exact filtered searches equal the brute force; graph ones return only matching points. */
    private static void checkFilters(VectorCollection c, List<Point> points, float[][] queries) {
        for (String[] condition : new String[][] {{"city", "c2"}, {"group", "g1"}, {"city", "c9"}}) {
            Filter filter = Filter.match(condition[0], condition[1]);
            for (float[] q : queries) {
                List<PointId> expected = points.stream()
                        .filter(p -> condition[1].equals(p.payload().get(condition[0])))
                        .sorted(Comparator.comparingDouble(p -> Metric.EUCLID.userScore(q, p.vector())))
                        .limit(10).map(Point::id).toList();
                List<PointId> exact = c.search(SearchRequest.builder().vector(q).limit(10).filter(filter)
                        .params(SearchParams.EXACT).build()).stream().map(ScoredPoint::id).toList();
                assertEquals(expected, exact, condition[0] + "=" + condition[1]);
                for (ScoredPoint hit : c.search(SearchRequest.builder().vector(q).limit(10).filter(filter).build())) {
                    assertEquals(condition[1], hit.payload().get(condition[0]), "a graph hit matches the filter");
                }
            }
        }
    }
}
