package dev.vdb.testkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageLikeGeneratorTest {

    @Test
    void sameSeedGivesSameImages() {
        float[][] a = new ImageLikeGenerator(7).next(50);
        float[][] b = new ImageLikeGenerator(7).next(50);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
        }
    }

    @Test
    void pixelsAreIntegersIn0To255AndMostlyZero() {
        float[][] images = new ImageLikeGenerator(1).next(500);
        long zeros = 0;
        for (float[] image : images) {
            assertEquals(ImageLikeGenerator.DIMENSION, image.length);
            for (float v : image) {
                assertTrue(v >= 0 && v <= 255 && v == Math.rint(v), "pixel " + v);
                zeros += v == 0 ? 1 : 0;
            }
        }
        double zeroShare = (double) zeros / (images.length * ImageLikeGenerator.DIMENSION);
        assertTrue(zeroShare > 0.6 && zeroShare < 0.9, "share of zero pixels " + zeroShare);
    }

    /** Classes are real structure: an image's nearest neighbour mostly shares its class (chance: 0.1). */
    @Test
    void nearestNeighbourUsuallySharesTheClass() {
        int n = 2_000;
        int[] classes = new int[n];
        float[][] images = new ImageLikeGenerator(3).next(n, classes);
        double[] nearest = new double[n];
        int[] nearestId = new int[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = squaredL2(images[i], images[j]);
                if (d < nearest[i]) {
                    nearest[i] = d;
                    nearestId[i] = j;
                }
                if (d < nearest[j]) {
                    nearest[j] = d;
                    nearestId[j] = i;
                }
            }
        }
        int same = 0;
        for (int i = 0; i < n; i++) {
            same += classes[nearestId[i]] == classes[i] ? 1 : 0;
        }
        double share = (double) same / n;
        assertTrue(share > 0.6, "nearest neighbour of the same class " + share);
    }

    private static double squaredL2(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
