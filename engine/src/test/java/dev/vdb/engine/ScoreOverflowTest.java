package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Finite but huge components (±3e38) made Dot and Euclid scores infinite or NaN (issue 14, item
 * 7): such vectors are refused, as points, vector updates and queries, naming the field and id;
 * vectors just inside the bound score finitely and exactly (against scores computed in double).
 */
class ScoreOverflowTest {

    /** Components of a vector of squared length 4.1e37, just inside the bound of about 4.25e37. */
    private static final float EDGE = 3.2e18f;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Distance.class)
    void vectorsWhoseScoresWouldOverflowAreRefusedAndTheRestScoreFinitely(Distance distance) {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(4, distance));
            float[] huge = {3e38f, -3e38f, 3e38f, -3e38f};
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> c.upsert(List.of(Point.of(1, new float[] {1, 0, 0, 0}), Point.of(7, huge))));
            assertTrue(refused.getMessage().startsWith("points[1].vector is too long: its squared length is 3.60e+77")
                    && refused.getMessage().endsWith("(id 7)"), refused.getMessage());
            assertEquals(0, c.count(), "the batch wrote nothing");
            // a single huge component overflows as surely as many
            assertThrows(IllegalArgumentException.class,
                    () -> c.upsert(List.of(Point.of(8, new float[] {0, 0, 1e20f, 0}))));

            float[][] vectors = {
                {EDGE, EDGE, EDGE, EDGE}, {-EDGE, -EDGE, -EDGE, -EDGE}, {EDGE, -EDGE, EDGE, -EDGE}, {1, 2, 3, 4}};
            for (int i = 0; i < vectors.length; i++) {
                c.upsert(List.of(Point.of(i, vectors[i], Map.of())));
            }
            IllegalArgumentException update = assertThrows(IllegalArgumentException.class,
                    () -> c.updateVectors(Map.of(PointId.of(3), huge)));
            assertTrue(update.getMessage().contains("vector is too long") && update.getMessage().contains("(id 3)"),
                    update.getMessage());
            IllegalArgumentException query = assertThrows(IllegalArgumentException.class,
                    () -> c.search(SearchRequest.of(huge, 4)));
            assertTrue(query.getMessage().startsWith("vector is too long"), query.getMessage());

            for (float[] q : vectors) {
                for (SearchParams params : List.of(SearchParams.EXACT, SearchParams.DEFAULT)) {
                    List<ScoredPoint> hits = c.search(SearchRequest.builder().vector(q).limit(4).params(params).build());
                    assertEquals(4, hits.size());
                    for (ScoredPoint hit : hits) {
                        double expected = oracle(distance, q, vectors[(int) (long) (Long) hit.id().value()]);
                        assertTrue(Float.isFinite(hit.score()), distance + ": score " + hit.score());
                        assertEquals(expected, hit.score(), Math.abs(expected) * 1e-5 + 1e-6, distance + " hit " + hit.id());
                    }
                }
            }
        }
    }

    /** The user-facing score computed in double. */
    private static double oracle(Distance distance, float[] a, float[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        double squared = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
            squared += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        }
        return switch (distance) {
            case COSINE -> dot / Math.sqrt(aa * bb);
            case DOT -> dot;
            case EUCLID -> Math.sqrt(squared);
        };
    }
}
