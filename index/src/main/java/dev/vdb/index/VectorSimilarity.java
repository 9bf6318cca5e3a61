package dev.vdb.index;

/**
 * How two vectors compare. Every function yields a <em>score where higher means closer</em>,
 * so heaps and searches never branch on the metric.
 *
 * <ul>
 *   <li>{@link #COSINE}: vectors are normalised to unit length once, at insert
 *       ({@link #prepare}), and the score is their inner product (the cosine similarity).
 *       A zero vector stays zero and scores 0 against everything.</li>
 *   <li>{@link #DOT}: the raw inner product; vectors are stored as given.</li>
 *   <li>{@link #EUCLID}: minus the squared Euclidean distance; {@link #toDistance} turns a
 *       score back into the Euclidean distance users see.</li>
 * </ul>
 *
 * Stateless, thread-safe, allocation-free (but {@link #prepare} copies).
 */
public enum VectorSimilarity {
    COSINE {
        @Override
        public float score(float[] a, int aOff, float[] b, int bOff, int dim) {
            return VectorKernels.dot(a, aOff, b, bOff, dim);
        }

        @Override
        public float scalarScore(float[] a, int aOff, float[] b, int bOff, int dim) {
            return ScalarKernels.INSTANCE.dot(a, aOff, b, bOff, dim);
        }

        @Override
        public float[] prepare(float[] vector) {
            return normalize(vector);
        }
    },
    DOT {
        @Override
        public float score(float[] a, int aOff, float[] b, int bOff, int dim) {
            return VectorKernels.dot(a, aOff, b, bOff, dim);
        }

        @Override
        public float scalarScore(float[] a, int aOff, float[] b, int bOff, int dim) {
            return ScalarKernels.INSTANCE.dot(a, aOff, b, bOff, dim);
        }
    },
    EUCLID {
        @Override
        public float score(float[] a, int aOff, float[] b, int bOff, int dim) {
            return -VectorKernels.squareDistance(a, aOff, b, bOff, dim);
        }

        @Override
        public float scalarScore(float[] a, int aOff, float[] b, int bOff, int dim) {
            return -ScalarKernels.INSTANCE.squareDistance(a, aOff, b, bOff, dim);
        }

        @Override
        public float toUserScore(float score) {
            return (float) Math.sqrt(Math.max(0f, -score));
        }

        @Override
        public boolean higherUserScoreIsCloser() {
            return false;
        }
    };

    /** Score of two prepared vectors with the SIMD kernels; higher is closer. */
    public abstract float score(float[] a, int aOff, float[] b, int bOff, int dim);

    /** The same score with plain loops: the reference for tests. */
    public abstract float scalarScore(float[] a, int aOff, float[] b, int bOff, int dim);

    /** Score of two whole prepared vectors of equal length. */
    public final float score(float[] a, float[] b) {
        return score(a, 0, b, 0, a.length);
    }

    /**
     * The form in which a vector is stored and queried: a normalised copy for COSINE, the
     * vector itself otherwise. Callers must not mutate a returned array they did not own.
     */
    public float[] prepare(float[] vector) {
        return vector;
    }

    /** The score users see: cosine similarity, inner product or Euclidean distance. */
    public float toUserScore(float score) {
        return score;
    }

    /** False for EUCLID, whose user score is a distance (results stay best first). */
    public boolean higherUserScoreIsCloser() {
        return true;
    }

    /** A unit-length copy of {@code vector}; a zero vector yields a zero copy. */
    public static float[] normalize(float[] vector) {
        float[] out = vector.clone();
        normalizeInPlace(out);
        return out;
    }

    /** Scales {@code vector} to unit length in place (a zero vector stays zero): what {@link #prepare} does for COSINE. */
    public static void normalizeInPlace(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        if (norm > 0) {
            float inv = (float) (1.0 / Math.sqrt(norm));
            for (int i = 0; i < vector.length; i++) {
                vector[i] *= inv;
            }
        }
    }
}
