package dev.vdb.testkit.data;

import java.util.SplittableRandom;

/**
 * Random vectors with the structure of real embeddings, for tests and benchmarks that run
 * without the shared datasets. Real embeddings (GloVe, MiniLM, image features) are not spread
 * evenly over their dimensions: each neighbourhood lies near a space of far fewer dimensions
 * (its own one), in clusters of very unequal sizes, around a mean that all vectors share.
 * Vectors drawn evenly from a ball, or Gaussian blobs in all d dimensions, have none of that,
 * which makes graph indexes behave differently than on real data.
 *
 * <p>So a vector is: a cluster picked with Zipf weights (cluster i has weight 1/(i+1)); that
 * cluster's centre; plus a point drawn in the cluster's own {@code r ≈ 2·√d} latent directions
 * (r of {@code 4r} shared random directions, per-axis spread decaying as j^-0.3); plus a mean
 * shared by all vectors and a little isotropic noise. Centres lie along the shared directions
 * with a spectrum decaying as j^-0.5.
 *
 * <p>The constants were set by comparing summary statistics with the shared datasets (numpy, 300
 * sample queries over 12-20k vectors, cosine): median local intrinsic dimension (MLE, k=20),
 * median/nearest distance, 10th-nearest/median distance, variance in the top 10 principal
 * components, mean pairwise cosine. GloVe-100: 14.3, 1.92, 0.66, 0.37, 0.37; generated at d=100:
 * 14.6, 2.05, 0.59, 0.42, 0.40. WordNet MiniLM-384: 21.6, 1.49, 0.78, 0.19, 0.08; generated at
 * d=384: 21.0, 1.63, 0.69, 0.26, 0.44.
 *
 * <p>Deterministic for a seed. Not thread-safe.
 */
public final class EmbeddingLikeGenerator {

    private static final double CLUSTER_SPREAD = 1.5;
    private static final double SPREAD_DECAY = 0.3;
    private static final double CENTRE_DECAY = 0.5;
    private static final double MEAN_SCALE = 0.7;
    private static final float NOISE = 0.2f;
    private static final int VECTORS_PER_CLUSTER = 250;

    private final int dim;
    private final int latentDim;
    private final SplittableRandom random;
    /** The shared directions: {@code directions × dim}, one direction per row. */
    private final float[][] directions;
    private final float[][] centres;
    /** Per cluster, which {@link #latentDim} of the shared directions it spreads along. */
    private final int[][] clusterAxes;
    private final float[][] spreads;
    private final double[] cumulativeWeights;
    private final float[] latent;

    /**
     * @param dim dimension of the vectors
     * @param expectedCount how many vectors will be drawn, which sets the number of clusters
     *     (one per {@value #VECTORS_PER_CLUSTER} vectors)
     */
    public EmbeddingLikeGenerator(int dim, int expectedCount, long seed) {
        if (dim < 1 || expectedCount < 1) {
            throw new IllegalArgumentException("dim and expectedCount must be positive, got " + dim + ", " + expectedCount);
        }
        this.dim = dim;
        this.latentDim = Math.min(dim, Math.max(2, Math.min(64, (int) Math.round(2 * Math.sqrt(dim)))));
        this.random = new SplittableRandom(seed);
        int shared = Math.min(dim, 4 * latentDim);
        this.directions = new float[shared][dim];
        double scale = 1 / Math.sqrt(latentDim);
        for (float[] direction : directions) {
            for (int i = 0; i < dim; i++) {
                direction[i] = (float) (random.nextGaussian() * scale);
            }
        }
        float[] mean = new float[dim];
        for (int i = 0; i < dim; i++) {
            mean[i] = (float) (random.nextGaussian() * MEAN_SCALE);
        }
        int clusters = Math.max(1, expectedCount / VECTORS_PER_CLUSTER);
        this.centres = new float[clusters][];
        this.clusterAxes = new int[clusters][latentDim];
        this.spreads = new float[clusters][latentDim];
        this.cumulativeWeights = new double[clusters];
        double total = 0;
        for (int c = 0; c < clusters; c++) {
            centres[c] = mean.clone();
            for (int j = 0; j < shared; j++) {
                addScaled(centres[c], directions[j], (float) (random.nextGaussian() * Math.pow(j + 1, -CENTRE_DECAY)));
            }
            pickDistinct(clusterAxes[c], shared);
            for (int j = 0; j < latentDim; j++) {
                spreads[c][j] = (float) (CLUSTER_SPREAD * Math.pow(j + 1, -SPREAD_DECAY) * (0.5 + random.nextDouble()));
            }
            total += 1.0 / (c + 1);
            cumulativeWeights[c] = total;
        }
        for (int c = 0; c < clusters; c++) {
            cumulativeWeights[c] /= total;
        }
        this.latent = new float[latentDim];
    }

    public int dimension() {
        return dim;
    }

    /** The next {@code count} vectors. */
    public float[][] next(int count) {
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            out[i] = next();
        }
        return out;
    }

    /** The next vector. */
    public float[] next() {
        int c = cluster(random.nextDouble());
        float[] v = centres[c].clone();
        for (int j = 0; j < latentDim; j++) {
            latent[j] = spreads[c][j] * (float) random.nextGaussian();
        }
        for (int j = 0; j < latentDim; j++) {
            addScaled(v, directions[clusterAxes[c][j]], latent[j]);
        }
        for (int i = 0; i < dim; i++) {
            v[i] += NOISE * (float) random.nextGaussian();
        }
        return v;
    }

    private static void addScaled(float[] into, float[] direction, float factor) {
        for (int i = 0; i < into.length; i++) {
            into[i] += factor * direction[i];
        }
    }

    /** Fills {@code out} with distinct values from [0, bound) (a partial Fisher-Yates shuffle). */
    private void pickDistinct(int[] out, int bound) {
        int[] all = new int[bound];
        for (int i = 0; i < bound; i++) {
            all[i] = i;
        }
        for (int i = 0; i < out.length; i++) {
            int j = i + random.nextInt(bound - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
            out[i] = all[i];
        }
    }

    private int cluster(double u) {
        int lo = 0;
        int hi = cumulativeWeights.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativeWeights[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
