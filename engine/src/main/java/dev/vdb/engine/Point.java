package dev.vdb.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A stored point: id, vector (as given, before any normalisation), JSON payload and optional
 * text. Treat the arrays and the payload as immutable once handed to the database.
 *
 * @param payload a JSON object, empty when none was given (never null)
 * @param text full text for BM25, or null
 */
public record Point(PointId id, float[] vector, ObjectNode payload, String text) {

    public Point {
        Objects.requireNonNull(id, "id");
        payload = payload == null ? JsonNodeFactory.instance.objectNode() : payload;
    }

    public static Point of(long id, float[] vector) {
        return new Point(PointId.of(id), vector, null, null);
    }

    public static Point of(String id, float[] vector) {
        return new Point(PointId.of(id), vector, null, null);
    }
}
