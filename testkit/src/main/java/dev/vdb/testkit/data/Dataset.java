package dev.vdb.testkit.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * Base vectors, queries and exact top-k ground truth (base row ids, best first) for one metric.
 * Test and benchmark data only: no product module depends on this.
 *
 * @param name where it came from, for messages
 */
public record Dataset(String name, float[][] base, float[][] queries, int[][] groundTruth, Metric metric) {

    public int dimension() {
        return base[0].length;
    }

    /**
     * Loads {@code base.fvecs}, {@code query.fvecs} and a ground-truth file from a dataset folder.
     *
     * @param groundTruthFile e.g. {@code groundtruth.ivecs}
     */
    public static Dataset load(Path dir, String groundTruthFile, Metric metric) throws IOException {
        return new Dataset(dir.getFileName() + "/" + groundTruthFile,
                Vecs.readFvecs(dir.resolve("base.fvecs")),
                Vecs.readFvecs(dir.resolve("query.fvecs")),
                Vecs.readIvecs(dir.resolve(groundTruthFile)),
                metric);
    }

    /**
     * Generated vectors shaped like real embeddings ({@link EmbeddingLikeGenerator}) with ground
     * truth computed by brute force (double precision, ties to the smaller id), for runs without
     * the shared datasets. Queries come from the same distribution as the base vectors.
     */
    public static Dataset generate(int n, int queries, int dim, Metric metric, int k, long seed) {
        EmbeddingLikeGenerator generator = new EmbeddingLikeGenerator(dim, n, seed);
        float[][] base = generator.next(n);
        float[][] qs = generator.next(queries);
        float[][] preparedBase = prepare(base, metric);
        int[][] truth = IntStream.range(0, queries).parallel()
                .mapToObj(q -> exactTopKPrepared(preparedBase, metric.prepare(qs[q]), metric, k))
                .toArray(int[][]::new);
        return new Dataset("generated-" + n + "x" + dim, base, qs, truth, metric);
    }

    /** Exact top-k base row ids for {@code query}, best first, ties to the smaller id. */
    public static int[] exactTopK(float[][] base, float[] query, Metric metric, int k) {
        return exactTopKPrepared(prepare(base, metric), metric.prepare(query), metric, k);
    }

    /** As {@link #exactTopK}, for a base and query already {@link Metric#prepare prepared}. */
    public static int[] exactTopKPrepared(float[][] base, float[] query, Metric metric, int k) {
        int kept = 0;
        int[] ids = new int[Math.min(k, base.length)];
        double[] scores = new double[ids.length];
        for (int i = 0; i < base.length && ids.length > 0; i++) {
            double s = metric.score(query, base[i]);
            if (kept == ids.length && s <= scores[kept - 1]) {
                continue; // not better than the worst kept (a tie keeps the smaller id, seen first)
            }
            int at = kept == ids.length ? kept - 1 : kept++;
            while (at > 0 && scores[at - 1] < s) {
                ids[at] = ids[at - 1];
                scores[at] = scores[at - 1];
                at--;
            }
            ids[at] = i;
            scores[at] = s;
        }
        return ids;
    }

    private static float[][] prepare(float[][] vectors, Metric metric) {
        float[][] prepared = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            prepared[i] = metric.prepare(vectors[i]);
        }
        return prepared;
    }

    /** Recall@k of {@code found} (row ids, best first) against ground-truth row {@code query}. */
    public double recall(int query, int[] found, int k) {
        return recall(groundTruth[query], found, k);
    }

    /** |found top-k ∩ truth top-k| / k, both best first. */
    public static double recall(int[] truth, int[] found, int k) {
        int hits = 0;
        for (int i = 0; i < Math.min(k, found.length); i++) {
            for (int j = 0; j < k; j++) {
                if (truth[j] == found[i]) {
                    hits++;
                    break;
                }
            }
        }
        return hits / (double) k;
    }
}
