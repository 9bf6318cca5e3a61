package dev.vdb.engine.write;

import dev.vdb.engine.DbOptions;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.payload.PayloadValues;
import dev.vdb.index.VectorKernels;
import java.util.List;
import java.util.Locale;

/**
 * Checks a whole batch before anything is written, so that a bad point rejects the batch
 * untouched. Messages name the field, the position in the batch, the point id and the value.
 *
 * <p>A vector's squared length is bounded by {@link #MAX_SQUARED_LENGTH} so that no score can
 * overflow a float: for vectors a and b within it, |a·b| ≤ |a||b| and |a − b|² ≤ (|a| + |b|)²
 * stay below {@link Float#MAX_VALUE}, whatever order the SIMD lanes sum in, so Dot, Euclid and
 * Cosine (normalised once) scores are always finite.
 *
 * <p>Stateless and thread-safe.
 */
public final class PointValidator {

    /**
     * Largest squared length of a stored or query vector: an eighth of {@link Float#MAX_VALUE}
     * (a quarter would do exactly; the rest is margin for rounding), a length of about 6.5e18.
     */
    public static final double MAX_SQUARED_LENGTH = Float.MAX_VALUE / 8.0;

    private PointValidator() {}

    public static void validateBatch(List<Point> points, int dimension, DbOptions options) {
        int maxBatchPoints = options.maxBatchPoints();
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
            checkPayload(p, options.maxPayloadBytes(), "points[" + i + "].payload");
        }
    }

    /** Refuses a point whose payload is larger than {@code maxBytes} as JSON; returns the point. */
    public static Point checkPayload(Point p, int maxBytes, String field) {
        if (!p.payload().isEmpty() && PayloadValues.jsonBytes(p.payload(), maxBytes) > maxBytes) {
            throw new IllegalArgumentException(field + " (id " + p.id() + ") is more than " + maxBytes
                    + " bytes as JSON, the limit of a point's payload");
        }
        return p;
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

    /**
     * Checks a query or point vector: present, of the collection's dimension, finite, and short
     * enough that no score can overflow ({@link #MAX_SQUARED_LENGTH}).
     */
    public static void checkVector(float[] vector, int dimension, String field, String context) {
        if (vector == null) {
            throw new IllegalArgumentException(field + " must not be null" + context);
        }
        if (vector.length != dimension) {
            throw new IllegalArgumentException(field + " has dimension " + vector.length
                    + ", expected " + dimension + context);
        }
        // The SIMD sum in float, a few dozen nanoseconds at d = 784: at most half the bound, the
        // exact sum is within it (float rounding over any dimension errs by far less than 2x).
        // Above that, or NaN or infinite (a component not finite, or a square past float's
        // range), the exact sum in double decides.
        if (VectorKernels.dot(vector, 0, vector, 0, dimension) <= MAX_SQUARED_LENGTH / 2) {
            return;
        }
        double squaredLength = squaredLength(vector);
        if (squaredLength <= MAX_SQUARED_LENGTH) {
            return; // finite too: a NaN or infinite component makes the sum NaN or infinite
        }
        for (int j = 0; j < vector.length; j++) {
            if (!Float.isFinite(vector[j])) {
                throw new IllegalArgumentException(field + "[" + j + "] must be a finite number, got "
                        + vector[j] + context);
            }
        }
        // every component finite (squares of floats add up far below double's range): too long
        throw new IllegalArgumentException(field + " is too long: its squared length is "
                + String.format(Locale.ROOT, "%.3g", squaredLength) + ", above "
                + String.format(Locale.ROOT, "%.3g", MAX_SQUARED_LENGTH)
                + ", where Dot and Euclid scores would overflow; scale it down" + context);
    }

    /** Σ x² in double, over four running sums (one would be a chain of dependent additions). */
    private static double squaredLength(float[] vector) {
        double a = 0;
        double b = 0;
        double c = 0;
        double d = 0;
        int j = 0;
        for (int end = vector.length & ~3; j < end; j += 4) {
            a += (double) vector[j] * vector[j];
            b += (double) vector[j + 1] * vector[j + 1];
            c += (double) vector[j + 2] * vector[j + 2];
            d += (double) vector[j + 3] * vector[j + 3];
        }
        for (; j < vector.length; j++) {
            a += (double) vector[j] * vector[j];
        }
        return (a + b) + (c + d);
    }
}
