package dev.vdb.bench.scale;

import dev.vdb.bench.TruthCache;
import dev.vdb.bench.engines.FvecsRows;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.testkit.data.EmbeddingLikeGenerator;
import dev.vdb.testkit.data.ImageLikeGenerator;
import dev.vdb.testkit.data.Metric;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The files of one scale run: {@code base.fvecs}, {@code query.fvecs} and the exact top-k
 * {@code ivecs}. A dataset folder is used as it is; a generated set ({@link EmbeddingLikeGenerator}
 * or {@link ImageLikeGenerator}, seed 42, base then queries as {@code ./vdb bench --dataset
 * generated:DIM} or {@code generated-images} draws them) is
 * written once, streaming, into its own folder, its ground truth computed by exact search in
 * double precision over the whole base, a chunk of rows at a time, for every query.
 *
 * @param groundTruth the ivecs holding each query's exact top-k base rows, best first
 */
record ScaleData(String name, Path base, Path queries, Path groundTruth) {

    static final long SEED = 42;
    private static final int CHUNK = 10_000;

    /** A dataset folder in the {@code ../shared/datasets} format, with the ground truth of {@code similarity}. */
    static ScaleData folder(Path dir, VectorSimilarity similarity) {
        Path truth = dir.resolve(switch (similarity) {
            case COSINE -> "groundtruth.ivecs";
            case EUCLID -> "groundtruth.l2.ivecs";
            case DOT -> "groundtruth.dot.ivecs";
        });
        for (Path p : new Path[] {dir.resolve("base.fvecs"), dir.resolve("query.fvecs"), truth}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("--dataset " + dir + " lacks " + p.getFileName());
            }
        }
        return new ScaleData(dir.getFileName().toString(), dir.resolve("base.fvecs"), dir.resolve("query.fvecs"), truth);
    }

    /**
     * {@code n × dim} generated vectors and {@code queryCount} queries under {@code root}, written
     * unless a complete set is already there (a {@code done} marker is written last).
     */
    static ScaleData generated(Path root, int n, int dim, int queryCount, VectorSimilarity similarity, int k)
            throws IOException {
        String name = String.format(Locale.ROOT, "generated-%dx%d-%s", n, dim, similarity.name().toLowerCase(Locale.ROOT));
        return written(root, name, n, queryCount, similarity, k, new EmbeddingLikeGenerator(dim, n, SEED)::next);
    }

    /**
     * {@code n} generated digit images ({@link ImageLikeGenerator}, 784-d, whole numbers 0..255, seed
     * 42 as {@code ./vdb bench --dataset generated-images} draws them) and {@code queryCount}
     * queries, as {@link #generated}.
     */
    static ScaleData images(Path root, int n, int queryCount, VectorSimilarity similarity, int k) throws IOException {
        String name = String.format(Locale.ROOT, "generated-images-%dx%d-%s", n, ImageLikeGenerator.DIMENSION,
                similarity.name().toLowerCase(Locale.ROOT));
        return written(root, name, n, queryCount, similarity, k, new ImageLikeGenerator(SEED)::next);
    }

    /** {@code n} rows of {@code generator}, then {@code queryCount} more as queries, and their ground truth. */
    private static ScaleData written(Path root, String name, int n, int queryCount, VectorSimilarity similarity, int k,
                                     IntFunction<float[][]> generator) throws IOException {
        Path dir = root.resolve(name + "-q" + queryCount + "-k" + k);
        ScaleData data = new ScaleData(name, dir.resolve("base.fvecs"), dir.resolve("query.fvecs"), dir.resolve("groundtruth.ivecs"));
        if (Files.exists(dir.resolve("done"))) {
            System.out.printf("reusing %s%n", dir);
            return data;
        }
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(data.base), 1 << 20)) {
            for (int from = 0; from < n; from += CHUNK) {
                writeRows(out, generator.apply(Math.min(CHUNK, n - from)));
            }
        }
        float[][] queries = generator.apply(queryCount);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(data.queries))) {
            writeRows(out, queries);
        }
        System.out.printf("generated %,d × %d in %.0f s; exact top-%d of %,d queries...%n", n, queries[0].length,
                (System.nanoTime() - t0) / 1e9, k, queryCount);
        TruthCache.write(data.groundTruth, exactTopK(data.base, queries, similarity, k));
        Files.writeString(dir.resolve("done"), "");
        System.out.printf("ground truth done in %.0f s (%s)%n", (System.nanoTime() - t0) / 1e9, dir);
        return data;
    }

    private static void writeRows(OutputStream out, float[][] rows) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4 + 4 * rows[0].length).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            buf.clear();
            buf.putInt(row.length);
            for (float v : row) {
                buf.putFloat(v);
            }
            out.write(buf.array(), 0, buf.position());
        }
    }

    /** Each query's exact top-k rows of the base file (double precision; ties keep the smaller row). */
    private static int[][] exactTopK(Path base, float[][] rawQueries, VectorSimilarity similarity, int k)
            throws IOException {
        Metric metric = Metric.valueOf(similarity.name());
        float[][] queries = new float[rawQueries.length][];
        for (int q = 0; q < queries.length; q++) {
            queries[q] = similarity.prepare(rawQueries[q]); // as the child prepares them, and FvecsRows the rows
        }
        int[][] ids = new int[queries.length][k];
        double[][] scores = new double[queries.length][k];
        int[] kept = new int[queries.length];
        try (FvecsRows rows = new FvecsRows(base, similarity)) {
            float[][] chunk = new float[CHUNK][];
            for (int from = 0; from < rows.size(); from += CHUNK) {
                int count = Math.min(CHUNK, rows.size() - from);
                for (int i = 0; i < count; i++) {
                    chunk[i] = rows.row(from + i);
                }
                int first = from;
                IntStream.range(0, queries.length).parallel().forEach(q -> {
                    for (int i = 0; i < count; i++) {
                        kept[q] = offer(ids[q], scores[q], kept[q], first + i, metric.score(queries[q], chunk[i]));
                    }
                });
            }
        }
        return ids;
    }

    /** Inserts {@code (row, score)} into a best-first top list holding {@code kept}; returns the new count. */
    private static int offer(int[] ids, double[] scores, int kept, int row, double score) {
        if (kept == ids.length && score <= scores[kept - 1]) {
            return kept;
        }
        int at = kept == ids.length ? kept - 1 : kept++;
        while (at > 0 && scores[at - 1] < score) {
            ids[at] = ids[at - 1];
            scores[at] = scores[at - 1];
            at--;
        }
        ids[at] = row;
        scores[at] = score;
        return kept;
    }
}
