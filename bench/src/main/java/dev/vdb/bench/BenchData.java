package dev.vdb.bench;

import dev.vdb.index.VectorSimilarity;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Metric;
import dev.vdb.testkit.data.Vecs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

/**
 * The vectors one run searches: base and queries already prepared for the metric (unit length
 * for cosine), and the exact top-k ground truth (base row ids, best first). Immutable after
 * loading; engines must not modify the arrays.
 *
 * @param groundTruthSource the ground-truth file, or how it was computed
 */
public record BenchData(String name, float[][] base, float[][] queries, int[][] groundTruth,
                        VectorSimilarity similarity, String groundTruthSource) {

    /** Quick mode: this many base vectors, queries and ef values. */
    public static final int QUICK_BASE = 2_000;
    public static final int QUICK_QUERIES = 100;
    /** Base vectors and queries of a generated set unless {@code --base} / {@code --queries} say otherwise. */
    public static final int GENERATED_BASE = 20_000;
    public static final int GENERATED_QUERIES = 1_000;
    public static final long SEED = 42;

    public int dimension() {
        return base[0].length;
    }

    /** Recall@k of {@code found} against ground-truth row {@code query}. */
    public double recall(int query, int[] found, int k) {
        return Dataset.recall(groundTruth[query], found, k);
    }

    /**
     * Loads a dataset folder in the {@code ../shared/datasets} format.
     *
     * @param baseLimit use only the first this many base vectors (ground truth is then
     *     recomputed by brute force on the slice), or {@code <= 0} for all
     * @param queryLimit use only the first this many queries, or {@code <= 0} for all
     * @param groundTruthFile the ivecs to read when the base is not sliced
     */
    public static BenchData load(Path dir, VectorSimilarity similarity, Path groundTruthFile, int baseLimit,
                                 int queryLimit, int k) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--dataset must be a folder with base.fvecs and query.fvecs, got " + dir);
        }
        float[][] base = Vecs.readFvecs(dir.resolve("base.fvecs"), baseLimit > 0 ? baseLimit : Integer.MAX_VALUE);
        float[][] queries = Vecs.readFvecs(dir.resolve("query.fvecs"), queryLimit > 0 ? queryLimit : Integer.MAX_VALUE);
        boolean sliced = baseLimit > 0 && Vecs.readFvecs(dir.resolve("base.fvecs"), baseLimit + 1).length > baseLimit;
        String name = dir.getFileName().toString();
        if (sliced) {
            return withBruteForceTruth(name + "[0.." + base.length + ")", base, queries, similarity, k);
        }
        if (!Files.isRegularFile(groundTruthFile)) {
            throw new IllegalArgumentException("--groundtruth file not found: " + groundTruthFile);
        }
        int[][] truth = Vecs.readIvecs(groundTruthFile);
        if (truth.length < queries.length) {
            throw new IllegalArgumentException("--groundtruth " + groundTruthFile + " has " + truth.length
                    + " rows but there are " + queries.length + " queries");
        }
        if (truth[0].length < k) {
            throw new IllegalArgumentException("--k must be at most the ground truth width " + truth[0].length + ", got " + k);
        }
        return new BenchData(name, prepare(base, similarity), prepare(queries, similarity),
                Arrays.copyOf(truth, queries.length), similarity, groundTruthFile.getFileName().toString());
    }

    /**
     * Generated vectors of the given shape (seed {@value #SEED}; queries drawn after the base),
     * ground truth by brute force, kept in {@code cacheDir} (when not null) under a name that
     * carries the shape and a checksum of the vectors, so a changed generator never reuses stale
     * truth.
     */
    public static BenchData generated(GeneratedShape shape, int n, int queries, int dim, VectorSimilarity similarity,
                                      int k, Path cacheDir) throws IOException {
        IntFunction<float[][]> generator = shape.generator(dim, n, SEED);
        float[][] base = prepare(generator.apply(n), similarity);
        float[][] qs = prepare(generator.apply(queries), similarity);
        String name = shape.namePrefix + "-" + n + "x" + dim + "-" + similarity.name().toLowerCase(Locale.ROOT);
        Path cached = cacheDir == null ? null
                : cacheDir.resolve(String.format(Locale.ROOT, "%s-q%d-k%d-%08x.ivecs", name, queries, k, checksum(base, qs)));
        int[][] truth = cached == null ? null : TruthCache.read(cached, queries, k);
        if (truth != null) {
            return new BenchData(name, base, qs, truth, similarity, "brute force (double precision), cached in " + cached);
        }
        truth = IntStream.range(0, queries).parallel()
                .mapToObj(q -> Dataset.exactTopKPrepared(base, qs[q], Metric.valueOf(similarity.name()), k))
                .toArray(int[][]::new);
        if (cached != null) {
            TruthCache.write(cached, truth);
        }
        return new BenchData(name, base, qs, truth, similarity, "brute force (double precision) on generated data");
    }

    private static int checksum(float[][] base, float[][] queries) {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(4 * base[0].length);
        for (float[][] rows : List.of(base, queries)) {
            for (float[] row : rows) {
                buf.clear();
                buf.asFloatBuffer().put(row);
                crc.update(buf.array(), 0, 4 * row.length);
            }
        }
        return (int) crc.getValue();
    }

    private static BenchData withBruteForceTruth(String name, float[][] base, float[][] queries,
                                                 VectorSimilarity similarity, int k) {
        float[][] preparedBase = prepare(base, similarity);
        float[][] preparedQueries = prepare(queries, similarity);
        int[][] truth = IntStream.range(0, queries.length).parallel()
                .mapToObj(q -> Dataset.exactTopKPrepared(preparedBase, preparedQueries[q], Metric.valueOf(similarity.name()), k))
                .toArray(int[][]::new);
        return new BenchData(name, preparedBase, preparedQueries, truth, similarity,
                "brute force (double precision) on the slice");
    }

    private static float[][] prepare(float[][] vectors, VectorSimilarity similarity) {
        float[][] out = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            out[i] = similarity.prepare(vectors[i]);
        }
        return out;
    }
}
