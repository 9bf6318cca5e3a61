package dev.vdb.bench.filtered;

import dev.vdb.bench.TruthCache;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.testkit.data.Vecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Finds each filter's exact top-k: the dataset's own filtered ground truth where it has one for
 * exactly this filter, else a brute-force scan of the admitted rows, cached as ivecs so it is
 * computed once per dataset, filter (and the rows it admits) and k. Stateless.
 *
 * <p>A dataset file {@code groundtruth.filter_X.ivecs} is used for a fixed filter only when its
 * {@code filter_X.mask} (one 0/1 line per base row) admits exactly the rows the filter admits on
 * the payloads, and for {@code FIELD=$query} only as {@code groundtruth.filter_same_FIELD.ivecs}
 * after checking that its rows hold only rows of the query's own value; the whole base must be
 * in use. The brute force scores with the scalar kernels, not ours, and breaks ties by the
 * smaller row, as the datasets' scripts do.
 */
public final class FilteredGroundTruth {

    private FilteredGroundTruth() {}

    /**
     * Sets the ground truth of every case.
     *
     * @param datasetDir the dataset folder, or null for generated data
     * @param wholeBase whether every base row of the dataset is in use (else its files do not apply)
     * @param cacheDir where brute-force results are kept, or null not to keep them
     */
    public static void resolve(List<FilterCase> cases, Path datasetDir, boolean wholeBase, float[][] base,
                               float[][] queries, VectorSimilarity similarity, int k, Path cacheDir) throws IOException {
        for (FilterCase c : cases) {
            if (datasetDir != null && wholeBase && fromDataset(c, datasetDir, queries.length, similarity, k)) {
                continue;
            }
            Path cached = cacheDir == null ? null : cacheDir.resolve(String.format(java.util.Locale.ROOT, "%s-%08x.k%d.ivecs",
                    c.spec().fileName(), c.admittedChecksum(), k));
            int[][] rows = cached == null ? null : TruthCache.read(cached, queries.length, k);
            if (rows != null) {
                c.setTruth(rows, "brute force, cached in " + cached);
                continue;
            }
            long t0 = System.nanoTime();
            int[][] truth = bruteForce(c, base, queries, similarity, k);
            String source = String.format("brute force over the admitted rows (%.1f s)", (System.nanoTime() - t0) / 1e9);
            if (cached != null) {
                TruthCache.write(cached, truth);
                source += ", cached in " + cached;
            }
            c.setTruth(truth, source);
        }
    }

    private static boolean fromDataset(FilterCase c, Path dir, int queries, VectorSimilarity similarity, int k)
            throws IOException {
        if (c.isUnfiltered()) {
            Path file = dir.resolve(switch (similarity) {
                case COSINE -> "groundtruth.ivecs";
                case EUCLID -> "groundtruth.l2.ivecs";
                case DOT -> "groundtruth.dot.ivecs";
            });
            if (!Files.isRegularFile(file)) {
                return false;
            }
            int[][] rows = Vecs.readIvecs(file);
            if (rows.length < queries || rows[0].length < k) {
                return false;
            }
            c.setTruth(Arrays.copyOf(rows, queries), file.getFileName().toString());
            return true;
        }
        if (c.spec().op() == FilterSpec.Op.SAME_AS_QUERY) {
            if (!c.spec().queryColumn().equals(c.spec().field())) {
                return false;
            }
            Path file = dir.resolve("groundtruth.filter_same_" + c.spec().field() + ".ivecs");
            if (!Files.isRegularFile(file)) {
                return false;
            }
            int[][] rows = Vecs.readIvecs(file);
            if (rows.length < queries || rows[0].length < k) {
                return false;
            }
            for (int q = 0; q < queries; q++) {
                BitSet admitted = c.admitted(c.groupOf(q));
                for (int id : rows[q]) {
                    if (id >= 0 && !admitted.get(id)) {
                        return false;
                    }
                }
            }
            c.setTruth(Arrays.copyOf(rows, queries), file.getFileName().toString());
            return true;
        }
        BitSet admitted = c.admitted(0);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path mask : files.filter(f -> f.getFileName().toString().matches("filter_.*\\.mask")).sorted().toList()) {
                String name = mask.getFileName().toString();
                Path truthFile = dir.resolve("groundtruth." + name.substring(0, name.length() - ".mask".length()) + ".ivecs");
                if (Files.isRegularFile(truthFile) && admitted.equals(readMask(mask))) {
                    int[][] rows = Vecs.readIvecs(truthFile);
                    if (rows.length >= queries && rows[0].length >= k) {
                        c.setTruth(Arrays.copyOf(rows, queries), truthFile.getFileName().toString()
                                + " (its mask equals the payload filter)");
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static BitSet readMask(Path mask) throws IOException {
        BitSet set = new BitSet();
        List<String> lines = Files.readAllLines(mask);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals("1")) {
                set.set(i);
            }
        }
        return set;
    }

    /** Exact top-k of every query among its admitted rows, -1 padded; queries in parallel. */
    static int[][] bruteForce(FilterCase c, float[][] base, float[][] queries, VectorSimilarity similarity, int k) {
        return IntStream.range(0, queries.length).parallel().mapToObj(q -> {
            BitSet admitted = c.admitted(c.groupOf(q));
            long[] packed = new long[admitted.cardinality()];
            float[] query = queries[q];
            int n = 0;
            for (int row = admitted.nextSetBit(0); row >= 0; row = admitted.nextSetBit(row + 1)) {
                float s = similarity.scalarScore(query, 0, base[row], 0, query.length);
                // ascending by (-score, row): the float's bits flipped into a sortable int
                int bits = Float.floatToIntBits(-s);
                bits ^= (bits >> 31) & 0x7fffffff;
                packed[n++] = ((long) bits << 32) | row;
            }
            Arrays.sort(packed);
            int[] top = new int[k];
            Arrays.fill(top, -1);
            for (int i = 0; i < Math.min(k, n); i++) {
                top[i] = (int) packed[i];
            }
            return top;
        }).toArray(int[][]::new);
    }
}
