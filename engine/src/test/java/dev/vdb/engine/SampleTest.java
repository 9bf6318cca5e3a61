package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.filter.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VectorCollection#sample}: distinct points among those the filter matches, all of them when
 * fewer, and each as likely (counts of 3,000 one-point draws from 10 points, each expected 300:
 * a count outside 180..420 is 7 standard deviations away, so this fails only for a biased draw).
 */
class SampleTest {

    @TempDir
    Path dir;

    @Test
    void drawsDistinctMatchingPointsEachAsLikely() {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("s", CollectionConfig.of(2, Distance.DOT));
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                points.add(Point.of(i, new float[] {i, 1}, Map.of("group", i % 3)));
            }
            c.upsert(points);
            c.delete(List.of(PointId.of(0)));
            Filter groupZero = Filter.match("group", 0); // 3, 6, ..., 27: nine points
            List<Point> drawn = c.sample(new ScrollRequest(groupZero, 5, null, true, false, null));
            assertEquals(5, drawn.size());
            assertEquals(5, new HashSet<>(drawn.stream().map(Point::id).toList()).size(), "no repeats");
            for (Point p : drawn) {
                assertEquals(0, p.payload().get("group"));
                assertNull(p.vector(), "no vector unless asked");
            }
            assertEquals(9, c.sample(new ScrollRequest(groupZero, 50, null, false, false, null)).size(), "all when fewer");
            assertEquals(29, c.sample(new ScrollRequest(null, 100, null, false, true, null)).size(), "deleted points never");

            Filter ten = Filter.match("group", 1); // 1, 4, ..., 28
            Map<PointId, Integer> counts = new HashMap<>();
            for (int draw = 0; draw < 3_000; draw++) {
                for (Point p : c.sample(new ScrollRequest(ten, 1, null, false, false, null))) {
                    counts.merge(p.id(), 1, Integer::sum);
                }
            }
            assertEquals(10, counts.size());
            counts.forEach((id, n) -> assertTrue(n >= 180 && n <= 420, id + " drawn " + n + " times of 3,000: " + counts));
            assertThrows(IllegalArgumentException.class,
                    () -> c.sample(new ScrollRequest(null, 3, PointId.of(1), false, false, null)));
        }
    }
}
