package dev.vdb.engine;

import dev.vdb.engine.payload.PayloadValues;
import java.util.Map;
import java.util.Objects;

/**
 * A stored point: id, vector (as given, before any normalisation), payload and optional text.
 * Treat the vector as immutable once handed to the database.
 *
 * <pre>{@code
 * Point p = Point.of(7, new float[] {0.1f, 0.9f}, Map.of("city", "Paris", "year", 1999));
 * Point withText = new Point(PointId.of("doc-1"), vector, Map.of(), "Laminar flow on a flat plate");
 * }</pre>
 *
 * @param payload JSON values (String, Boolean, Number, null, List, Map with String keys), copied
 *     deeply and unmodifiable; empty when none was given (never null)
 * @param text full text for BM25, or null
 */
public record Point(PointId id, float[] vector, Map<String, Object> payload, String text) {

    /** @throws IllegalArgumentException naming the path of a payload value that is not JSON */
    public Point {
        Objects.requireNonNull(id, "id");
        payload = PayloadValues.copyOf(payload);
    }

    public static Point of(long id, float[] vector) {
        return new Point(PointId.of(id), vector, null, null);
    }

    public static Point of(String id, float[] vector) {
        return new Point(PointId.of(id), vector, null, null);
    }

    public static Point of(long id, float[] vector, Map<String, ?> payload) {
        return new Point(PointId.of(id), vector, anyValues(payload), null);
    }

    public static Point of(String id, float[] vector, Map<String, ?> payload) {
        return new Point(PointId.of(id), vector, anyValues(payload), null);
    }

    @SuppressWarnings("unchecked") // the constructor copies and checks every value
    private static Map<String, Object> anyValues(Map<String, ?> payload) {
        return (Map<String, Object>) payload;
    }
}
