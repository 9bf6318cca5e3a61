package dev.vdb.engine.write;

import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import java.util.List;

/**
 * Checks a whole batch before anything is written, so that a bad point rejects the batch
 * untouched. Messages name the field, the position in the batch, the point id and the value.
 *
 * <p>Stateless and thread-safe.
 */
public final class PointValidator {

    private PointValidator() {}

    public static void validateBatch(List<Point> points, int dimension, int maxBatchPoints) {
        if (points == null) {
            throw new IllegalArgumentException("points must not be null");
        }
        if (points.size() > maxBatchPoints) {
            throw new IllegalArgumentException("points holds " + points.size()
                    + " points, more than the batch limit of " + maxBatchPoints);
        }
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (p == null) {
                throw new IllegalArgumentException("points[" + i + "] must not be null");
            }
            checkVector(p.vector(), dimension, "points[" + i + "].vector", " (id " + p.id() + ")");
        }
    }

    public static void validateIds(List<PointId> ids, int maxBatchPoints) {
        if (ids == null) {
            throw new IllegalArgumentException("ids must not be null");
        }
        if (ids.size() > maxBatchPoints) {
            throw new IllegalArgumentException("ids holds " + ids.size()
                    + " ids, more than the batch limit of " + maxBatchPoints);
        }
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) == null) {
                throw new IllegalArgumentException("ids[" + i + "] must not be null");
            }
        }
    }

    /** Checks a query or point vector: present, of the collection's dimension, finite. */
    public static void checkVector(float[] vector, int dimension, String field, String context) {
        if (vector == null) {
            throw new IllegalArgumentException(field + " must not be null" + context);
        }
        if (vector.length != dimension) {
            throw new IllegalArgumentException(field + " has dimension " + vector.length
                    + ", expected " + dimension + context);
        }
        for (int j = 0; j < vector.length; j++) {
            if (!Float.isFinite(vector[j])) {
                throw new IllegalArgumentException(field + "[" + j + "] must be a finite number, got "
                        + vector[j] + context);
            }
        }
    }
}
