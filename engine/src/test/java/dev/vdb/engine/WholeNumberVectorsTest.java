package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.testkit.data.ImageLikeGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Euclidean collection of whole-number vectors (digit images, 0..255 as floats) walks its
 * graph over exact one-byte codes: its answers keep the recall and the exact distances of the
 * engine's brute force (the oracle), the codes add a byte a component to the heap, a stored
 * vector with a fraction drops them for good (the answers stay right), and a reopen rebuilds
 * them from RocksDB's vectors.
 */
class WholeNumberVectorsTest {

    private static final int N = 3_000;
    private static final int K = 10;
    private static final int DIM = ImageLikeGenerator.DIMENSION;

    @TempDir
    Path dir;

    @Test
    void digitImagesAreSearchedOverTheirCodesWithTheExactDistances() {
        ImageLikeGenerator images = new ImageLikeGenerator(17);
        float[][] base = images.next(N);
        float[][] queries = images.next(40);
        long codeBytes = (long) N * DIM;
        long withCodes;
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("digits", CollectionConfig.of(DIM, Distance.EUCLID));
            for (int from = 0; from < N; from += 500) {
                List<Point> batch = new ArrayList<>();
                for (int i = from; i < from + 500; i++) {
                    batch.add(Point.of(i, base[i]));
                }
                c.upsert(batch);
            }
            assertAnswersAreExact(c, queries, "whole numbers");
            withCodes = c.memory().heapBytes();
            assertTrue(withCodes >= (long) N * DIM * Float.BYTES + codeBytes, "heap " + withCodes + " holds floats and codes");
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("digits");
            assertAnswersAreExact(c, queries, "reopened");
            long reopened = c.memory().heapBytes();
            assertTrue(reopened >= (long) N * DIM * Float.BYTES + codeBytes, "heap " + reopened + " after the reopen");

            float[] fraction = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                fraction[d] = base[0][d] / 2; // halves of the odd intensities
            }
            c.upsert(List.of(Point.of(N, fraction)));
            long without = c.memory().heapBytes();
            assertTrue(without <= reopened - codeBytes, "codes dropped: heap " + reopened + " → " + without);
            assertAnswersAreExact(c, queries, "after a fraction");
            List<ScoredPoint> self = search(c, fraction, false);
            assertEquals(PointId.of(N), self.get(0).id());
            assertTrue(self.get(0).score() < 1f, "its own distance " + self.get(0).score());
        }
    }

    /** Recall@10 at ef 64 of at least 0.95 against brute force, and every hit's distance the brute force's. */
    private static void assertAnswersAreExact(VectorCollection c, float[][] queries, String when) {
        int found = 0;
        for (float[] query : queries) {
            List<ScoredPoint> exact = search(c, query, true);
            Map<PointId, Float> exactScores = new HashMap<>();
            exact.forEach(hit -> exactScores.put(hit.id(), hit.score()));
            for (ScoredPoint hit : search(c, query, false)) {
                Float expected = exactScores.get(hit.id());
                if (expected != null) {
                    found++;
                    assertEquals(expected, hit.score(), expected * 1e-6f, when + ": distance of " + hit.id());
                }
            }
        }
        double recall = (double) found / (queries.length * K);
        assertTrue(recall >= 0.95, when + ": recall " + recall);
    }

    private static List<ScoredPoint> search(VectorCollection c, float[] query, boolean exact) {
        return c.search(SearchRequest.builder().vector(query).limit(K).params(new SearchParams(64, exact))
                .withPayload(false).build());
    }
}
