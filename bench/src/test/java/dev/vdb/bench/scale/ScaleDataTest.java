package dev.vdb.bench.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vdb.bench.BenchData;
import dev.vdb.bench.GeneratedShape;
import dev.vdb.bench.engines.FvecsRows;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.testkit.data.Vecs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated scale collection, written in chunks and its ground truth computed chunk by chunk,
 * equals the in-memory generated set of {@code ./vdb bench --dataset generated:DIM} and its
 * brute-force ground truth (the oracle), for every metric.
 */
class ScaleDataTest {

    private static final int N = 25_000; // three chunks of rows
    private static final int DIM = 8;
    private static final int QUERIES = 30;
    private static final int K = 10;

    @Test
    void generatedFilesAndTruthEqualTheInMemorySetAndItsBruteForceTruth(@TempDir Path root) throws Exception {
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            ScaleData data = ScaleData.generated(root, N, DIM, QUERIES, similarity, K);
            BenchData oracle = BenchData.generated(GeneratedShape.EMBEDDINGS, N, QUERIES, DIM, similarity, K, null);
            try (FvecsRows rows = new FvecsRows(data.base(), similarity)) {
                assertEquals(N, rows.size());
                for (int i = 0; i < N; i += 997) {
                    assertArrayEquals(oracle.base()[i], rows.row(i), similarity + " row " + i);
                }
            }
            float[][] queries = Vecs.readFvecs(data.queries());
            int[][] truth = Vecs.readIvecs(data.groundTruth());
            for (int q = 0; q < QUERIES; q++) {
                assertArrayEquals(oracle.queries()[q], similarity.prepare(queries[q]), similarity + " query " + q);
                assertArrayEquals(oracle.groundTruth()[q], truth[q], similarity + " truth of query " + q);
            }
            assertEquals(data, ScaleData.generated(root, N, DIM, QUERIES, similarity, K), "a complete set is reused");
        }
    }
}
