package dev.vdb.testkit.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random 28×28 grayscale "handwritten digits" shaped like MNIST, for benchmarks on
 * high-dimensional Euclidean data that is not Gaussian-clustered. {@link EmbeddingLikeGenerator}
 * draws every vector as a cluster centre plus Gaussian spread in a few latent directions; image
 * pixels are nothing like that: most are exactly 0, the rest are bounded (0..255), and a vector's
 * neighbours differ from it by strokes moved a pixel or two, which changes a handful of pixels a
 * lot rather than every coordinate a little. An independent harness found our HNSW behind
 * Lucene's on a held-out 784-d Euclidean set while it led on the clustered 784-d one, so speed
 * claims need a set of this kind too (the shape of ann-benchmarks' mnist-784-euclidean).
 *
 * <p>The model: 10 classes. Each class has a skeleton, one pen path of 1-4 quadratic Bézier
 * strokes (each stroke starts where the previous one ends) with control points drawn evenly in
 * the central 20×20 box, and {@value #STYLES_PER_CLASS} "writer styles", the skeleton with every
 * control point moved (Gaussian, {@value #STYLE_SPREAD} px). A sample picks a class and a style
 * evenly, moves every control point again (Gaussian, {@value #JITTER} px), applies a random small
 * affine transform about the image centre (shift up to ±{@value #MAX_SHIFT} px, scale
 * {@value #MIN_SCALE}-{@value #MAX_SCALE}, rotation up to ±{@value #MAX_ROTATION} rad), and draws
 * the strokes with a half-width of {@value #MIN_HALF_WIDTH}-{@value #MAX_HALF_WIDTH} px,
 * anti-aliased: a pixel's value is {@code 255 · clamp(1 - (d - halfWidth), 0, 1)}, rounded, where
 * d is the distance from the pixel centre to the nearest stroke (each stroke approximated by
 * {@value #SEGMENTS} straight segments). Values are integers 0..255 stored as floats, as in
 * ann-benchmarks' mnist-784-euclidean, and L2 is the intended metric.
 *
 * <p>Summary statistics over 5,000 vectors of seed 42 (MNIST's training set in brackets): zero
 * pixels 79 % (81 %), mean pixel value 42 (33; the strokes here are a little wider); median
 * nearest-neighbour L2 distance 1,413 against a median pairwise distance of 3,100 (ratio 0.46);
 * nearest neighbour of the same class for 96 % of the vectors; median local intrinsic dimension
 * (MLE, k=20, 300 queries) 11.5.
 *
 * <p>Deterministic for a seed. Not thread-safe.
 */
public final class ImageLikeGenerator {

    /** Width and height of an image in pixels. */
    public static final int SIDE = 28;
    /** Pixels per image, row by row: the dimension of the vectors. */
    public static final int DIMENSION = SIDE * SIDE;
    public static final int CLASSES = 10;

    static final int STYLES_PER_CLASS = 8;
    static final int MAX_STROKES = 4;
    /** Skeleton control points lie in [BOX_MIN, BOX_MAX]² (pixel (row r, col c) is centred at (c+0.5, r+0.5)). */
    static final double BOX_MIN = 4;
    static final double BOX_MAX = 24;
    static final double STYLE_SPREAD = 2.0;
    static final double JITTER = 1.5;
    static final double MAX_SHIFT = 2;
    static final double MIN_SCALE = 0.9;
    static final double MAX_SCALE = 1.1;
    static final double MAX_ROTATION = 0.15;
    static final double MIN_HALF_WIDTH = 0.9;
    static final double MAX_HALF_WIDTH = 1.8;
    static final int SEGMENTS = 24;
    private static final double CENTRE = SIDE / 2.0;

    private final SplittableRandom random;
    /**
     * {@code styles[class][style]}: a pen path as {@code 2·strokes + 1} points {x, y}; stroke j
     * has control points 2j, 2j+1 and 2j+2.
     */
    private final double[][][][] styles;
    /** Per pixel, the squared distance to the nearest stroke drawn so far in the current image. */
    private final double[] squaredDistance = new double[DIMENSION];
    private final double[] curveX = new double[SEGMENTS + 1];
    private final double[] curveY = new double[SEGMENTS + 1];

    public ImageLikeGenerator(long seed) {
        this.random = new SplittableRandom(seed);
        this.styles = new double[CLASSES][STYLES_PER_CLASS][][];
        for (double[][][] classStyles : styles) {
            double[][] skeleton = new double[2 * (1 + random.nextInt(MAX_STROKES)) + 1][];
            for (int p = 0; p < skeleton.length; p++) {
                skeleton[p] = new double[] {uniform(BOX_MIN, BOX_MAX), uniform(BOX_MIN, BOX_MAX)};
            }
            for (int s = 0; s < STYLES_PER_CLASS; s++) {
                classStyles[s] = new double[skeleton.length][];
                for (int p = 0; p < skeleton.length; p++) {
                    classStyles[s][p] = new double[] {
                            clampToBox(skeleton[p][0] + STYLE_SPREAD * random.nextGaussian()),
                            clampToBox(skeleton[p][1] + STYLE_SPREAD * random.nextGaussian())};
                }
            }
        }
    }

    /** The next {@code count} images. */
    public float[][] next(int count) {
        return next(count, new int[count]);
    }

    /** The next {@code count} images; {@code classes[i]} receives the class (0-9) of image i. */
    public float[][] next(int count, int[] classes) {
        if (classes.length < count) {
            throw new IllegalArgumentException("classes has room for " + classes.length + " of " + count + " images");
        }
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            classes[i] = random.nextInt(CLASSES);
            out[i] = draw(styles[classes[i]][random.nextInt(STYLES_PER_CLASS)]);
        }
        return out;
    }

    private float[] draw(double[][] style) {
        double halfWidth = uniform(MIN_HALF_WIDTH, MAX_HALF_WIDTH);
        double[][] path = transform(jitter(style));
        Arrays.fill(squaredDistance, Double.POSITIVE_INFINITY);
        for (int p = 0; p + 2 < path.length; p += 2) {
            sampleCurve(path[p], path[p + 1], path[p + 2]);
            recordDistances(halfWidth + 1);
        }
        float[] pixels = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            double coverage = 1 - (Math.sqrt(squaredDistance[i]) - halfWidth);
            pixels[i] = Math.round(255 * Math.clamp(coverage, 0.0, 1.0));
        }
        return pixels;
    }

    private double[][] jitter(double[][] style) {
        double[][] out = new double[style.length][];
        for (int p = 0; p < style.length; p++) {
            out[p] = new double[] {style[p][0] + JITTER * random.nextGaussian(), style[p][1] + JITTER * random.nextGaussian()};
        }
        return out;
    }

    /** Rotates and scales about the image centre, then shifts. */
    private double[][] transform(double[][] points) {
        double angle = uniform(-MAX_ROTATION, MAX_ROTATION);
        double scale = uniform(MIN_SCALE, MAX_SCALE);
        double cos = scale * Math.cos(angle);
        double sin = scale * Math.sin(angle);
        double shiftX = uniform(-MAX_SHIFT, MAX_SHIFT);
        double shiftY = uniform(-MAX_SHIFT, MAX_SHIFT);
        for (double[] p : points) {
            double x = p[0] - CENTRE;
            double y = p[1] - CENTRE;
            p[0] = CENTRE + cos * x - sin * y + shiftX;
            p[1] = CENTRE + sin * x + cos * y + shiftY;
        }
        return points;
    }

    /** Fills {@link #curveX}/{@link #curveY} with {@value #SEGMENTS} + 1 points along the Bézier curve a, b, c. */
    private void sampleCurve(double[] a, double[] b, double[] c) {
        for (int s = 0; s <= SEGMENTS; s++) {
            double t = (double) s / SEGMENTS;
            double u = 1 - t;
            curveX[s] = u * u * a[0] + 2 * u * t * b[0] + t * t * c[0];
            curveY[s] = u * u * a[1] + 2 * u * t * b[1] + t * t * c[1];
        }
    }

    /**
     * Lowers {@link #squaredDistance} to the sampled curve's, for the pixels within {@code reach}
     * of the curve's bounding box: pixels farther away stay 0 whatever their exact distance.
     */
    private void recordDistances(double reach) {
        double minX = Arrays.stream(curveX).min().orElseThrow();
        double maxX = Arrays.stream(curveX).max().orElseThrow();
        double minY = Arrays.stream(curveY).min().orElseThrow();
        double maxY = Arrays.stream(curveY).max().orElseThrow();
        int firstCol = Math.max(0, (int) Math.floor(minX - reach));
        int lastCol = Math.min(SIDE - 1, (int) Math.ceil(maxX + reach));
        int firstRow = Math.max(0, (int) Math.floor(minY - reach));
        int lastRow = Math.min(SIDE - 1, (int) Math.ceil(maxY + reach));
        for (int row = firstRow; row <= lastRow; row++) {
            for (int col = firstCol; col <= lastCol; col++) {
                double px = col + 0.5;
                double py = row + 0.5;
                double nearest = squaredDistance[row * SIDE + col];
                for (int s = 0; s < SEGMENTS; s++) {
                    nearest = Math.min(nearest, squaredDistanceToSegment(px, py, s));
                }
                squaredDistance[row * SIDE + col] = nearest;
            }
        }
    }

    private double squaredDistanceToSegment(double px, double py, int segment) {
        double ax = curveX[segment];
        double ay = curveY[segment];
        double dx = curveX[segment + 1] - ax;
        double dy = curveY[segment + 1] - ay;
        double lengthSquared = dx * dx + dy * dy;
        double t = lengthSquared == 0 ? 0 : Math.clamp(((px - ax) * dx + (py - ay) * dy) / lengthSquared, 0.0, 1.0);
        double ex = ax + t * dx - px;
        double ey = ay + t * dy - py;
        return ex * ex + ey * ey;
    }

    private double uniform(double min, double max) {
        return min + (max - min) * random.nextDouble();
    }

    private static double clampToBox(double v) {
        return Math.clamp(v, BOX_MIN, BOX_MAX);
    }
}
