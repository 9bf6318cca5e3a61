package dev.vdb.engine.write;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PointValidator#checkVector} against the bound computed here in double, one component
 * at a time: vectors scaled to either side of it in every dimension up to 2,000, and vectors
 * with a component that is not finite or whose square leaves float's range.
 */
class PointValidatorTest {

    @Test
    void aVectorIsAcceptedExactlyWhenItsSquaredLengthIsWithinTheBound() {
        SplittableRandom random = new SplittableRandom(7);
        double[] fractions = {0.01, 0.3, 0.49, 0.5, 0.51, 0.9, 0.999, 1.001, 1.1, 2, 100};
        for (int dim = 1; dim <= 2000; dim += dim < 70 ? 1 : 37) {
            for (double fraction : fractions) {
                float[] v = scaled(random, dim, fraction * PointValidator.MAX_SQUARED_LENGTH);
                double exact = 0;
                for (float x : v) {
                    exact += (double) x * x;
                }
                String what = "d = " + dim + ", squared length " + exact / PointValidator.MAX_SQUARED_LENGTH
                        + " of the bound";
                if (exact <= PointValidator.MAX_SQUARED_LENGTH) {
                    assertDoesNotThrow(() -> PointValidator.checkVector(v, v.length, "vector", ""), what);
                } else {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> PointValidator.checkVector(v, v.length, "vector", ""), what);
                    assertTrue(e.getMessage().startsWith("vector is too long"), e.getMessage());
                }
            }
        }
    }

    @Test
    void aComponentNotFiniteOrWithASquarePastFloatIsNamed() {
        SplittableRandom random = new SplittableRandom(11);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int dim : new int[] {1, 3, 16, 100, 784, 1536}) {
            for (float value : bad) {
                float[] v = scaled(random, dim, 1);
                int at = random.nextInt(dim);
                v[at] = value;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> PointValidator.checkVector(v, v.length, "vector", ""));
                assertEquals("vector[" + at + "] must be a finite number, got " + value, e.getMessage());
            }
            float[] v = scaled(random, dim, 1);
            v[random.nextInt(dim)] = 2e19f; // finite, its square is not a float
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PointValidator.checkVector(v, v.length, "vector", ""));
            assertTrue(e.getMessage().startsWith("vector is too long"), e.getMessage());
        }
    }

    /** Random components of both signs, scaled so that their squares sum to about {@code squaredLength}. */
    private static float[] scaled(SplittableRandom random, int dim, double squaredLength) {
        double[] raw = new double[dim];
        double sum = 0;
        for (int i = 0; i < dim; i++) {
            raw[i] = random.nextDouble(-1, 1);
            sum += raw[i] * raw[i];
        }
        double scale = Math.sqrt(squaredLength / sum);
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) (raw[i] * scale);
        }
        return v;
    }
}
