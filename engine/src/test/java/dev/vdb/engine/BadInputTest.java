package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input is an IllegalArgumentException naming the field and value, and a batch with
 * one bad point writes nothing (checked against the state before, and after a reopen).
 */
class BadInputTest {
    private static final int PAYLOAD_LIMIT = 1_000;

    @TempDir
    Path dir;
    VectorDb db;
    VectorCollection c;

    @BeforeEach
    void open() {
        db = VectorDb.open(dir, new DbOptions(true, 10, PAYLOAD_LIMIT));
        c = db.createCollection("c", CollectionConfig.of(3, Distance.COSINE));
        c.upsert(List.of(Point.of(1, new float[] {1, 2, 3}), Point.of(2, new float[] {3, 2, 1})));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void assertRejected(String expectedInMessage, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedInMessage), "message '" + e.getMessage() + "' lacks '" + expectedInMessage + "'");
        assertUnchanged();
    }

    private void assertUnchanged() {
        assertEquals(2, c.count());
        assertArrayEquals(new float[] {1, 2, 3}, c.get(PointId.of(1)).orElseThrow().vector());
        assertArrayEquals(new float[] {3, 2, 1}, c.get(PointId.of(2)).orElseThrow().vector());
        assertTrue(c.get(PointId.of(10)).isEmpty());
    }

    /** A batch whose last point is {@code bad}, after good points that replace and add. */
    private List<Point> batchEndingWith(Point bad) {
        return List.of(Point.of(1, new float[] {9, 9, 9}), Point.of(10, new float[] {1, 1, 1}), bad);
    }

    @Test
    void wrongDimensionNamesPointAndSize() {
        assertRejected("points[2].vector has dimension 2, expected 3 (id 5)",
                () -> c.upsert(batchEndingWith(Point.of(5, new float[] {1, 2}))));
    }

    @Test
    void nanAndInfinityNamePointAndIndex() {
        assertRejected("points[2].vector[1] must be a finite number, got NaN (id \"x\")",
                () -> c.upsert(batchEndingWith(Point.of("x", new float[] {1, Float.NaN, 3}))));
        assertRejected("points[2].vector[2] must be a finite number, got Infinity (id 6)",
                () -> c.upsert(batchEndingWith(Point.of(6, new float[] {1, 1, Float.POSITIVE_INFINITY}))));
        assertRejected("points[2].vector[0] must be a finite number, got -Infinity",
                () -> c.upsert(batchEndingWith(Point.of(6, new float[] {Float.NEGATIVE_INFINITY, 1, 1}))));
    }

    @Test
    void missingVectorAndNullPoints() {
        assertRejected("points[2].vector must not be null (id 7)",
                () -> c.upsert(batchEndingWith(new Point(PointId.of(7), null, null, null))));
        List<Point> withNull = new ArrayList<>(batchEndingWith(Point.of(8, new float[] {1, 1, 1})));
        withNull.set(1, null);
        assertRejected("points[1] must not be null", () -> c.upsert(withNull));
        assertRejected("points must not be null", () -> c.upsert(null));
    }

    @Test
    void oversizedBatchIsRefusedBeforeWriting() {
        List<Point> big = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            big.add(Point.of(100 + i, new float[] {1, 1, 1}));
        }
        assertRejected("points holds 11 points, more than the batch limit of 10", () -> c.upsert(big));
        List<PointId> ids = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            ids.add(PointId.of(i));
        }
        assertRejected("ids holds 11 ids", () -> c.delete(ids));
    }

    @Test
    void badIdsNameTheValue() {
        assertRejected("id must be a non-negative integer or a string, got -1", () -> PointId.of(-1));
        assertRejected("id must not be empty", () -> PointId.of(""));
        assertRejected("id must be at most 512 UTF-8 bytes", () -> PointId.of("é".repeat(300)));
        List<PointId> withNull = Arrays.asList(PointId.of(1), null);
        assertRejected("ids[1] must not be null", () -> c.delete(withNull));
    }

    /**
     * UTF-8 cannot encode a lone surrogate (getBytes turns it into '?'), so such an id would be
     * stored under the key of another: "a\ud800" on top of "a?", and two of them in one batch
     * under one key with two live ordinals. Each is refused before anything is written.
     */
    @Test
    void idsWithLoneSurrogatesAreRefusedAndCollideWithNothing() {
        assertRejected("id must be valid Unicode text, got 'a\\uD800' with a lone surrogate \\uD800 at index 1",
                () -> PointId.of("a\ud800"));
        assertRejected("lone surrogate \\uDC00 at index 0", () -> PointId.of("\udc00b"));
        assertRejected("lone surrogate \\uD83D at index 2", () -> PointId.of("ab\ud83d"));
        assertRejected("lone surrogate", () -> Point.of("a\udbff", new float[] {1, 1, 1}));

        // the id a lone surrogate would have overwritten keeps its point; a pair is one character of its own
        c.upsert(List.of(Point.of("a?", new float[] {1, 0, 0}, java.util.Map.of("v", "question mark"))));
        PointId emoji = PointId.of("a\ud83d\ude00");
        c.upsert(List.of(new Point(emoji, new float[] {0, 1, 0}, null, null)));
        assertEquals(4, c.count());
        assertEquals("question mark", c.get(PointId.of("a?")).orElseThrow().payload().get("v"));
        assertArrayEquals(new float[] {0, 1, 0}, c.get(emoji).orElseThrow().vector());
    }

    /** A payload of exactly the limit in bytes of JSON ({"s":"xx..."} is 8 bytes plus the string). */
    private static Map<String, Object> payloadOf(int jsonBytes) {
        return Map.of("s", "x".repeat(jsonBytes - 8));
    }

    @Test
    void payloadsPastTheLimitAreRefusedNamingTheId() {
        assertRejected("points[2].payload (id 5) is more than 1000 bytes as JSON, the limit of a point's payload",
                () -> c.upsert(batchEndingWith(Point.of(5, new float[] {1, 1, 1}, payloadOf(PAYLOAD_LIMIT + 1)))));
        c.upsert(List.of(Point.of(2, new float[] {3, 2, 1}, payloadOf(PAYLOAD_LIMIT))));
        assertEquals(payloadOf(PAYLOAD_LIMIT), c.get(PointId.of(2)).orElseThrow().payload());
        // a merge that would grow a payload past the limit is refused too, and changes nothing
        IllegalArgumentException merged = assertThrows(IllegalArgumentException.class,
                () -> c.setPayload(PointSelector.ids(PointId.of(2)), Map.of("t", 1)));
        assertEquals("payload (id 2) is more than 1000 bytes as JSON, the limit of a point's payload", merged.getMessage());
        assertEquals(payloadOf(PAYLOAD_LIMIT), c.get(PointId.of(2)).orElseThrow().payload());
    }

    @Test
    void badQueriesNameTheField() {
        assertRejected("vector has dimension 4, expected 3",
                () -> c.search(SearchRequest.of(new float[] {1, 2, 3, 4}, 3)));
        assertRejected("vector[0] must be a finite number, got NaN",
                () -> c.search(SearchRequest.of(new float[] {Float.NaN, 2, 3}, 3)));
        assertRejected("limit must be in 1..10000, got 0", () -> SearchRequest.of(new float[] {1, 2, 3}, 0));
        assertRejected("params.hnsw_ef must be in 1..10000, got -5", () -> new SearchParams(-5, false));
    }

    @Test
    void badConfigsNameTheField() {
        assertRejected("vectors.size must be in 1..65536, got 0", () -> CollectionConfig.of(0, Distance.DOT));
        assertRejected("distance must be one of Cosine, Euclid, Dot, got 'Manhattan'", () -> Distance.parse("Manhattan"));
        assertRejected("hnsw_config.m must be in 2..512, got 1", () -> new HnswConfig(1, 100));
    }

    @Test
    void rejectedBatchLeavesNothingAfterReopen() {
        assertThrows(IllegalArgumentException.class,
                () -> c.upsert(batchEndingWith(Point.of(5, new float[] {1, Float.NaN, 2}))));
        db.close();
        db = VectorDb.open(dir, new DbOptions(true, 10));
        c = db.collection("c");
        assertUnchanged();
    }
}
