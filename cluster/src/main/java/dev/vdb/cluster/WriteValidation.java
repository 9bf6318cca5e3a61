package dev.vdb.cluster;

import dev.vdb.engine.DbOptions;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Checks a write on the receiving node before it is split over shards, with the engine's
 * messages (the field, the batch position, the id and the value), so that a bad point refuses
 * the whole request rather than the shards it lands on. Stateless and thread-safe.
 */
final class WriteValidation {

    static final int MAX_BATCH = DbOptions.DEFAULT.maxBatchPoints();

    private WriteValidation() {}

    static void points(List<Point> points, int dimension) {
        if (points == null) {
            throw new IllegalArgumentException("points must not be null");
        }
        size(points.size(), "points", "points");
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (p == null) {
                throw new IllegalArgumentException("points[" + i + "] must not be null");
            }
            vector(p.vector(), dimension, "points[" + i + "].vector", " (id " + p.id() + ")");
        }
    }

    static void ids(Collection<PointId> ids) {
        if (ids == null) {
            throw new IllegalArgumentException("ids must not be null");
        }
        size(ids.size(), "ids", "ids");
        int i = 0;
        for (PointId id : ids) {
            if (id == null) {
                throw new IllegalArgumentException("ids[" + i + "] must not be null");
            }
            i++;
        }
    }

    static void vectors(Map<PointId, float[]> vectors, int dimension) {
        ids(vectors.keySet());
        vectors.forEach((id, v) -> vector(v, dimension, "vector", " (id " + id + ")"));
    }

    private static void size(int n, String field, String what) {
        if (n > MAX_BATCH) {
            throw new IllegalArgumentException(field + " holds " + n + " " + what
                    + ", more than the batch limit of " + MAX_BATCH);
        }
    }

    static void vector(float[] vector, int dimension, String field, String context) {
        if (vector == null) {
            throw new IllegalArgumentException(field + " must not be null" + context);
        }
        if (vector.length != dimension) {
            throw new IllegalArgumentException(field + " has dimension " + vector.length + ", expected " + dimension + context);
        }
        for (int j = 0; j < vector.length; j++) {
            if (!Float.isFinite(vector[j])) {
                throw new IllegalArgumentException(field + "[" + j + "] must be a finite number, got " + vector[j] + context);
            }
        }
    }
}
