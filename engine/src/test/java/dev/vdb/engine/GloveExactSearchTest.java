package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.VectorSimilarity;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Metric;
import dev.vdb.testkit.data.Datasets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exact search through the engine on the full 50k GloVe base equals the dataset's ground truth
 * for Cosine, Euclid and Dot (ties aside: where ids differ the scores must agree within float
 * tolerance), and the SIMD search equals the scalar one. Without the shared datasets (off CI) it
 * runs the same checks on generated data with brute-force truth.
 */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GloveExactSearchTest {

    private static final int K = 10;
    private static final int QUERIES = 150;
    static final HnswConfig CHEAP_GRAPH = new HnswConfig(4, 8);

    @TempDir
    static Path dir;
    VectorDb db;
    final java.util.Map<Distance, Dataset> datasets = new java.util.EnumMap<>(Distance.class);

    @BeforeAll
    void load() throws IOException {
        Optional<Path> glove = Datasets.find("glove-100-angular");
        for (Distance d : Distance.values()) {
            datasets.put(d, glove.isPresent()
                    ? Dataset.load(glove.get(), groundTruthFile(d), Metric.valueOf(d.similarity().name()))
                    : Dataset.generate(10_000, QUERIES, 100, Metric.valueOf(d.similarity().name()), K, 42));
        }
        db = VectorDb.open(dir, new DbOptions(false, 100_000));
        for (Distance d : Distance.values()) {
            Dataset data = datasets.get(d);
            // exact search is under test: a small graph keeps the load (which also indexes) quick
            VectorCollection c = db.createCollection(d.name(), new CollectionConfig(data.dimension(), d, CHEAP_GRAPH, null));
            List<Point> batch = new ArrayList<>();
            for (int i = 0; i < data.base().length; i++) {
                batch.add(Point.of(i, data.base()[i]));
                if (batch.size() == 10_000 || i == data.base().length - 1) {
                    c.upsert(batch);
                    batch.clear();
                }
            }
            assertEquals(data.base().length, c.count());
        }
    }

    @AfterAll
    void close() {
        db.close();
    }

    private static String groundTruthFile(Distance d) {
        return switch (d) {
            case COSINE -> "groundtruth.ivecs";
            case EUCLID -> "groundtruth.l2.ivecs";
            case DOT -> "groundtruth.dot.ivecs";
        };
    }

    @ParameterizedTest
    @EnumSource(Distance.class)
    void exactTopTenEqualsGroundTruth(Distance distance) {
        Dataset data = datasets.get(distance);
        VectorCollection c = db.collection(distance.name());
        int idMismatches = 0;
        int queries = Math.min(QUERIES, data.queries().length);
        for (int q = 0; q < queries; q++) {
            float[] query = data.queries()[q];
            List<ScoredPoint> hits = c.search(SearchRequest.builder().vector(query).limit(K).params(new SearchParams(0, true)).withPayload(false).build());
            assertEquals(K, hits.size());
            for (int i = 0; i < K; i++) {
                int truthId = data.groundTruth()[q][i];
                double truthScore = userScore(distance, query, data.base()[truthId]);
                long id = ((PointId.Num) hits.get(i).id()).id();
                double ourScore = hits.get(i).score();
                assertEquals(truthScore, ourScore, 1e-4 * Math.max(1, Math.abs(truthScore)),
                        data.name() + " query " + q + " rank " + i + ": got id " + id + ", truth " + truthId);
                // the score we report is the true score of the id we report
                assertEquals(userScore(distance, query, data.base()[(int) id]), ourScore, 1e-4 * Math.max(1, Math.abs(ourScore)));
                if (id != truthId) {
                    idMismatches++;
                }
            }
        }
        // ties and float rounding may swap neighbours of equal score, but rarely
        assertTrue(idMismatches <= queries * K / 100, idMismatches + " id mismatches (all ties within tolerance)");
    }

    @ParameterizedTest
    @EnumSource(Distance.class)
    void simdExactSearchEqualsScalar(Distance distance) {
        Dataset data = datasets.get(distance);
        VectorCollection c = db.collection(distance.name());
        for (int q = 0; q < Math.min(50, data.queries().length); q++) {
            float[] query = data.queries()[q];
            List<ScoredPoint> simd = c.search(SearchRequest.builder().vector(query).limit(K).params(new SearchParams(0, true)).withPayload(false).build());
            float[] scalar = scalarTopScores(data, distance, query, K);
            assertEquals(K, simd.size());
            for (int i = 0; i < K; i++) {
                float s = scalar[i];
                assertEquals(s, simd.get(i).score(), 1e-4f * Math.max(1, Math.abs(s)), "query " + q + " rank " + i);
            }
        }
    }

    /** The best {@code k} user-facing scores over the whole base, by the scalar kernels. */
    private static float[] scalarTopScores(Dataset data, Distance distance, float[] query, int k) {
        VectorSimilarity similarity = distance.similarity();
        float[] q = similarity.prepare(query);
        float[] scores = new float[data.base().length];
        for (int i = 0; i < scores.length; i++) {
            float[] v = similarity.prepare(data.base()[i]);
            scores[i] = similarity.scalarScore(q, 0, v, 0, q.length);
        }
        java.util.Arrays.sort(scores);
        float[] top = new float[k];
        for (int i = 0; i < k; i++) {
            top[i] = similarity.toUserScore(scores[scores.length - 1 - i]);
        }
        return top;
    }

    /** The user-facing score in double precision, independent of the engine's kernels. */
    static double userScore(Distance distance, float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0, sq = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
            double d = (double) a[i] - b[i];
            sq += d * d;
        }
        return switch (distance) {
            case COSINE -> na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
            case EUCLID -> Math.sqrt(sq);
            case DOT -> dot;
        };
    }

}
