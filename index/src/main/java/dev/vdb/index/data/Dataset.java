package dev.vdb.index.data;

import dev.vdb.index.VectorSimilarity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Base vectors, queries and exact top-k ground truth (base row ids, best first) for one metric.
 *
 * @param name where it came from, for messages
 */
public record Dataset(String name, float[][] base, float[][] queries, int[][] groundTruth,
                      VectorSimilarity similarity) {

    public int dimension() {
        return base[0].length;
    }

    /**
     * Loads {@code base.fvecs}, {@code query.fvecs} and a ground-truth file from a dataset folder.
     *
     * @param groundTruthFile e.g. {@code groundtruth.ivecs}
     */
    public static Dataset load(Path dir, String groundTruthFile, VectorSimilarity similarity) throws IOException {
        return new Dataset(dir.getFileName() + "/" + groundTruthFile,
                Vecs.readFvecs(dir.resolve("base.fvecs")),
                Vecs.readFvecs(dir.resolve("query.fvecs")),
                Vecs.readIvecs(dir.resolve(groundTruthFile)),
                similarity);
    }

    /**
     * Generated vectors shaped like real embeddings ({@link EmbeddingLikeGenerator}) with ground
     * truth computed by brute force (scalar kernels, ties to the smaller id), for runs without
     * the shared datasets. Queries come from the same distribution as the base vectors.
     */
    public static Dataset generate(int n, int queries, int dim, VectorSimilarity similarity, int k, long seed) {
        EmbeddingLikeGenerator generator = new EmbeddingLikeGenerator(dim, n, seed);
        float[][] base = generator.next(n);
        float[][] qs = generator.next(queries);
        float[][] preparedBase = new float[n][];
        for (int i = 0; i < n; i++) {
            preparedBase[i] = similarity.prepare(base[i]);
        }
        int[][] truth = IntStream.range(0, queries).parallel()
                .mapToObj(q -> exactTopKPrepared(preparedBase, similarity.prepare(qs[q]), similarity, k))
                .toArray(int[][]::new);
        return new Dataset("generated-" + n + "x" + dim, base, qs, truth, similarity);
    }

    /** Exact top-k base row ids for {@code query}, best first, ties to the smaller id. */
    public static int[] exactTopK(float[][] base, float[] query, VectorSimilarity similarity, int k) {
        float[][] prepared = new float[base.length][];
        for (int i = 0; i < base.length; i++) {
            prepared[i] = similarity.prepare(base[i]);
        }
        return exactTopKPrepared(prepared, similarity.prepare(query), similarity, k);
    }

    /**
     * As {@link #exactTopK}, for a base and query already {@link VectorSimilarity#prepare
     * prepared} (nothing is copied).
     */
    public static int[] exactTopKPrepared(float[][] base, float[] q, VectorSimilarity similarity, int k) {
        long[] packed = new long[base.length];
        for (int i = 0; i < base.length; i++) {
            float[] v = base[i];
            float s = similarity.scalarScore(q, 0, v, 0, q.length);
            // sort ascending by (-score, id): flip the float's bits into a sortable int
            int bits = Float.floatToIntBits(-s);
            bits ^= (bits >> 31) & 0x7fffffff;
            packed[i] = ((long) bits << 32) | i;
        }
        Arrays.sort(packed);
        int[] top = new int[Math.min(k, base.length)];
        for (int i = 0; i < top.length; i++) {
            top[i] = (int) packed[i];
        }
        return top;
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
