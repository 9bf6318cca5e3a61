package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.filter.Filter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timeouts in the Java API (issue 14, item 2): a search of every kind (exact, graph, text, hybrid,
 * filtered by stored payloads), a count and a delete by filter given a timeout they cannot meet
 * (a nanosecond) throw {@link QueryTimeoutException} on the calling thread, the thread that did
 * the work, so the work has stopped (that the loops stop at their first check past the deadline
 * is {@code DeadlineTest}'s); a delete by filter deletes nothing; and the collection then answers
 * every query exactly as with no timeout.
 */
class QueryTimeoutTest {
    private static final int DIM = 16;
    private static final int POINTS = 3_000;
    private static final Duration NANOSECOND = Duration.ofNanos(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** Decided by stored payloads: no index on "tag". */
    private static final Filter UNINDEXED = Filter.match("tag", "t1");

    @TempDir
    static Path dir;
    static VectorDb db;
    static VectorCollection c;

    @BeforeAll
    static void load() {
        db = VectorDb.open(dir);
        c = db.createCollection("c", CollectionConfig.of(DIM, Distance.EUCLID));
        SplittableRandom random = new SplittableRandom(11);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            points.add(new Point(PointId.of(i), vector(random), Map.of("tag", "t" + (i % 3)),
                    "flow over plate " + (i % 50) + (i % 7 == 0 ? " laminar" : "")));
        }
        c.upsert(points);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static float[] vector(SplittableRandom random) {
        float[] v = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            v[j] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }

    private static List<SearchRequest> everyKind() {
        float[] q = vector(new SplittableRandom(5));
        return List.of(
                SearchRequest.builder().vector(q).params(SearchParams.EXACT).build(),
                SearchRequest.builder().vector(q).params(SearchParams.ef(2_000)).build(), // > 1,024 distances
                SearchRequest.builder().text("laminar flow").build(),
                SearchRequest.builder().vector(q).text("laminar plate").build(),
                SearchRequest.builder().vector(q).filter(UNINDEXED)
                        .params(SearchParams.DEFAULT.withFilterStrategy(FilterStrategy.PRE)).build(),
                SearchRequest.builder().vector(q).filter(UNINDEXED)
                        .params(SearchParams.DEFAULT.withFilterStrategy(FilterStrategy.POST)).build(),
                SearchRequest.builder().text("plate").filter(UNINDEXED).build());
    }

    @Test
    void everyKindOfSearchStopsAtItsTimeoutAndTheCollectionAnswersAsBefore() {
        for (SearchRequest request : everyKind()) {
            List<ScoredPoint> untimed = c.search(request);
            QueryTimeoutException e = assertThrows(QueryTimeoutException.class,
                    () -> c.search(request.toBuilder().timeout(NANOSECOND).build()), request.toString());
            assertEquals("search was cancelled: it ran past its timeout of 0.000000001 s", e.getMessage());
            assertEquals(NANOSECOND, e.timeout());
            assertEquals(untimed, c.search(request), "the same answer after a cancelled search: " + request);
            assertEquals(untimed, c.search(request.toBuilder().timeout(MINUTE).build()), "a timeout met changes nothing");
        }
    }

    @Test
    void countAndDeleteByFilterStopAtTheirTimeoutAndDeleteNothing() {
        long matching = c.count(UNINDEXED);
        assertEquals(POINTS / 3, matching);
        QueryTimeoutException count = assertThrows(QueryTimeoutException.class, () -> c.count(UNINDEXED, NANOSECOND));
        assertEquals("count was cancelled: it ran past its timeout of 0.000000001 s", count.getMessage());
        QueryTimeoutException delete = assertThrows(QueryTimeoutException.class,
                () -> c.deleteByFilter(UNINDEXED, NANOSECOND));
        assertEquals("delete by filter was cancelled: it ran past its timeout of 0.000000001 s", delete.getMessage());
        assertEquals(POINTS, c.count(), "nothing was deleted");
        assertEquals(matching, c.count(UNINDEXED, MINUTE));
        assertThrows(IllegalArgumentException.class, () -> SearchRequest.builder().text("x").timeout(Duration.ZERO).build());
    }
}
