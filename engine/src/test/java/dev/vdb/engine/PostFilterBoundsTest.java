package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.filter.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code filter_strategy: post} and {@code auto} over an unindexed field, when few points pass:
 * the search must not widen ef to the whole collection (past {@link SearchParams#MAX_EF}), but
 * give way to a pre-filtered plan, and still answer exactly. The few matching points lie away
 * from the query, so no width short of the whole collection would find them.
 */
class PostFilterBoundsTest {

    private static final int POINTS = 12_000; // more than MAX_EF
    private static final int DIM = 8;

    @TempDir
    Path dir;

    @Test
    void postFilteringGivesWayInsteadOfWideningToTheWholeCollection() {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection indexed = load(db, "indexed", true);
            VectorCollection unindexed = load(db, "unindexed", false);
            float[] query = new float[DIM]; // the origin: the rare points are the farthest
            Filter rare = Filter.match("kind", "rare");
            for (VectorCollection c : List.of(indexed, unindexed)) {
                for (FilterStrategy strategy : List.of(FilterStrategy.POST, FilterStrategy.AUTO)) {
                    long before = c.diagnostics().searchDistanceComputations();
                    List<ScoredPoint> hits = c.search(SearchRequest.of(query, 5).toBuilder().filter(rare)
                            .params(SearchParams.DEFAULT.withFilterStrategy(strategy)).withPayload(false).build());
                    long distances = c.diagnostics().searchDistanceComputations() - before;
                    String what = c.name() + " " + strategy.apiName();
                    assertEquals(List.of(PointId.of(0), PointId.of(1), PointId.of(2)),
                            hits.stream().map(ScoredPoint::id).toList(), what + ": the three rare points, nearest first");
                    // widening to the whole collection costs more distances than it has points
                    assertTrue(distances < POINTS / 2, what + ": " + distances + " distances");
                }
            }
        }
    }

    /** Points 0..2 "rare", far from the origin (point 0 nearest of them); the rest "common", near it. */
    private static VectorCollection load(VectorDb db, String name, boolean index) {
        VectorCollection c = db.createCollection(name, CollectionConfig.of(DIM, Distance.EUCLID));
        if (index) {
            c.createPayloadIndex("kind", PayloadSchema.KEYWORD);
        }
        SplittableRandom random = new SplittableRandom(5);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            float[] v = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                v[d] = i < 3 ? 100 + i : (float) random.nextGaussian();
            }
            points.add(Point.of(i, v, Map.of("kind", i < 3 ? "rare" : "common")));
        }
        c.upsert(points);
        return c;
    }
}
