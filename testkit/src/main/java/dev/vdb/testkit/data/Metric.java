package dev.vdb.testkit.data;

/**
 * The metrics ground truth is computed for, named as the engine's {@code VectorSimilarity} names
 * them (convert with {@code valueOf(name())}). Scores are computed in double precision with
 * plain loops: an oracle independent of the engine's kernels. Higher is closer.
 */
public enum Metric {
    COSINE,
    DOT,
    EUCLID;

    /** The vector as it is compared: a unit-length copy for COSINE, the vector itself otherwise. */
    public float[] prepare(float[] vector) {
        if (this != COSINE) {
            return vector;
        }
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        float[] unit = vector.clone();
        if (norm > 0) {
            double scale = 1 / Math.sqrt(norm);
            for (int i = 0; i < unit.length; i++) {
                unit[i] = (float) (unit[i] * scale);
            }
        }
        return unit;
    }

    /** The score of two prepared vectors of equal length: dot product, or minus the squared distance. */
    public double score(float[] a, float[] b) {
        double sum = 0;
        if (this == EUCLID) {
            for (int i = 0; i < a.length; i++) {
                double d = (double) a[i] - b[i];
                sum += d * d;
            }
            return -sum;
        }
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
